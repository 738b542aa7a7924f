"""A maximum-entropy (multinomial logistic) classifier, trained and run by CRFsuite.

A maximum-entropy classifier is a linear-chain CRF over sequences of one item, so
CRFsuite, a maintained C library with an L-BFGS trainer and elastic-net
regularisation, trains and runs it: no second learning library, and a model is one
small file. Features are strings (each present feature has weight 1).
"""
from __future__ import annotations

import os
import tempfile
from typing import Sequence

#: CRFsuite parameters (L-BFGS, elastic net), chosen once by cross-validation.
PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 200}


class Classifier:
    """Probabilities of each label given a list of feature strings."""

    def __init__(self, model_bytes: bytes):
        import pycrfsuite

        self.model_bytes = model_bytes
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model_bytes)
        self.labels = tuple(self._tagger.labels())

    def save(self, path) -> None:
        with open(path, "wb") as handle:
            handle.write(self.model_bytes)

    def probabilities(self, features: list[str]) -> dict[str, float]:
        self._tagger.set([features])
        return {label: self._tagger.marginal(label, 0) for label in self.labels}




def train_classifier(items: Sequence[tuple[list[str], str]], params: dict | None = None) -> Classifier:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, label in items:
        trainer.append([feats], [label])
    trainer.set_params({**PARAMS, **(params or {})})
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.crfsuite")
        trainer.train(path)
        with open(path, "rb") as handle:
            return Classifier(handle.read())
