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
