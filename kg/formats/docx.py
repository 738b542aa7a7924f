"""Word ``.docx`` files through python-docx: paragraphs and table cells in body order,
one paragraph per line, a blank line between paragraphs so headings stay lines of
their own.

A .docx is a zip of XML parts. Before python-docx opens it, the sizes its parts
declare are added up and held to ``--max-bytes`` (the zip reader never hands out more
than a part declares), so a small file of many empty paragraphs that would grow to
gigabytes is skipped, not unpacked. python-docx parses with lxml with entity
resolution off and no network access (no XXE, no entity expansion); a main part that
declares a DTD, which Word never writes, is refused all the same.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, check_text, doc_meta, mb, read_bytes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = (_W + tag for tag in ("p", "tbl", "tr", "tc", "t"))


def read_docx(path: Path, options: ReadOptions) -> Iterator[RawDoc]:
    data = read_bytes(path, options)
    if not data:
        raise InputError(f"{path}: empty file")
    try:
        import docx
    except ImportError as err:  # a dependency of the package; only a broken install lacks it
        raise InputError(f"{path}: reading .docx needs python-docx (pip install python-docx)") from err
    _check_expanded_size(path, data, options.max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # noqa: BLE001 - zip, XML and package errors all mean a damaged file
        reason = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise InputError(f"{path}: not a readable .docx (truncated or damaged: {reason})") from None
    body = document.element.body
    if body.getroottree().docinfo.internalDTD is not None:
        raise InputError(f"{path}: not a readable .docx (its XML declares a DTD with entities, "
                         "which Word never writes; refused)")
    lines = []
    for block in body.iterchildren(_P, _TBL):
        if block.tag == _P:
            lines.append("".join(t.text or "" for t in block.iter(_T)))
        else:
            for row in block.iter(_TR):
                cells = ["".join(t.text or "" for t in cell.iter(_T)) for cell in row.iterchildren(_TC)]
                lines.append("\t".join(cells))
    text = "\n\n".join(line for line in lines if line.strip())
    check_text(path, text, "document")
    props = document.core_properties
    yield RawDoc(doc_id=path.name, path=str(path), text=text,
                 meta=doc_meta(path, "docx", title=props.title or None,
                               date=props.created.date().isoformat() if props.created else None))


def _check_expanded_size(path: Path, data: bytes, limit: int) -> None:
    """InputError when the parts of the zip ``data`` declare more than ``limit`` bytes
    unpacked (a decompression bomb) or the zip cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as err:
        raise InputError(f"{path}: not a readable .docx (truncated or damaged: {err})") from None
    if expanded > limit:
        raise InputError(f"{path}: unpacks to {mb(expanded)}, over the size limit of {mb(limit)}; "
                         "raise it with --max-bytes if the document is real")
