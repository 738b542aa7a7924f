"""Rules for agencies: a grammar of agency names.

An agency name is a prefix and one or more units:

- prefix: a place found in the text (晋中市, 介休市), a relative prefix from
  ``agencies/prefixes.tsv`` (市, 县, 省: 市委, 县政府 — resolved later against the home
  place), or nothing for open-ended names (山西大学, 翰璞人力资源有限公司);
- unit: a core from ``agencies/cores.tsv`` (委, 政府, 总工会, 税务局) or a proper name
  ending in a head from ``agencies/suffixes.tsv`` (…中心, …分局, …党支部).

Every unit end is an agency (晋中市委 and 晋中市委组织部 both), so nesting is
visible to ``relate`` (sub_organization_of). Names with fixed national forms
(党中央, 国务院, 团市委) come from ``agencies/relative.tsv``; national bodies named by a
fixed form and no place (教育部, 国家发改委, 中组部, 新华社) from
``agencies/national_bodies.tsv``, state-owned banks and central enterprises (中国建设银行,
工行, 国家电网) from ``agencies/national_enterprises.tsv``, international organizations
(联合国, 世贸组织) from ``agencies/international_orgs.tsv``: a list is the right tool for
names that a grammar of place + unit cannot read.

Further shapes of the grammar, each read from data:

- places or prefixes listed before one unit share it (甲县、乙县人民检察院, 省、市、县三级
  工会, A市和B市公安局; ``agencies/shared_units.tsv``), as one prefix's units are shared
  by bare cores after it (省委、省政府);
- working bodies named after a task take a longer middle with verbs in it (市委全面深化改革
  领导小组; ``agencies/task_heads.txt``, ``task_verbs.txt``, ``task_breakers.txt``);
- a head that runs into a longer word ends no name (大学|生, 中心|医院, 集团|有限公司;
  ``agencies/head_continuations.tsv``);
- heads of companies, banks, cooperatives, factories, mines and newspapers need a proper
  name or a place before them (国有商业银行, 上市公司 are classes), and short brand forms
  of companies are read after a proper name (华菱科技; ``agencies/brand_heads.txt``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import MentionType
from ..lexicon import common_words, iter_tsv, load_word_list, verbs
from .candidates import (HAN, Candidate, after_verb, alternation, first_place_start, forms_pattern,
                         noun_phrase_start, trim_left)

AGENCY = MentionType.AGENCY.value
_MAX_MIDDLE = 8
_MAX_TASK_MIDDLE = 16  # 创建全国文明城市工作 + 指挥部
# jieba POS tags that cannot be inside an agency's proper name: verbs, adverbs,
# prepositions, conjunctions, particles, pronouns, idioms.
_VERBLIKE = frozenset({"v", "d", "p", "c", "u", "r", "i", "ad", "y", "e", "z"})
_TASK_BREAK_FLAGS = frozenset({"d", "p", "c", "u", "r", "y", "e", "ad"})


@lru_cache(maxsize=None)
def load_cores() -> dict[str, tuple[str, bool]]:
    """Core -> (kind, needs a prefix). A government bureau or department (民政局,
    财政厅) may also be named by its field and 部门 (省、市民政部门), and then only
    after a place or a relative prefix: bare 民政部门 is any such office."""
    cores = {f[0]: (f[1], f[2] == "1") for _, f in iter_tsv("agencies/cores.tsv", 3, 3)}
    for core, (kind, _) in list(cores.items()):
        if kind == "government" and core[-1] in "局厅" and len(core) >= 3:
            cores.setdefault(core[:-1] + "部门", (kind, True))
    return cores


@lru_cache(maxsize=None)
def _suffix_rows() -> tuple[tuple[str, str, bool, bool], ...]:
    return tuple((f[0], f[1], f[2] == "1", f[3] == "1") for _, f in iter_tsv("agencies/suffixes.tsv", 4, 4))


@lru_cache(maxsize=None)
def load_suffixes() -> dict[str, str]:
    """Head -> kind."""
    return {head: kind for head, kind, _, _ in _suffix_rows()}


@lru_cache(maxsize=None)
def standalone_suffixes() -> frozenset[str]:
    """Heads that can end a name with no place or parent in front (山西大学), unlike
    sub-unit heads (…分局, …党组, …办公室) that need one."""
    return frozenset(head for head, _, standalone, _ in _suffix_rows() if standalone)


@lru_cache(maxsize=None)
def proper_suffixes() -> frozenset[str]:
    """Heads whose name must hold a proper noun (学校, 医院: 寄宿制学校 is a class)."""
    return frozenset(head for head, _, _, proper in _suffix_rows() if proper)


@lru_cache(maxsize=4096)
def _has_proper_noun(core: str) -> bool:
    """True when jieba sees a name in ``core`` (a person, place, organisation or an
    unknown word), the mark of a proper name rather than a class of institutions."""
    import jieba.posseg

    for word in jieba.posseg.cut(core):
        if word.flag.startswith(("nr", "ns", "nt", "nz")) or word.flag in ("x", "eng"):
            return True
        if len(word.word) > 1 and word.word not in _jieba_freq():
            return True
    return False


@lru_cache(maxsize=1)
def _jieba_freq():
    import jieba

    jieba.initialize()
    return jieba.dt.FREQ


@lru_cache(maxsize=None)
def load_prefixes() -> dict[str, str]:
    return {f[0]: f[1] for _, f in iter_tsv("agencies/prefixes.tsv", 2, 2)}


@lru_cache(maxsize=None)
def load_relative() -> dict[str, tuple[str, str, str]]:
    """Fixed relative form -> (level, canonical template, kind)."""
    return {f[0]: (f[1], f[2], f[3]) for _, f in iter_tsv("agencies/relative.tsv", 5, 5)}


LISTED_FILES = (("agencies/national_bodies.tsv", "country"), ("agencies/national_enterprises.tsv", "country"),
                ("agencies/international_orgs.tsv", "international"))


@lru_cache(maxsize=None)
def load_listed_bodies() -> dict[str, tuple[str, str, str]]:
    """Written form -> (level, canonical name, kind) of the bodies named by a fixed form:
    level ``country`` for the national bodies (they lie in 中国), ``international`` for
    international organizations (they lie in no place of the text). Forms that
    ``relative.tsv`` has are read there and left out here."""
    relative = load_relative()
    out: dict[str, tuple[str, str, str]] = {}
    for relpath, level in LISTED_FILES:
        for _, f in iter_tsv(relpath, 1, 3):
            canonical, kind = f[0], f[1] if len(f) > 1 else ""
            for form in [canonical, *(w for w in (f[2].split("|") if len(f) > 2 else ()) if w)]:
                if form not in relative:
                    out.setdefault(form, (level, canonical, kind))
    return out


@lru_cache(maxsize=None)
def _listed_re() -> re.Pattern[str]:
    return forms_pattern(load_listed_bodies())


@lru_cache(maxsize=None)
def _national_prefixes() -> tuple[str, ...]:
    return tuple(sorted(load_word_list("agencies/national_prefixes.txt"), key=len, reverse=True))


def listed_body_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, level) of every written form of a listed body in ``text``, before
    any check: lets the place rule leave alone a place inside such a name (上海 in
    上海合作组织)."""
    forms = load_listed_bodies()
    return [(m.start(), m.end(), forms[m.group(0)][0]) for m in _listed_re().finditer(text)]


def _word_straddles(text: str, pos: int, common: frozenset[str]) -> bool:
    """True when a common word of two to four characters runs across ``pos`` (电子|商务部,
    教育|部门, 财政|部署): the form there is part of another word."""
    for k in range(1, 4):
        for length in range(k + 1, 5):
            if pos - k >= 0 and pos - k + length <= len(text) and text[pos - k:pos - k + length] in common:
                return True
    return False


def _listed_bodies(text: str, places: list[Candidate], place_starts: frozenset[int]) -> list[Candidate]:
    """National bodies and international organizations named by a fixed form
    (教育部, 国家发改委, 中组部, 联合国, 世贸组织), canonical names from the lists, and
    the units named right after one (教育部考试中心).

    A form is not taken where it is part of another word (教育部门, 电子商务部, 国防部长:
    a common word runs across its edge), nor right after a place, a relative prefix or
    an agency head (美国国防部, 市商务部, 公司人事部: another body of that name), unless
    the words before it are a national prefix (中华人民共和国外交部, 国家教育部), which
    then belong to the mention."""
    out: list[Candidate] = []
    forms = load_listed_bodies()
    prefixes = load_prefixes()
    common = common_words()
    place_ends = {p.end for p in places}
    heads = tuple(h for h in list(load_cores()) + list(load_suffixes()) if len(h) > 1)
    for match in _listed_re().finditer(text):
        start, end = match.span()
        level, canonical, kind = forms[match.group(0)]
        national = next((w for w in _national_prefixes() if text.endswith(w, 0, start)), "") \
            if level == "country" else ""
        if national:
            start -= len(national)
        elif start in place_ends or (start > 0 and text[start - 1] in prefixes and end - start <= 3) \
                or text.endswith(heads, 0, start) or _word_straddles(text, start, common):
            continue
        if _word_straddles(text, end, common) and not any(text[end:end + n] in common for n in (2, 3, 4)):
            continue  # 教育部|门; but 中国人民银行|会同 (行会 straddles, 会同 begins after)
        attrs = {"kind": kind, "relative_level": level, "template": canonical}
        out.append(Candidate(start, end, AGENCY, "rule:agency-listed", 0.9, attrs=attrs))
        for unit_end in _units(text, end, first_needs_core=False, place_starts=place_starts, bare_core=False):
            out.append(Candidate(start, unit_end, AGENCY, "rule:agency-listed", 0.8,
                                 attrs={**attrs, "rest": text[end:unit_end]}))
    return out


@lru_cache(maxsize=None)
def load_named_parents() -> dict[str, str]:
    """Fixed form -> the national body its name makes it part of (团市委 -> 中国共产主义青年团)."""
    return {f[0]: f[4] for _, f in iter_tsv("agencies/relative.tsv", 5, 5) if f[4]}


@lru_cache(maxsize=None)
def _heads_alternation(heads: tuple[str, ...]) -> str:
    """A regex alternation of agency heads, longest first, each one that may run into a
    longer word (``head_continuations.tsv``: 大学|生, 中心|组, 集团|有限公司) followed by a
    negative lookahead, so that a unit or a name never ends there and a lazy match runs
    on to the next head (…集团有限公司 is one name, not …集团 and a unit 有限公司)."""
    continuations = load_head_continuations()
    parts = []
    for head in sorted(set(heads), key=len, reverse=True):
        rests = [rest for key, rs in continuations.items() if head.endswith(key) for rest in rs]
        parts.append(re.escape(head) + (f"(?!{alternation(rests)})" if rests else ""))
    return "|".join(parts)


def _all_heads() -> tuple[str, ...]:
    return tuple(load_cores()) + tuple(load_suffixes())


@lru_cache(maxsize=None)
def _unit_re() -> re.Pattern[str]:
    return re.compile(f"([{HAN}A-Za-z0-9]{{0,{_MAX_MIDDLE}}}?)(?:{_heads_alternation(_all_heads())})")


@lru_cache(maxsize=None)
def _task_unit_re() -> re.Pattern[str]:
    """A unit whose head names a working body after its task (``task_heads.txt``), with
    the longer middle such a task takes."""
    heads = _heads_alternation(tuple(load_word_list("agencies/task_heads.txt")))
    return re.compile(f"([{HAN}A-Za-z0-9]{{0,{_MAX_TASK_MIDDLE}}}?)(?:{heads})")


@lru_cache(maxsize=None)
def _middle_stops() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Stop words of two or more characters that break a unit's middle: for most heads,
    for enterprise heads (without the words of ``name_words.txt``: 中国建设银行), and for
    task heads (without the verbs of ``task_verbs.txt``, with ``task_breakers.txt``)."""
    stops = frozenset(w for w in load_word_list("agencies/left_stops.txt") if len(w) > 1)
    enterprise = stops - load_word_list("agencies/name_words.txt")
    task = (stops - load_word_list("agencies/task_verbs.txt")) | load_word_list("agencies/task_breakers.txt")
    return stops, enterprise, task


@lru_cache(maxsize=None)
def _title_re() -> re.Pattern[str]:
    from .people import load_titles

    return re.compile(alternation(t for t in load_titles() if len(t) > 1))


@lru_cache(maxsize=None)
def _head_re() -> re.Pattern[str]:
    return re.compile(f"(?:{_heads_alternation(_all_heads())})")


def _kind(unit: str) -> str:
    cores, suffixes = load_cores(), load_suffixes()
    for n in range(len(unit), 0, -1):
        tail = unit[-n:]
        if tail in cores:
            return cores[tail][0]
        if tail in suffixes:
            return suffixes[tail]
    return ""


def _units(text: str, pos: int, first_needs_core: bool, relative_open: bool = False,
           place_starts: frozenset[int] = frozenset(), bare_core: bool = True) -> list[int]:
    """Ends of successive units starting at ``pos`` (the nested agency ends)."""
    ends: list[int] = []
    while True:
        end = _unit_end(text, pos, bool(ends), first_needs_core, relative_open, place_starts, bare_core)
        if end is None:
            break
        ends.append(end)
        pos = end
    return ends


def _unit_end(text: str, pos: int, after_unit: bool, first_needs_core: bool, relative_open: bool,
              place_starts: frozenset[int], bare_core: bool) -> int | None:
    """The end of the unit that starts at ``pos``, or None. A unit is a middle and a
    head; when the usual short middle gives none, a working body named after its task
    (市委 + 全面深化改革领导小组) may take a longer one."""
    breakers = load_word_list("agencies/middle_breakers.txt")
    cores = load_cores()
    suffixes = load_suffixes()
    stops, enterprise_stops, task_stops = _middle_stops()
    for unit_re, task in ((_unit_re(), False), (_task_unit_re(), True)):
        match = unit_re.match(text, pos)
        if not match:
            continue
        unit, middle = match.group(0), match.group(1)
        head = unit[len(middle):]
        title = _title_re().match(text, pos)
        if title and (middle or match.end() > title.end()) and not _office_of_title(head, title.group(0)):
            return None  # a title begins here (…局长), not another unit; 党委 + 委员 is a unit first
        kind = cores[head][0] if head in cores else suffixes.get(head, "")
        middle_stops = task_stops if task else enterprise_stops if kind == "enterprise" else stops
        if any(stop in middle for stop in middle_stops) or any(ch in breakers for ch in middle):
            continue
        if any(p in place_starts for p in range(pos + 1, pos + len(middle))):
            continue  # a place begins inside: 县政协工作者到浙江大学 is two names
        if task and not _task_middle_ok(middle):
            continue
        if head in cores and cores[head][1] and (middle or ((after_unit or not bare_core) and len(head) == 1)):
            return None  # 委, 政府, 工会 … only right after a place or a prefix (not 党委 + 委)
        if not after_unit and first_needs_core and head not in cores and not relative_open:
            return None
        if len(head) == 1 and head not in cores and middle and _holds_verb(middle):
            continue  # a one-character head (厂, 矿) after a verb: 关闭小煤矿 names no mine
        return match.end()
    return None


def _office_of_title(head: str, title: str) -> bool:
    """True when a sub-unit head is a title and one character (书记 + 处): the office
    of those who hold the title (团中央书记处), not the title of a person."""
    return len(head) == len(title) + 1 and head.startswith(title) and head in load_suffixes() \
        and head not in standalone_suffixes()


@lru_cache(maxsize=4096)
def _holds_verb(words: str) -> bool:
    """True when ``words`` cannot be the proper part of a factory's or a mine's name: jieba
    reads a verb, an adverb or a function word in it, of any length (吉林省有一个制糖厂,
    努力提高找矿), or a quantity before its last word (许多轻工业工厂, 三大化纤厂; but
    第一机床厂 and 国棉二厂 are names)."""
    import jieba.posseg

    cut = list(jieba.posseg.cut(words))
    for i, word in enumerate(cut):
        if word.flag in _VERBLIKE or word.flag == "vn" and i == 0:
            return True
        if word.flag.startswith("m") and not word.word.startswith("第") and i < len(cut) - 1:
            return True
    return False


@lru_cache(maxsize=4096)
def _task_middle_ok(middle: str) -> bool:
    """True when the task before a working body's head holds no adverb or function word
    (国务院已责成经济体制改革委员会: 已 shows a sentence, not a name). Verbs may stand in
    a task (创建全国文明城市, 森林防火)."""
    import jieba.posseg

    return not any(w.flag in _TASK_BREAK_FLAGS for w in jieba.posseg.cut(middle))


def find_agencies(text: str, places: list[Candidate], seat_of=None) -> list[Candidate]:
    """Agency candidates. ``places`` are the place spans found in the same text;
    ``seat_of(name)`` (optional) names the place a bare name starts with (太原理工大学
    -> 太原市) when the place matcher did not split it off."""
    out: list[Candidate] = []
    prefixes = load_prefixes()
    cores = load_cores()
    stops = load_word_list("agencies/left_stops.txt")
    leading = load_word_list("agencies/leading_words.txt")
    place_start_set = frozenset(p.start for p in places)
    place_ends = {}
    for p in places:
        place_ends.setdefault(p.end, p)
    common = common_words()
    # 1. fixed forms (党中央, 团市委)
    relative = load_relative()
    rel_re = re.compile(alternation(relative))
    for match in rel_re.finditer(text):
        if match.start() > 0 and text[match.start() - 1] in prefixes and len(match.group(0)) <= 3:
            continue  # 市人大: the relative-prefix rule reads it
        level, template, kind = relative[match.group(0)]
        if text[match.start() - 1:match.start() + 1] in common or text[match.end() - 1:match.end() + 1] in common:
            continue  # 工人大军 holds no 人大
        if level == "home" and match.start() > 0 and re.match(f"[{HAN}]", text[match.start() - 1]) and not any(
                text.endswith(w, 0, match.start()) for w in stops) and not after_verb(text, match.start()):
            continue  # 同级人大, 各级政协: a class of bodies, not the home one (but 执行人大决议 is)
        attrs = {"kind": kind, "relative_level": level, "template": template}
        if match.group(0) in load_named_parents():
            attrs["named_parent"] = load_named_parents()[match.group(0)]
        out.append(Candidate(match.start(), match.end(), AGENCY, "rule:agency-fixed", 0.9, attrs=attrs))
        for end in _units(text, match.end(), first_needs_core=False, place_starts=place_start_set,
                          bare_core=False):  # 国务院 + 安委办, but not 政协 + 委(员)
            out.append(Candidate(match.start(), end, AGENCY, "rule:agency-fixed", 0.8,
                                 attrs={"kind": kind, "relative_level": level, "template": template,
                                        "rest": text[match.end():end]}))
    # 1b. national bodies and international organizations named by a fixed form
    out.extend(_listed_bodies(text, places, place_start_set))
    # 2. place + units
    written = load_word_list("agencies/written_cores.txt")
    for p in places:
        ends = _units(text, p.end, first_needs_core=False, place_starts=place_start_set)
        for i, end in enumerate(ends):
            first_head = text[p.end:ends[0]]
            attrs = {"kind": _kind(text[p.start:end]), "parent_end": ends[i - 1] if i else -1}
            if first_head in cores and first_head not in written:
                # 晋中总工会 -> 晋中市总工会; 山西大学, 阿克苏地委 stay as written
                attrs.update(place=p.name or text[p.start:p.end], place_end=p.end)
            else:
                attrs.update(seat=p.name or text[p.start:p.end])
            out.append(Candidate(p.start, end, AGENCY, "rule:agency-place", 0.85 if i == 0 else 0.8, attrs=attrs))
    # 2b. Youth League committees of a named place (团江西省委, 团新疆区委)
    out.extend(_league_committees(text, places, common))
    # 3. relative prefix + units (市委, 县委组织部, 省总工会)
    prefix_re = re.compile(f"(?:{alternation(prefixes)})")
    blockers = tuple(load_word_list("agencies/prefix_blockers.txt"))
    long_cores = tuple(c for c in cores if len(c) > 2)
    # positions strictly inside a place name (a set, not a scan of all places per match:
    # that made a long document cost the square of its length)
    inside_place = {i for p in places for i in range(p.start + 1, p.end)}
    for match in prefix_re.finditer(text):
        start, pend = match.span()
        if text.startswith(blockers, start) and not text.startswith(long_cores, pend):
            continue  # 市民 is not 市 + 民…, but 市民政局 is 市 + 民政局
        if start in place_ends or pend in place_ends or start in inside_place:
            continue
        if start > 0 and text[start - 1] == "团":
            continue  # 团市委: a fixed form
        if not _prefix_ok(text, start):
            continue
        ends = _units(text, pend, first_needs_core=True, relative_open=True, place_starts=place_start_set)
        for i, end in enumerate(ends):
            out.append(Candidate(start, end, AGENCY, "rule:agency-relative", 0.8 if i == 0 else 0.75,
                                 attrs={"kind": _kind(text[start:end]), "relative_level": prefixes[match.group(0)],
                                        "prefix": match.group(0), "parent_end": ends[i - 1] if i else -1}))
    # 3b. places or prefixes listed before one unit share it: 省、州政协 -> 省政协 and 州政协;
    # 甲县、乙县人民检察院; 省、市、县三级工会; A市和B市公安局
    out = _shared_units(text, out, places, place_start_set)
    # 3c. a bare core after 、 shares the prefix of the agency before it:
    # 该乡党委、政府 -> 乡政府; 县委统战部、工商联 -> 县工商联
    bare_re = re.compile(f"、({alternation(c for c, (_, needs) in cores.items() if needs and len(c) > 1)})")
    by_end = {}
    for c in out:
        if c.source in ("rule:agency-relative", "rule:agency-place"):
            if c.end not in by_end or c.start < by_end[c.end].start:
                by_end[c.end] = c
    for match in bare_re.finditer(text):
        before = by_end.get(match.start())
        if before is None or text[match.end():match.end() + 1] in prefixes:
            continue
        core = match.group(1)
        attrs = {k: v for k, v in before.attrs.items() if k in ("prefix", "relative_level", "place", "seat")}
        attrs["kind"] = _kind(core)
        if "seat" in attrs and text[before.start:before.end].endswith(tuple(written)):
            attrs["place"] = attrs.pop("seat")  # 阿克苏地委、行署 -> 阿克苏地区行署
        if "prefix" in attrs:
            attrs["surface"] = attrs["prefix"] + core
        elif "place" in attrs:
            attrs["surface"] = attrs["place"] + core
        else:
            continue
        out.append(Candidate(match.start(1), match.end(1), AGENCY, "rule:agency-coordinated", 0.65, attrs=attrs))
    # 3d. a department after a committee member's post belongs to that committee:
    # 市委常委、组织部部长 -> 市委组织部; 县委常委、政法委书记 -> 县委政法委
    departments = [c for c, (kind, needs) in cores.items() if kind == "party" and not needs and len(c) > 1]
    member_re = re.compile(f"(?:常委|委员)、({alternation(departments)})")
    for match in member_re.finditer(text):
        before = by_end.get(match.start())
        if before is None or not text[before.start:before.end].endswith("委"):
            continue
        attrs = {k: v for k, v in before.attrs.items() if k in ("prefix", "relative_level", "place")}
        committee = text[before.start:before.end]
        if "prefix" in attrs:
            attrs["surface"] = committee + match.group(1)
        elif "place" in attrs:
            attrs["surface"] = attrs["place"] + "委" + match.group(1)  # 晋中委 written short: 晋中市委…
        else:
            continue
        attrs["kind"] = "party"
        out.append(Candidate(match.start(1), match.end(1), AGENCY, "rule:agency-member-department", 0.65,
                             attrs=attrs))
    # 4. open-ended names ending in a head that needs no prefix (山西大学, 组织部)
    standalone = standalone_suffixes()
    proper = proper_suffixes()
    place_starts = sorted(p.start for p in places)
    enterprise_trim = stops - load_word_list("agencies/name_words.txt")
    for match in _head_re().finditer(text):
        head = match.group(0)
        if head in cores and cores[head][1]:
            continue
        partial = head not in cores and head not in standalone  # 第一税务分局: a unit of a body named before
        end = match.end()
        left = _name_left(text, match.start())
        enterprise = _kind(head) == "enterprise"
        start = trim_left(text, left, match.start(), enterprise_trim if enterprise else stops, leading=leading)
        at_place = first_place_start(place_starts, start, match.start())
        start = at_place if at_place is not None else noun_phrase_start(text, start, match.start(), _VERBLIKE)
        core = text[start:match.start()]
        if len(core) < 2 or (len(core) <= 2 and core in common and not partial) or core[0].isdigit():
            continue
        seat = seat_of(core) if seat_of is not None and at_place is None else ""
        if head in proper and at_place is None and not seat and not _has_proper_noun(core) \
                and not (_quoted(text, start, end) and _kind(head) == "social"):
            continue  # 寄宿制学校, 普惠性幼儿园, 国有商业银行: a class, not a name
        if len(head) == 1 and _holds_verb(core):
            continue  # 郴州市关闭小煤矿: a one-character head after a verb names nothing
        attrs = {"kind": _kind(head)}
        if seat:
            attrs["seat"] = seat
        if partial:
            attrs["partial"] = True
        out.append(Candidate(start, end, AGENCY, "rule:agency-open", 0.5 if partial else 0.6, attrs=attrs))
        if not partial and attrs["kind"] in ("institution", "enterprise"):
            # its own units follow it as they follow a place (东南大学党委, 东南大学研究生院)
            for unit_end in _units(text, end, first_needs_core=False, place_starts=place_start_set):
                out.append(Candidate(start, unit_end, AGENCY, "rule:agency-open", 0.6,
                                     attrs={**attrs, "kind": _kind(text[start:unit_end]), "parent_end": end}))
    # 4b. short brand forms of companies (华菱集团 is read above; 华菱科技, 金瑞股份)
    out.extend(_brand_names(text, place_starts, stops, leading, seat_of))
    laws = tuple(load_word_list("agencies/not_followed_by.txt"))
    # a count word inside a name (永州两市公安局, 县两级法院) shows a shared unit: only the
    # names _shared_units writes out stand
    count_re = _count_re()
    by_start: dict[int, list[Candidate]] = {}
    for p in places:
        by_start.setdefault(p.start, []).append(p)
    return [c for c in out if not text.startswith(laws, c.end) and not _CLASS_OF_UNITS.search(text, c.start, c.end)
            and not _runs_into_word(text, c) and not class_of_institutions(_after_place(text, c, by_start))
            and (c.source == "rule:agency-coordinated" or not count_re.search(text, c.start, c.end))]


_LEVEL_CHARS = "省市县区旗州盟"
LEAGUE = "共青团"


def _league_committees(text: str, places: list[Candidate], common: frozenset[str]) -> list[Candidate]:
    """The Youth League committee of a named place: 团 + place + 委, the place written in
    full or short with its level character (团江西省委, 团新疆区委, 团北京市委) ->
    共青团江西省委, 共青团新疆维吾尔自治区委, a unit of 中国共产主义青年团 by its name. Not
    where 团 ends another word (集团, 兵团)."""
    out = []
    for p in places:
        if p.start == 0 or text[p.start - 1] != "团" or text[p.start - 2:p.start] in common:
            continue
        name = p.name or text[p.start:p.end]
        if text.startswith("委", p.end):
            end = p.end + 1
        elif text[p.end:p.end + 1] in _LEVEL_CHARS and name.endswith(text[p.end]) and text.startswith("委", p.end + 1):
            end = p.end + 2
        else:
            continue
        if text.startswith(("员", "会"), end):
            continue  # 团…委员, 团…委会: a title or another body
        attrs = {"kind": "mass", "place": name, "surface": f"{LEAGUE}{name}委",
                 "named_parent": load_named_parents().get("团市委", "")}
        out.append(Candidate(p.start - 1, end, AGENCY, "rule:agency-league", 0.9, attrs=attrs))
    return out


_NAME_CHAR = re.compile(f"[{HAN}A-Za-z0-9·]")
_QUOTED_WORD = 8


def _name_left(text: str, head_start: int) -> int:
    """How far left of a head an open-ended name may reach: over name characters, and
    over a short quoted word inside the name (金川区“小马扎”志愿宣讲队), up to 20
    characters."""
    left = head_start
    while left > 0 and head_start - left < 20:
        if _NAME_CHAR.match(text[left - 1]):
            left -= 1
            continue
        opened = text.rfind("“", max(0, left - 1 - _QUOTED_WORD), left - 1) if text[left - 1] == "”" else -1
        if opened < 0 or not all(_NAME_CHAR.match(ch) for ch in text[opened + 1:left - 1]) \
                or opened == 0 or not _NAME_CHAR.match(text[opened - 1]):
            break
        left = opened
    return left


def _quoted(text: str, start: int, end: int) -> bool:
    """True when the name stands alone in quotation marks (“巾帼电商直播团”): the writer
    marks a team's name as proper, though its words are common ones (a quoted factory
    or school is as often a figure of speech: “帽子工厂”)."""
    return start > 0 and text[start - 1] == "“" and text.startswith("”", end)


@lru_cache(maxsize=None)
def _brand_re() -> re.Pattern[str]:
    return re.compile(alternation(load_word_list("agencies/brand_heads.txt")))


def _brand_names(text: str, place_starts: list[int], stops: frozenset[str], leading: frozenset[str],
                 seat_of=None) -> list[Candidate]:
    """Companies named by a short brand form: a proper name of two to four characters and
    a word of their trade (``brand_heads.txt``: 科技, 股份, 药业), where the form ends a
    word (``brand_followers.txt``: 华菱科技等企业, 金瑞股份、…). The name must be proper
    (a word jieba tags as a name or does not know) and must not begin with a place of the
    gazetteer or a seat: 湖南科技, 农业科技, 现代科技 name a field, not a company."""
    out: list[Candidate] = []
    followers = tuple(load_word_list("agencies/brand_followers.txt"))
    common = common_words()
    for match in _brand_re().finditer(text):
        end = match.end()
        if end < len(text) and re.match(f"[{HAN}A-Za-z0-9]", text[end]) and not text.startswith(followers, end):
            continue  # 科技创新, 股份制: the word runs on
        left = match.start()
        while left > 0 and re.match(f"[{HAN}A-Za-z0-9·]", text[left - 1]) and match.start() - left < 6:
            left -= 1
        start = trim_left(text, left, match.start(), stops, leading=leading)
        start = noun_phrase_start(text, start, match.start(), _VERBLIKE)
        core = text[start:match.start()]
        if not 2 <= len(core) <= 4 or core in common or first_place_start(place_starts, start, match.start()) \
                is not None or (seat_of is not None and seat_of(core)) or not _brand_name(core):
            continue
        out.append(Candidate(start, end, AGENCY, "rule:agency-brand", 0.55, attrs={"kind": "enterprise"}))
    return out


@lru_cache(maxsize=None)
def load_shared_units() -> tuple[dict[str, bool], dict[str, int], tuple[str, ...]]:
    """``shared_units.tsv``: join words (-> whether the items they join must be of one
    level), count words (-> how many items they count), class words before a list."""
    joins: dict[str, bool] = {}
    counts: dict[str, int] = {}
    classes: list[str] = []
    for _, f in iter_tsv("agencies/shared_units.tsv", 2, 3):
        value = f[2] if len(f) > 2 else ""
        if f[0] == "join":
            joins[f[1]] = value == "1"
        elif f[0] == "count":
            counts[f[1]] = int(value)
        elif f[0] == "class":
            classes.append(f[1])
    return joins, counts, tuple(sorted(classes, key=len, reverse=True))


@lru_cache(maxsize=None)
def _count_re() -> re.Pattern[str]:
    return re.compile(alternation(load_shared_units()[1]))


@lru_cache(maxsize=None)
def _stops_and_cores() -> tuple[str, ...]:
    return tuple(load_word_list("agencies/left_stops.txt")) + tuple(load_cores())


def _prefix_ok(text: str, start: int) -> bool:
    """Whether a relative prefix at ``start`` can begin an agency name: not inside a word
    (城市, 各市), unless a stop word, a core or a verb ends right before it."""
    if start == 0 or not re.match(f"[{HAN}]", text[start - 1]):
        return True
    return text.endswith(_stops_and_cores(), 0, start) or after_verb(text, start)


def _shared_units(text: str, out: list[Candidate], places: list[Candidate],
                  place_starts: frozenset[int]) -> list[Candidate]:
    """Places or relative prefixes listed before one unit, each with that unit:

    - 甲县、乙县人民检察院 -> 甲县人民检察院 and 乙县人民检察院; 省、州政协 -> 省政协 and 州政协;
    - with a count word that counts the items: 省、市、县三级工会, 市县两级法院 -> 省工会 …;
    - 和, 与, 及 join only items of one level (郴州市和永州市公安局), unless a count follows.

    After places the unit must begin with a core (政府, 人民检察院, 公安局: 甲县、乙县第一
    中学 is not two schools); after relative prefixes any unit does, as for the prefix
    alone. A list after a class word (各省、市政府) names a class of bodies: neither the
    earlier items nor the last one is taken. Each earlier item is a mention spanning the
    place or prefix, whose name (``surface``) is the item and the whole shared unit
    (省、市委组织部 -> 省委组织部; one span holds one name)."""
    joins, counts, classes = load_shared_units()
    prefixes = load_prefixes()
    cores = load_cores()
    place_at_end: dict[int, Candidate] = {}
    for p in places:
        if p.end not in place_at_end or p.start < place_at_end[p.end].start:
            place_at_end[p.end] = p
    groups: dict[tuple, list[Candidate]] = {}  # the units after one place or prefix
    for c in out:
        if c.source == "rule:agency-relative":
            groups.setdefault((c.start, c.attrs["prefix"]), []).append(c)
        elif c.source == "rule:agency-place" and "place_end" in c.attrs:  # a core first: 甲县人民检察院
            groups.setdefault((c.start, c.attrs["place_end"]), []).append(c)
    join_words = sorted(joins, key=len, reverse=True)
    prefix_words = sorted(prefixes, key=len, reverse=True)

    def item_ending_at(k: int, prefix_only: bool = False):
        """(start, end, level, attrs, name) of a place or relative prefix ending at k."""
        p = place_at_end.get(k)
        if p is not None:
            if prefix_only:
                return None
            return p.start, p.end, p.attrs.get("level", ""), {"place": p.name or text[p.start:p.end]}, \
                p.name or text[p.start:p.end]
        for w in prefix_words:
            s = k - len(w)
            if s >= 0 and text.startswith(w, s) and not any(q.start < s < q.end for q in places):
                return s, k, prefixes[w], {"prefix": w, "relative_level": prefixes[w]}, w
        return None

    # the last item of every list: a place or prefix followed by units, or by a count word
    lasts = []
    count_re = _count_re()
    for (start, key), cands in groups.items():
        first = cands[0]
        if count_re.match(text, start + len(key) if isinstance(key, str) else key):
            continue  # 省、市三级医院: a count word that does not count the list, read below
        if isinstance(key, str):
            last = (start, start + len(key), prefixes[key], {"prefix": key, "relative_level": prefixes[key]}, key)
        else:
            last = (start, key, place_at_end[key].attrs.get("level", "") if key in place_at_end else "",
                    {"place": first.attrs["place"]}, first.attrs["place"])
        lasts.append((last, "", sorted({c.end for c in cands})))
    for match in _count_re().finditer(text):
        last = item_ending_at(match.start())
        if last is not None:
            ends = _units(text, match.end(), first_needs_core=True, place_starts=place_starts)
            if ends:
                lasts.append((last, match.group(0), ends))
    dropped: set[int] = set()
    for last, count, ends in lasts:
        items = [last]
        while True:
            k = items[-1][0]
            prev = None
            for w in join_words:
                if text.endswith(w, 0, k):
                    prev = item_ending_at(k - len(w))
                    if prev is not None and joins[w] and not count and prev[2] != items[-1][2]:
                        prev = None
                    break
            if prev is None and count:
                prev = item_ending_at(k, prefix_only=True)  # 省市县三级: side by side
            if prev is None:
                break
            items.append(prev)
        items.reverse()
        if (count and counts[count] != len(items)) or len(items) < 2:
            continue
        if text.endswith(classes, 0, items[0][0]):
            dropped.add(last[0])  # 各省、市政府: a class of bodies
            continue
        if "prefix" in items[0][3] and not _prefix_ok(text, items[0][0]):
            continue
        unit_start = last[1] + len(count)
        if any("place" in item[3] for item in items) and text[unit_start:ends[0]] not in cores:
            continue  # 甲县、乙县第一中学: only a core is shared after places
        for item in items[:-1]:  # the whole unit named (省、市委组织部 -> 省委组织部)
            unit = text[unit_start:ends[-1]]
            out.append(Candidate(item[0], item[1], AGENCY, "rule:agency-coordinated", 0.7,
                                 attrs={**item[3], "kind": _kind(unit), "surface": item[4] + unit}))
        if count:  # the last item spans the count word: 县三级工会 -> 县工会, 县三级工会组织部 …
            for i, end in enumerate(ends):
                unit = text[unit_start:end]
                out.append(Candidate(last[0], end, AGENCY, "rule:agency-coordinated", 0.7 if i == 0 else 0.65,
                                     attrs={**last[3], "kind": _kind(unit), "surface": last[4] + unit}))
    if dropped:
        out = [c for c in out if not (c.start in dropped and c.source == "rule:agency-relative")]
    return out


@lru_cache(maxsize=4096)
def _brand_name(core: str) -> bool:
    """A brand's proper name: jieba tags a word of it as a person's or an organisation's
    name or does not know it, none as a place (深海科技, 湘南科技: a field or a region's
    industry as often as a company) and it does not begin with a verb (开发新能源)."""
    import jieba.posseg

    if any(core[:n] in verbs() for n in (2, 3)):
        return False
    words = list(jieba.posseg.cut(core))
    if any(w.flag.startswith("ns") for w in words):
        return False
    freq = _jieba_freq()
    return any(w.flag.startswith(("nr", "nt", "nz")) or w.flag in ("x", "eng") or (len(w.word) > 1 and w.word not in freq)
               for w in words)


def _only_class_words(words: str) -> bool:
    """True when ``words`` is made up entirely of class modifiers (农村义务教育)."""
    modifiers = load_word_list("agencies/class_modifiers.txt")
    ends = {0}
    for i in range(len(words)):
        if i in ends:
            ends.update(i + len(m) for m in modifiers if words.startswith(m, i))
    return bool(words) and len(words) in ends


def class_of_institutions(name: str) -> bool:
    """An institution head after class words only (农村义务教育学校, 城区优质学校): the
    kind of school, not one school. ``name`` is the name without its place prefix."""
    head = max((h for h in proper_suffixes() if name.endswith(h)), key=len, default="")
    return bool(head) and _only_class_words(name[:len(name) - len(head)])


def _after_place(text: str, cand: Candidate, places: dict[int, list[Candidate]]) -> str:
    """The candidate's text without the place it begins with (贵溪市|城区学校); ``places``
    by where they start."""
    start = max((p.end for p in places.get(cand.start, ()) if p.end < cand.end), default=cand.start)
    return text[start:cand.end]


@lru_cache(maxsize=None)
def load_head_continuations() -> dict[str, tuple[str, ...]]:
    return {f[0]: tuple(f[1].split("|")) for _, f in iter_tsv("agencies/head_continuations.tsv", 2, 2)}


def _runs_into_word(text: str, cand: Candidate) -> bool:
    """True when the name's head runs into a longer word (西藏籍大学|生, 市委中心|组)."""
    return any(text.endswith(head, cand.start, cand.end) and text.startswith(rest, cand.end)
               for head, rest in load_head_continuations().items())


# 各级党组, 村级党支部, 市级技术创新中心: a level word names a class of units, not one unit
_CLASS_OF_UNITS = re.compile(r"各级|(?:村|乡|镇|县|市|省|区|国家)级")


def model_agency_attrs(text: str, start: int, end: int) -> dict | None:
    """The attributes of an agency span the model proposes, or None when it has not the
    shape of an agency. A span that begins with a relative prefix (市委宣讲团,
    省就业局职业介绍处, 市城市管理综合执法局) carries the prefix and its level, so that
    resolution writes it out against the home place as it does the rules' relative names;
    with such a prefix, an office's one-character head (``model_heads.txt``: 局, 厅, 处,
    组, 团, 队) ends a name too."""
    name = text[start:end]
    prefix = _relative_prefix(text, start, end)
    if not plausible_agency(name) and not (prefix and _office_head(name[len(prefix):])):
        return None
    if not prefix:
        return {}
    level = load_prefixes()[prefix]
    return {"kind": _kind(name), "relative_level": level, "prefix": prefix}


def _relative_prefix(text: str, start: int, end: int) -> str:
    """The relative prefix a span begins with (市, 省, 自治区), where it is one: not the
    first character of another word (市场, 省级) nor inside a word before the span."""
    name = text[start:end]
    prefix = max((w for w in load_prefixes() if name.startswith(w)), key=len, default="")
    if not prefix or len(name) - len(prefix) < 2 or name.startswith(tuple(load_word_list("agencies/prefix_blockers.txt"))):
        return ""
    return prefix if _prefix_ok(text, start) else ""


def _office_head(rest: str) -> bool:
    """True when ``rest`` (a name after its relative prefix) ends with an office's
    one-character head after at least two characters of name that hold no function
    word (城市管理综合执法|局, 委宣讲|团)."""
    heads = load_word_list("agencies/model_heads.txt")
    return len(rest) >= 3 and rest[-1] in heads and not any(ch in load_word_list("agencies/middle_breakers.txt")
                                                         for ch in rest)


def plausible_agency(name: str) -> bool:
    """A model's agency span: it ends with a core or head of our agency grammar and
    does not start with a verb or preposition (按照县委); it is not a bare core that needs
    a place (供销社); before a head that needs a proper name (厂, 公司: 火电厂, 十个水泥厂)
    stands one."""
    stops = load_word_list("agencies/left_stops.txt") | load_word_list("agencies/leading_words.txt")
    cores = load_cores()
    head = max((h for h in _all_heads() if name.endswith(h)), key=len, default="")
    if len(name) < 3 or not head or any(name.startswith(w) for w in stops) or class_of_institutions(name):
        return False
    if head == name and head in cores and cores[head][1]:
        return False
    if head in proper_suffixes() and head not in cores:
        before = name[:-len(head)]
        if not _has_proper_noun(before) or (len(head) == 1 and _holds_verb(before)):
            return False
    return True
