"""Document-level cross-validation of the pipeline, and training of the shipped model.

Everything fitted on annotated documents is fitted on the other folds and scored on
the held fold, through the same pipeline and scorer as ``kg eval``: the figure it
prints is what a document the model never saw gets. Extra training documents (our own
annotations of other texts, ``training/gold/``) join every fold's training side and
are never scored.

    kg eval --gold GOLD_DIR --docs DOCS_DIR --cv 4 [--extra ANNOTATIONS_DIR:TEXTS_DIR]
    kg train --gold GOLD_DIR --docs DOCS_DIR [--extra ...] -o MODEL_FILE
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..clean import clean
from ..errors import InputError
from ..evaluate import Scores, load_gold, result_to_gold_shape, score_document
from ..read import read_doc
from .projection import gold_spans
from .tagger import Example, SpanTagger, spans_to_tags, train


@dataclass
class AnnotatedDoc:
    """A document with its gold file, its features and the projected tags."""

    doc_id: str
    path: Path
    gold: dict
    example: Example


def annotated_pairs(gold_dir: Path, docs_dir: Path) -> list[tuple[Path, Path]]:
    """(gold file, document) pairs of a gold folder; a gold file whose document is
    missing is reported on stderr and left out."""
    gold_files = sorted(Path(gold_dir).rglob("*.json"))
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


def prepare(pairs: Iterable[tuple[Path, Path]], nlp, progress: Callable = iter) -> list[AnnotatedDoc]:
    """Run the pipeline without the learned tagger on each document: its features and
    the gold spans projected onto its cleaned text."""
    from ..extract.components import FEATURES_KEY
    from ..pipeline import process_raw

    learned = nlp.get_pipe("kg_learned")
    saved = learned.tagger, learned.keep_features
    learned.tagger, learned.keep_features = None, True
    out = []
    try:
        for gf, path in progress(list(pairs)):
            gold = load_gold(gf)
            raw = read_doc(path)
            result = process_raw(raw, nlp)
            cleaned = clean(raw)
            feats = nlp(cleaned.text).user_data[FEATURES_KEY]
            tags = spans_to_tags(len(cleaned.text), gold_spans(cleaned.text, gold, result.entities))
            out.append(AnnotatedDoc(gold["doc"], Path(path), gold, Example(feats, tags, cleaned.text)))
    finally:
        learned.tagger, learned.keep_features = saved
    return out


def folds_of(docs: list[AnnotatedDoc], k: int) -> list[list[AnnotatedDoc]]:
    """``k`` folds, documents dealt round-robin in name order (deterministic)."""
    ordered = sorted(docs, key=lambda d: d.doc_id)
    return [ordered[i::k] for i in range(k)]


def score(docs: list[AnnotatedDoc], nlp, tagger: SpanTagger | None) -> tuple[Scores, Scores, dict]:
    """Entity and relation scores of the pipeline with ``tagger`` on ``docs``, and the
    per-document (entity F1, relation F1)."""
    from ..pipeline import process_path

    learned = nlp.get_pipe("kg_learned")
    saved = learned.tagger
    learned.tagger = tagger
    ents, rels, per_doc = Scores(), Scores(), {}
    try:
        for d in docs:
            pred = result_to_gold_shape(process_path(d.path, nlp))
            e, r, _ = score_document(pred, d.gold)
            ents.add(e), rels.add(r)
            per_doc[d.doc_id] = (e.prf("overall")[2], r.prf("overall")[2])
    finally:
        learned.tagger = saved
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
        train_docs = [d for j, f in enumerate(folds) if j != i for d in f] + extra
        tagger = train([d.example for d in train_docs], params)
        ents, rels, per_doc = score(held, nlp, tagger)
        report.folds.append(([d.doc_id for d in held], ents, rels))
        report.total_ents.add(ents)
        report.total_rels.add(rels)
        report.per_doc.update(per_doc)
    return report


def load_extra(spec: str) -> list[tuple[Path, Path]]:
    """``ANNOTATIONS_DIR:TEXTS_DIR`` (or one folder holding both) -> (gold, text) pairs."""
    ann, _, texts = spec.partition(":")
    return annotated_pairs(Path(ann), Path(texts or ann))


def write_model(tagger: SpanTagger, out: Path, meta: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tagger.save(out)
    out.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
