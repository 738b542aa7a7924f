"""A classifier over candidate pairs of one sentence, for the relations rules find least.

Every ordered pair of named mentions in a sentence whose types fit a relation
(an agency or person and an initiative or event: ``involved_in``; two agencies:
``sub_organization_of``) is a candidate. Its features are what a reader looks at:
the two types and their order, how far apart they stand and how many other actors
stand between, the words between them and the role verbs among them (the same verb
list the rules use), whether one name nests in the other, and whether a rule already
linked the pair. Trained on the gold relations of annotated documents (a pair is
positive when the gold links the two canonical names), it gives a probability; a
pair of entities is linked when one of its sentences gives at least the threshold.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..evaluate import norm
from ..labels import RelationType
from ..types import Mention, Relation, Segments
from .maxent import Classifier, train_classifier
from .select import NONE

A, P, I, E = "Agency", "Person", "Initiative", "Event"
#: relation -> (types of the first end, types of the second end)
PAIRS = {
    RelationType.INVOLVED_IN.value: ((A, P), (I, E)),
    RelationType.SUB_ORGANIZATION_OF.value: ((A,), (A,)),
}
MAX_GAP = 40  # characters between two mentions beyond which no candidate is made


@lru_cache(maxsize=1)
def _roles() -> dict[str, str]:
    from ..extract.initiatives import load_roles

    return load_roles()


def _words(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.cut(text, HMM=False) if w.strip()]


@dataclass(frozen=True)
class PairInstance:
    """One candidate: relation type, the two entity keys, the sentence, features."""

    rtype: str
    source: tuple
    target: tuple
    sentence: int
    features: tuple[str, ...]


def instances(mentions: list[Mention], names: dict[int, str], segments: Segments,
              rule_relations: Iterable[Relation]) -> list[PairInstance]:
    """Candidate pairs of every sentence of one document."""
    ruled = {(r.type, r.source, r.target) for r in rule_relations}
    by_sentence: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if names.get(i):
            by_sentence[m.sentence].append(i)
    text = segments.doc.text
    out = []
    for sent, idxs in by_sentence.items():
        actors = [i for i in idxs if mentions[i].label in (A, P)]
        sent_start = segments.sentences[sent].start
        first = min(mentions[i].start for i in idxs)
        for rtype, (left, right) in PAIRS.items():
            for i in idxs:
                if mentions[i].label not in left:
                    continue
                for j in idxs:
                    if i == j or mentions[j].label not in right:
                        continue
                    a, b = mentions[i], mentions[j]
                    src, tgt = (a.label, names[i]), (b.label, names[j])
                    if src == tgt:
                        continue
                    lo, hi = (a.end, b.start) if a.start < b.start else (b.end, a.start)
                    if hi - lo > MAX_GAP:
                        continue
                    feats = _features(text, a, b, names[i], names[j], sent_start, first, actors, mentions, lo, hi)
                    if (rtype, src, tgt) in ruled:
                        feats.append("rule")
                    out.append(PairInstance(rtype, src, tgt, sent, tuple(f"{rtype}:{f}" for f in feats)))
    return out


def _features(text, a: Mention, b: Mention, name_a: str, name_b: str, sent_start: int, first: int,
              actors: list[int], mentions: list[Mention], lo: int, hi: int) -> list[str]:
    gap = text[lo:hi] if hi > lo else ""
    f = ["bias", f"types={a.label}>{b.label}", f"order={'ab' if a.start < b.start else 'ba'}"]
    d = max(0, hi - lo)
    f.append("dist=" + next(label for limit, label in ((0, "0"), (2, "1-2"), (5, "3-5"), (10, "6-10"), (20, "11-20"))
                            if d <= limit) if d <= 20 else "dist=>20")
    if b.start <= a.start and a.end <= b.end:
        f.append("a-in-b")
    if a.start <= b.start and b.end <= a.end:
        f.append("b-in-a")
    if name_a.startswith(name_b) and name_a != name_b:
        f.append("b-prefix-of-a")
    if a.start == first:
        f.append("a-first")
    if a.start - sent_start <= 1:
        f.append("a-opens-sentence")
    between = sum(1 for k in actors if lo <= mentions[k].start and mentions[k].end <= hi)
    f.append(f"actors-between={min(between, 3)}")
    words = _words(gap)
    for w in words[:4] + words[-4:]:
        f.append(f"w={w}")
    roles = _roles()
    for w in words:
        if w in roles:
            f.append(f"verb={w}")
            f.append(f"role={roles[w]}")
    for mark in ("，", "由", "在", "和", "、", "与"):
        if mark in gap:
            f.append(f"has={mark}")
    f.append(f"before-a={text[max(0, a.start - 2):a.start]}")
    f.append(f"after-b={text[b.end:b.end + 2]}")
    return f


def instance_labels(insts: list[PairInstance], gold: dict) -> list[str]:
    """The relation type when the gold links the two canonical names, else ``O``."""
    forms: dict[str, str] = {}
    for g in gold.get("entities", []):
        for form in [g.get("name", ""), *g.get("accept", [])]:
            forms.setdefault(norm(form), norm(g.get("name", "")))
    canon = lambda name: forms.get(norm(name), norm(name))  # noqa: E731
    linked = {(r["type"], canon(r["from"]), canon(r["to"])) for r in gold.get("relations", [])}
    return [x.rtype if (x.rtype, canon(x.source[1]), canon(x.target[1])) in linked else NONE for x in insts]


def train_relations(items: Iterable[tuple[tuple[str, ...], str]], params: dict | None = None) -> Classifier:
    return train_classifier([(list(f), label) for f, label in items], params)


def predict(classifier: Classifier, insts: list[PairInstance], threshold: float) -> dict[tuple, tuple[float, int]]:
    """(rtype, source, target) -> (best probability, its sentence) for pairs at or above
    the threshold."""
    best: dict[tuple, tuple[float, int]] = {}
    for x in insts:
        p = classifier.probabilities(list(x.features)).get(x.rtype, 0.0)
        key = (x.rtype, x.source, x.target)
        if p >= threshold and p > best.get(key, (0.0, -1))[0]:
            best[key] = (p, x.sentence)
    return best
