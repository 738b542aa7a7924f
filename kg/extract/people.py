"""Rules for people and their titles.

Patterns, all in one sentence:
- title + name: 副市长梁艳萍, 主席王根元 (a name follows a title from ``people/titles.tsv``);
- name + title: 习近平总书记, 王根元同志;
- bylines: 记者毛静, 本报记者 冯静宁 (``people/bylines.tsv``), and a name alone in
  brackets closing an article: （马磊）;
- the leader of a central body in the set phrase 以胡锦涛同志为总书记的党中央 (the title
  after 同志为 is the person's), and names sharing a counted title (李先念、薄一波两位
  副总理);
- national leaders (``people/national_leaders.tsv``) wherever they are written, since
  the dictionary holds some of their names as words (周恩来) and the reports name them
  with 同志 or in lists rather than after a title.
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
    if text[pos:pos + s] in load_word_list("people/ambiguous_surnames.txt") and _function_word_at(text, pos, s):
        return 0  # 和机关, 向社会, 和叶剑英, 国两国: a function word, not a surname
    end_max = min(len(text), pos + s + 2)
    given = []
    for i in range(pos + s, end_max):
        if not re.match(f"[{HAN}]", text[i]) or text[i] in stops:
            break
        given.append(text[i])
    if not given:
        return 0
    for extra in range(0, 4):  # 麦麦提艾力·阿布拉: a first part longer than a Han given name
        at = pos + s + len(given) + extra
        if extra and (at > len(text) or not re.match(f"[{HAN}]", text[at - 1])
                      or text[at - 2:at] in common_words()):
            break  # 刘三姐故里·…: a word, not more of a name
        dotted = _dotted_rest(text, at, followers)
        if dotted:  # 艾力·买买提: a transliterated name goes on after its middle dot
            return s + len(given) + extra + dotted
    if len(given) == 2:
        after_one = pos + s + 1
        if any(text.startswith(f, after_one) for f in followers) and not any(
            text.startswith(f, after_one + 1) for f in followers
        ):
            return s + 1
        return s + 2
    return s + 1 if not strict or len(given) == 1 else 0


_NAME_DOTS = "·•・"
_DOTTED_PART = 6  # the longest part after a middle dot (买买提, 吐尔逊, 阿布都热依木)


def _dotted_rest(text: str, pos: int, followers: frozenset[str]) -> int:
    """Length of ``·X`` at ``pos`` in a transliterated name (艾力·买买提): the dot and
    the Han characters after it, up to a word that follows names (出席, 深入) or
    ``_DOTTED_PART`` characters; 0 when no name part follows a dot there."""
    if pos >= len(text) or text[pos] not in _NAME_DOTS:
        return 0
    end = pos + 1
    while end < len(text) and end - pos - 1 < _DOTTED_PART and re.match(f"[{HAN}]", text[end]):
        if end - pos - 1 >= 2 and (any(text.startswith(f, end) for f in followers)
                                   or text[end:end + 2] in common_words()):
            break  # 艾尔肯·吐尔逊|带头落实: a word after the name part
        end += 1
    return end - pos if end - pos - 1 >= 2 else 0


def title_before(text: str, start: int) -> bool:
    """True when a title of ``people/titles.tsv`` ends right at ``start`` (县长|巴特尔)."""
    title_re = _patterns()[0]
    return any(m.end() == start for m in title_re.finditer(text, max(0, start - 12), start))


def titled_name(name: str) -> bool:
    """A name the model found right after a title, with no surname we know (扎西次仁,
    巴特尔, 其木格): Han characters only, 2 to 6 of them, neither a common word nor a
    place, nor holding a character that is never in names."""
    if not 2 <= len(name) <= 6 or not re.fullmatch(f"[{HAN}]+", name):
        return False
    stops = load_word_list("people/not_in_names.txt")
    return (name not in common_words() and name[:2] not in common_words()
            and not any(ch in stops for ch in name) and not names_a_place(name, counties=True))


_COUNT_CHARS = frozenset("一二三四五六七八九十百千万两几多")


def _function_word_at(text: str, pos: int, s: int) -> bool:
    """Whether the ambiguous surname at ``pos`` (和, 有, 国 …) is the function word it
    also is: an ordinary word follows it (和机关, 有更多), or a number or quantity (有三百,
    两国); a conjunction (``people/name_conjunctions.txt``) before another name (总理和
    叶剑英) or that jieba reads as a conjunction there (和中缅两国); or jieba reads a
    longer word that is no name from there (有职无权)."""
    rest = text[pos + s:pos + s + 3]
    if rest[:2] in common_words() or rest in common_words() or rest[:1] in _COUNT_CHARS:
        return True
    import jieba.posseg

    first = next(iter(jieba.posseg.cut(text[pos:pos + 8])), None)
    if text[pos:pos + s] in load_word_list("people/name_conjunctions.txt") and (
            name_at(text, pos + s) >= 2 or first is not None and first.word == text[pos:pos + s] and first.flag == "c"):
        return True
    return first is not None and len(first.word) > 3 and not first.flag.startswith("nr")


@lru_cache(maxsize=None)
def load_national_leaders() -> frozenset[str]:
    """Names of ``people/national_leaders.tsv``."""
    return frozenset(f[0] for _, f in iter_tsv("people/national_leaders.tsv", 1, 3))


@lru_cache(maxsize=None)
def _leaders_also_words() -> frozenset[str]:
    """Listed names that are also ordinary words: marked ``word`` in the list, or common
    words of jieba's dictionary (万里)."""
    marked = {f[0] for _, f in iter_tsv("people/national_leaders.tsv", 1, 3) if f[2:] == ["word"]}
    return frozenset(marked | (load_national_leaders() & common_words()))


@lru_cache(maxsize=None)
def _leaders_re() -> re.Pattern[str]:
    names = load_national_leaders()
    first = "".join(sorted({n[0] for n in names}))
    return re.compile(f"(?=[{first}])(?:{alternation(names)})")


def _national_leaders(text: str) -> list[Candidate]:
    """Listed national leaders as written (周恩来同志, 李先念、薄一波两位副总理), unless a
    common word runs across an edge of the name (山谷牧场 holds no 谷牧, 健康生活 no
    康生); a name that is a word itself (万里) needs 同志 or a title beside it."""
    common = common_words()
    title_re = _patterns()[0]
    out = []
    for match in _leaders_re().finditer(text):
        start, end = match.span()
        if text[start - 1:start + 1] in common and start > 0 or text[end - 1:end + 1] in common:
            continue
        if match.group(0) in _leaders_also_words() and not (text.startswith("同志", end) or title_re.match(text, end)
                                             or any(t.end() == start for t in title_re.finditer(text, max(0, start - 6), start))):
            continue
        out.append(Candidate(start, end, MentionType.PERSON.value, "rule:national-leader", 0.85))
    return out


@lru_cache(maxsize=None)
def _led_by_re() -> re.Pattern[str]:
    return re.compile(f"以([{HAN}]{{2,4}}?)同志为({alternation(load_titles())})的")


def _leader_of_body(text: str) -> list[Candidate]:
    """以胡锦涛同志为总书记的党中央: the person and the title, which is the person's (the
    title's ``name_end`` says where the name it belongs to ends)."""
    titles = load_titles()
    out = []
    for match in _led_by_re().finditer(text):
        start, end = match.span(1)
        if not plausible_person(text[start:end]):
            continue
        t_start, t_end = match.span(2)
        out.append(Candidate(start, end, MentionType.PERSON.value, "rule:led-by", 0.85))
        out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.8,
                             attrs={"implies": titles.get(match.group(2), ""), "after_name": True, "name_end": end}))
    return out


@lru_cache(maxsize=None)
def _shared_title_re() -> re.Pattern[str]:
    return re.compile(f"((?:[{HAN}]{{2,3}}、)+[{HAN}]{{2,3}})[两三四五六七八九]位({alternation(load_titles())})")


def _names_sharing_a_title(text: str) -> list[Candidate]:
    """李先念、薄一波两位副总理: every listed name holds the title (its ``name_ends``),
    when each is a plausible name and their count is the one written."""
    titles = load_titles()
    out = []
    for match in _shared_title_re().finditer(text):
        items = match.group(1).split("、")
        count = "一两三四五六七八九".find(text[match.end(1)]) + 1
        if len(items) != count or not all(plausible_person(item) for item in items):
            continue
        pos, ends = match.start(1), []
        for item in items:
            out.append(Candidate(pos, pos + len(item), MentionType.PERSON.value, "rule:name-list", 0.75))
            ends.append(pos + len(item))
            pos += len(item) + 1
        t_start, t_end = match.span(2)
        out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.8,
                             attrs={"implies": titles.get(match.group(2), ""), "after_name": True,
                                    "name_ends": tuple(ends)}))
    return out


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
    out.extend(_national_leaders(text))
    led_by = _leader_of_body(text) + _names_sharing_a_title(text)
    out.extend(led_by)
    taken = {c.start for c in led_by if c.label == MentionType.TITLE.value}
    leaders = load_national_leaders()
    for match in title_re.finditer(text):
        if match.start() in taken:
            continue
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
            if text[start:t_start] in leaders or name_at(text, start) == length and (
                    start == 0 or not re.match(f"[{HAN}]", text[start - 1]) or _boundary_before(text, start)):
                out.append(Candidate(start, t_start, person, "rule:name+title", 0.75))
                out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.8,
                                     attrs={"implies": titles.get(match.group(0), ""), "after_name": True}))
                break
        else:
            # no name found on either side: a name another rule or the model finds right
            # before it (如李先念副总理) may take it (``alone``)
            out.append(Candidate(t_start, t_end, MentionType.TITLE.value, "rule:title", 0.5,
                                 attrs={"implies": titles.get(match.group(0), ""), "alone": True}))
    return out


@lru_cache(maxsize=None)
def _list_re() -> re.Pattern[str]:
    followers = alternation(load_word_list("people/list_followers.txt"))
    return re.compile(f"((?:[{HAN}]{{2,4}}、)+[{HAN}]{{2,4}})(?={followers})")


def _name_lists(text: str) -> list[Candidate]:
    """A run of names separated by 、 before 等, 夺得 and the like (程建平、张俊明、苗霖瑞夺得):
    taken only when every item is a plausible name and none is a place (云南、景谷等地)."""
    out = []
    for match in _list_re().finditer(text):
        items = match.group(1).split("、")
        # the first item may carry words before it (经过比拼，程建平 -> the regex starts at 程)
        pos = match.start(1)
        spans = []
        for item in items:
            spans.append((pos, pos + len(item)))
            pos += len(item) + 1
        if all(plausible_person(text[s:e]) and not names_a_place(text[s:e], counties=True) for s, e in spans):
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
    """A model's (or a list rule's) person span: a surname and one or two more Han
    characters (three after a compound surname), none of them function words, or a
    transliterated name with a middle dot; a listed national leader always. Not a
    place the gazetteer knows by that form: a country, province, city or region (云南,
    巴基斯坦, 安徽), nor a county's own short name (景谷)."""
    if "·" in name:
        return 3 <= len(name) <= 12
    if name in load_national_leaders():
        return True
    if not 2 <= len(name) <= 4 or not re.fullmatch(f"[{HAN}]+", name):
        return False
    surnames = load_word_list("people/surnames.txt")
    s = 2 if name[:2] in surnames else 1 if name[:1] in surnames else 0
    stops = load_word_list("people/not_in_names.txt")
    common = common_words()
    return (bool(s) and s < len(name) <= s + 2 and not any(ch in stops for ch in name[s:])
            and name not in common and name[:2] not in common
            and name[:s] not in load_word_list("people/ambiguous_surnames.txt")
            and not names_a_place(name))


_PLACE_LEVELS = frozenset({"country", "province", "city", "region"})


def names_a_place(name: str, counties: bool = False) -> bool:
    """True when the gazetteer knows ``name`` as a country, province, city or region, by
    its full name or one of its short forms or aliases, or as a county by its full name
    (和县); with ``counties``, by a county's short form too (景谷), which is also many a
    person's name (高平, 江华) unless the context lists places. A township or village
    name (张庄) may well be a person's."""
    from ..places import load_gazetteer

    return any(p.level in _PLACE_LEVELS or p.level == "county" and (counties or p.name == name)
               for p in load_gazetteer().by_name(name))
