"""``.jsonl`` corpora: one JSON object per line, one document per object.

The text is in the field ``ReadOptions.text_field`` (``--text-field``, default
``text``). The document id is the object's ``id``, else its ``title``, else
``<file name>#<line number>``; an id seen before gets ``#<line number>`` appended.
Every other scalar field (``title``, ``year``, ``url`` …) is kept in ``RawDoc.meta``.

Lines are read one at a time, so a corpus of any size streams, and no more than
``--max-bytes`` of a line is ever held: the rest of a longer line is read past in small
pieces. A bad line (not JSON, nested too deeply, a number too long to convert, a lone
surrogate, no text field, empty text, over the size limit) is reported as an
``InputError`` yielded in place of its document, and the rest of the file is read.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Union

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, mb

_ID_FIELDS = ("id", "doc_id", "title")


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Union[RawDoc, InputError]]:
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{path}: broken symbolic link") from None
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    seen: set[str] = set()
    lines = 0
    with handle:
        for lineno, line, size in _lines(handle, options.max_bytes):
            if line is None:
                lines += 1
                yield InputError(f"{path}:{lineno}: line of {mb(size)} is over the size limit of "
                                 f"{mb(options.max_bytes)}; raise it with --max-bytes")
            elif line.strip():
                lines += 1
                yield _document(path, lineno, line, options, seen)
    if lines == 0:
        raise InputError(f"{path}: empty file")


_CHUNK = 1 << 20


def _lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, Optional[bytes], int]]:
    """(line number, line, size) for each line; the line is None when it is longer
    than ``limit`` bytes, and then only its size was counted, a piece at a time."""
    lineno = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) <= limit:
            yield lineno, line, len(line)
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = handle.readline(_CHUNK)
            if not line:
                break
            size += len(line)
        yield lineno, None, size


def _document(path: Path, lineno: int, line: bytes, options: ReadOptions,
              seen: set[str]) -> Union[RawDoc, InputError]:
    where = f"{path}:{lineno}"
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return InputError(f"{where}: not UTF-8 (JSON lines are UTF-8); convert the file first")
    except json.JSONDecodeError as err:
        return InputError(f"{where}: not a JSON object ({err.msg} at column {err.colno})")
    except RecursionError:
        return InputError(f"{where}: nested too deeply to read (arrays or objects inside each other)")
    except ValueError as err:  # an integer of more than sys.get_int_max_str_digits() digits
        return InputError(f"{where}: not readable JSON ({str(err).split(';')[0]})")
    if not isinstance(record, dict):
        return InputError(f"{where}: a JSON {type(record).__name__}, not an object")
    text = record.get(options.text_field)
    if not isinstance(text, str):
        fields = ", ".join(k for k, v in record.items() if isinstance(v, str)) or "none"
        return InputError(f"{where}: no text field {options.text_field!r} (string fields: {fields}); "
                          "name the field with --text-field")
    if not text.strip():
        return InputError(f"{where}: empty text in field {options.text_field!r}")
    bad = next((k for k, v in record.items() if isinstance(v, str) and not _is_unicode(v)), None)
    if bad is not None or not _is_unicode(text):
        return InputError(f"{where}: field {bad or options.text_field!r} holds a lone surrogate (\\ud800-\\udfff), "
                          "not Unicode text")
    doc_id = next((str(record[k]) for k in _ID_FIELDS if record.get(k) not in (None, "")), f"{path.name}#{lineno}")
    if doc_id in seen:
        doc_id = f"{doc_id}#{lineno}"
    seen.add(doc_id)
    meta = {"format": "jsonl", "line": lineno}
    meta.update({k: v for k, v in record.items()
                 if k != options.text_field and isinstance(v, (str, int, float, bool))})
    return RawDoc(doc_id=doc_id, path=f"{path}#{lineno}", text=text, meta=meta)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def count_lines(path: Path) -> int:
    """Non-blank lines: the documents a progress bar can expect (read in pieces, so a
    huge line costs no memory)."""
    n, blank = 0, True
    try:
        with open(path, "rb") as handle:
            for piece in iter(lambda: handle.readline(_CHUNK), b""):
                blank = blank and not piece.strip()
                if piece.endswith(b"\n"):
                    n += not blank
                    blank = True
    except OSError:
        return 1
    return n + (not blank)
