"""Stage 3, segment: CleanDoc -> Segments (articles and sentences).

Sentences end at 。！？；!?; (with any closing quotes or brackets that follow) and at
line ends, so headlines and list items are sentences of their own. Every extraction
later points at one of these sentences.

Articles: a newspaper page holds several articles and a document may reprint another
body's report; each article resolves its relative names (市委, 省政府) on its own. An
article starts at a line that opens one (本报讯, （上接第2版）…, from
``patterns/article_openers.txt``) or at a top-level Markdown heading.
"""
from __future__ import annotations

import re

from .lexicon import load_word_list
from .types import Article, CleanDoc, Segments, Sentence

_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)》]*|\n+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start() if match.group(0).startswith("\n") else match.end()
        spans.append((pos, stop))
        pos = match.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _article_starts(text: str) -> list[int]:
    openers = load_word_list("patterns/article_openers.txt")
    starts = [0]
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if pos and (stripped.startswith("# ") or any(stripped.startswith(o) for o in openers)):
            starts.append(pos)
        pos += len(line)
    return starts


def segment(doc: CleanDoc) -> Segments:
    """Cut a cleaned document into articles and numbered sentences."""
    text = doc.text
    starts = _article_starts(text)
    bounds = list(zip(starts, starts[1:] + [len(text)]))
    articles = []
    sentences: list[Sentence] = []
    for a_index, (a_start, a_end) in enumerate(bounds):
        first_line = text[a_start:a_end].strip().split("\n", 1)[0]
        articles.append(Article(index=a_index, start=a_start, end=a_end, headline=first_line.lstrip("# ").strip()[:80]))
        for s, e in split_sentences(text, a_start, a_end):
            sentences.append(Sentence(doc_id=doc.doc_id, index=len(sentences), start=s, end=e, text=text[s:e], article=a_index))
    if not sentences:
        sentences.append(Sentence(doc_id=doc.doc_id, index=0, start=0, end=len(text), text=text, article=0))
    return Segments(doc=doc, articles=tuple(articles), sentences=tuple(sentences))
