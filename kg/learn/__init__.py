"""Components learned from annotated documents, and their honest measurement.

- ``select``: a classifier over the spans the rules, the NER and quotations propose,
  which says which are names and of what type;
- ``relations``: a classifier over pairs of names in one sentence (involved_in,
  sub_organization_of);
- ``maxent``: the classifier both use (CRFsuite);
- ``projection``: gold files (names without offsets) -> training spans;
- ``crossval``: document-level cross-validation of the whole pipeline with the
  learned parts fitted on the other folds (``kg eval --cv``), and training
  (``kg train``).

No model ships: cross-validated on the 16 dev-gold documents, neither beats the rules
by more than the noise of 16 documents (docs/evaluation.md). ``kg train`` writes a
model folder and ``kg --learned-model DIR`` uses it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4)
def load_models(folder: str | None = None):
    """The models in ``folder`` (what ``kg train`` wrote); an empty ``LearnedModels``
    when no folder is given."""
    from ..errors import ConfigError
    from .crossval import RELATIONS_FILE, SPANS_FILE, LearnedModels
    from .maxent import Classifier

    models = LearnedModels()
    if not folder:
        return models
    path = Path(folder)
    if not path.is_dir():
        raise ConfigError(f"learned model {folder}: not a folder kg train wrote")
    for name, attr in ((SPANS_FILE, "spans"), (RELATIONS_FILE, "relations")):
        if (path / name).is_file():
            try:
                setattr(models, attr, Classifier((path / name).read_bytes()))
            except Exception as err:  # CRFsuite says only "Invalid model"
                raise ConfigError(f"learned model {path / name}: not a model kg train wrote ({err})") from err
    if models.spans is None and models.relations is None:
        raise ConfigError(f"learned model {folder}: holds neither {SPANS_FILE} nor {RELATIONS_FILE}")
    return models
