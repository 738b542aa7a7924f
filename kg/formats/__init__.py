"""Readers, one per file format, behind a suffix -> reader table.

A reader takes a path and the :class:`ReadOptions` and yields ``RawDoc``s: one for a
text, Word, PDF or HTML file, one per line for a ``.jsonl`` corpus. It raises
``InputError`` naming the file and the reason when the file cannot be read; the
pipeline reports that and goes on with the next file.

For formats that are not plain text (``.docx``, ``.pdf``, ``.html``, ``.jsonl``) the
raw text is the text the reader extracted, and raw offsets refer to it, not to the
bytes of the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import InputError
from ..types import RawDoc

#: Default limit on the size of one input file (and of one line of a ``.jsonl``).
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read inputs: the ``.jsonl`` field that holds the text and a size limit."""

    text_field: str = "text"
    max_bytes: int = DEFAULT_MAX_BYTES


Reader = Callable[[Path, ReadOptions], Iterator[RawDoc]]


def _readers() -> dict[str, Reader]:
    from . import docx, html, jsonl, pdf, text

    return {
        ".txt": text.read_text,
        ".md": text.read_text,
        ".docx": docx.read_docx,
        ".pdf": pdf.read_pdf,
        ".html": html.read_html,
        ".htm": html.read_html,
        ".jsonl": jsonl.read_jsonl,
    }


#: Suffixes taken from folders; a file named explicitly is read whatever its suffix
#: (as text unless the suffix names another format).
SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".jsonl")


def reader_for(path: Path) -> Reader:
    """The reader of a file, by suffix; unknown suffixes are read as text."""
    readers = _readers()
    return readers.get(path.suffix.lower(), readers[".txt"])


def read_bytes(path: Path, options: ReadOptions) -> bytes:
    """A file's bytes, after checking it is a readable regular file under the limit."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{path}: broken symbolic link (its target {str(path.readlink())!r} is missing)") from None
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if size > options.max_bytes:
        raise InputError(
            f"{path}: {mb(size)} is over the size limit of {mb(options.max_bytes)}; "
            "raise it with --max-bytes or split the file"
        )
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def check_text(path: Path, text: str, what: str = "file") -> str:
    """The text, or InputError when it holds nothing but whitespace."""
    if not text.strip():
        raise InputError(f"{path}: empty {what} (no text)" if what != "file" else f"{path}: empty file (only whitespace)")
    return text


def doc_meta(path: Path, fmt: str, **extra) -> dict:
    meta = {"format": fmt}
    meta.update({k: v for k, v in extra.items() if v not in (None, "")})
    return meta


__all__ = ["DEFAULT_MAX_BYTES", "ReadOptions", "SUFFIXES", "reader_for", "read_bytes", "check_text"]
