"""Settle overlapping candidates from rules and the statistical NER into mentions.

Policy, in order:
- rules are trusted over the model where both speak; the model adds people,
  places and agencies no rule found;
- nested agencies sharing a start (晋中市委 / 晋中市委组织部) are all kept, since
  the nesting is itself a fact (sub_organization_of);
- a place or person inside an agency or event name is kept (its jurisdiction, the
  person a studio is named after), a person only at the start of the name or right
  after an agency or place in it; inside an initiative name only a gazetteer place or
  a named venue that begins it is kept (柳林湖湿地公园 in 柳林湖湿地公园项目);
- a title inside an agency name (常委 in 人大常委会) is dropped;
- otherwise, of two overlapping spans of the same family the longer wins, then the
  higher score.

Overlaps are looked up in a :class:`SpanIndex` (candidates by the blocks of text they
cover), so merging costs time in proportion to the number of candidates, not its square:
a document of a few hundred thousand characters holds thousands of them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Iterable, Iterator

from ..labels import MentionType
from .candidates import Candidate

A, P, PL, I, E, T = (MentionType.AGENCY.value, MentionType.PERSON.value, MentionType.PLACE.value,
                     MentionType.INITIATIVE.value, MentionType.EVENT.value, MentionType.TITLE.value)


def _inside(a: Candidate, b: Candidate) -> bool:
    return b.start <= a.start and a.end <= b.end and (a.start, a.end) != (b.start, b.end)


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


class SpanIndex:
    """Candidates indexed by the ``BLOCK``-character blocks of text they cover: those
    near a span are found without looking at the others. Candidates come out in the
    order they were added."""

    BLOCK = 64

    def __init__(self, cands: Iterable[Candidate] = ()) -> None:
        self._blocks: dict[int, list[tuple[int, Candidate]]] = defaultdict(list)
        self._added = 0
        for c in cands:
            self.add(c)

    def add(self, c: Candidate) -> None:
        for block in range(c.start // self.BLOCK, max(c.start, c.end - 1) // self.BLOCK + 1):
            self._blocks[block].append((self._added, c))
        self._added += 1

    def near(self, start: int, end: int) -> Iterator[Candidate]:
        """Every candidate that shares a block with ``[start, end)`` (a superset of those
        overlapping it), each once."""
        found: dict[int, Candidate] = {}
        for block in range(start // self.BLOCK, max(start, end - 1) // self.BLOCK + 1):
            for n, c in self._blocks.get(block, ()):
                found.setdefault(n, c)
        return (found[n] for n in sorted(found))

    def overlapping(self, c: Candidate) -> list[Candidate]:
        return [k for k in self.near(c.start, c.end) if _overlap(c, k)]


def merge(rule_cands: list[Candidate], model_cands: list[Candidate],
          learned: list[Candidate] = ()) -> list[Candidate]:
    """The final, consistent candidate list, sorted by position. ``learned``: spans the
    classifier learned from annotated documents added (``kg.learn.select``), most
    probable first; they fill what no rule covers."""
    cands = _dedupe(rule_cands)
    index = SpanIndex(cands)

    def take(c: Candidate) -> None:
        cands.append(c)
        index.add(c)

    for c in learned:
        if not index.overlapping(c):
            take(c)
    for m in model_cands:
        if m.label == T:
            if not index.overlapping(m):
                take(m)
            continue
        clash = index.overlapping(m)
        if not clash:
            take(m)
        elif m.label == P and all(c.label in (A, E, I) and _inside(m, c) for c in clash) \
                and _name_slot(m, clash, index):
            take(m)  # a name inside an agency/initiative name: 李红梅创新工作室
    spans = SpanIndex(c for c in cands if c.label in (A, E, I))
    cands = [_after_agency(c, spans) if c.label == T else c for c in cands]
    people = SpanIndex(c for c in cands if c.label == P)
    result = []
    for c in cands:
        if c.label == T and any(s.label == A and s.start <= c.start and c.end <= s.end
                                for s in spans.near(c.start, c.end)):
            continue
        if c.label == PL and c.source != "rule:gazetteer" and any(
                s.label == I and _inside(c, s) and not (c.source == "rule:venue" and s.start == c.start)
                for s in spans.near(c.start, c.end)):
            continue
        if c.label == PL and people.overlapping(c):
            continue  # 静宁 in 冯静宁
        result.append(c)
    result = _resolve_same_family(result)
    return sorted(result, key=lambda c: (c.start, -c.end))


def _name_slot(person: Candidate, containers: list[Candidate], cands: SpanIndex) -> bool:
    """Whether a person's name can stand where the model found one inside longer names:
    at the start of one (李红梅工作法) or right after an agency or place inside it
    (河东机械集团李红梅创新工作室), not amid ordinary words (农村林地经营权改革: 林地 is no name)."""
    return (any(c.start == person.start for c in containers)
            or any(c.end == person.start and c.label in (A, PL)
                   for c in cands.near(max(person.start - 1, 0), person.start)))


def _after_agency(title: Candidate, spans: SpanIndex) -> Candidate:
    """A title that begins inside an agency name and runs past it (东山村党总支 +
    党总支书记) starts where the agency ends: 书记."""
    ends = [s.end for s in spans.near(title.start, title.end) if s.label == A and s.start <= title.start < s.end < title.end]
    if not ends:
        return title
    return replace(title, start=max(ends))


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    best: dict[tuple[int, int, str], Candidate] = {}
    for c in cands:
        key = (c.start, c.end, c.label)
        if key not in best or c.score > best[key].score:
            best[key] = c
    return list(best.values())


_FAMILY = {A: "name", E: "name", I: "name", P: "person", PL: "place", T: "title"}


def _resolve_same_family(cands: list[Candidate]) -> list[Candidate]:
    """Among overlapping spans of one family, keep the longest (nested agencies kept)."""
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), -c.score))
    kept: list[Candidate] = []
    index = SpanIndex()
    for c in ordered:
        fam = _FAMILY.get(c.label, c.label)
        conflict = False
        for k in index.near(c.start, c.end):
            if _FAMILY.get(k.label, k.label) != fam or not _overlap(c, k):
                continue
            if c.label == k.label and c.label in (A, PL) and c.start == k.start:
                continue  # nested names: 晋中市委 in 晋中市委组织部, 工人文化宫 in 工人文化宫体育活动中心
            if c.label == k.label == PL and (c.source == "rule:venue") != (k.source == "rule:venue") \
                    and (_inside(c, k) or _inside(k, c)):
                continue  # a river inside a zone named after it: 汾河 in 汾河百公里中游示范区
            if fam == "name" and c.label != k.label and _inside(c, k):
                continue  # an event inside an initiative name and the like
            conflict = True
            break
        if not conflict:
            kept.append(c)
            index.add(c)
    return kept
