"""The record rules return, and small text helpers every rule family shares."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..lexicon import common_words, verbs

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


def forms_pattern(forms) -> re.Pattern[str]:
    """A regex finding any of the written forms of a list (longest first); a lookahead
    on their first characters lets the search skip most positions fast."""
    first = "".join(sorted({re.escape(f[0]) for f in forms}))
    return re.compile(f"(?=[{first}])(?:{alternation(forms)})")


def trim_left(text: str, start: int, end: int, stops: frozenset[str], max_stop: int = 4,
              leading: frozenset[str] = frozenset()) -> int:
    """Move ``start`` right past the last stop word inside ``text[start:end]``, then
    past any ``leading`` words at the new start.

    Used for names found by their head (…大学, …行动): what stands before the last
    verb or preposition (来自, 实施, 与) is not part of the name, and neither are
    adverbs right after it (扎实开展安全生产… -> 安全生产…); an adverb inside the name
    stays (空气质量持续改善行动计划).
    """
    best = start
    common = common_words()
    for i in range(start, end):
        for n in range(max_stop, 0, -1):
            if i + n <= end and text[i:i + n] in stops:
                if n == 1 and (text[i:i + 2] in common or text[i - 1:i + 1] in common):
                    continue  # 经 inside 经济, 以 inside 所以: part of a word, not a stop
                best = max(best, i + n)
                break
    moved = True
    while moved and leading:
        moved = False
        for n in range(max_stop, 0, -1):
            if best + n <= end and text[best:best + n] in leading:
                best += n
                moved = True
                break
    return best


def first_place_start(places_starts: list[int], start: int, end: int) -> int | None:
    """(``places_starts`` sorted.) The first place that starts inside ``[start, end)``: a name found by its head
    begins at a place name in it (充分发挥忻州工医学院 -> 忻州工医学院)."""
    from bisect import bisect_left

    i = bisect_left(places_starts, start)  # sorted: a scan of all of them made long texts quadratic
    return places_starts[i] if i < len(places_starts) and places_starts[i] < end else None


_FUNCTION_FLAGS = frozenset({"p", "c", "u", "r", "y", "e"})


def noun_phrase_start(text: str, start: int, end: int, stop_flags: frozenset[str]) -> int:
    """Where the noun phrase that ends at ``end`` begins, by jieba's POS tags: words
    are taken from the right while they are not verbs, adverbs, prepositions and the
    like (``stop_flags``). Used for proper names found by their head (聘请高粱研究所 ->
    高粱研究所)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG
    pos = end
    for word in reversed(list(jieba.posseg.cut(text[start:end]))):
        # one-character verbs are often part of a name (信达), so only longer words
        # and function words (与, 的, 其) end the phrase
        if word.flag in stop_flags and (len(word.word) > 1 or word.flag in _FUNCTION_FLAGS):
            break
        pos -= len(word.word)
    return pos


_COMPLEMENTS = "好了到完住牢紧透过"  # a verb's result or aspect: 落实好|市委, 传达了|省委


def after_verb(text: str, pos: int) -> bool:
    """True when a word jieba's dictionary tags as a verb ends at ``pos`` (执行|人大),
    or such a verb and its complement (落实好|市委五届七次全会)."""
    known = verbs()
    if any(text[pos - n:pos] in known for n in (2, 3, 4) if pos >= n):
        return True
    # jieba tags some verbs otherwise (落实 is a noun there): before a complement any
    # word of two characters or more will do
    common = common_words()
    return pos > 2 and text[pos - 1] in _COMPLEMENTS and any(
        text[pos - 1 - n:pos - 1] in known or text[pos - 1 - n:pos - 1] in common
        for n in (2, 3, 4) if pos - 1 >= n)
