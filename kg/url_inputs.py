"""Inputs named by URL (``s3://bucket/reports/``, ``hdfs://…``, ``file:///data/…``), read
through fsspec.

Why: a build on a Dask cluster (``kg build --cluster``) hands each file to a worker on
another machine, which must read it where it lies instead of from the disk of the
machine that started the build. fsspec gives one interface over the storage systems; a
backend is whatever the user installs (s3fs for ``s3://``, pyarrow for ``hdfs://``),
``file://`` and ``memory://`` come with fsspec itself.

The readers in ``kg/formats/`` take a local path (python-docx, pypdf and the encoding
detector read files), so a URL is read from a local copy: a ``file://`` URL is its own
path, anything else is copied into a temporary folder under its own file name (the
document id) and the names in what the readers say are put back to the URL.
"""
from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import InputError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")  # two letters at least: C:\ is a path


def is_url(given: object) -> bool:
    """Whether an input names a file by URL (``scheme://…``) rather than a local path."""
    return isinstance(given, str) and bool(_URL.match(given))


def _fs(url: str):
    """(file system, path inside it) of a URL; InputError when fsspec cannot open its kind."""
    try:
        from fsspec.core import url_to_fs

        return url_to_fs(url)
    except ImportError as err:  # fsspec itself, or the backend of this protocol (s3fs…)
        raise InputError(f"{url}: cannot read this kind of URL here ({_first_line(err)})") from None
    except (ValueError, TypeError) as err:  # an unknown protocol
        raise InputError(f"{url}: not a URL we can read ({_first_line(err)})") from None


def list_files(url: str, suffixes: tuple[str, ...]) -> list[str]:
    """The document files a URL names, as URLs, sorted: the file itself, or for a folder
    (prefix) the files under it with a known suffix, hidden ones left out, as
    ``kg.read.iter_paths`` takes them from a local folder. InputError if there is none."""
    fs, path = _fs(url)
    try:
        info = fs.info(path)
    except FileNotFoundError:
        raise InputError(f"{url}: no such file or folder") from None
    except Exception as err:  # noqa: BLE001 - credentials, network: the backend's own errors
        raise InputError(f"{url}: cannot list ({type(err).__name__}: {_first_line(err)})") from None
    if info.get("type") != "directory":
        return [url]
    root = path.rstrip("/")
    try:
        found = fs.find(root)
    except Exception as err:  # noqa: BLE001
        raise InputError(f"{url}: cannot list ({type(err).__name__}: {_first_line(err)})") from None
    files = []
    for name in found:
        if not name.startswith(root + "/"):  # not under the folder as we spelled it: the backend's own form
            inside, child = posixpath.basename(name), fs.unstrip_protocol(name)
        else:  # spelled as the user spelled the folder
            inside = name[len(root) + 1:]
            child = f"{url.rstrip('/')}/{inside}"
        if any(part.startswith(".") for part in inside.split("/")):
            continue
        if posixpath.splitext(name)[1].lower() in suffixes:
            files.append(child)
    return sorted(files)


@contextmanager
def local_copy(url: str, max_bytes: int | None = None) -> Iterator[Path]:
    """A local path holding the file ``url`` names, for as long as the block runs.

    ``max_bytes``: a larger file is refused before anything is copied (None for a
    ``.jsonl`` corpus, whose limit is per line).
    """
    from fsspec.implementations.local import LocalFileSystem

    fs, path = _fs(url)
    if isinstance(fs, LocalFileSystem):
        yield Path(path)
        return
    name = posixpath.basename(path.rstrip("/")) or "document"
    try:
        size = fs.size(path)
    except FileNotFoundError:
        raise InputError(f"{url}: no such file") from None
    except Exception as err:  # noqa: BLE001 - the backend's own errors
        raise InputError(f"{url}: cannot read ({type(err).__name__}: {_first_line(err)})") from None
    if max_bytes is not None and size is not None and size > max_bytes:
        from .formats import mb

        raise InputError(f"{url}: {mb(size)} is over the size limit of {mb(max_bytes)}; "
                         "raise it with --max-bytes or split the file")
    with tempfile.TemporaryDirectory(prefix="kg-url-") as folder:
        local = Path(folder) / name
        try:
            with fs.open(path, "rb") as source, open(local, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        except OSError as err:
            raise InputError(f"{url}: cannot read: {err.strerror or _first_line(err)}") from None
        except Exception as err:  # noqa: BLE001
            raise InputError(f"{url}: cannot read ({type(err).__name__}: {_first_line(err)})") from None
        yield local


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__


__all__ = ["is_url", "list_files", "local_copy"]
