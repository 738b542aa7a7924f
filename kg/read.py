"""Stage 1, read: paths -> RawDoc.

Decoding only: no repair happens here, so ``RawDoc.text`` is exactly the text the
file holds (for .docx, .pdf, .html and .jsonl: the text the reader extracted) and
every later offset can be traced back to it. The readers, one per format, are in
``kg/formats/``. A file that cannot be read raises (or, inside a .jsonl corpus,
yields) an InputError with the file and the reason; callers decide whether to go on.
Inputs may also be URLs (``s3://…``, ``file://…``), read through fsspec
(``kg/url_inputs.py``): :func:`iter_inputs` and :func:`read_input` take both.
"""
from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Union

from .errors import InputError
from .formats import DEFAULT_MAX_BYTES, SUFFIXES, ReadOptions, reader_for
from .url_inputs import is_url, list_files, local_copy
from .types import RawDoc

log = logging.getLogger(__name__)

#: Longest document handed to extraction in one piece (spaCy's limit is 1,000,000);
#: a longer text is cut at paragraph breaks into parts ``<id>#part<n>``.
MAX_CHARS = 400_000


def iter_paths(paths: Iterable[str | os.PathLike], suffixes: tuple[str, ...] = SUFFIXES) -> Iterator[Path]:
    """Expand files and folders into document files, in a stable (sorted) order.

    Files named explicitly are kept whatever their suffix (the reader then says if it
    cannot read them); inside folders only files with a known suffix are taken, and
    broken links among them are kept so the reader can name them. A folder that cannot
    be listed (no permission) is yielded itself, in its place, so that reading it
    names it as skipped. Links to folders are not followed. A path that does not exist
    raises InputError.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(_walk(path, suffixes))
        elif path.exists() or path.is_symlink():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def iter_inputs(paths: Iterable[str | os.PathLike], suffixes: tuple[str, ...] = SUFFIXES) -> Iterator[Path | str]:
    """:func:`iter_paths` for local paths; a URL's files come as URLs, taken from a
    URL folder as from a local one (:func:`kg.url_inputs.list_files`)."""
    for given in paths:
        if is_url(given):
            yield from list_files(str(given), suffixes)
        else:
            yield from iter_paths([given], suffixes)


def read_input(source: Path | str, options: ReadOptions = ReadOptions(), *,
               shown: str | None = None) -> Iterator[Union[RawDoc, InputError]]:
    """:func:`read_docs` of a local path or a URL (read from a local copy).

    The documents and errors name the file ``shown`` (default: ``source`` as given):
    a worker of a cluster reads the absolute path or the URL's copy, and the build
    reports the name the user gave.
    """
    shown = str(source) if shown is None else shown
    if is_url(source):
        jsonl = str(source).lower().endswith(".jsonl")
        with local_copy(str(source), None if jsonl else options.max_bytes) as local:
            yield from _named(read_docs(local, options), str(local), shown)
    else:
        yield from _named(read_docs(source, options), str(source), shown)


def _named(docs: Iterator[Union[RawDoc, InputError]], local: str, shown: str) -> Iterator[Union[RawDoc, InputError]]:
    """``docs`` with the file named ``shown`` where the readers named it ``local``."""
    if local == shown:
        yield from docs
        return

    def rename(text: str) -> str:
        return shown + text[len(local):] if text.startswith(local) else text

    try:
        for doc in docs:
            yield InputError(rename(str(doc))) if isinstance(doc, InputError) else replace(doc, path=rename(doc.path))
    except InputError as err:
        raise InputError(rename(str(err))) from None


def _walk(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """The document files under ``folder`` (any order), and the folders under it that
    cannot be listed; hidden files and folders are left out."""
    stack = [folder]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError:
            yield here
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = here / entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(child)
            elif child.suffix.lower() in suffixes and (child.is_file() or (child.is_symlink() and not child.exists())):
                yield child


def doc_id_for(path: Path) -> str:
    """The document id: the file name, as the gold files name documents."""
    return path.name


def read_docs(path: str | os.PathLike, options: ReadOptions = ReadOptions(), *,
              max_chars: int = MAX_CHARS) -> Iterator[Union[RawDoc, InputError]]:
    """The documents of one file: one for most formats, one per line of a .jsonl.

    A file that cannot be read at all raises InputError; a bad document inside a
    corpus is yielded as an InputError in its place. Documents longer than
    ``max_chars`` come in parts (see :func:`split_long`).
    """
    for item in _read(Path(path), options):
        if isinstance(item, InputError):
            yield item
        else:
            yield from split_long(item, max_chars)


def _read(path: Path, options: ReadOptions) -> Iterator[Union[RawDoc, InputError]]:
    """What the reader of ``path`` yields; whatever it raises becomes an InputError
    with a one-line reason (a damaged file can fail deep inside a parser library)."""
    _check_path(path)
    try:
        yield from reader_for(path)(path, options)
    except (InputError, GeneratorExit):
        raise
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to read") from None
    except MemoryError:
        raise InputError(f"{path}: too large to read in memory; lower --max-bytes or split the file") from None
    except Exception as err:  # noqa: BLE001 - one bad file must not sink a build; the reason is reported
        log.debug("reading %s failed", path, exc_info=True)
        raise InputError(f"{path}: cannot read ({type(err).__name__}: {_first_line(err)}); "
                         "the file is damaged or of a kind we do not know") from None


def _check_path(path: Path) -> None:
    """InputError for a path no reader can take: a folder (one that could not be
    listed: :func:`iter_paths` yields those in their place) or a name that is not
    UTF-8 (its document id could not be written in any export)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{path}: the file name is not UTF-8 (an archive unpacked with another encoding?); "
                         "rename it, e.g. with convmv -f gbk -t utf-8") from None
    if path.is_dir():
        try:
            with os.scandir(path):
                pass
        except OSError as err:
            raise InputError(f"{path}: cannot read the folder: {err.strerror or err}") from None
        raise InputError(f"{path}: a folder, not a document")


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else "no message"


def read_doc(path: str | os.PathLike, options: ReadOptions = ReadOptions()) -> RawDoc:
    """Read a file that holds one document (text, Markdown, Word, PDF, HTML)."""
    path = Path(path)
    docs = _read(path, options)
    first = next(docs, None)
    if isinstance(first, InputError):
        raise first
    if first is None:
        raise InputError(f"{path}: no document in the file")
    if next(docs, None) is not None:
        raise InputError(f"{path}: holds several documents; read it with read_docs")
    return first


def split_long(doc: RawDoc, max_chars: int = MAX_CHARS) -> Iterator[RawDoc]:
    """A document, or its parts when it is longer than ``max_chars``.

    Parts are cut at a blank line, else a line break, else a sentence end, in the last
    fifth of the window; part ``n`` is ``<doc id>#part<n>`` with ``meta["part"]`` and
    ``meta["raw_offset"]`` (where the part starts in the whole text: raw offsets of a
    part are relative to it).
    """
    text = doc.text
    if len(text) <= max_chars:
        yield doc
        return
    start, n = 0, 1
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            floor = start + max_chars * 4 // 5
            for sep in ("\n\n", "\n", "。"):
                cut = text.rfind(sep, floor, end)
                if cut >= 0:
                    end = cut + len(sep)
                    break
        part = text[start:end]
        if part.strip():
            yield replace(doc, doc_id=f"{doc.doc_id}#part{n}", text=part,
                          meta={**doc.meta, "part": n, "raw_offset": start})
            n += 1
        start = end


__all__ = ["DEFAULT_MAX_BYTES", "MAX_CHARS", "ReadOptions", "SUFFIXES", "doc_id_for", "iter_inputs", "iter_paths",
           "read_doc", "read_docs", "read_input", "split_long"]
