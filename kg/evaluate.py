"""Compare extraction with gold files, as section 5 of the guidelines says.

Names are compared after light normalisation (NFKC; spaces and quotation or title
marks removed). An output entity matches a gold entity of the same type whose name or
any ``accept`` form it equals; a relation matches when its type and both ends match
(ends matched as entities are; cooperates_with in either direction); the title of
holds_position is scored on its own. Counts are summed over documents.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .labels import ENTITY_TYPES, RELATION_TYPES, SYMMETRIC_RELATIONS
from .types import DocResult

_DROP = re.compile(r"[\s“”‘’「」《》\"'『』]")


def norm(name: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass
class Scores:
    """True positives, predicted and gold counts per key (type or 'overall')."""

    tp: Counter = field(default_factory=Counter)
    pred: Counter = field(default_factory=Counter)
    gold: Counter = field(default_factory=Counter)

    def prf(self, key: str) -> tuple[float, float, float]:
        p = self.tp[key] / self.pred[key] if self.pred[key] else 0.0
        r = self.tp[key] / self.gold[key] if self.gold[key] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def add(self, other: "Scores") -> None:
        self.tp.update(other.tp)
        self.pred.update(other.pred)
        self.gold.update(other.gold)


def result_to_gold_shape(result: DocResult) -> dict:
    """A DocResult in the shape of a gold file (what ``kg extract`` writes)."""
    entities = []
    for e in result.entities:
        item = {"type": e.type, "name": e.name, "aliases": list(e.aliases), "confidence": e.confidence}
        for key in ("level", "kind", "code"):
            if e.attrs.get(key):
                item[key] = e.attrs[key]
        if e.scope:
            item["scope"] = e.scope
        item["mentions"] = [{"text": m.text, "start": m.raw_start, "end": m.raw_end, "sentence": m.sentence,
                             "source": m.source, "score": m.score} for m in e.mentions]
        entities.append(item)
    relations = []
    for r in result.relations:
        item = {"type": r.type, "from": r.source[1], "to": r.target[1]}
        if r.title:
            item["title"] = r.title
        if r.role:
            item["role"] = r.role
        item.update({"evidence": r.evidence, "sentence": r.sentence, "start": r.raw_start, "end": r.raw_end,
                     "confidence": r.confidence, "rule": r.rule})
        relations.append(item)
    out = {"doc": result.doc_id, "jurisdiction": result.jurisdiction, "meta": dict(result.meta),
           "entities": entities, "relations": relations}
    if result.dropped:  # kg extract --explain
        out["dropped"] = [{"text": m.text, "type": m.label, "start": m.raw_start, "end": m.raw_end,
                           "sentence": m.sentence, "score": round(m.score, 3), "step": m.source,
                           "reason": m.attrs.get("reason", "")} for m in result.dropped]
    return out


def load_gold(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: not a readable gold file: {err}") from err
    for key in ("doc", "entities", "relations"):
        if key not in data:
            raise InputError(f"{path}: gold file has no {key!r} field")
    return data


def _count(scores: Scores, gold_keys: set, pred_keys: set, types) -> None:
    """Add true positives, predictions and gold items per type (keys start with the type)."""
    for t in types:
        g = {k for k in gold_keys if k[0] == t}
        p = {k for k in pred_keys if k[0] == t}
        scores.tp[t] += len(g & p)
        scores.pred[t] += len(p)
        scores.gold[t] += len(g)


def score_document(pred: dict, gold: dict, min_confidence: float = 0.0) -> tuple[Scores, Scores, Scores]:
    """(entity scores, relation scores, title scores) of one document."""
    ents, rels, titles = Scores(), Scores(), Scores()
    gold_forms: dict[tuple[str, str], str] = {}  # (type, normalised form) -> gold canonical
    for g in gold["entities"]:
        for form in [g["name"], *g.get("accept", [])]:
            gold_forms.setdefault((g["type"], norm(form)), norm(g["name"]))
    gold_keys = {(g["type"], norm(g["name"])) for g in gold["entities"]}
    pred_keys = set()
    for e in pred["entities"]:
        if e.get("confidence", 1.0) < min_confidence:
            continue
        form = (e["type"], norm(e["name"]))
        pred_keys.add((e["type"], gold_forms.get(form, form[1])))
    _count(ents, gold_keys, pred_keys, ENTITY_TYPES)

    def end(name: str) -> str:
        n = norm(name)
        for t in ENTITY_TYPES:
            if (t, n) in gold_forms:
                return gold_forms[(t, n)]
        return n

    def rel_key(r: dict) -> tuple[str, str, str]:
        a, b = end(r["from"]), end(r["to"])
        if r["type"] in SYMMETRIC_RELATIONS:
            a, b = sorted((a, b))
        return r["type"], a, b

    gold_rels = {rel_key(r): r for r in gold["relations"]}
    pred_rels = {}
    for r in pred["relations"]:
        if r.get("confidence", 1.0) >= min_confidence:
            pred_rels.setdefault(rel_key(r), r)
    _count(rels, set(gold_rels), set(pred_rels), RELATION_TYPES)
    for k in set(gold_rels) & set(pred_rels):
        if k[0] == "holds_position":
            titles.gold["title"] += 1
            titles.pred["title"] += 1
            titles.tp["title"] += norm(gold_rels[k].get("title", "")) == norm(pred_rels[k].get("title", ""))
    for s in (ents, rels):
        for c in (s.tp, s.pred, s.gold):
            c["overall"] = sum(v for k, v in c.items() if k != "overall")
    return ents, rels, titles


def format_scores(name: str, scores: Scores, keys) -> list[str]:
    lines = [f"{name:<22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'pred':>6}{'gold':>6}"]
    for k in [*keys, "overall"]:
        p, r, f = scores.prf(k)
        lines.append(f"  {k:<20}{p:7.3f}{r:7.3f}{f:7.3f}{scores.tp[k]:6d}{scores.pred[k]:6d}{scores.gold[k]:6d}")
    return lines


def jieba_baseline(text: str) -> dict:
    """The obvious baseline: jieba's POS tags taken as entities (nr -> Person,
    ns -> Place, nt -> Agency), no relations. Printed beside our figures."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tags = {"nr": "Person", "ns": "Place", "nt": "Agency"}
    names = {(tags[p.flag], p.word) for p in jieba.posseg.cut(text) if p.flag in tags}
    return {"entities": [{"type": t, "name": n} for t, n in sorted(names)], "relations": []}
