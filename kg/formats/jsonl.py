"""``.jsonl`` corpora: one JSON object per line, one document per object.

The text is in the field ``ReadOptions.text_field`` (``--text-field``, default
``text``). The document id is the object's ``id``, else its ``title``, else
``<file name>#<line number>``; an id seen before gets ``#<line number>`` appended.
Every other scalar field (``title``, ``year``, ``url`` …) is kept in ``RawDoc.meta``.

Lines are read one at a time, so a corpus of any size streams. A bad line (not JSON,
no text field, empty text, over the size limit) is reported as an ``InputError``
yielded in place of its document, and the rest of the file is read.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Union

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions

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
        for lineno, line in enumerate(handle, 1):
            if line.strip():
                lines += 1
                yield _document(path, lineno, line, options, seen)
    if lines == 0:
        raise InputError(f"{path}: empty file")


def _document(path: Path, lineno: int, line: bytes, options: ReadOptions,
              seen: set[str]) -> Union[RawDoc, InputError]:
    where = f"{path}:{lineno}"
    if len(line) > options.max_bytes:
        return InputError(f"{where}: line of {len(line)} bytes is over the size limit; raise it with --max-bytes")
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return InputError(f"{where}: not UTF-8 (JSON lines are UTF-8); convert the file first")
    except json.JSONDecodeError as err:
        return InputError(f"{where}: not a JSON object ({err.msg} at column {err.colno})")
    if not isinstance(record, dict):
        return InputError(f"{where}: a JSON {type(record).__name__}, not an object")
    text = record.get(options.text_field)
    if not isinstance(text, str):
        fields = ", ".join(k for k, v in record.items() if isinstance(v, str)) or "none"
        return InputError(f"{where}: no text field {options.text_field!r} (string fields: {fields}); "
                          "name the field with --text-field")
    if not text.strip():
        return InputError(f"{where}: empty text in field {options.text_field!r}")
    doc_id = next((str(record[k]) for k in _ID_FIELDS if record.get(k) not in (None, "")), f"{path.name}#{lineno}")
    if doc_id in seen:
        doc_id = f"{doc_id}#{lineno}"
    seen.add(doc_id)
    meta = {"format": "jsonl", "line": lineno}
    meta.update({k: v for k, v in record.items()
                 if k != options.text_field and isinstance(v, (str, int, float, bool))})
    return RawDoc(doc_id=doc_id, path=f"{path}#{lineno}", text=text, meta=meta)


def count_lines(path: Path) -> int:
    """Non-blank lines: the documents a progress bar can expect."""
    n = 0
    try:
        with open(path, "rb") as handle:
            for line in handle:
                n += bool(line.strip())
    except OSError:
        return 1
    return n
