"""Rules for people and their titles.

Patterns, all in one sentence:
- title + name: 副市长梁艳萍, 主席王根元 (a name follows a title from ``people/titles.tsv``);
- name + title: 习近平总书记, 王根元同志;
- bylines: 记者毛静, 本报记者 冯静宁 (``people/bylines.tsv``), and a name alone in
  brackets closing an article: （马磊）.
A name is a surname (``people/surnames.txt``) and one or two given characters; its
length is chosen with the words that usually follow names (``people/name_followers.txt``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import MentionType
from ..lexicon import common_words, iter_tsv, load_word_list
from .candidates import HAN, Candidate, alternation


@lru_cache(maxsize=None)
def load_titles() -> dict[str, str]:
    """Title -> implied agency template ('' when a title implies none)."""
    return {f[0]: (f[1] if len(f) > 1 else "") for _, f in iter_tsv("people/titles.tsv", 1, 2)}


@lru_cache(maxsize=None)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    titles = alternation(load_titles())
    bylines = alternation(f[0] for _, f in iter_tsv("people/bylines.tsv", 1, 2))
    title_re = re.compile(f"(?:{titles})")
    byline_re = re.compile(f"(?:{bylines})[ \u3000]*(?=[{HAN}])")
    closing_re = re.compile(f"[（(]([{HAN}]{{2,4}})[）)][ \u3000]*$", re.M)
    return title_re, byline_re, closing_re


def _surname_at(text: str, pos: int, surnames: frozenset[str]) -> int:
    """Length of the surname starting at ``pos`` (2 for compound surnames), or 0."""
    if text[pos:pos + 2] in surnames:
        return 2
    return 1 if text[pos:pos + 1] in surnames else 0


def name_at(text: str, pos: int, *, strict: bool = True) -> int:
    """Length of a plausible personal name starting at ``pos``, or 0.

    Takes a surname and two given characters, unless a word that usually follows a
    name starts after the first given character and not after the second (王强出席 ->
    王强); given characters must be Han and not function words.
    """
    surnames = load_word_list("people/surnames.txt")
    followers = load_word_list("people/name_followers.txt")
    stops = load_word_list("people/not_in_names.txt")
    s = _surname_at(text, pos, surnames)
    if not s or text[pos:pos + 2] in common_words():
        return 0
    if text[pos:pos + s] in load_word_list("people/ambiguous_surnames.txt") and (
            text[pos + s:pos + s + 2] in common_words()):
        return 0  # 和机关, 向社会: a function word, then an ordinary word
    end_max = min(len(text), pos + s + 2)
    given = []
    for i in range(pos + s, end_max):
        if not re.match(f"[{HAN}]", text[i]) or text[i] in stops:
            break
        given.append(text[i])
    if not given:
        return 0
    if len(given) == 2:
        after_one = pos + s + 1
        if any(text.startswith(f, after_one) for f in followers) and not any(
            text.startswith(f, after_one + 1) for f in followers
        ):
            return s + 1
        return s + 2
    return s + 1 if not strict or len(given) == 1 else 0


def find_people(text: str) -> list[Candidate]:
    """Person and Title candidates in ``text`` (one document's clean text)."""
    title_re, byline_re, closing_re = _patterns()
    titles = load_titles()
    out: list[Candidate] = []
    person = MentionType.PERSON.value
    for match in byline_re.finditer(text):
        n = name_at(text, match.end())
        if n >= 2:
            out.append(Candidate(match.end(), match.end() + n, person, "rule:byline", 0.9, attrs={"byline": True}))
    for match in closing_re.finditer(text):
        start = match.start(1)
        n = name_at(text, start)
        if n == match.end(1) - start:
            out.append(Candidate(start, start + n, person, "rule:byline", 0.8, attrs={"byline": True}))
    out.extend(_name_lists(text))
    out.extend(_after_role_words(text))
    for match in title_re.finditer(text):
        t_start, t_end = match.span()
        n = name_at(text, t_end)
        if n >= 2:
            out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.9,
                                 attrs={"implies": titles.get(match.group(0), "")}))
            out.append(Candidate(t_end, t_end + n, person, "rule:title+name", 0.85))
            continue
        # name + title (习近平总书记, 王根元同志): try the longest name ending at the title
        for length in (3, 2, 4):
            start = t_start - length
            if start < 0:
                continue
            if name_at(text, start) == length and (start == 0 or not re.match(f"[{HAN}]", text[start - 1]) or
                                                  _boundary_before(text, start)):
                out.append(Candidate(start, t_start, person, "rule:name+title", 0.75))
                out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.8,
                                     attrs={"implies": titles.get(match.group(0), ""), "after_name": True}))
                break
        else:
            out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.5,
                                 attrs={"implies": titles.get(match.group(0), "")}))
    return out


@lru_cache(maxsize=None)
def _list_re() -> re.Pattern[str]:
    followers = alternation(load_word_list("people/list_followers.txt"))
    return re.compile(f"((?:[{HAN}]{{2,4}}、)+[{HAN}]{{2,4}})(?={followers})")


def _name_lists(text: str) -> list[Candidate]:
    """A run of names separated by 、 before 等, 夺得 and the like (程建平、张俊明、苗霖瑞夺得):
    taken only when every item is a plausible name."""
    out = []
    for match in _list_re().finditer(text):
        items = match.group(1).split("、")
        # the first item may carry words before it (经过比拼，程建平 -> the regex starts at 程)
        pos = match.start(1)
        spans = []
        for item in items:
            spans.append((pos, pos + len(item)))
            pos += len(item) + 1
        if all(plausible_person(text[s:e]) for s, e in spans):
            out.extend(Candidate(s, e, MentionType.PERSON.value, "rule:name-list", 0.7) for s, e in spans)
    return out


@lru_cache(maxsize=None)
def _role_re() -> re.Pattern[str]:
    return re.compile(alternation(load_word_list("people/role_words.txt")))


def _after_role_words(text: str) -> list[Candidate]:
    """A name right after a role word (党的二十大代表刘桂珍, 选手王明)."""
    out = []
    for match in _role_re().finditer(text):
        n = name_at(text, match.end())
        end = match.end() + n
        if n >= 2 and text[end - 1:end + 1] in common_words():
            continue  # 职工信访案件: 案件 runs across the end, 信访案 is no name
        if n >= 2 and plausible_person(text[match.end():end]):
            out.append(Candidate(match.end(), match.end() + n, MentionType.PERSON.value, "rule:role+name", 0.6))
    return out


def _boundary_before(text: str, start: int) -> bool:
    """True when the characters before ``start`` end a word that may precede a name."""
    before = load_word_list("people/name_preceders.txt")
    return any(text.endswith(w, 0, start) for w in before)


def plausible_person(name: str) -> bool:
    """A model's person span: a surname and one to three more Han characters, none of
    them function words (or a transliterated name with a middle dot)."""
    if "·" in name:
        return 3 <= len(name) <= 12
    if not 2 <= len(name) <= 4 or not re.fullmatch(f"[{HAN}]+", name):
        return False
    surnames = load_word_list("people/surnames.txt")
    s = 2 if name[:2] in surnames else 1 if name[:1] in surnames else 0
    stops = load_word_list("people/not_in_names.txt")
    common = common_words()
    return (bool(s) and len(name) > s and not any(ch in stops for ch in name[s:])
            and name not in common and name[:2] not in common
            and name[:s] not in load_word_list("people/ambiguous_surnames.txt"))
