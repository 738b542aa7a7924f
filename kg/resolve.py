"""Stage 5, resolve: Mentions -> Entities under canonical names.

- The document's home place (guidelines, section 1): the city or county the text
  keeps naming; each article may narrow it (a county article on a city page), and a
  reprinted national report speaks for the country.
- Relative names take the home place at their level: 市总工会 -> 晋中市总工会,
  县委组织部 (in a 祁县 article) -> 祁县县委组织部, 团市委 -> 共青团晋中市委,
  党中央 -> 中共中央; relative events too: 全省教育工作会议 -> 山西省教育工作会议.
- One entity per (type, canonical name), with the other surface forms as aliases.
- The jurisdiction of every agency is a Place entity (it is a node of the graph
  through located_in), added from the gazetteer when the text did not name it.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from functools import lru_cache

from .labels import EntityType, MentionType
from .lexicon import iter_tsv, load_word_list
from .places import COUNTRY_ID
from .types import Entity, Mention, Segments

LEVELS = ("country", "province", "city", "county", "township", "village")
COUNTRY = "中国"
NOT_LOCATED = "-"
"""Jurisdiction of an international organization or event (联合国, 奥运会): it lies in
no place of the text, so neither 中国 nor the article's home place is given to it (a
jurisdiction that names no place gives no located_in and no implied place)."""
_REL_EVENT = re.compile(r"^(全?)([省市县区州])")
_LEVEL_OF = {"省": "province", "市": "city", "州": "city", "县": "county", "区": "county"}  # of a relative prefix


@dataclass
class HomeChain:
    """The home place of an article at every administrative level (names)."""

    by_level: dict[str, str] = field(default_factory=dict)
    national: bool = False
    """The home is the country itself (a national report), not merely unknown."""
    city_words: str = ""
    """The place 市-relative words (市委, 我市, 全市) name when it is not the city level:
    a county-level city (贵溪市, 介休市) at home calls itself 市."""

    def at(self, level: str) -> str:
        if level == "country":
            return COUNTRY
        if level == "city" and self.city_words:
            return self.city_words
        return self.by_level.get(level, "")

    @property
    def lowest(self) -> str:
        for level in reversed(LEVELS):
            if self.by_level.get(level):
                return self.by_level[level]
        return COUNTRY


def guess_home(place_cands, gazetteer, text: str = ""):
    """The document's home place (guidelines, section 1).

    Each city- or county-level place scores its own mentions (full names count
    double) plus half the mentions of places inside it, so a city whose counties are
    named wins over any one county. The level then follows the text's relative words:
    a county wins over its city only when 县/区-relative names (县委, 我县, 全区)
    outnumber 市-relative ones (市委, 我市, 全市).

    A text that speaks for the whole country (``patterns/national_voice.txt``: 我国,
    全国, 国务院 … three times the local relative words) and names places all over it,
    or none, or uses no local relative word at all, is a national document: its home
    is 中国 (the gazetteer's country), so relative words and national bodies resolve to
    the country, never to a county it names in passing.
    """
    titled = _title_place(place_cands, gazetteer, text)
    if titled is not None:
        return titled
    rel_province = len(_REL_PROVINCE.findall(text))
    rel_city = len(_REL_CITY.findall(text))
    rel_county = len(_REL_COUNTY.findall(text))
    national = len(_national_re().findall(text)) if text else 0
    speaks_for_country = national >= 3 * max(rel_province + rel_city + rel_county, 1)
    # no city or county to stand on: a text with national words and no local relative
    # word is national even when it has only two of them
    nationwide = speaks_for_country or (national >= 2 and rel_province + rel_city + rel_county == 0)
    own: Counter = Counter()
    for c in place_cands:
        if c.attrs.get("level") in ("city", "county", "township", "village", "province"):
            own[c.attrs["place_id"]] += 2 if c.end - c.start >= 3 else 1
    if not own:
        return gazetteer.get(COUNTRY_ID) if nationwide else None
    score: Counter = Counter()
    for pid, n in own.items():
        place = gazetteer.get(pid)
        if place is None:
            continue
        if place.level in ("city", "county"):
            score[pid] += n
        for ancestor in gazetteer.ancestors(place):
            if ancestor.level in ("city", "county"):
                score[ancestor.id] += n * 0.5
    if not score:
        return gazetteer.get(COUNTRY_ID) if nationwide else None
    best = gazetteer.get(max(score, key=lambda pid: (score[pid], pid)))
    local = rel_province + rel_city + rel_county
    if speaks_for_country and local == 0:
        # 全国, 我国 … and not one local relative word (我市, 全县, 省委 …): a national
        # report, even where one county it names (a disaster, a pilot) dominates
        return gazetteer.get(COUNTRY_ID)
    province = _speaking_province(own, gazetteer, rel_province, rel_city + rel_county)
    if province is not None:
        return province
    share = _share_within(best, own, gazetteer)
    if share < _SPREAD_SHARE and len(_provinces(own, gazetteer)) >= _SPREAD_PROVINCES:
        # places in three or more provinces and none of them holding a third of the
        # mentions: the text speaks from above them all (a central body's review)
        return gazetteer.get(COUNTRY_ID)
    if share < 0.5:
        if speaks_for_country:
            # 全国, 我国 … three times the local relative words, and places all over the
            # country: a national report
            return gazetteer.get(COUNTRY_ID)
        if rel_province > rel_city + rel_county:
            # 全省, 省委 … and cities all over one province: a provincial document
            province = next((a for a in gazetteer.ancestors(best) if a.level == "province"), None)
            if province is not None and _share_within(province, own, gazetteer) >= 0.5:
                return province
    if best.level == "county" and rel_city > rel_county and not _county_level_city(best):
        # 市委, 我市 in a county's text speak for its city; a county-level city (贵溪市)
        # calls itself 市, so they are its own
        city = next((a for a in gazetteer.ancestors(best) if a.level == "city"), None)
        if city is not None:
            return city
    if best.level == "city" and rel_county > rel_city:
        counties = [(score[pid], pid) for pid in score if gazetteer.get(pid).level == "county"
                    and gazetteer.is_within(gazetteer.get(pid), best)]
        if counties:
            return gazetteer.get(max(counties)[1])
    return best


_TITLE_LEAD = re.compile(r"(?:[#\s:：.-]|\d+\s*[年月日号]?|星期[一二三四五六日天]|周[一二三四五六日])*")
_TITLE_MAX = 80  # characters: a longer first line is body text, not a title


def _title_span(text: str) -> tuple[int, int] | None:
    """(where the title's words begin, past a date, and where its line ends) of the
    document's first line, or None when that line is too long to be a title."""
    first = re.search(r"\S[^\n]*", text)
    if first is None or len(first.group(0).strip()) > _TITLE_MAX:
        return None
    return _TITLE_LEAD.match(text, first.start()).end(), first.end()


def _title_place(place_cands, gazetteer, text: str):
    """The place a document's title opens with (天长市人力资源和社会保障局2023年工作总结,
    # 2021 年麦积区民政工作综述, 盐城日报, 哈尔滨市阿城区…): the author names itself there,
    and no count of mentions below outweighs that (a county-level city's bureau names its
    prefecture as often as itself). Only a place at the start of the first line, after a
    date at most, and of province, city or county level; of a chain written together
    (哈尔滨市阿城区) the last, most specific one. None when the first line names none."""
    title = _title_span(text)
    if title is None:
        return None
    lead, line_end = title
    chain = None
    at = lead
    for c in sorted(place_cands, key=lambda c: (c.start, -c.end)):
        if c.start < at or c.start >= line_end:
            continue
        if c.start > at:
            break
        place = gazetteer.get(c.attrs.get("place_id"))
        if place is None or place.level not in ("province", "city", "county"):
            break
        chain, at = place, c.end
    return chain


def _county_level_city(place) -> bool:
    """A county-level division named 市 (贵溪市, 介休市): its own text calls it 市."""
    return place.level == "county" and place.name.endswith("市")


def _speaking_province(own: Counter, gazetteer, rel_province: int, rel_lower: int):
    """The province whose body speaks (省水利厅, 团省委, a provincial work report): 全省,
    省委, 我省 outnumber the city and county relative words, and half the place mentions
    fall within that province, though they spread over its cities and the neighbouring
    provinces it works with. None when the text is not provincial."""
    if rel_province < 2 or rel_province <= rel_lower:
        return None
    shares = [(_share_within(gazetteer.get(pid), own, gazetteer), pid) for pid in _provinces(own, gazetteer)]
    if not shares:
        return None
    share, pid = max(shares)
    return gazetteer.get(pid) if share >= 0.5 else None


def _provinces(own: Counter, gazetteer) -> set[str]:
    """The provinces the mentioned places lie in (ids)."""
    out = set()
    for pid in own:
        place = gazetteer.get(pid)
        if place is None:
            continue
        for p in (place, *gazetteer.ancestors(place)):
            if p.level == "province":
                out.add(p.id)
                break
    return out


def _share_within(place, own: Counter, gazetteer) -> float:
    """The share of the place mentions that fall in ``place`` or under it."""
    total = sum(own.values())
    inside = sum(n for pid, n in own.items()
                 if (p := gazetteer.get(pid)) is not None and gazetteer.is_within(p, place))
    return inside / total if total else 0.0


@lru_cache(maxsize=1)
def _national_re() -> re.Pattern[str]:
    """The words of ``patterns/national_voice.txt``, longest first."""
    words = sorted(load_word_list("patterns/national_voice.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


# relative words of a level: 全市, 我市, 市委, 市政府 … but not the 市 of 资本市场, 市政公用
# or 城市人口, nor the 区 of 地区人民, 社区委员会
_BODY = r"(?:委|政府|人大|人民政府|人民代表大会|总工会|政协)"
_REL_PROVINCE = re.compile(rf"[我全本]省|(?<![节])省{_BODY}")
_REL_CITY = re.compile(rf"(?<![资])[我全本]市(?![场])|(?<![城都超])市{_BODY}")
_REL_COUNTY = re.compile(rf"[我全本][县区旗]|(?<![地社园景小])[县区旗]{_BODY}")
_SPREAD_SHARE = 0.35
"""Below this share of the place mentions, the best place is not the document's home:
the text names places all over (a national body's review of provinces, a report that
cites a pilot county in passing)."""
_SPREAD_PROVINCES = 3


def home_chain(place, gazetteer) -> HomeChain:
    chain = HomeChain(national=place is not None and place.level == "country")
    if place is None:
        return chain
    for p in [place] + list(gazetteer.ancestors(place)):
        if p.level in LEVELS and p.level not in chain.by_level and p.level != "country":
            chain.by_level[p.level] = p.name
    return chain


def article_chains(mentions: list[Mention], segments: Segments, home, gazetteer) -> dict[int, HomeChain]:
    """Home chain per article: the document's, narrowed to a county (or township)
    inside it that an article names most, and national for an article that names
    no local place but speaks of the country (a reprinted national report).

    A national document (home 中国) is never narrowed: a county its report names
    twice (a disaster, a pilot) is where something happened, not who speaks, so its
    national bodies stay in 中国."""
    base = home_chain(home, gazetteer)
    if home is not None and _county_level_city(home):
        # a county-level city's own text calls it 市 (我市, 市委); an article of a
        # prefecture's page that narrows to one (介休市) keeps 市 for the prefecture
        base.city_words = home.name
    if home is not None and home.level == "country":
        chains = {article.index: HomeChain(dict(base.by_level), national=True) for article in segments.articles}
        chains["document"] = base
        return chains
    per_article: dict[int, Counter] = defaultdict(Counter)
    sent_article = {s.index: s.article for s in segments.sentences}
    for m in mentions:
        if m.label == MentionType.PLACE.value and m.attrs.get("place_id"):
            per_article[sent_article[m.sentence]][m.attrs["place_id"]] += 1
    chains = {}
    for article in segments.articles:
        counts = per_article.get(article.index, Counter())
        chain = HomeChain(dict(base.by_level), city_words=base.city_words)
        # narrow to the county, then the township, this article names at least twice
        for level in ("county", "township"):
            for pid, n in counts.most_common():
                place = gazetteer.get(pid)
                if place is None or place.level != level or n < 2:
                    continue
                anchor = chain.by_level.get("county" if level == "township" else "city")
                anchors = [a.name for a in gazetteer.ancestors(place)]
                inside = home is None or place.id == home.id or any(a.id == home.id for a in gazetteer.ancestors(place))
                if inside and (level == "county" or not anchor or anchor in anchors):
                    chain = home_chain(place, gazetteer)
                    chain.city_words = base.city_words
                    break
        chains[article.index] = chain
    chains["document"] = base
    return chains


def _relative_agency_name(text: str, prefix: str, place: str) -> str:
    """市总工会 + 晋中市 -> 晋中市总工会; 县委组织部 + 祁县 -> 祁县县委组织部."""
    rest = text[len(prefix):]
    if len(place) == 2 and rest.startswith("委"):  # 祁县 + 县委组织部 -> 祁县县委组织部, not 祁县委…
        return place + prefix + rest
    if place.endswith(prefix):
        return place + rest
    return place + prefix + rest if prefix in ("镇", "乡", "村", "街道") else place + rest


def canonical_name(m: Mention, chain: HomeChain) -> tuple[str, str]:
    """(canonical name, resolved jurisdiction place name or '') of a mention."""
    attrs = m.attrs
    text = attrs.get("surface", m.text)
    if m.label == MentionType.AGENCY.value:
        if "template" in attrs:
            level = attrs["relative_level"]
            place = chain.lowest if level == "home" else chain.at(level)
            rest = attrs.get("rest", "")
            if "{place}" in attrs["template"]:  # unresolved (no home at that level): dropped
                return (attrs["template"].replace("{place}", place) + rest, place) if place else ("", "")
            # a national body lies in 中国 (not in a county the document names); an
            # international organization in no place of the text
            return attrs["template"] + rest, NOT_LOCATED if level == "international" else COUNTRY
        if "prefix" in attrs:
            place = chain.at(attrs["relative_level"])
            if place:
                return _relative_agency_name(text, attrs["prefix"], place), place
            return "", ""  # 村委 with no village to resolve to: a class, not a name
        if "place" in attrs:
            place = attrs["place"]
            if "surface" in attrs:  # a coordinated core: 介休市委、政府 -> 介休市政府
                return attrs["surface"], place
            surface = m.text[: attrs["place_end"] - m.start] if "place_end" in attrs else place
            return place + m.text[len(surface):], place
        if "seat" in attrs:  # 山西大学: the name stays as written, its seat is 山西省
            return m.text, attrs["seat"]
        return m.text, ""
    if m.label in (MentionType.EVENT.value, MentionType.INITIATIVE.value):
        base = attrs.get("name") or m.text
        if attrs.get("scope") == "country":  # a national event (进博会, 十九届四中全会)
            return base, COUNTRY
        if attrs.get("scope") == "none":  # an international one with no place named (奥运会)
            return base, NOT_LOCATED
        if m.label == MentionType.INITIATIVE.value and not base.startswith("全"):
            return base, ""  # only 全市…/全省… initiatives are the home place's
        match = _REL_EVENT.match(base)
        if match:
            level = _LEVEL_OF[match.group(2)]
            place = chain.at(level)
            if place:
                return place + base[match.end():], place
        if base.startswith("全国"):
            return base, COUNTRY
        return base, ""
    if m.label == MentionType.PLACE.value and "home_prefix" in attrs:  # 工人文化宫 -> 晋中市工人文化宫
        place = chain.at(attrs["home_prefix"]) or chain.lowest
        return place + m.text, place
    if m.label == MentionType.PLACE.value and "prefix" in attrs:  # 市体育馆 -> 晋中市体育馆
        place = chain.at(attrs["relative_level"])
        if place:
            return _relative_agency_name(m.text, attrs["prefix"], place), place
    return attrs.get("name") or m.text, ""


def _sentence_province(i: int, mentions: list[Mention], chain: HomeChain, gazetteer) -> HomeChain:
    """The home chain for a province-relative agency (省委组织部, 省财政厅) in a sentence
    whose first agency is a body of another province named in full (团江西省委联合省委
    组织部 -> 江西省委组织部): the sentence speaks of that province, not the home one."""
    m = mentions[i]
    if m.label != MentionType.AGENCY.value or m.attrs.get("relative_level") != "province" \
            or "prefix" not in m.attrs:
        return chain
    first = next((o for o in mentions if o.sentence == m.sentence and o.label == m.label and o.end <= m.start), None)
    name = first.attrs.get("place", "") if first is not None else ""
    if not name or name == chain.at("province"):
        return chain
    found = [p for p in gazetteer.by_name(name) if p.level == "province" and p.name == name]
    if len(found) != 1:
        return chain
    return HomeChain({**chain.by_level, "province": name}, national=chain.national)


def _bare_place(m: Mention) -> bool:
    """A place mention that no gazetteer rule named (the model's span): its canonical
    name is still to be looked up."""
    return not (m.attrs.get("place_id") or m.attrs.get("name") or m.attrs.get("venue")
                or "prefix" in m.attrs or "home_prefix" in m.attrs)


_LOOKUP_LEVELS = ("country", "province", "city", "region", "feature")


def gazetteer_place(name: str, gazetteer, home=None):
    """The place a bare written form names, for its canonical name (guidelines: the full
    name with its level suffix): a full name, or a short form or alias of a country,
    province, city, region or feature (北京 -> 北京市, 台湾 -> 台湾省, 中华人民共和国 and
    我国 -> 中国); the one nearest the home place when several share the form. None for
    a form the gazetteer does not know, or a county's or township's short form (many
    are words)."""
    found = [p for p in gazetteer.by_name(name)
             if p.name == name or p.level in _LOOKUP_LEVELS]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    exact = [p for p in found if p.name == name]
    if len(exact) == 1:
        return exact[0]
    best = gazetteer.disambiguate(name, [home] if home is not None else [])
    return best if best in found else None


def _complete_partial_names(groups: dict, names: dict[int, str], mentions: list[Mention],
                            sent_article: dict[int, int], jurisdiction: dict, segments: Segments | None = None) -> None:
    """A unit named without its body takes a full name:

    - the one agency of the document whose name ends with it (第一税务分局局长郭树书 ->
      介休市税务局第一税务分局);
    - else the body named before it in the same sentence (祁县税务局以城赵税务所为试点 ->
      祁县税务局城赵税务所), else the agency its article keeps naming (该中心…要求工程建设
      管理科 -> 晋中市潇河流域管理中心工程建设管理科);
    - with none of these it is dropped rather than kept as an unresolved short form.
    """
    agency = MentionType.AGENCY.value
    full = [name for (label, name), ms in groups.items()
            if label == agency and not all(m.attrs.get("partial") for m in ms)]
    agents = article_agents(groups, sent_article, segments)
    for key in [k for k, ms in groups.items() if all(m.attrs.get("partial") for m in ms)]:
        groups.pop(key)
        matches = {f for f in full if f.endswith(key[1]) and f != key[1]}
        target = matches.pop() if len(matches) == 1 else None
        for i, m in enumerate(mentions):
            if names.get(i) != key[1] or m.label != key[0]:
                continue
            name = target
            if name is None and key[1].endswith(tuple(load_word_list("agencies/subunit_heads.txt"))):
                name = _body_before(i, mentions, names) or agents.get(sent_article.get(m.sentence, 0))
            if name is None:
                names.pop(i)
                continue
            if not target:
                name = name + key[1]
            names[i] = name
            groups.setdefault((key[0], name), []).append(m)
            parent = next((jurisdiction[k] for k in jurisdiction if k[0] == key[0] and name.startswith(k[1])), None)
            if parent:
                jurisdiction.setdefault((key[0], name), parent)


def author(mentions: list[Mention], names: dict[int, str], text: str) -> str | None:
    """The agency a document's title opens with (天长市人力资源和社会保障局2023年工作总结,
    甘肃省水利厅2023年工作总结): the body that writes it."""
    title = _title_span(text)
    if title is None:
        return None
    opening = [i for i, m in enumerate(mentions) if m.label == MentionType.AGENCY.value and m.start == title[0]
               and i in names]
    return names[max(opening, key=lambda i: mentions[i].end)] if opening else None


_OFFICE_HEADS = "局厅委办"  # bodies whose parts are named by the head alone (局党组, 厅办公室)
_OWN_UNIT = re.compile(r"^(?:党组|党委|机关|纪检|办公室)|(?:处|科|股|室|队|所|站|中心|组|支部)$")


def _author_units(groups: dict, names: dict[int, str], mentions: list[Mention], text: str,
                  jurisdiction: dict) -> None:
    """In a body's own summary its parts are named by its head alone: 局党组, 局机关第一党
    支部 in the 人社局's, 厅机关党委, 厅规划计划处 in the 水利厅's. They are the author's."""
    body = author(mentions, names, text)
    if body is None or len(body) < 3 or body[-1] not in _OFFICE_HEADS:
        return
    head = body[-1]
    agency = MentionType.AGENCY.value
    for i, m in enumerate(mentions):
        name = names.get(i)
        if m.label != agency or name is None or len(name) < 3 or not name.startswith(head) \
                or not m.text.startswith(head) or not _OWN_UNIT.search(name[1:]):
            continue
        full = body + name[1:]
        key = (agency, name)
        if m in groups.get(key, []):
            groups[key].remove(m)
            if not groups[key]:
                groups.pop(key)
        names[i] = full
        groups[(agency, full)].append(m)
        parent = jurisdiction.get((agency, body))
        if parent:
            jurisdiction.setdefault((agency, full), parent)


def _stationed_stub(m: Mention, mentions: list[Mention]) -> bool:
    """纪委监委驻市人社局 inside 纪委监委驻市人社局纪检监察组: the team is a body, the
    phrase up to the department it is stationed in is none."""
    return not m.text.endswith("驻") and any(
        o.label == m.label and o.start <= m.start and o.end > m.end for o in mentions)


_INNER_RELATIVE = re.compile(r"(?<=驻)([省市县区州])(?=[^\W\d_])")


def _inner_relative(name: str, chain: HomeChain) -> str:
    """A relative name inside a resolved one: the inspection team a commission keeps in a
    department (甘肃省纪委监委驻省水利厅纪检监察组 -> …驻甘肃省水利厅…)."""
    def repl(match: re.Match[str]) -> str:
        level = _LEVEL_OF[match.group(1)]
        place = chain.at(level)
        return place if place and place.endswith(match.group(1)) else match.group(0)

    return _INNER_RELATIVE.sub(repl, name)


def _body_before(i: int, mentions: list[Mention], names: dict[int, str]) -> str | None:
    """The canonical name of the last full agency named before mention ``i`` in its
    sentence (祁县税务局以城赵税务所为试点)."""
    m = mentions[i]
    before = [names[j] for j, o in enumerate(mentions) if o.sentence == m.sentence and o.end <= m.start
              and o.label == m.label and j in names and not o.attrs.get("partial")]
    return before[-1] if before else None


def article_agents(groups: dict, sent_article: dict[int, int], segments: Segments | None = None) -> dict[int, str]:
    """Article -> the agency it names most (at least twice, more than any other); a
    back-reference by its head (该中心 for 晋中市潇河流域管理中心) counts as a naming."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for (label, name), ms in groups.items():
        if label == MentionType.AGENCY.value and not all(m.attrs.get("partial") for m in ms):
            for m in ms:
                counts[sent_article.get(m.sentence, 0)][name] += 1
    if segments is not None:
        for article in segments.articles:
            body = segments.doc.text[article.start:article.end]
            for name in list(counts.get(article.index, ())):
                counts[article.index][name] += body.count("该" + name[-2:])
    agents = {}
    for article, c in counts.items():
        ranked = c.most_common(2)
        if ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
            agents[article] = ranked[0][0]
    return agents


_PLACE_LEAGUE = re.compile(r"^(.+[省市县区旗州盟])团委$")


def _league_name(name: str) -> str:
    """The Youth League committee of a place under its full name (guidelines: 团市委 ->
    共青团晋中市委): 江苏省团委 -> 共青团江苏省委, 晋中市团委 -> 共青团晋中市委. A school's or
    a company's 团委 keeps its name."""
    match = _PLACE_LEAGUE.match(name)
    return f"共青团{match.group(1)}委" if match and len(match.group(1)) >= 2 else name


_QUOTES = re.compile("[“”‘’]")


def _unquoted(name: str) -> str:
    """An agency's name without the quotation marks of a quoted word in it
    (金川区“小马扎”志愿宣讲队 -> 金川区小马扎志愿宣讲队): the marks are the writer's,
    not part of the name."""
    return _QUOTES.sub("", name)


def _canonical_units(name: str) -> str:
    """Usual short forms of units written in full (市工会 -> 市总工会, 村支部 -> 村党支部),
    from ``agencies/unit_aliases.tsv``, so both spellings make one entity."""
    for short, full in load_unit_aliases():
        if short in name and full not in name:
            name = name.replace(short, full)
    return name


@lru_cache(maxsize=1)
def load_unit_aliases() -> tuple[tuple[str, str], ...]:
    return tuple((f[0], f[1]) for _, f in iter_tsv("agencies/unit_aliases.tsv", 2, 2))


def resolve(mentions: list[Mention], segments: Segments, home, gazetteer) -> tuple[list[Entity], dict[int, str], dict]:
    """Entities of one document, the canonical name of each mention (by index), and
    the jurisdiction name of each agency/event entity key."""
    chains = article_chains(mentions, segments, home, gazetteer)
    sent_article = {s.index: s.article for s in segments.sentences}
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    names: dict[int, str] = {}
    jurisdiction: dict[tuple[str, str], str] = {}
    looked_up: dict[str, dict] = {}
    for i, m in enumerate(mentions):
        if m.label == MentionType.TITLE.value:
            continue
        chain = chains.get(sent_article.get(m.sentence, 0), HomeChain())
        chain = _sentence_province(i, mentions, chain, gazetteer)
        name, place = canonical_name(m, chain)
        if m.label == MentionType.AGENCY.value:
            if "驻" in m.text and _stationed_stub(m, mentions):
                continue
            name = _inner_relative(name, chain)
        name = _league_name(_canonical_units(_unquoted(name.strip()))) if m.label == MentionType.AGENCY.value \
            else name.strip()
        if not name:
            continue
        if m.label == MentionType.PLACE.value and _bare_place(m):
            found = gazetteer_place(name, gazetteer, home)
            if found is not None:  # 北京 (the model's span) is 北京市, 中华人民共和国 is 中国
                name = found.name
                looked_up.setdefault(name, {"level": found.level, "place_id": found.id, "code": found.code})
        names[i] = name
        groups[(m.label, name)].append(m)
        if place:
            jurisdiction.setdefault((m.label, name), place)
    _author_units(groups, names, mentions, segments.doc.text, jurisdiction)
    _complete_partial_names(groups, names, mentions, sent_article, jurisdiction, segments)
    entities = []
    for (label, name), ms in groups.items():
        surfaces = {m.attrs.get("surface", m.text) for m in ms}
        aliases = tuple(sorted(t for t in surfaces if t != name))
        attrs = {}
        for m in ms:
            for key in ("level", "kind", "code", "place_id", "parent_id", "named_parent"):
                if m.attrs.get(key) and key not in attrs:
                    attrs[key] = m.attrs[key]
        if label == MentionType.PLACE.value and name in looked_up:
            for key, value in looked_up[name].items():
                if value:
                    attrs.setdefault(key, value)
        entities.append(Entity(type=label, name=name, aliases=aliases, mentions=tuple(ms),
                               confidence=max(m.score for m in ms), attrs=attrs))
    entities.extend(_implied_places(entities, jurisdiction, gazetteer))
    return entities, names, jurisdiction


def _implied_places(entities: list[Entity], jurisdiction: dict, gazetteer) -> list[Entity]:
    """Place entities for jurisdictions the text implies but does not name."""
    have = {e.name for e in entities if e.type == EntityType.PLACE.value}
    out = []
    for key, place in jurisdiction.items():
        source = next((e for e in entities if e.key == key), None)
        if place in have or place == NOT_LOCATED or source is None:  # known, none, or merged or dropped
            continue
        have.add(place)
        found = gazetteer.by_name(place) if place != COUNTRY else ()
        attrs = {"level": found[0].level, "place_id": found[0].id, "code": found[0].code} if found else {"level": "country"}
        out.append(Entity(type=EntityType.PLACE.value, name=place, mentions=source.mentions[:1],
                          confidence=round(source.confidence * 0.9, 3), attrs={**attrs, "implied": True}))
    return out
