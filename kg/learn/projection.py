"""Annotated documents -> training spans on the cleaned text.

Gold files list each entity once under its canonical name, without offsets
(guidelines, section 4). The spans a tagger learns from are found two ways:

- every occurrence of the entity's name, its ``accept`` forms and, in our own
  training annotations, its ``surface`` forms (the strings the annotator saw);
- every mention the pipeline resolved to that canonical name: this is how a
  relative form (市总工会 in a 晋中 document, written 晋中市总工会 in the gold) gets its
  span. The gold decides what is an entity; the pipeline only says where a name it
  agrees on stands.

Where spans overlap, the longer one is kept (one layer of BIO tags; nested names
such as the place inside an agency stay with the rules).
"""
from __future__ import annotations

from ..evaluate import norm
from ..types import Entity
from .select import TYPES


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    out, pos = [], text.find(form)
    while form and pos >= 0:
        out.append((pos, pos + len(form)))
        pos = text.find(form, pos + 1)
    return out


def gold_occurrences(text: str, gold: dict, predicted: tuple[Entity, ...] | list[Entity] = (),
                     use_surface: bool = True) -> list[tuple[int, int, str]]:
    """Every (start, end, type) span of a gold entity in ``text``, nested ones too
    (the place inside an agency name)."""
    forms: dict[str, str] = {}  # normalised form -> type
    candidates: list[tuple[int, int, str]] = []
    for g in gold.get("entities", []):
        if g.get("type") not in TYPES:
            continue
        names = [g.get("name", ""), *g.get("accept", [])]
        if use_surface:
            names += g.get("surface", [])
        for name in names:
            if not name:
                continue
            forms.setdefault(norm(name), g["type"])
            if len(name) >= 2:  # a one-character form (日 for 日本) is found through mentions only
                candidates += [(s, e, g["type"]) for s, e in _occurrences(text, name)]
    for ent in predicted:
        gtype = forms.get(norm(ent.name))
        if gtype is None:
            continue
        for m in ent.mentions:
            if 0 <= m.start < m.end <= len(text):
                candidates.append((m.start, m.end, gtype))
    return sorted(set(candidates))


def gold_spans(text: str, gold: dict, predicted: tuple[Entity, ...] | list[Entity] = (),
               use_surface: bool = True) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, type) spans of the gold entities in ``text``: of
    overlapping occurrences the longer is kept."""
    chosen: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for s, e, t in sorted(gold_occurrences(text, gold, predicted, use_surface), key=lambda c: (-(c[1] - c[0]), c[0])):
        if any(taken[s:e]):
            continue
        for i in range(s, e):
            taken[i] = True
        chosen.append((s, e, t))
    return sorted(chosen)
