"""Place rule: gazetteer matches (administrative divisions, regions, features) as
Candidates, with the level, id and full name the gazetteer knows."""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import MentionType
from ..lexicon import common_words, iter_tsv, load_word_list
from .candidates import HAN, Candidate, alternation, first_place_start, noun_phrase_start, trim_left

PLACE = MentionType.PLACE.value
_VERBLIKE = frozenset({"v", "d", "p", "c", "u", "r", "i", "ad", "y", "e", "z"})
_LEVELS = {"村": "village", "社区": "village", "镇": "township", "乡": "township", "街道": "township"}
_LIST = re.compile(f"((?:[{HAN}]{{1,8}}?[、和及])+[{HAN}]{{1,8}}?)等?(村|镇|乡|社区|街道)")


@lru_cache(maxsize=None)
def load_venue_heads() -> dict[str, str]:
    """Venue head -> level (venue | feature | region)."""
    return {f[0]: f[1] for _, f in iter_tsv("gazetteers/venue_heads.tsv", 3, 3)}


@lru_cache(maxsize=None)
def home_venue_heads() -> frozenset[str]:
    """Heads whose bare form names the home place's own venue (工人文化宫)."""
    return frozenset(f[0] for _, f in iter_tsv("gazetteers/venue_heads.tsv", 3, 3) if f[2] == "1")


def find_places(text: str, gazetteer, home=None) -> list[Candidate]:
    """Place candidates from the gazetteer; ``home`` lets villages and townships under
    the document's home place be found too."""
    out = []
    province = next((a for a in [home, *gazetteer.ancestors(home)] if a.level == "province"), None) if home else None
    for match in gazetteer.find_places(text, home):
        place = match.place
        if (match.matched_form != place.name and len(match.matched_form) < 3 and place.level in ("county", "township")
                and province is not None and not gazetteer.is_within(place, province)):
            continue  # a short county name far from home is more likely a word (静宁, 建平)
        out.append(Candidate(match.start, match.end, PLACE, "rule:gazetteer", 0.9 if len(match.matched_form) > 2 else 0.75,
                             name=place.name, attrs={"level": place.level, "place_id": place.id, "code": place.code}))
    return out


def find_venues(text: str, places: list[Candidate]) -> list[Candidate]:
    """Named venues and local features by their head (体育公园, 文化宫, 国道), starting
    at a place name, a relative prefix (市体育馆) or the noun phrase before the head."""
    heads = load_venue_heads()
    head_re = re.compile(f"(?:{alternation(heads)})")
    stops = load_word_list("agencies/left_stops.txt")
    leading = load_word_list("agencies/leading_words.txt")
    prefixes = {"市": "city", "县": "county", "区": "county", "省": "province", "州": "city"}
    common = common_words()
    starts = sorted(p.start for p in places)
    out = []
    for match in head_re.finditer(text):
        left = match.start()
        while left > 0 and re.match(f"[{HAN}A-Za-z0-9·]", text[left - 1]) and match.start() - left < 20:
            left -= 1
        quote = text.rfind("“", max(0, match.start() - 20), match.start())
        start = trim_left(text, left, match.start(), stops, leading=leading)
        at_place = first_place_start(starts, start, match.start())
        if quote >= 0 and "”" not in text[quote:match.start()] and text[match.end():match.end() + 1] == "”":
            start = quote + 1  # the whole quoted name: “晋中师范党史学习教育展馆”
        elif at_place is not None:
            start = at_place
        else:
            start = noun_phrase_start(text, start, match.start(), _VERBLIKE)
        core = text[start:match.start()]
        attrs = {"level": heads[match.group(0)], "venue": True}
        home_head = next((h for h in home_venue_heads() if (core + match.group(0)).startswith(h)), None)
        if home_head and (not core or core.startswith(home_head)):
            attrs["home_prefix"] = "city"  # 工人文化宫(…基地) in a city paper: the city's own
            out.append(Candidate(start, match.end(), PLACE, "rule:venue", 0.55, attrs=attrs))
            continue
        if core in prefixes and (start == 0 or not re.match(f"[{HAN}]", text[start - 1]) or
                                 any(text.endswith(w, 0, start) for w in stops)):
            attrs.update(prefix=core, relative_level=prefixes[core])
        elif len(core) < 2 or core in common or core[0].isdigit() and match.group(0) not in ("国道", "省道"):
            continue
        out.append(Candidate(start, match.end(), PLACE, "rule:venue", 0.6, attrs=attrs))
    return out


_LOCAL_CACHE: dict[tuple[int, str], dict[str, list]] = {}


def _local_names(gazetteer, home) -> dict[str, list]:
    """Townships and villages under the home's county (or city), by full name; built
    once per home place and kept (a few thousand names)."""
    scope = next((p for p in [home, *gazetteer.ancestors(home)] if p.level in ("county", "city")), home)
    key = (id(gazetteer), scope.id)
    if key not in _LOCAL_CACHE:
        names: dict[str, list] = {}
        for place in (*gazetteer.townships_of(scope), *gazetteer.villages_of(scope)):
            names.setdefault(place.name, []).append(place)
        _LOCAL_CACHE[key] = names
    return _LOCAL_CACHE[key]


def find_listed_places(text: str, gazetteer, home) -> list[Candidate]:
    """Places named in a list that shares its level word (大靳、小靳、宋庄等村): each item
    plus the word, looked up under the home place."""
    if home is None:
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


def plausible_place(name: str, gazetteer, home=None) -> bool:
    """A model's place span: the gazetteer knows it by its full name or an alias (a
    short form only for provinces and cities), or it is a township or village under
    the home place."""
    if len(name) < 2:
        return False
    for place in gazetteer.by_name(name):
        if place.name == name or name in place.short and place.level in ("province", "city", "region", "feature",
                                                                          "country"):
            return True
    return home is not None and name.endswith(_PLACE_ENDINGS) and name in _local_names(gazetteer, home)
