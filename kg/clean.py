"""Stage 2, clean: RawDoc -> CleanDoc.

Repairs what OCR and page layout do to text, and keeps, for every character of the
clean text, the index of the raw character it came from (``CleanDoc.offsets``), so
that every extraction can be shown in the user's original file.

Each repair is a pass ``(text, index) -> (text, index)`` where ``index[i]`` is the
position in the pass's input of output character ``i``; passes compose by indexing.
The passes, in order:

1. drop control and zero-width characters, turn CR LF into LF;
2. NFKC where it is safe: full-width letters and digits, ideographic spaces,
   compatibility ideographs and CJK radicals (PDF text layers: ⻓ -> 长, by the
   Unicode table of equivalent unified ideographs, one character for one), never the
   Chinese punctuation （），：；！？ that names and sentences use;
   then traditional characters to simplified (OpenCC t2s), for documents written in
   traditional characters, so our simplified dictionaries match them (國務院 ->
   国务院). The conversion keeps the length: phrase conversion where it does, else
   character by character, so offsets still point at the original characters;
3. Markdown emphasis markers (``**``) out;
4. join hard-wrapped lines (a line break inside a sentence), also across a page
   break (blank line) when the break falls inside a word;
5. remove spaces inside Chinese text (郭 树 书 -> 郭树书, 2023 年 -> 2023年), keeping
   spaces between two Latin words, and one space where the text had an ideographic
   space or a tab (columns of a table rendered as a line, the fields of a page header:
   typesetting, not OCR noise);
6. drop a paragraph that repeats an earlier one exactly.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from functools import lru_cache

from .lexicon import load_word_list, radical_ideographs
from .types import CleanDoc, RawDoc

# Index of a pass: for each output character, its position in the pass's input. A pass
# returns None when it changed nothing (the identity): composing index lists is the
# costly part of cleaning, and most passes change nothing in most documents.
Index = list[int]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]|\r(?=\n)")
_CR = re.compile(r"\r")
_KEEP_FULLWIDTH = set("（），：；！？")
_EMPHASIS = re.compile(r"\*\*|__")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2e80-\u2fdf\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_TERMINAL = set("。！？!?；;…")
_CLOSERS = set("”’」』")
_HEADING = re.compile(r"^\s*(#|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、.．]\s*\S|[-*+]\s)")


def _sub(text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> tuple[str, Index | None]:
    """re.sub that also returns, for each output character, its input index (``None``
    when nothing was replaced).

    A replacement of the same length maps character by character; otherwise every
    replacement character maps to the start of the match.
    """
    out: list[str] = []
    index: Index = []
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        new = repl(match)
        if new == match.group(0):
            continue
        out.append(text[pos:start])
        index.extend(range(pos, start))
        out.append(new)
        if len(new) == end - start:
            index.extend(range(start, end))
        else:
            index.extend([start] * len(new))
        pos = end
    if pos == 0 and not out:
        return text, None
    out.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(out), index


def _compose(outer: Index | None, inner: Index | None) -> Index | None:
    """Index of a pass applied after another: position in the first pass's input."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    return [outer[i] for i in inner]


def _safe_nfkc(char: str) -> str:
    code = ord(char)
    if char in _KEEP_FULLWIDTH:
        return char
    if 0x2E80 <= code <= 0x2FDF:  # CJK radicals: NFKC maps the Kangxi block, not most of the supplement
        return radical_ideographs().get(char) or unicodedata.normalize("NFKC", char)
    if 0xFF01 <= code <= 0xFF5E or 0xF900 <= code <= 0xFAFF:
        return unicodedata.normalize("NFKC", char)
    if char == "\u3000":
        return "\t"  # a column or field separator, kept apart from OCR's spaces (pass 5)
    if char == "\u00a0":
        return " "
    return char


_NFKC_CANDIDATES = re.compile(r"[\uff01-\uff5e\uf900-\ufaff\u2f00-\u2fdf\u2e80-\u2eff\u3000\u00a0]")


def _strip_controls(text: str) -> tuple[str, Index | None]:
    text1, idx1 = _sub(text, _CONTROL, lambda m: "")
    text2, idx2 = _sub(text1, _CR, lambda m: "\n")
    return text2, _compose(idx1, idx2)


def _nfkc(text: str) -> tuple[str, Index]:
    return _sub(text, _NFKC_CANDIDATES, lambda m: _safe_nfkc(m.group(0)))


#: A document is converted from traditional characters when at least MIN_TRADITIONAL
#: distinct characters, and this share of its ideographs, change under t2s. Simplified
#: text has zero or one such character (乾 in 乾县, which must not become 干县);
#: traditional text has hundreds, and partly converted texts (the 1955 and 1957 national
#: reports mix both scripts) still some dozens, which are worth converting.
TRADITIONAL_SHARE = 0.001
MIN_TRADITIONAL = 5


@lru_cache(maxsize=1)
def _t2s_converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 16)
def _t2s_char(char: str) -> str:
    out = _t2s_converter().convert(char)
    return out if len(out) == 1 else char


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in traditional characters (see TRADITIONAL_SHARE)."""
    changing = [ch for ch in set(text) if ch >= "\u2e80" and _t2s_char(ch) != ch]
    if len(changing) < MIN_TRADITIONAL:
        return False
    changed = sum(text.count(ch) for ch in changing)
    return changed >= TRADITIONAL_SHARE * len(_IDEOGRAPH.findall(text))


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters, keeping the length (and so every offset):
    OpenCC's phrase conversion where it keeps a line's length, else character by
    character."""
    converter = _t2s_converter()
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for line in text.splitlines(keepends=True):
        line_converted = converter.convert(line)
        if len(line_converted) != len(line):
            line_converted = "".join(_t2s_char(ch) for ch in line)
        out.append(line_converted)
    return "".join(out)


def _simplify(text: str) -> tuple[str, Index | None]:
    """The t2s pass (run only on documents in traditional characters); same length, so
    the index is the identity."""
    return to_simplified(text), None


def _is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))


_BREAKS = re.compile(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)*")


def _join_lines(text: str) -> tuple[str, Index]:
    """Remove line breaks that fall inside a sentence.

    A single line break is removed when the line before it does not end a sentence and
    neither line is a heading. A blank line (paragraph or page break) is removed only
    when it splits Chinese text mid-sentence and the next line does not open a new
    article (本报讯 and the like, from ``patterns/article_openers.txt``). A line that
    sends the article elsewhere ((下转第2版), ``patterns/article_enders.txt``) is never
    joined to the next.
    """
    openers = load_word_list("patterns/article_openers.txt")
    enders = load_word_list("patterns/article_enders.txt")

    def repl(match: re.Match[str]) -> str:
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        prev = text[line_start:start].strip()
        line_end = text.find("\n", end)
        nxt = text[end: line_end if line_end >= 0 else len(text)].strip()
        blank = match.group(0).count("\n") > 1
        if blank:
            # judge a page break by the whole paragraph before it, not its last line
            prev = text[text.rfind("\n\n", 0, start) + 1:start].strip()
        if _should_join(prev, nxt, blank=blank, openers=openers, enders=enders):
            return ""
        return match.group(0)

    return _sub(text, _BREAKS, repl)


def _should_join(prev: str, nxt: str, *, blank: bool, openers: frozenset[str],
                 enders: frozenset[str] = frozenset()) -> bool:
    if not prev or not nxt:
        return False
    last = prev[-1]
    if last in _TERMINAL or (last in _CLOSERS and len(prev) > 1 and prev[-2] in _TERMINAL):
        return False
    if _HEADING.match(prev) or _HEADING.match(nxt) or prev.startswith(">") or nxt.startswith(">"):
        return False
    if any(nxt.startswith(opener) for opener in openers) or any(e in prev for e in enders):
        return False
    if "\t" in prev.rsplit("\n", 1)[-1] or "\t" in nxt:
        return False  # a row of a table (项目　责任单位　时限): one row per line
    if blank:
        # a page break inside a sentence: both sides Chinese ideographs and the paragraph
        # before is body text (long, with clause punctuation), not a headline
        return (
            _IDEOGRAPH.match(last) is not None
            and _IDEOGRAPH.match(nxt[0]) is not None
            and len(prev) >= 20
            and any(p in prev for p in "，,、")
        )
    return _is_cjk(last) or _is_cjk(nxt[0]) or last.isdigit()


def _remove_spaces(text: str) -> tuple[str, Index]:
    def repl(match: re.Match[str]) -> str:
        start, end = match.span()
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < len(text) else "\n"
        if before == "\n" or after == "\n":
            return "" if before == "\n" or after == "\n" else match.group(0)
        if "\t" in match.group(0):
            return " "  # 项目名称　责任单位: columns of a table, fields of a page header
        if _is_cjk(before) or _is_cjk(after):
            return ""
        return " " if match.group(0) != " " else match.group(0)

    return _sub(text, _SPACES, repl)


def _drop_repeated_paragraphs(text: str, min_len: int = 20) -> tuple[str, Index]:
    """Drop a paragraph (line) that repeats an earlier one; short lines may repeat."""
    seen: set[str] = set()
    out: list[str] = []
    index: Index = []
    pos = 0
    dropped = False
    for line in text.splitlines(keepends=True):
        key = line.strip()
        if len(key) < min_len or key not in seen:
            seen.add(key)
            out.append(line)
            index.extend(range(pos, pos + len(line)))
        else:
            dropped = True
        pos += len(line)
    return ("".join(out), index) if dropped else (text, None)


PASSES: tuple[Callable[[str], tuple[str, Index | None]], ...] = (
    _strip_controls,
    _nfkc,
    _simplify,
    lambda text: _sub(text, _EMPHASIS, lambda m: ""),
    _join_lines,
    _remove_spaces,
    _drop_repeated_paragraphs,
)


def clean(doc: RawDoc) -> CleanDoc:
    """Repair a raw document, keeping the map back to raw offsets."""
    text = doc.text
    index: Index | None = None  # identity so far
    traditional = is_traditional(text)
    for step in PASSES:
        if step is _simplify and not traditional:
            continue
        text, step_index = step(text)
        index = _compose(index, step_index)
    offsets = (tuple(range(len(text))) if index is None else tuple(index)) + (len(doc.text),)
    meta = {**doc.meta, "script": "traditional"} if traditional else doc.meta
    return CleanDoc(doc_id=doc.doc_id, path=doc.path, text=text, raw=doc.text, offsets=offsets, meta=meta)
