"""Components learned from annotated documents, and their honest measurement.

- ``features``: per-character features (text, rule and NER proposals);
- ``tagger``: a CRF span tagger over them;
- ``projection``: gold files (names without offsets) -> training spans;
- ``crossval``: document-level cross-validation of the whole pipeline with the
  learned parts fitted on the other folds (``kg eval --cv``), and training of the
  shipped model (``kg train``).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

MODEL_PACKAGE = "kg.resources"
TAGGER_FILE = "models/learned/tagger.crfsuite"


@lru_cache(maxsize=1)
def load_shipped():
    """The shipped span tagger, or None when the package has no model file."""
    from .tagger import SpanTagger

    path = resources.files(MODEL_PACKAGE).joinpath(TAGGER_FILE)
    if not path.is_file():
        return None
    return SpanTagger(path.read_bytes())
