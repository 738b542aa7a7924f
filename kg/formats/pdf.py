"""PDF files through pypdf: the text layer, page by page (a blank line between pages,
which cleaning joins when a sentence runs across). A PDF without a text layer (a scan)
is reported, not guessed at: OCR is out of scope."""
from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, doc_meta, read_bytes

log = logging.getLogger(__name__)


def read_pdf(path: Path, options: ReadOptions) -> Iterator[RawDoc]:
    data = read_bytes(path, options)
    if not data:
        raise InputError(f"{path}: empty file")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{path}: encrypted PDF; save an unencrypted copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputError(f"{path}: not a readable PDF (truncated or damaged: {err})") from None
    if not pages:
        raise InputError(f"{path}: PDF without pages")
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise InputError(f"{path}: no text layer (scanned?); run OCR first")
    title = None
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError):
        pass
    yield RawDoc(doc_id=path.name, path=str(path), text=text,
                 meta=doc_meta(path, "pdf", pages=len(pages), title=title))
