"""Stage 3, segment: CleanDoc -> Segments (articles and sentences).

Sentences end at 。！？；!?; (with any closing quotes or brackets that follow) and at
line ends, so headlines and list items are sentences of their own. Every extraction
later points at one of these sentences. A sentence longer than ``MAX_SENTENCE_CHARS``
(a text without punctuation or line breaks) is cut into pieces of at most that length,
at the last comma, enumeration comma, colon or space of the window's second half, else
right at the limit: relation rules compare the mentions of a sentence pairwise, so an
unbounded sentence made their cost grow with the square of its length, and every
relation stores its sentence as evidence.

Articles: a newspaper page holds several articles and a document may reprint another
body's report; each article resolves its relative names (市委, 省政府) on its own. An
article starts at a line that opens one (本报讯, 本报记者, （上接第2版）…, from
``patterns/article_openers.txt``), at a top-level Markdown heading (``# ``, not ``## ``), or after a
line that sends the rest elsewhere ((下转第3版), ``patterns/article_enders.txt``). The
short title lines just before an opener (主标题, 副标题, no sentence punctuation) belong
to the article they head. Each article records its headline, its byline ((记者 孟晓峰),
markers in ``patterns/byline_markers.txt``) and its date (see ``kg.dates``).
"""
from __future__ import annotations

import re
from pathlib import Path

from .dates import article_date, document_date
from .lexicon import load_word_list
from .types import Article, CleanDoc, Segments, Sentence

_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)》]*|\n+")
_TERMINAL = tuple("。！？!?；;…：:，,")
_SIGNATURE = re.compile(r"^[（(][^（）()]{1,20}[）)]$")
_TOP_HEADING = re.compile(r"#(?!#)\s*\S")  # cleaning drops the space after the #
#: Title lines before an opener: at most this many, each at most this long.
MAX_HEADLINE_LINES = 3
MAX_HEADLINE_CHARS = 40
#: Longest sentence (characters); longer ones are cut (see the module's docstring).
#: Government prose has sentences of up to a few hundred characters.
MAX_SENTENCE_CHARS = 2000
_SOFT_BREAKS = ("，", ",", "、", "：", ":", "　", " ", "\t")


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
            out.extend(bounded(text, s, e))
    return out


def bounded(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` cut into spans of at most ``limit`` characters, each cut after the
    last soft break (，、： or a space) in the second half of its window, else at the
    limit."""
    spans = []
    while end - start > limit:
        stop = start + limit
        floor = start + limit // 2
        cut = max(text.rfind(b, floor, stop) for b in _SOFT_BREAKS)
        cut = cut + 1 if cut >= 0 else stop
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        spans.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
    return spans


def _lines(text: str) -> list[tuple[int, str]]:
    """(start offset, stripped text) of every line."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.strip()))
        pos += len(line)
    return out


def _is_headline(line: str, enders: frozenset[str]) -> bool:
    return (0 < len(line) <= MAX_HEADLINE_CHARS and not line.endswith(_TERMINAL)
            and not _SIGNATURE.match(line) and not any(e in line for e in enders)
            and not line.startswith(("#", ">")))


def article_starts(text: str) -> list[int]:
    """Offsets where articles start (the first is always 0)."""
    openers = load_word_list("patterns/article_openers.txt")
    enders = load_word_list("patterns/article_enders.txt")
    lines = _lines(text)
    starts = [0]
    first_line = 0  # index of the line the current article starts at
    ended = False
    for i, (pos, line) in enumerate(lines):
        if not line:
            continue
        heading = _TOP_HEADING.match(line) is not None
        opens = heading or (any(line.startswith(o) for o in openers)
                                          and not any(line.startswith(e) for e in enders))
        if i > 0 and (opens or ended) and pos > starts[-1]:
            start_line = i
            if opens and not heading:
                # take the title lines just above the opener along
                j, taken = i - 1, 0
                while j > first_line and taken < MAX_HEADLINE_LINES:
                    if not lines[j][1]:
                        j -= 1
                        continue
                    if not _is_headline(lines[j][1], enders):
                        break
                    start_line, taken, j = j, taken + 1, j - 1
            start = lines[start_line][0]
            if start > starts[-1]:
                starts.append(start)
                first_line = start_line
        ended = any(e in line for e in enders)
    return starts


def _byline_pattern() -> re.Pattern[str]:
    markers = "|".join(sorted(map(re.escape, load_word_list("patterns/byline_markers.txt")), key=len, reverse=True))
    name = r"[\u4e00-\u9fff·]{2,5}"
    return re.compile(
        rf"[（(]\s*((?:{markers})[^（）()\n]{{1,60}})[）)]"  # （记者 孟晓峰 通讯员 李明）
        rf"|((?:{markers})\s*{name}(?:[\s、]+(?:(?:{markers})\s*)?{name})*)(?=\s|报道|$)"  # 本报记者 冯静宁 报道
    )


def _headline_and_body(text: str, start: int, end: int) -> tuple[str, int]:
    """The article's headline (its title lines before the opener, else its first
    line) and where its body starts."""
    openers = load_word_list("patterns/article_openers.txt")
    titles = []
    body = start
    for pos, line in _lines(text[start:end]):
        if not line:
            continue
        if _TOP_HEADING.match(line):
            return line.lstrip("# ").strip()[:80], start + pos
        if any(line.startswith(o) for o in openers):
            body = start + pos
            break
        titles.append(line)
        if len(titles) > MAX_HEADLINE_LINES:
            titles = []
            break
    if titles and all(len(t) <= MAX_HEADLINE_CHARS for t in titles):
        return " ".join(titles)[:80], body
    first = text[start:end].strip().split("\n", 1)[0]
    return first.lstrip("# ").strip()[:80], start


def segment(doc: CleanDoc) -> Segments:
    """Cut a cleaned document into dated articles and numbered sentences."""
    text = doc.text
    starts = article_starts(text)
    bounds = list(zip(starts, starts[1:] + [len(text)]))
    doc_date = document_date(text, doc.meta, Path(doc.path.split("#", 1)[0]).name)
    byline = _byline_pattern()
    articles = []
    sentences: list[Sentence] = []
    for a_index, (a_start, a_end) in enumerate(bounds):
        headline, body = _headline_and_body(text, a_start, a_end)
        found = byline.search(text, body, min(a_end, body + 80))
        by = re.sub(r"\s+", " ", (found.group(1) or found.group(2)).strip()) if found else ""
        date = article_date(text, a_start, a_end, doc_date)
        articles.append(Article(index=a_index, start=a_start, end=a_end, headline=headline, date=date, byline=by))
        for s, e in split_sentences(text, a_start, a_end):
            sentences.append(Sentence(doc_id=doc.doc_id, index=len(sentences), start=s, end=e, text=text[s:e], article=a_index))
    if not sentences:
        sentences.append(Sentence(doc_id=doc.doc_id, index=0, start=0, end=len(text), text=text, article=0))
    return Segments(doc=doc, articles=tuple(articles), sentences=tuple(sentences), date=doc_date)
