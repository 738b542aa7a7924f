"""Learned selection of name spans: which proposed span is a name, and of what type.

The rule families and the NER propose spans; ``candidate_pool`` adds quotations (a
quoted short name such as “三线一单” is often a programme with no head noun after it)
with and without the words that follow them. A maximum-entropy classifier then reads
each span's features (who proposed it and with what label, its first and last
characters, the head noun it ends in, the words around it, whether it is quoted or a
common word) and gives a probability per type and for "no name". Trained on annotated
documents, it learns which proposals to trust where no hand-written filter could say:
generic reforms that rules read as programmes, model spans that the shape filters
dropped, quoted names with no head.

The classifier is ``kg.learn.maxent``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from ..lexicon import common_words, iter_lines, iter_tsv

NONE = "O"
TYPES = ("Person", "Agency", "Place", "Initiative", "Event")
_QUOTED = re.compile(r"[“「『《]([^“”「」『』《》\n]{1,30})[”」』》]")
_FOLLOW = 8  # characters after a quotation that may hold its head noun

@lru_cache(maxsize=1)
def head_pattern() -> re.Pattern[str]:
    """One regex over the head nouns of the rule data: initiative heads (I), event
    heads (E) and agency heads (A). A name of these kinds usually ends in one."""
    groups: dict[str, set[str]] = {"I": set(), "E": set(), "A": set()}
    for _, line in iter_lines("initiatives/heads.txt"):
        groups["I"].add(line.strip())
    for _, line in iter_lines("initiatives/unquoted_heads.txt"):
        groups["I"].add(line.split("\t")[0].strip())
    for _, fields in iter_tsv("initiatives/event_heads.txt", 1):
        groups["E"].add(fields[0].strip())
    for _, fields in iter_tsv("agencies/suffixes.tsv", 1):
        groups["A"].add(fields[0].strip())
    parts = []
    for key, words in groups.items():
        words = sorted((w for w in words if w), key=len, reverse=True)
        parts.append(f"(?P<{key}>{'|'.join(re.escape(w) for w in words)})")
    return re.compile("|".join(parts))


@dataclass
class PoolSpan:
    """A proposed span and everything that proposed it."""

    start: int
    end: int
    sources: set = field(default_factory=set)  # "rule:agency/Agency", "ner/Place", "quote-inner", ...


def candidate_pool(text: str, rule_spans: Iterable[tuple[int, int, str, str]],
                   ner_spans: Iterable[tuple[int, int, str, str]]) -> list[PoolSpan]:
    """Every span proposed by a rule, the NER or a quotation, once, with its sources."""
    pool: dict[tuple[int, int], PoolSpan] = {}

    def add(s: int, e: int, source: str) -> None:
        if 0 <= s < e <= len(text):
            pool.setdefault((s, e), PoolSpan(s, e)).sources.add(source)

    for s, e, label, source in rule_spans:
        if label in TYPES:
            add(s, e, f"{source}/{label}")
    for s, e, label, _ in ner_spans:
        if label in TYPES:
            add(s, e, f"ner/{label}")
    heads = head_pattern()
    for m in _QUOTED.finditer(text):
        add(m.start(1), m.end(1), "quote-inner")
        add(m.start(), m.end(), "quote-outer")
        after = m.end()
        for h in heads.finditer(text, after, min(len(text), after + _FOLLOW)):
            if "，" in text[after:h.end()] or "。" in text[after:h.end()]:
                break
            add(m.start(1), h.end(), f"quote-head-{h.lastgroup}")
            add(m.start(), h.end(), f"quote-head-{h.lastgroup}")
    return sorted(pool.values(), key=lambda p: (p.start, p.end))


def span_features(text: str, span: PoolSpan, covered: Sequence[int]) -> list[str]:
    """Feature strings of one pool span. ``covered[i]``: how many pool spans cover i."""
    s, e = span.start, span.end
    name = text[s:e]
    f = ["bias", f"len={min(e - s, 12)}", f"first={name[0]}", f"last={name[-1]}", f"last2={name[-2:]}",
         f"first2={name[:2]}", f"prev={text[s - 1] if s else '<s>'}", f"next={text[e] if e < len(text) else '</s>'}",
         f"prev2={text[max(0, s - 2):s]}", f"next2={text[e:e + 2]}"]
    f += [f"src={x}" for x in span.sources]
    f += [f"srcfam={x.split('/')[0].split(':')[0]}" for x in span.sources]
    labels = {x.split("/")[1] for x in span.sources if "/" in x}
    f += [f"lab={x}" for x in labels]
    if len(labels) > 1:
        f.append("lab-conflict")
    if len(span.sources) > 1:
        f.append(f"nsrc={min(len(span.sources), 4)}")
    if name in common_words():
        f.append("common")
    if any(ch.isdigit() for ch in name):
        f.append("digit")
    if any(ch in "“”《》「」" for ch in name):
        f.append("has-mark")
    if s > 0 and text[s - 1] in "“《「『" and e < len(text) and text[e] in "”》」』":
        f.append("quoted-exactly")
    h = None
    for m in head_pattern().finditer(name):
        if m.end() == len(name):
            h = m
    if h is not None:
        f += [f"head={h.group(0)}", f"headkind={h.lastgroup}"]
    inner = max(covered[s:e]) if e > s else 0
    f.append(f"overlaps={min(inner, 4)}")
    return f


def pool_features(text: str, pool: list[PoolSpan]) -> list[list[str]]:
    covered = [0] * (len(text) + 1)
    for p in pool:
        for i in range(p.start, p.end):
            covered[i] += 1
    return [span_features(text, p, covered) for p in pool]


def pool_labels(pool: list[PoolSpan], gold: Iterable[tuple[int, int, str]]) -> list[str]:
    """The gold type of each pool span that is exactly a gold span, else ``O``."""
    by_span = {(s, e): label for s, e, label in gold}
    return [by_span.get((p.start, p.end), NONE) for p in pool]
