"""Document-level cross-validation of the pipeline, and training of the learned models.

Everything fitted on annotated documents (the span classifier of ``select``, the pair
classifier of ``relations``) is fitted on the other folds and scored on the held fold, through the same pipeline and scorer
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

from ..errors import InputError
from ..evaluate import Scores, load_gold, result_to_gold_shape, score_document
from ..read import read_doc
from .projection import gold_occurrences
from .relations import instance_labels, instances, train_relations
from .maxent import Classifier, train_classifier
from .select import candidate_pool, pool_features, pool_labels


@dataclass
class LearnedModels:
    """What ``kg train`` writes and ``kg --learned-model DIR`` reads: the span
    classifier and the relation pair classifier (either may be missing)."""

    spans: Classifier | None = None
    relations: Classifier | None = None

    def install(self, nlp) -> "LearnedModels":
        """Put the models into the pipeline's ``kg_learned`` component; returns what
        was there before."""
        component = nlp.get_pipe("kg_learned")
        before = LearnedModels(component.classifier, component.relations)
        component.classifier, component.relations = self.spans, self.relations
        return before


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
    relation_items: list = field(default_factory=list)  # (features, label) of the candidate pairs

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
    from ..pipeline import analyse

    saved = LearnedModels().install(nlp)
    out = []
    try:
        for gf, path in progress(list(pairs)):
            gold = load_gold(gf)
            raw = read_doc(path)
            analysis = analyse(raw, nlp)
            text = analysis.cleaned.text
            doc = nlp(text)
            rules = [(c.start, c.end, c.label, c.source) for c in doc.user_data.get(RULES_KEY, [])]
            ner = [(s, e, label, "ner") for s, e, label, _ in doc.user_data.get(NER_RAW_KEY, [])]
            # the surface strings of our own annotations are not used: the dev gold has
            # none, and projecting them (全国, 我国 as 中国) would teach another convention
            spans = gold_occurrences(text, gold, analysis.entities, use_surface=False)
            pairs_ = instances(analysis.mentions, analysis.names, analysis.segments, analysis.relations)
            rel_items = list(zip([x.features for x in pairs_], instance_labels(pairs_, gold)))
            out.append(AnnotatedDoc(gold["doc"], Path(path), gold, text, rules, ner, spans, domain, rel_items))
    finally:
        saved.install(nlp)
    return out


def train(docs: Iterable[AnnotatedDoc], which: str = "spans,relations") -> LearnedModels:
    """The learned models fitted on the documents: ``which`` names them (``spans``,
    ``relations``; a model with no positive example in the data is left out)."""
    docs = list(docs)
    models = LearnedModels()
    if "spans" in which:
        items = [item for d in docs for item in d.training_items()]
        if any(label != "O" for _, label in items):
            models.spans = train_classifier(items)
    if "relations" in which:
        items = [item for d in docs for item in d.relation_items]
        if any(label != "O" for _, label in items):
            models.relations = train_relations(items)
    return models


def folds_of(docs: list[AnnotatedDoc], k: int) -> list[list[AnnotatedDoc]]:
    """``k`` folds, documents dealt round-robin in name order (deterministic)."""
    ordered = sorted(docs, key=lambda d: d.doc_id)
    return [ordered[i::k] for i in range(k)]


def score(docs: list[AnnotatedDoc], nlp, models: LearnedModels) -> tuple[Scores, Scores, dict]:
    """Entity and relation scores of the pipeline with ``models`` on ``docs``, and the
    per-document (entity F1, relation F1)."""
    from ..pipeline import process_path

    saved = models.install(nlp)
    ents, rels, per_doc = Scores(), Scores(), {}
    try:
        for d in docs:
            pred = result_to_gold_shape(process_path(d.path, nlp))
            e, r, _ = score_document(pred, d.gold)
            ents.add(e), rels.add(r)
            per_doc[d.doc_id] = (e.prf("overall")[2], r.prf("overall")[2])
    finally:
        saved.install(nlp)
    return ents, rels, per_doc


@dataclass
class CVReport:
    folds: list[tuple[list[str], Scores, Scores]]
    total_ents: Scores
    total_rels: Scores
    per_doc: dict


def cross_validate(docs: list[AnnotatedDoc], extra: list[AnnotatedDoc], nlp, k: int,
                   which: str = "spans,relations") -> CVReport:
    folds = folds_of(docs, k)
    report = CVReport([], Scores(), Scores(), {})
    for i, held in enumerate(folds):
        models = train([d for j, f in enumerate(folds) if j != i for d in f] + extra, which)
        ents, rels, per_doc = score(held, nlp, models)
        report.folds.append(([d.doc_id for d in held], ents, rels))
        report.total_ents.add(ents)
        report.total_rels.add(rels)
        report.per_doc.update(per_doc)
    return report


def load_extra(spec: str) -> list[tuple[Path, Path]]:
    """``ANNOTATIONS_DIR:TEXTS_DIR`` (or one folder holding both) -> (gold, text) pairs."""
    ann, _, texts = spec.partition(":")
    return annotated_pairs(Path(ann), Path(texts or ann))


SPANS_FILE, RELATIONS_FILE, META_FILE = "spans.crfsuite", "relations.crfsuite", "training.json"


def write_models(models: LearnedModels, out: Path, meta: dict) -> None:
    """The model files in folder ``out`` and a JSON record of what they were trained on."""
    out.mkdir(parents=True, exist_ok=True)
    for model, name in ((models.spans, SPANS_FILE), (models.relations, RELATIONS_FILE)):
        if model is not None:
            model.save(out / name)
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
