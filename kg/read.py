"""Stage 1, read: paths -> RawDoc.

Decoding only: no repair happens here, so ``RawDoc.text`` is exactly what the file
says and every later offset can be traced back to it. A file that cannot be read
raises InputError with the file and the reason; callers decide whether to go on.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError
from .types import RawDoc

SUFFIXES = (".txt", ".md")


def iter_paths(paths: Iterable[str | os.PathLike], suffixes: tuple[str, ...] = SUFFIXES) -> Iterator[Path]:
    """Expand files and folders into document files, in a stable (sorted) order.

    Files named explicitly are kept whatever their suffix (the reader then says if it
    cannot read them); inside folders only files with a known suffix are taken.
    A path that does not exist raises InputError.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in suffixes and not child.name.startswith("."):
                    yield child
        elif path.exists():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def doc_id_for(path: Path) -> str:
    """The document id: the file name, as the gold files name documents."""
    return path.name


def read_doc(path: str | os.PathLike) -> RawDoc:
    """Read one UTF-8 text or Markdown file (a BOM is dropped)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    if not data.strip():
        raise InputError(f"{path}: empty file")
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert it to UTF-8 first"
        ) from None
    if not text.strip():
        raise InputError(f"{path}: empty file (only whitespace)")
    return RawDoc(doc_id=doc_id_for(path), path=str(path), text=text, meta={"format": path.suffix.lower().lstrip(".") or "txt"})
