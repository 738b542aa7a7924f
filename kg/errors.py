"""Errors the tool reports to users. Every message says what failed, on which value,
and how to fix it; the CLI turns a KGError into its message and an exit status."""
from __future__ import annotations


class KGError(Exception):
    """Base class of all errors the tool reports to the user."""


class InputError(KGError, ValueError):
    """A document or path the user gave cannot be read (missing, empty, not text)."""


class ResourceError(KGError):
    """A data file shipped with the package (gazetteer, patterns, model) is bad."""


class ConfigError(KGError, ValueError):
    """A setting or argument has a value the tool cannot use."""


class ExtractionError(KGError):
    """Extraction failed on a document for a reason other than its input."""


class QueryError(KGError, ValueError):
    """A SPARQL query or its graph file cannot be used."""


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: control characters (line breaks,
    terminal escape sequences), format characters (bidi overrides), line separators and
    the bytes of a file name that were not UTF-8 (lone surrogates, as Python reads
    them) are shown escaped (``\\n``, ``\\x1b``, ``\\u202e``, ``\\xff``) instead of acting
    on the terminal or starting a line of their own."""
    if text.isprintable():
        return text
    import unicodedata

    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
