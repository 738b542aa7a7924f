"""The learned span tagger: a linear-chain CRF (CRFsuite) over ``kg.learn.features``.

Trained on annotated documents (gold names projected onto the text,
``kg.learn.projection``); predicts spans of the five entity types with a score, the
lowest marginal probability of the predicted tag over the span. Sequences are the
chunks the NER cuts (sentences, at most 200 characters), so a document of any length
costs time linear in its length.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..ner import chunk_text

#: Entity types the tagger learns (Title stays with the rules and the NER).
TYPES = ("Person", "Agency", "Place", "Initiative", "Event")

#: CRFsuite training parameters (L-BFGS with elastic net): chosen once by
#: cross-validation over the gold documents (``kg eval --cv``), not per fold.
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


@dataclass(frozen=True)
class Example:
    """One document's features and its tags (``O``, ``B-Type``, ``I-Type``) per character."""

    features: list[list[str]]
    tags: list[str]
    text: str


def spans_to_tags(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags of non-overlapping spans over ``n`` characters."""
    tags = ["O"] * n
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def tags_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans of a BIO tag sequence (an I- without its B- starts a span)."""
    spans, start, label = [], None, None
    for i, t in enumerate([*tags, "O"]):
        if t.startswith("I-") and label == t[2:]:
            continue
        if start is not None:
            spans.append((start, i, label))
            start, label = None, None
        if t != "O":
            start, label = i, t[2:]
    return spans


def _chunks(text: str) -> list[tuple[int, int]]:
    return chunk_text(text)


class SpanTagger:
    """A trained CRF; ``predict`` gives (start, end, label, score) over a document."""

    def __init__(self, model_bytes: bytes):
        import pycrfsuite

        self.model_bytes = model_bytes
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model_bytes)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "SpanTagger":
        with open(path, "rb") as handle:
            return cls(handle.read())

    def save(self, path: str | os.PathLike) -> None:
        with open(path, "wb") as handle:
            handle.write(self.model_bytes)

    def predict(self, text: str, features: list[list[str]]) -> list[tuple[int, int, str, float]]:
        out = []
        for s, e in _chunks(text):
            tags = self._tagger.tag(features[s:e])
            for a, b, label in tags_to_spans(tags):
                score = min(self._tagger.marginal(tags[i], i) for i in range(a, b))
                out.append((s + a, s + b, label, float(score)))
        return out


def train(examples: Sequence[Example], params: dict | None = None) -> SpanTagger:
    """Fit a CRF on the examples' chunks; returns the tagger (nothing written to disk
    but a temporary model file CRFsuite needs)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for ex in examples:
        for s, e in _chunks(ex.text):
            trainer.append(ex.features[s:e], ex.tags[s:e])
    trainer.set_params({**PARAMS, **(params or {})})
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.crfsuite")
        trainer.train(path)
        with open(path, "rb") as handle:
            return SpanTagger(handle.read())
