"""Plain text and Markdown files, in any of the encodings ``encoding.decode`` knows."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, check_text, doc_meta, read_bytes
from .encoding import decode


def read_text(path: Path, options: ReadOptions) -> Iterator[RawDoc]:
    data = read_bytes(path, options)
    if not data.strip():
        raise InputError(f"{path}: empty file")
    text, encoding = decode(data, path)
    check_text(path, text)
    fmt = path.suffix.lower().lstrip(".") if path.suffix.lower() in (".md", ".txt") else "txt"
    yield RawDoc(doc_id=path.name, path=str(path), text=text, meta=doc_meta(path, fmt, encoding=encoding))
