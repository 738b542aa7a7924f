"""Dates in Chinese text: the date a document or an article gives for itself.

``find_dates`` finds full dates (2024年3月27日, 二〇二四年三月二十七日, 2021-12-13,
2021/12/13, 2021.12.13) and month-day dates (3月12日), which take their year from
the document. A document's date is, in order: a ``date`` field of its metadata; a full
date in its opening lines (a dateline such as ——2024年2月26日在…会议上, or a line of
its own); else its year, from a ``year`` field, a title or file name (2025年…报告,
changzhi_report_2024.txt), or the National People's Congress session it names. An article's date is a date at its start (本报讯 3月18日上午…)
or in its headline lines, else the document's. Dates are ISO strings: ``YYYY-MM-DD``,
or ``YYYY`` when only the year is known.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Mapping

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇零○Ｏ一二三四五六七八九十"
_YEAR = rf"(?P<y>(?:1[89]|20)\d\d|[{_CN}]{{4}})"
_MONTH = rf"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = rf"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_FULL = re.compile(rf"{_YEAR}\s*年\s*{_MONTH}\s*月\s*{_DAY}\s*日")
_ISO = re.compile(r"(?<!\d)(?P<y>(?:1[89]|20)\d\d)(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)")
_MONTH_DAY = re.compile(rf"(?<![\d年{_CN}]){_MONTH}\s*月\s*{_DAY}\s*[日号]")
_YEAR_ONLY = re.compile(r"(?<!\d)((?:19[4-9]|20[0-4])\d)(?:年|(?!\d))")

#: How far into a document or article its own date is looked for (characters).
DOC_HEAD = 300
ARTICLE_HEAD = 120


def _number(text: str) -> int:
    """An Arabic or Chinese numeral (二〇二四, 十二, 二十七)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


def _iso(year: int | None, month: int, day: int) -> str:
    """``YYYY-MM-DD`` for a real calendar date, else ""."""
    if year is None:
        return ""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def find_dates(text: str, year: int | None = None, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of each date in ``text[start:end]``, in order. Month-day
    dates need ``year``; without it they are left out."""
    end = len(text) if end is None else end
    found: dict[int, tuple[int, int, str]] = {}
    for pattern in (_FULL, _ISO):
        for m in pattern.finditer(text, start, end):
            iso = _iso(_number(m.group("y")), _number(m.group("m")), _number(m.group("d")))
            if iso and m.start() not in found:
                found[m.start()] = (m.start(), m.end(), iso)
    covered = [(s, e) for s, e, _ in found.values()]
    for m in _MONTH_DAY.finditer(text, start, end):
        if any(s <= m.start() < e for s, e in covered):
            continue
        iso = _iso(year, _number(m.group("m")), _number(m.group("d")))
        if iso:
            found[m.start()] = (m.start(), m.end(), iso)
    return [found[k] for k in sorted(found)]


def year_of(value: Any) -> int | None:
    """The year a metadata value, title or file name gives (2025, "2025", "2025年…")."""
    if isinstance(value, int) and 1000 <= value <= 2999:
        return value
    if isinstance(value, str):
        m = _YEAR_ONLY.search(value)
        if m:
            return int(m.group(1))
    return None


def _meta_date(meta: Mapping[str, Any]) -> str:
    value = meta.get("date")
    if isinstance(value, str):
        hits = find_dates(value)
        if hits:
            return hits[0][2]
        m = re.fullmatch(r"\s*(\d{4})(?:-(\d\d)(?:-(\d\d))?)?.*", value)
        if m and m.group(3):
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) or m.group(1)
    return ""


def document_date(text: str, meta: Mapping[str, Any] | None = None, name: str = "") -> str:
    """The document's date (ISO), or its year, or "" when nothing tells."""
    meta = meta or {}
    given = _meta_date(meta)
    if given:
        return given
    year = year_of(meta.get("year")) or year_of(str(meta.get("title", ""))) or year_of(name)
    for _, _, iso in find_dates(text, None, 0, min(len(text), DOC_HEAD)):
        if year is None or iso.startswith(str(year)) or iso.startswith(str(year + 1)):
            return iso
    if year is None:
        year = year_of(text[:DOC_HEAD])
    if year is None:
        year = npc_session_year(str(meta.get("title", ""))) or npc_session_year(text[:DOC_HEAD])
    return str(year) if year else ""


@lru_cache(maxsize=1)
def _npc_first_years() -> dict[int, int]:
    from .lexicon import iter_tsv

    return {int(f[0]): int(f[1]) for _, f in iter_tsv("patterns/npc_terms.tsv", 2, 2)}


_NPC_SESSION = re.compile(rf"第([{_CN}\d]+)届全国人民代表大会第([{_CN}\d]+)次会议")


def npc_session_year(text: str) -> int | None:
    """The year of a National People's Congress session the text names
    (第十二届全国人民代表大会第一次会议 -> 2013), from the terms' first years in
    ``patterns/npc_terms.tsv``; the documents of a session (its resolutions) often give
    no other date."""
    m = _NPC_SESSION.search(text)
    if not m:
        return None
    first = _npc_first_years()
    try:
        term, session = _number(m.group(1)), _number(m.group(2))
    except (KeyError, ValueError):
        return None
    return first[term] + session - 1 if term in first and 1 <= session <= 5 else None


def article_date(text: str, start: int, end: int, doc_date: str) -> str:
    """An article's date: the first date at its start, with the document's year for
    month-day dates; else the document's date."""
    year = int(doc_date[:4]) if doc_date[:4].isdigit() else None
    hits = find_dates(text, year, start, min(end, start + ARTICLE_HEAD))
    return hits[0][2] if hits else doc_date


__all__ = ["find_dates", "document_date", "article_date", "year_of"]
