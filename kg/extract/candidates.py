"""The record rules return, and small text helpers every rule family shares."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
HAN_CHAR = re.compile(f"[{HAN}]")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span a rule proposes, before overlaps are settled.

    ``name`` is the name as it should appear once resolved, when the rule already
    knows it (a quoted initiative loses its quotation marks); empty means the text.
    """

    start: int
    end: int
    label: str
    source: str
    score: float
    name: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict)


def alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 副市长 beats 市长)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def trim_left(text: str, start: int, end: int, stops: frozenset[str], max_stop: int = 4) -> int:
    """Move ``start`` right past the last stop word inside ``text[start:end]``.

    Used for names found by their head (…大学, …行动): what stands before the last
    verb or preposition (来自, 实施, 与) is not part of the name.
    """
    best = start
    for i in range(start, end):
        for n in range(max_stop, 0, -1):
            if i + n <= end and text[i:i + n] in stops:
                best = max(best, i + n)
                break
    return best
