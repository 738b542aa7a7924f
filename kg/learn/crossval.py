"""Document-level cross-validation of the pipeline, and training of the shipped model.

Everything fitted on annotated documents (the span classifier of ``select``) is fitted
on the other folds and scored on the held fold, through the same pipeline and scorer
as ``kg eval``: the figure it prints is what a document the model never saw gets.
Extra training documents (our own annotations of other texts, ``training/gold/``)
join every fold's training side and are never scored.

    kg eval --gold GOLD_DIR --docs DOCS_DIR --cv 4 [--extra ANNOTATIONS_DIR:TEXTS_DIR]
    kg train --gold GOLD_DIR --docs DOCS_DIR [--extra ...] -o MODEL_FILE
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..clean import clean
from ..errors import InputError
from ..evaluate import Scores, load_gold, result_to_gold_shape, score_document
from ..read import read_doc
from .projection import gold_occurrences
from .select import SpanClassifier, candidate_pool, pool_features, pool_labels, train_classifier


@dataclass
class AnnotatedDoc:
    """A document with its gold file, what the rules and the NER proposed on its
    cleaned text, and the gold spans projected onto that text."""

    doc_id: str
    path: Path
    gold: dict
    text: str
    rules: list = field(default_factory=list)  # (start, end, label, source)
    ner: list = field(default_factory=list)  # (start, end, label, "ner")
    spans: list = field(default_factory=list)  # (start, end, type) of every gold occurrence, nested too
    domain: str = "gold"  # "gold" for the scored documents, "extra" for training-only ones

    def training_items(self) -> list[tuple[list[str], str]]:
        """(features, label) of every span of the document's candidate pool."""
        pool = candidate_pool(self.text, self.rules, self.ner)
        return list(zip(pool_features(self.text, pool), pool_labels(pool, self.spans)))


def annotated_pairs(gold_dir: Path, docs_dir: Path) -> list[tuple[Path, Path]]:
    """(gold file, document) pairs of a gold folder; a gold file whose document is
    missing is reported on stderr and left out."""
    gold_files = sorted(Path(gold_dir).glob("*.json"))
    if not gold_files:
        raise InputError(f"{gold_dir}: no gold files (*.json) found")
    pairs = []
    for gf in gold_files:
        gold = load_gold(gf)
        doc = Path(docs_dir) / gold["doc"]
        if doc.exists():
            pairs.append((gf, doc))
        else:
            print(f"skipped: {doc}: document of gold file {gf.name} not found", file=sys.stderr)
    return pairs


def prepare(pairs: Iterable[tuple[Path, Path]], nlp, progress: Callable = iter,
            domain: str = "gold") -> list[AnnotatedDoc]:
    """Run the pipeline without the learned classifier on each document and keep
    what it needs to learn from: the proposals and the projected gold spans."""
    from ..extract.components import NER_RAW_KEY, RULES_KEY
    from ..pipeline import process_raw

    learned = nlp.get_pipe("kg_learned")
    saved, learned.classifier = learned.classifier, None
    out = []
    try:
        for gf, path in progress(list(pairs)):
            gold = load_gold(gf)
            raw = read_doc(path)
            result = process_raw(raw, nlp)
            text = clean(raw).text
            doc = nlp(text)
            rules = [(c.start, c.end, c.label, c.source) for c in doc.user_data.get(RULES_KEY, [])]
            ner = [(s, e, label, "ner") for s, e, label, _ in doc.user_data.get(NER_RAW_KEY, [])]
            # the surface strings of our own annotations are not used: the dev gold has
            # none, and projecting them (全国, 我国 as 中国) would teach another convention
            spans = gold_occurrences(text, gold, result.entities, use_surface=False)
            out.append(AnnotatedDoc(gold["doc"], Path(path), gold, text, rules, ner, spans, domain))
    finally:
        learned.classifier = saved
    return out


def train(docs: Iterable[AnnotatedDoc], params: dict | None = None) -> SpanClassifier:
    """The span classifier fitted on the documents' candidate pools."""
    return train_classifier([item for d in docs for item in d.training_items()], params)


def folds_of(docs: list[AnnotatedDoc], k: int) -> list[list[AnnotatedDoc]]:
    """``k`` folds, documents dealt round-robin in name order (deterministic)."""
    ordered = sorted(docs, key=lambda d: d.doc_id)
    return [ordered[i::k] for i in range(k)]


def score(docs: list[AnnotatedDoc], nlp, classifier: SpanClassifier | None) -> tuple[Scores, Scores, dict]:
    """Entity and relation scores of the pipeline with ``classifier`` on ``docs``, and
    the per-document (entity F1, relation F1)."""
    from ..pipeline import process_path

    learned = nlp.get_pipe("kg_learned")
    saved, learned.classifier = learned.classifier, classifier
    ents, rels, per_doc = Scores(), Scores(), {}
    try:
        for d in docs:
            pred = result_to_gold_shape(process_path(d.path, nlp))
            e, r, _ = score_document(pred, d.gold)
            ents.add(e), rels.add(r)
            per_doc[d.doc_id] = (e.prf("overall")[2], r.prf("overall")[2])
    finally:
        learned.classifier = saved
    return ents, rels, per_doc


@dataclass
class CVReport:
    folds: list[tuple[list[str], Scores, Scores]]
    total_ents: Scores
    total_rels: Scores
    per_doc: dict


def cross_validate(docs: list[AnnotatedDoc], extra: list[AnnotatedDoc], nlp, k: int,
                   params: dict | None = None) -> CVReport:
    folds = folds_of(docs, k)
    report = CVReport([], Scores(), Scores(), {})
    for i, held in enumerate(folds):
        classifier = train([d for j, f in enumerate(folds) if j != i for d in f] + extra, params)
        ents, rels, per_doc = score(held, nlp, classifier)
        report.folds.append(([d.doc_id for d in held], ents, rels))
        report.total_ents.add(ents)
        report.total_rels.add(rels)
        report.per_doc.update(per_doc)
    return report


def load_extra(spec: str) -> list[tuple[Path, Path]]:
    """``ANNOTATIONS_DIR:TEXTS_DIR`` (or one folder holding both) -> (gold, text) pairs."""
    ann, _, texts = spec.partition(":")
    return annotated_pairs(Path(ann), Path(texts or ann))


def write_model(classifier: SpanClassifier, out: Path, meta: dict) -> None:
    """The model file and, beside it, a JSON record of what it was trained on."""
    out.parent.mkdir(parents=True, exist_ok=True)
    classifier.save(out)
    out.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
