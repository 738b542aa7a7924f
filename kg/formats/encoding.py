"""Bytes -> text: which encoding a file is in, and whether it is text at all.

Order of evidence: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8; then
charset-normalizer, the detector that measures how "messy" each candidate decoding
is. GBK is read as GB18030, its superset. A file that is binary (NUL bytes, a known
binary signature) or whose best decoding is still garbage raises InputError.
"""
from __future__ import annotations

import codecs
import logging
from pathlib import Path

from ..errors import InputError

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"%PDF", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (.docx, .xlsx …)"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls); save it as .docx"),
    (b"\x7fELF", "a program"), (b"BZh", "a bzip2 archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
)
#: Share of replacement or control characters above which a decoding is garbage.
MAX_BAD = 0.01
#: Mess ratio (charset-normalizer's "chaos") above which a decoding is garbage.
MAX_CHAOS = 0.2


def decode(data: bytes, path: Path | str) -> tuple[str, str]:
    """(text, encoding name) of a text file's bytes; InputError if it is not text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name, path), name.replace("-sig", "")
    head = data[:8192]
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(f"{path}: binary file ({what}), not text")
    if b"\x00" in head:
        raise InputError(f"{path}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and err.reason == "unexpected end of data":
            log.warning("%s: ends inside a character (truncated?); its last %d bytes were dropped",
                        path, len(data) - err.start)
            return data[:err.start].decode("utf-8"), "utf-8"
    return _detect(data, path)


def _strict(data: bytes, name: str, path: Path | str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as err:
        text = data.decode(name, errors="replace")
        if text.count("\ufffd") > MAX_BAD * max(len(text), 1):
            raise InputError(f"{path}: not valid {name} although it starts with a {name} byte-order mark "
                             f"(bad byte at offset {err.start}); the file is damaged") from None
        log.warning("%s: %d undecodable bytes replaced", path, text.count("\ufffd"))
        return text


def _detect(data: bytes, path: Path | str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise InputError(
            f"{path}: cannot tell its text encoding (not UTF-8, GB18030/GBK, Big5 or UTF-16): "
            "binary or garbled; convert it to UTF-8 first"
        )
    name = best.encoding
    if name in ("gbk", "gb2312", "hz", "cp936"):
        name = "gb18030"
    text = _strict(data, name, path)
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\x0c"))
    if bad > MAX_BAD * len(text):
        raise InputError(f"{path}: decodes to garbage as {name} ({bad} bad characters); "
                         "convert it to UTF-8 first")
    return text, name
