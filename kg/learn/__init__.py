"""Components learned from annotated documents, and their honest measurement.

- ``select``: a classifier over the spans the rules, the NER and quotations propose,
  which says which are names and of what type;
- ``projection``: gold files (names without offsets) -> training spans;
- ``crossval``: document-level cross-validation of the whole pipeline with the
  learned parts fitted on the other folds (``kg eval --cv``), and training of the
  shipped model (``kg train``).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

MODEL_PACKAGE = "kg.resources"
MODEL_FILE = "models/learned/select.crfsuite"


@lru_cache(maxsize=4)
def load_classifier(path: str | None = None):
    """The span classifier at ``path`` (a file ``kg train`` wrote), else the shipped
    one; None when no path is given and the package ships no model (the default:
    cross-validated, the classifier does not yet beat the rules alone, see
    docs/evaluation.md)."""
    from ..errors import ConfigError
    from .select import SpanClassifier

    if path:
        try:
            data = open(path, "rb").read()
        except OSError as err:
            raise ConfigError(f"learned model {path}: {err.strerror or err}") from err
    else:
        shipped = resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
        if not shipped.is_file():
            return None
        data = shipped.read_bytes()
    try:
        return SpanClassifier(data)
    except Exception as err:  # CRFsuite says only "invalid model"
        raise ConfigError(f"learned model {path or MODEL_FILE}: not a model kg train wrote ({err})") from err
