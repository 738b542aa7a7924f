"""PDF files through pypdf: the text layer, page by page (a blank line between pages,
which cleaning joins when a sentence runs across). A PDF without a text layer (a scan)
is reported, not guessed at: OCR is out of scope.

Every stream pypdf unpacks is held to ``--max-bytes`` (pypdf's own limits, set per
read), so a flate bomb is skipped with a reason. What pypdf says about a damaged file
it repairs goes to this module's log (shown with ``-v``), as one line naming the file.
"""
from __future__ import annotations

import io
import logging
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, doc_meta, mb, read_bytes

log = logging.getLogger(__name__)


def read_pdf(path: Path, options: ReadOptions) -> Iterator[RawDoc]:
    data = read_bytes(path, options)
    if not data:
        raise InputError(f"{path}: empty file")
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    limit = options.max_bytes
    try:
        with _pypdf_said(path), apply_configuration(
                maximum_declared_stream_length=limit, array_based_stream_maximum_output_length=limit,
                zlib_maximum_output_length=limit, lzw_maximum_output_length=limit,
                run_length_maximum_output_length=limit, brotli_maximum_output_length=limit,
                jbig2_maximum_output_length=limit, image_maximum_buffer_size=limit,
                stream_decoding_work_maximum_length=min(3 * limit, 300_000_000)):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(f"{path}: encrypted PDF; save an unencrypted copy first")
            pages = [page.extract_text() or "" for page in reader.pages]
    except LimitReachedError as err:
        if any(word in str(err).lower() for word in ("decompress", "output", "length", "buffer", "decoding")):
            raise InputError(f"{path}: a stream unpacks past the size limit of {mb(limit)} (a decompression "
                             "bomb?); raise --max-bytes if the PDF is real") from None
        raise InputError(f"{path}: not a readable PDF (past one of the reader's limits: {_first_line(err)})") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError) as err:
        raise InputError(f"{path}: not a readable PDF (truncated or damaged: {_first_line(err)})") from None
    if not pages:
        raise InputError(f"{path}: PDF without pages")
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise InputError(f"{path}: no text layer (scanned?); run OCR first")
    title = None
    try:
        title = reader.metadata.title if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        pass
    yield RawDoc(doc_id=path.name, path=str(path), text=text,
                 meta=doc_meta(path, "pdf", pages=len(pages), title=title))


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else type(err).__name__


@contextmanager
def _pypdf_said(path: Path):
    """Gather what pypdf logs and warns while reading ``path`` (repairs of a damaged
    xref, odd fonts) and log it as one line naming the file, at INFO: the console
    shows it with -v only, instead of unattributed WARNING lines."""
    said: list[str] = []

    class Gather(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = Gather(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        said.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        if said:
            unique = list(dict.fromkeys(m.strip().splitlines()[0] for m in said if m.strip()))
            log.info("%s: pypdf: %s%s", path, "; ".join(unique[:5]),
                     f" (and {len(unique) - 5} more)" if len(unique) > 5 else "")
