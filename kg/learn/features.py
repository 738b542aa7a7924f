"""Per-character features for the learned span tagger.

The tagger (``kg.learn.tagger``) is a linear-chain CRF that reads, at every
character, what the text looks like there (the character and its neighbours, the
jieba word it falls in, quotation marks, head nouns of names ending there) and what
the other sources already say about it (the rule families' candidates and the
statistical NER's spans, each as a B/I tag with its type and source). So it learns
from annotated documents when to trust a rule or the NER, and finds names of the
kinds the annotations hold (initiatives, events) where neither fired.

Features are plain strings (crfsuite attributes with weight 1), computed once per
document over the whole text and then cut into the same chunks the NER uses.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from ..lexicon import iter_lines, iter_tsv

#: A span from a source: (start, end, label, source).
SourceSpan = tuple[int, int, str, str]

_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "\"": "\""}


def _char_class(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "han"
    if ch.isdigit():
        return "dig"
    if ch.isascii() and ch.isalpha():
        return "lat"
    if ch.isspace():
        return "sp"
    if ch in "“《「『（(":
        return "open"
    if ch in "”》」』）)":
        return "close"
    if ch in "、，,":
        return "comma"
    if ch in "。！？；;!?\n":
        return "stop"
    return "punct"


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


def _words(text: str) -> list[tuple[int, int]]:
    import jieba

    spans, pos = [], 0
    for w in jieba.cut(text, HMM=False):
        spans.append((pos, pos + len(w)))
        pos += len(w)
    return spans


def _tag_layer(n: int, spans: Iterable[SourceSpan], prefix: str, with_source: bool) -> list[list[str]]:
    """B/I tags of the spans of one source at each character (several may cover one)."""
    layer: list[list[str]] = [[] for _ in range(n)]
    for start, end, label, source in spans:
        if not 0 <= start < end <= n:
            continue
        layer[start].append(f"{prefix}B-{label}")
        for i in range(start + 1, end):
            layer[i].append(f"{prefix}I-{label}")
        if end < n:
            layer[end].append(f"{prefix}after-{label}")
        if with_source:
            src = source.split(":", 1)[-1]
            layer[start].append(f"{prefix}sB-{src}")
            for i in range(start + 1, end):
                layer[i].append(f"{prefix}sI-{src}")
        if end - start == 1:
            layer[start].append(f"{prefix}single-{label}")
    return layer


def document_features(text: str, rule_spans: Sequence[SourceSpan] = (),
                      ner_spans: Sequence[SourceSpan] = ()) -> list[list[str]]:
    """Feature strings for every character of ``text``."""
    n = len(text)
    cls = [_char_class(ch) for ch in text]
    word_of = [("", "S")] * n
    for s, e in _words(text):
        w = text[s:e]
        if e - s == 1:
            continue
        word_of[s] = (w, "B")
        for i in range(s + 1, e - 1):
            word_of[i] = (w, "M")
        word_of[e - 1] = (w, "E")
    heads_end: list[list[str]] = [[] for _ in range(n)]
    for m in head_pattern().finditer(text):
        key = m.lastgroup
        heads_end[m.end() - 1].append(f"hend-{key}")
        heads_end[m.start()].append(f"hbeg-{key}")
        for i in range(m.start() + 1, m.end() - 1):
            heads_end[i].append(f"hin-{key}")
    quoted = [False] * n
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if stack and ch == _QUOTE_PAIRS.get(stack[-1][0]) and i - stack[-1][1] <= 40:
            o, s = stack.pop()
            for k in range(s + 1, i):
                quoted[k] = True
        elif ch in _QUOTE_PAIRS and ch != "\"":
            stack.append((ch, i))
        elif ch in "。\n":
            stack.clear()
    rules = _tag_layer(n, rule_spans, "r", True)
    ner = _tag_layer(n, ner_spans, "n", False)

    def c(i: int) -> str:
        return text[i] if 0 <= i < n else ("<s>" if i < 0 else "</s>")

    feats = []
    for i in range(n):
        ch = text[i]
        w, wp = word_of[i]
        f = [
            "bias", f"c={ch}", f"c-1={c(i - 1)}", f"c+1={c(i + 1)}", f"c-2={c(i - 2)}", f"c+2={c(i + 2)}",
            f"b-={c(i - 1)}{ch}", f"b+={ch}{c(i + 1)}", f"k={cls[i]}",
            f"k-1={cls[i - 1] if i else '<s>'}", f"k+1={cls[i + 1] if i + 1 < n else '</s>'}",
            f"wp={wp}",
        ]
        if w:
            f.append(f"w={w}")
            f.append(f"wl={min(len(w), 5)}{wp}")
        if quoted[i]:
            f.append("q")
        f.extend(heads_end[i])
        f.extend(rules[i])
        f.extend(ner[i])
        if not rules[i]:
            f.append("r-none")
        feats.append(f)
    return feats
