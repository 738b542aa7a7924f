"""Place rule: gazetteer matches (administrative divisions, regions, features) as
Candidates, with the level, id and full name the gazetteer knows."""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import MentionType
from ..lexicon import common_words, iter_tsv, load_word_list
from ..places import COUNTRY_ID
from .candidates import HAN, HAN_CHAR, Candidate, alternation, first_place_start, noun_phrase_start, trim_left

PLACE = MentionType.PLACE.value
_VERBLIKE = frozenset({"v", "d", "p", "c", "u", "r", "i", "ad", "y", "e", "z"})
_LEVELS = {"村": "village", "社区": "village", "镇": "township", "乡": "township", "街道": "township"}
_LIST = re.compile(f"((?:[{HAN}]{{1,8}}?[、和及])+[{HAN}]{{1,8}}?)等?(村|镇|乡|社区|街道)")


@lru_cache(maxsize=None)
def _venue_rows() -> tuple[tuple[str, str, bool, bool, tuple[str, ...]], ...]:
    """(head, level, home, named, continuations) per row of ``venue_heads.tsv``."""
    return tuple((f[0], f[1], f[2] == "1", len(f) > 3 and f[3] == "1",
                  tuple(w for w in f[4].split("|") if w) if len(f) > 4 else ())
                 for _, f in iter_tsv("gazetteers/venue_heads.tsv", 3, 5))


@lru_cache(maxsize=None)
def load_venue_heads() -> dict[str, str]:
    """Venue head -> level (venue | feature | region)."""
    return {head: level for head, level, _, _, _ in _venue_rows()}


@lru_cache(maxsize=None)
def home_venue_heads() -> frozenset[str]:
    """Heads whose bare form names the home place's own venue (工人文化宫)."""
    return frozenset(head for head, _, home, _, _ in _venue_rows() if home)


@lru_cache(maxsize=None)
def named_venue_heads() -> dict[str, tuple[str, ...]]:
    """Heads that need a proper name before them (…铁路, …新区, …河: 城市群 alone or
    高速公路 alone names nothing) -> the words that, after the head, make it part of a
    longer word (高速发展, 铁路局)."""
    return {head: cont for head, _, _, named, cont in _venue_rows() if named}


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """jieba 0.42.1's dictionary: word -> part-of-speech tag (loaded once)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg.dt.word_tag_tab


# a level word or grade names a class (国家级新区, A级景区, 世界级城市群)
_LEVEL_CLASS = re.compile(r"级|^[各全]")
_NAME_FLAGS = ("nr", "ns", "nt", "nz")
_BASIN = "流域"  # after a river's head: its basin (永乐江流域), not a word with the head (江流)
_CONNECTORS = "至到—-－"  # 太原至佳县高速公路, 包头到兰州铁路: two places, one name
_ORDINARY = 2000  # a word this frequent in jieba's dictionary is an ordinary word (城市, 文明, 南北)
_COUNT = re.compile("[0-9一二三四五六七八九十两百千]+[个大条项座批类家所]")  # 9个, 两大: a count


@lru_cache(maxsize=1)
def _word_freq() -> dict[str, int]:
    import jieba

    _word_tags()
    return jieba.dt.FREQ


def _name_start(core: str, strict: bool = False) -> int | None:
    """Where the proper name in ``core`` begins, or None when it holds none.

    A proper name is a word jieba tags as a name (乌马, 长安) or abbreviation of at most
    two characters (京沪, 京九), a Latin code (G5), a longer Chinese word it does not know
    (武宿, 京港澳), or — unless ``strict`` — two or three single characters that make no
    word (太焦: 太原–焦作; 走好新 before 路 is none, so one-character heads are strict).
    Numerals (两山四河, 9个城市群), level words (国家级), words of
    ``venue_class_words.txt`` (普速, 智慧, 城市) and a lone very frequent word (文明, 南北)
    name nothing. Ordinary words before the name are not part of it (大通道|京九铁路)."""
    import jieba.posseg

    if not core or core[0].isdigit() or _LEVEL_CLASS.search(core):
        return None
    classes = load_word_list("gazetteers/venue_class_words.txt")
    tags = _word_tags()
    # the dictionary's tag of a known word: the tagger's guess in context is noisier (铺平|道)
    words = [(w.word, tags.get(w.word, w.flag)) for w in jieba.posseg.cut(core)]
    if any(flag == "m" for _, flag in words) or _COUNT.search(core):
        return None  # 两山四|河, 一带一|路, 9个|城市群, 粤汉两大|铁路: a count or a formula, not a name

    def named(word: str, flag: str) -> bool:
        return word not in classes and (len(word) > 1 or flag == "eng") and (
            flag.startswith(_NAME_FLAGS) or flag == "eng" or (flag == "j" and len(word) <= 2)
            or (len(word) > 1 and word not in tags and HAN_CHAR.fullmatch(word[0]) and not word[-1].isdigit()))

    # ordinary words of two or more characters before the name are not part of it
    skip = 0
    while skip < len(words) - 1 and len(words[skip][0]) > 1 and not named(*words[skip]):
        skip += 1
    offset = sum(len(word) for word, _ in words[:skip])
    rest = words[skip:]
    if any(named(word, flag) for word, flag in rest):
        if len(rest) == 1 and _word_freq().get(rest[0][0], 0) >= _ORDINARY:
            return None  # 文明|街, 南北|大道: an ordinary word, whatever its tag
        return offset
    if not strict and len(core) <= 3 and core not in tags and all(len(word) == 1 for word, _ in words):
        return 0
    return None


def jieba_words(text: str) -> list[str]:
    """jieba's words of ``text``."""
    import jieba

    _word_tags()
    return jieba.lcut(text)


def _word_across(text: str, pos: int) -> bool:
    """True when a dictionary word of two characters spans ``pos`` (the characters at
    pos - 1 and pos): a one-character head that begins a word (河|道, 港|口, 路|径,
    河|湖) ends no name."""
    return pos > 0 and text[pos - 1:pos + 1] in _word_tags()


def _named_venue(text: str, start: int, head_start: int, head_end: int, at_place: bool) -> int | None:
    """Where the name of a place on a head of ``named_venue_heads`` that ends at
    ``head_end`` begins (``start`` or later), or None when ``text[start:head_end]``
    names none: the head must end there (no continuation: 高速发展, 铁路局), the whole
    must not be an ordinary word (康庄大道, 护城河), and the words before the head must
    hold a proper name or begin with a place (``at_place``). A one-character head
    (路, 河, 港) also needs a name of two or three characters (or a place), no other
    such head in it (大江大|河) and no word ending with the head (一带一|路, 走好新|路)
    unless the whole is a place name of the dictionary (中山路, 长安街)."""
    head = text[head_start:head_end]
    while start < head_start and text[start] in _CONNECTORS:
        start += 1  # 包头|到兰州铁路: a name does not begin with a connector
    core = text[start:head_start]
    heads = named_venue_heads()
    if len(core) < 2 or _LEVEL_CLASS.search(core) or (
            text.startswith(heads[head], head_end) and not text.startswith(_BASIN, head_end)):
        return None  # 河流, 江岸: the head begins a word (but 永乐江|流域: a river's basin)
    if text.startswith(tuple(heads), head_end):
        return None  # 广深港|高速铁路, 港深机场|铁路: the head is inside a longer name
    tags = _word_tags()
    whole = tags.get(core + head)
    if whole is not None and not whole.startswith("ns"):
        return None  # 康庄大道, 护城河: a word, not a name
    if len(head) == 1:
        if len(core) > (6 if at_place else 3) or any(ch in heads or ch in "不没未" for ch in core):
            return None  # 山水林田|湖, 大江大|河, 幸福河|湖, 货不对|路: kinds or a phrase, not a name
        whole = whole or tags.get(core[-2:] + head)
        first = next(iter(jieba_words(core)), "")
        before = tags.get(text[head_start - 1:head_end])
        if (whole and whole.startswith("ns") and tags.get(first, "").startswith(_NAME_FLAGS)
                and _word_freq().get(text[head_start - 1:head_end], 0) < _ORDINARY):
            return start  # 中山路, 长安街: a street name the dictionary knows (not 铺平|道路)
        if before is not None and not before.startswith("ns"):
            return None  # 一带一|路, 走好新|路, 铺平道|路: a word ends with the head
    if at_place:
        return start
    offset = _name_start(core, strict=len(head) == 1)
    return None if offset is None else start + offset


@lru_cache(maxsize=2)
def _listed_name_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of listed international organizations and recurring events (上海合作组织,
    亚洲开发银行, 博鳌亚洲论坛): a place named inside one is part of the name. Kept for
    the last texts: the rules look places up twice per document (before and after the
    home place is known)."""
    from .agencies import listed_body_spans
    from .initiatives import national_event_spans

    return tuple([(s, e) for s, e, level in listed_body_spans(text) if level == "international"]
                 + national_event_spans(text))


def find_places(text: str, gazetteer, home=None) -> list[Candidate]:
    """Place candidates from the gazetteer; ``home`` lets villages and townships under
    the document's home place be found too. A national home (中国) has none of its own
    and changes nothing in the matching, so the rules' second look-up for it reuses the
    first (kept for the last text)."""
    if home is not None and home.level == "country":
        home = None
    if home is None:
        same = _NO_HOME.get("text") is text and _NO_HOME.get("gazetteer") is gazetteer
        cached = _NO_HOME["result"] if same else None
        if cached is None:
            cached = _find_places(text, gazetteer, None)
            _NO_HOME.update(text=text, gazetteer=gazetteer, result=cached)
        return list(cached)
    return _find_places(text, gazetteer, home)


_NO_HOME: dict = {}


def _find_places(text: str, gazetteer, home) -> list[Candidate]:
    out = []
    province = next((a for a in [home, *gazetteer.ancestors(home)] if a.level == "province"), None) if home else None
    listed = _listed_name_spans(text)
    for match in gazetteer.find_places(text, home):
        place = match.place
        if place.id != COUNTRY_ID and any(s <= match.start and match.end <= e and e - s > match.end - match.start
                                          for s, e in listed):
            continue  # 上海 in 上海合作组织, 亚洲 in 博鳌亚洲论坛: part of the name, not its seat
        if (match.matched_form != place.name and len(match.matched_form) < 3 and place.level in ("county", "township")
                and province is not None and not gazetteer.is_within(place, province)):
            continue  # a short county name far from home is more likely a word (静宁, 建平)
        out.append(Candidate(match.start, match.end, PLACE, "rule:gazetteer", 0.9 if len(match.matched_form) > 2 else 0.75,
                             name=place.name, attrs={"level": place.level, "place_id": place.id, "code": place.code}))
    return out


@lru_cache(maxsize=None)
def _venue_head_re() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation(load_venue_heads())})")


def find_venues(text: str, places: list[Candidate]) -> list[Candidate]:
    """Named venues and local features by their head (体育公园, 文化宫, 国道), starting
    at a place name, a relative prefix (市体育馆) or the noun phrase before the head."""
    heads = load_venue_heads()
    named = named_venue_heads()
    classes = load_word_list("gazetteers/venue_class_words.txt")
    head_re = _venue_head_re()
    stops = load_word_list("agencies/left_stops.txt")
    leading = load_word_list("agencies/leading_words.txt")
    prefixes = {"市": "city", "县": "county", "区": "county", "省": "province", "州": "city"}
    common = common_words()
    starts = sorted(p.start for p in places)
    covered = {i for p in places for i in range(p.start, p.end)}
    out = []
    for match in head_re.finditer(text):
        if match.start() in covered or match.end() - 1 in covered:
            continue  # the head is part of a place name the gazetteer knows (香港, 河北, 浦东新区)
        head = match.group(0)
        if len(head) == 1 and _word_across(text, match.end()) and not text.startswith(_BASIN, match.end()):
            continue  # 河道, 港口, 路径: the head begins a word (湖|流域 is a basin, not 湖流)
        left = match.start()
        while left > 0 and match.start() - left < 20:
            if re.match(f"[{HAN}A-Za-z0-9·]", text[left - 1]):
                left -= 1
            elif text[left - 1] == "）" and 0 < text.rfind("（", max(0, left - 8), left) < left - 2:
                left = text.rfind("（", max(0, left - 8), left)  # 中国（山西）自由贸易试验区
            else:
                break
        quote = text.rfind("“", max(0, match.start() - 20), match.start())
        start = trim_left(text, left, match.start(), stops, leading=leading)
        at_place = first_place_start(starts, start, match.start())
        quoted = quote >= 0 and "”" not in text[quote:match.start()] and text[match.end():match.end() + 1] == "”"
        if quoted:
            start = quote + 1  # the whole quoted name: “晋中师范党史学习教育展馆”
        elif at_place is not None:
            start = at_place
        else:
            start = noun_phrase_start(text, start, match.start(), _VERBLIKE)
        core = text[start:match.start()]
        attrs = {"level": heads[head], "venue": True}
        home_head = next((h for h in home_venue_heads() if (core + head).startswith(h)), None)
        if home_head and (not core or core.startswith(home_head)):
            attrs["home_prefix"] = "city"  # 工人文化宫(…基地) in a city paper: the city's own
            out.append(Candidate(start, match.end(), PLACE, "rule:venue", 0.55, attrs=attrs))
            continue
        if core in prefixes and len(head) > 1 and (start == 0 or not re.match(f"[{HAN}]", text[start - 1]) or
                                                   any(text.endswith(w, 0, start) for w in stops)):
            attrs.update(prefix=core, relative_level=prefixes[core])
        elif head in named:
            led = at_place is not None and at_place == start and not quoted
            phrase = noun_phrase_start(text, start, match.start(), _VERBLIKE) if led else start
            if phrase > start and text[phrase - 1] not in _CONNECTORS:
                # 山西中部城市群列为全国9个|城市群: a verb stands between the place and the head
                start, led = phrase, False
            if led and any(text.endswith(w, start, match.start()) for w in classes):
                continue  # 中西部地区|城市群: a place and a class word name a kind of area
            named_start = _named_venue(text, start, match.start(), match.end(), led)
            if named_start is None:
                continue  # “港人治港”, “一带一路”, 城市群: no name before the head
            start = start if quoted else named_start
        elif len(core) < 2 or core in common or core[0].isdigit() and head not in ("国道", "省道"):
            continue
        full = load_venue_head_forms().get(head)
        name = re.sub("[“”]", "", text[start:match.start()]) + full if full and "prefix" not in attrs else ""
        out.append(Candidate(start, match.end(), PLACE, "rule:venue", 0.6, name=name, attrs=attrs))
    return out


@lru_cache(maxsize=None)
def load_venue_head_forms() -> dict[str, str]:
    """Short venue head -> the full head names are written with (自贸试验区 ->
    自由贸易试验区), from ``gazetteers/venue_head_forms.tsv``."""
    return {f[0]: f[1] for _, f in iter_tsv("gazetteers/venue_head_forms.tsv", 2, 2)}


_LOCAL_CACHE: dict[tuple[int, str], dict[str, list]] = {}


def _local_names(gazetteer, home) -> dict[str, list]:
    """Townships and villages under the home's county (or city), by full name; built
    once per home place and kept (a few thousand names); none for a national home
    (the whole country's villages would be every other word)."""
    scope = next((p for p in [home, *gazetteer.ancestors(home)] if p.level in ("county", "city")), home)
    if scope.level == "country":
        return {}  # a national document: no townships or villages are its own
    key = (id(gazetteer), scope.id)
    if key not in _LOCAL_CACHE:
        names: dict[str, list] = {}
        for place in (*gazetteer.townships_of(scope), *gazetteer.villages_of(scope)):
            names.setdefault(place.name, []).append(place)
        _LOCAL_CACHE[key] = names
    return _LOCAL_CACHE[key]


def find_listed_places(text: str, gazetteer, home) -> list[Candidate]:
    """Places named in a list that shares its level word (大靳、小靳、宋庄等村): each item
    plus the word, looked up under the home place (none under a national home)."""
    if home is None or home.level == "country":
        return []
    out = []
    local = _local_names(gazetteer, home)
    for match in _LIST.finditer(text):
        level_word = match.group(2)
        pos = match.start(1)
        listed, unknown = [], []
        for n, item in enumerate(re.split("[、和及]", match.group(1))):
            found = []
            # the first item may carry words before it (先后到大靳): try its endings
            for cut in (range(max(0, len(item) - 5), len(item)) if n == 0 else (0,)):
                name = item[cut:] + level_word
                found = local.get(name, [])
                if found:
                    pos, item = pos + cut, item[cut:]
                    break
            if len(found) == 1:
                place = found[0]
                listed.append(Candidate(pos, pos + len(item), PLACE, "rule:place-list", 0.7, name=place.name,
                                        attrs={"level": place.level, "place_id": place.id, "code": place.code}))
            elif not found and n > 0 and 2 <= len(item) <= 4 and item + level_word not in common_words():
                unknown.append(Candidate(pos, pos + len(item), PLACE, "rule:place-list", 0.5,
                                         name=item + level_word, attrs={"level": _LEVELS[level_word]}))
            pos += len(item) + 1
        out.extend(listed)
        if len(listed) >= 2 and len(listed) >= len(unknown):
            # the list is one of villages the gazetteer knows: an item it lacks (renamed,
            # merged or newer than its data) is a village of the same list all the same,
            # under the same parent when the others share one
            parents = {gazetteer.get(c.attrs["place_id"]).parent for c in listed}
            extra = {"parent_id": parents.pop()} if len(parents) == 1 else {}
            out.extend(Candidate(c.start, c.end, c.label, c.source, c.score, name=c.name,
                                 attrs={**c.attrs, **extra}) for c in unknown)
    return out


_ADDRESSED = re.compile(f"([{HAN}]{{2,4}}?)(街道|社区|镇|乡|村)")
_ADDRESS_PARENTS = ("city", "county", "township")


def find_addressed_places(text: str, places: list[Candidate], gazetteer) -> list[Candidate]:
    """Townships and villages written right after the division they lie in, as
    addresses are written (甲县乙镇, 乙镇丙村), when no other rule found them: under a
    county away from the home place, or missing from the gazetteer (renamed, merged or
    newer than its data). A name the gazetteer lists under that division takes its
    entry; another needs the shape of a name (two to four characters, no verb,
    adjective, count or class word, not an ordinary word, and no word running past
    its level word or a frequent one into it: 美丽乡|村, 新农|村) and gets the
    division as its parent."""
    starts = {c.start for c in places}
    common = common_words()
    out = []
    for parent_cand in places:
        pid = parent_cand.attrs.get("place_id")
        parent = gazetteer.get(pid) if pid and parent_cand.attrs.get("level") in _ADDRESS_PARENTS else None
        if parent is None or parent_cand.end in starts:
            continue
        match = _ADDRESSED.match(text, parent_cand.end)
        if match is None:
            continue
        name, level_word = match.group(0), match.group(2)
        if level_word in ("镇", "乡") and parent.level == "township":
            continue  # a township holds villages and communities, not townships
        known = [p for p in (gazetteer.children(parent) if parent.level == "township" else
                             (*gazetteer.townships_of(parent), *(gazetteer.villages_of(parent)
                                                                if level_word in ("村", "社区") else ())))
                 if p.name == name]
        if len(known) == 1:
            place = known[0]
            out.append(Candidate(match.start(), match.end(), PLACE, "rule:address", 0.8, name=place.name,
                                 attrs={"level": place.level, "place_id": place.id, "code": place.code}))
            continue
        core = match.group(1)
        if (known or name in common or core in common or _word_across(text, match.end())
                or _word_freq().get(text[match.start(2) - 1:match.start(2) + 1], 0) >= _ORDINARY
                or any(ch in "镇乡村" for ch in core) or not _name_like_core(core)):
            continue  # 美丽乡|村, 新农|村, 推进城|乡: words and phrases, not names
        out.append(Candidate(match.start(), match.end(), PLACE, "rule:address", 0.6, name=name,
                             attrs={"level": _LEVELS[level_word], "parent_id": parent.id}))
    return out


def seat_lookup(gazetteer):
    """A function naming the province, city or county a bare name starts with
    (太原理工大学 -> 太原市), for names the place matcher did not split because the
    place name runs into the next word (太原|理工 reads 原理)."""

    def seat_of(name: str) -> str:
        for n in (4, 3, 2):
            found = [p for p in gazetteer.by_name(name[:n]) if p.level in ("province", "city", "county")]
            if len({p.id for p in found}) == 1:
                return found[0].name
        return ""

    return seat_of


_PLACE_ENDINGS = tuple("省市县区镇乡村旗盟州") + ("社区", "街道", "地区", "流域", "新区")
_SETTLEMENT_HEADS = ("社区", "街道", "镇", "乡", "村")


@lru_cache(maxsize=1)
def feature_heads() -> tuple[str, ...]:
    """Heads after which a model's span names a place that is no division (rivers,
    mountains, mines, bridges, parks, zones): ``feature_heads.tsv`` and the heads of
    ``venue_heads.tsv``, longest first."""
    heads = {f[0] for _, f in iter_tsv("gazetteers/feature_heads.tsv", 2, 2)} | set(load_venue_heads())
    return tuple(sorted(heads, key=len, reverse=True))


_FEATURE_MIN_SCORE = 0.55  # a place no gazetteer lists needs the model to be surer than for a known one
_SHORT_FEATURE_SCORE = 0.9  # 东河: one character and a head, only when the model is sure
_SHORT_FEATURE_FREQ = 100  # 青山, 江山, 深山: a two-character word this frequent is an ordinary word


def _name_like_core(core: str) -> bool:
    """Whether the words before a feature or settlement head can be a proper name:
    Chinese characters only, no count or level word (三大|湖, 国家级|景区), no class word
    at its start (智慧|景区), no one-character feature head inside it (金山银|山, 绿水青|山, 大江大|河
    are formulas; a head at its end names the river a lake or a town is named after:
    东江|湖), and no common verb, adjective or function word of jieba's dictionary
    (移民建|镇, 加快|建设, 幸福|河)."""
    import jieba.posseg

    if not core or not re.fullmatch(f"[{HAN}·]+", core) or _LEVEL_CLASS.search(core) or _COUNT.search(core):
        return False
    if core.startswith(tuple(load_word_list("gazetteers/venue_class_words.txt"))):
        return False  # 特色小|镇, 重点|流域, 智慧|景区: a class word begins no name
    singles = {h for h in feature_heads() if len(h) == 1}
    if any(ch in singles for ch in core[:-1]):
        return False
    tags = _word_tags()
    words = [(w.word, tags.get(w.word)) for w in jieba.posseg.cut(core)]
    if any(flag == "m" for _, flag in words):
        return False
    common = common_words()
    for n, (word, flag) in enumerate(words):
        if not flag:
            continue
        # a common verb, adverb, function word or adjective describes (加快|建设, 幸福|河),
        # it does not name; a rare one is often a name's (苍梧); a one-character verb is
        # part of a name (舂陵江, 柳林铺镇) unless it ends the core after a common word (移民建|镇)
        if len(word) > 1 and (flag[0] in _VERBLIKE or flag == "a") and word in common:
            return False
        if len(word) == 1 and flag[0] == "v" and n == len(words) - 1 and n > 0 and words[n - 1][0] in common:
            return False
    return True


def _starts_a_word(before: str, name: str) -> bool:
    """True unless a word of jieba's segmentation runs from ``before`` into ``name``
    (川渝|高竹新区 cut as 川渝高|竹|新区: the model began inside a longer name)."""
    if not before or not HAN_CHAR.fullmatch(before[-1]):
        return True
    pos = 0
    for word in jieba_words(before + name):
        if pos < len(before) < pos + len(word):
            return False
        pos += len(word)
    return True


def _unlisted_place(name: str, score: float, quoted: bool, before: str = "") -> bool:
    """A model's span that no gazetteer lists but has the shape of a place: a name
    before a feature head (舂陵江, 香花岭矿区, 马家坪电站) or before a township or village
    word (汤市镇, 沙洲村: a town named under another county than the home place, or
    one the gazetteer lacks). The whole must not be an ordinary word (护城河, 运河,
    青山), nor a piece of a quoted slogan (“水美湘村”), nor begin inside a word that
    starts in ``before``, the text right before it."""
    if quoted or score < _FEATURE_MIN_SCORE or not _starts_a_word(before, name):
        return False
    head = next((h for h in (*_SETTLEMENT_HEADS, *feature_heads()) if name.endswith(h) and len(name) > len(h)), "")
    if not head:
        return False
    core = name[:-len(head)]
    if len(core) > 6 or not _name_like_core(core):
        return False
    if head in _SETTLEMENT_HEADS and (len(core) < 2 or any(ch in "镇乡村" for ch in core)):
        return False  # 美丽乡|村, 特色小镇|村: kinds of settlement, not one
    tags = _word_tags()
    if name in common_words() or not tags.get(name, "ns").startswith(("ns", "nr")):
        return False
    if len(core) == 1:
        return score >= _SHORT_FEATURE_SCORE and _word_freq().get(name, 0) < _SHORT_FEATURE_FREQ
    return True


def plausible_place(name: str, gazetteer, home=None, score: float = 1.0, quoted: bool = False,
                    before: str = "") -> bool:
    """A model's place span: the gazetteer knows it by its full name or an alias (a
    short form only for provinces and cities), or it is a township or village under
    the home place, or it has the shape of a place no gazetteer lists
    (:func:`_unlisted_place`; ``score`` is the model's, ``quoted`` says the span is
    part of a longer quotation, ``before`` is the text right before it)."""
    if len(name) < 2:
        return False
    for place in gazetteer.by_name(name):
        if place.name == name or name in place.short and place.level in ("province", "city", "region", "feature",
                                                                          "country"):
            return True
    if home is not None and name.endswith(_PLACE_ENDINGS) and name in _local_names(gazetteer, home):
        return True
    return _unlisted_place(name, score, quoted, before)
