"""Word ``.docx`` files through python-docx: paragraphs and table cells in body order,
one paragraph per line, a blank line between paragraphs so headings stay lines of
their own."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, check_text, doc_meta, read_bytes


def read_docx(path: Path, options: ReadOptions) -> Iterator[RawDoc]:
    data = read_bytes(path, options)
    if not data:
        raise InputError(f"{path}: empty file")
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as err:  # a dependency of the package; only a broken install lacks it
        raise InputError(f"{path}: reading .docx needs python-docx (pip install python-docx)") from err
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as err:
        raise InputError(f"{path}: not a readable .docx (truncated or damaged: {err})") from None
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = ["".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t"))
                             for cell in row.iterchildren() if cell.tag.endswith("}tc")]
                    lines.append("\t".join(cells))
    text = "\n\n".join(line for line in lines if line.strip())
    check_text(path, text, "document")
    props = document.core_properties
    yield RawDoc(doc_id=path.name, path=str(path), text=text,
                 meta=doc_meta(path, "docx", title=props.title or None,
                               date=props.created.date().isoformat() if props.created else None))
