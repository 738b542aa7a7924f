"""Places of China: the gazetteer of divisions, former names and regions, and a matcher
that finds place names in running text.

All names come from ``kg/resources/gazetteers`` (see ``kg/resources/SOURCES.md``):

* ``divisions.tsv.gz``: provinces, cities, counties and townships with their admin
  codes and short forms (晋中 for 晋中市), built from jionlp by
  ``scripts/build_gazetteer.py``;
* ``villages.tsv.gz``: the ~650k villages, loaded only when first needed;
* ``former_names.tsv``: renamed and merged divisions (太谷县 → 太谷区);
* ``regions.tsv``: 中国, macro regions (京津冀, 长三角), rivers, lakes and mountains;
* ``countries.tsv``: foreign countries (美国, 苏联 …), continents and world regions
  (亚洲, 东南亚), with no parent: they lie outside 中国; ``foreign_blockers.txt``: words
  that hold such a name without naming it (朝鲜族, 印度洋, 美国白蛾);
* ``place_stopwords.txt``: forms the matcher never matches (common words such as
  和平, 东方, 比如 that are short names of divisions, generic names like 城区);
* ``blockers.txt``: words that contain a place form without being that place (孙中山,
  绿水青山); the matcher reads them as one token;
* ``crossing_words.txt``: frequent two-character words that, straddling the edge of a
  short name (政治 in 和政治), show that the short name is not meant.

Canonical names are full names with the level suffix (晋中市, 绵山镇); ``ancestors``
runs from the direct parent up to the province, then 中国 (id ``CN``).

Matching rules of :meth:`Gazetteer.find_places` (longest match, left to right, no
overlaps):

* anywhere: full and former names of provinces, cities and counties, their short
  forms of two or more characters, and the names and aliases of regions/features;
  forms in the stop list are skipped;
* only with a ``home`` place: townships and villages under the home's county (or city,
  when home is a city) by full name, three characters or more (绵山镇 in a 介休市
  document), never under a province or wider; two-character village names only right
  after the name of a place they lie in (介休市北村);
* with a ``home`` inside a province, two-character short names of counties of other
  provinces are not matched (程建平 in a 晋中市 document is a person, not 建平县 of
  辽宁省); full names and longer short names (北戴河) are;
* a two-character short name or alias, or a two-character foreign name, is skipped
  where a frequent word straddles its edge (和政 in 合作和政治, 常宁 in 异常宁静, 美国 in
  欧美国家, 法国 in 依法国家; ``crossing_words.txt``) or where a full name or a
  higher-level place starts on its second character (从江西: 江西, not 从江);
* a three-character county, township or village name is skipped where a frequent word
  straddles its start (沿海城市 does not mention 海城市, 提高城乡 not 高城乡);
* ``X市`` right before 场 is read as X + 市场 (南昌市场 mentions 南昌);
* a short form, alias or region/feature name directly followed by 镇, 乡, 村, 街道 ...
  is skipped: it is part of a township or village name (绵山镇 is not 绵山);
* when one form names several places, full names beat former names, which beat short
  forms (西湖 the lake, not 西湖区); among the rest the one nearest ``home`` wins, then
  the higher level, then the lower id. ``PlaceMatch.candidates`` lists them all.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

from .errors import ResourceError
from .lexicon import iter_tsv, load_word_list, open_text

DIVISIONS = "gazetteers/divisions.tsv.gz"
VILLAGES = "gazetteers/villages.tsv.gz"
FORMER_NAMES = "gazetteers/former_names.tsv"
REGIONS = "gazetteers/regions.tsv"
COUNTRIES = "gazetteers/countries.tsv"
FOREIGN_BLOCKERS = "gazetteers/foreign_blockers.txt"
STOPWORDS = "gazetteers/place_stopwords.txt"
BLOCKERS = "gazetteers/blockers.txt"
CROSSING_WORDS = "gazetteers/crossing_words.txt"

COUNTRY_ID = "CN"
LEVELS = ("country", "province", "city", "county", "township", "village", "region", "feature", "venue")
# Order used to prefer one place over another of the same name (lower first).
_LEVEL_RANK = {"country": 0, "province": 1, "city": 2, "region": 2, "feature": 2,
               "county": 3, "township": 4, "village": 5, "venue": 6}
# Kind of a two-character village name (北村, 陈村): matched only right after the name
# of a place it lies in (介休市北村, 绵山镇北村).
_AFTER_PARENT = "after_parent"
# Form kinds, best first: a full name beats a former name beats a short form.
_KIND_RANK = {"name": 0, "alias": 0, _AFTER_PARENT: 0, "former": 1, "short": 2}
_MIN_FORM = 2        # shortest form matched anywhere
_MIN_LOCAL_FORM = 3  # shortest township/village name matched under the home place on its own
# A short form, alias or feature name right before one of these is part of the name of
# a township or village (绵山镇, 太谷村), not a mention of the place itself.
_SETTLEMENT_SUFFIXES = ("镇", "乡", "村", "街道", "社区", "苏木", "嘎查")
# After a two-character short name these keep it even when a common word straddles its
# end (汉中等地 has 中等, 鞍山地区 has 山地).
_AREA_FOLLOWERS = ("地区", "等地", "等", "地", "一带", "境内")


@dataclass(frozen=True, slots=True)
class Place:
    """One place: a division, a region or a geographic feature.

    ``parent`` is the id of the direct parent ("" for 中国); ``code`` the admin code
    where the source has one; ``short`` the short forms (晋中) or, for regions and
    features, the aliases (长江三角洲 for 长三角)."""

    id: str
    name: str
    level: str
    parent: str = ""
    code: str = ""
    short: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place name found in a text: ``text[start:end] == matched_form``.

    ``kind`` says which form matched (name, alias, short, former); ``candidates``
    are all the places with that form, best first (``candidates[0] is place``)."""

    start: int
    end: int
    place: Place
    matched_form: str
    kind: str = "name"
    candidates: tuple[Place, ...] = ()


_BLOCK = ()  # entry of a blocker word in a matcher table: matches, names no place


class _Table:
    """Forms to match: form -> ((place, kind), ...) best first, or _BLOCK; and for each
    first two characters the lengths of the forms starting with them, longest first
    (keyed by two characters, not one, so that a scan tries a few lengths at most:
    the first character alone allowed a dozen, and the dictionary lookups were most
    of the matching time). Every form has at least ``_MIN_FORM`` (2) characters."""

    __slots__ = ("forms", "lengths")

    def __init__(self, forms: dict[str, tuple]):
        self.forms = forms
        lengths: dict[str, set[int]] = {}
        for form in forms:
            if len(form) >= 2:
                lengths.setdefault(form[:2], set()).add(len(form))
        self.lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


class Gazetteer:
    """Places by id and by name, their hierarchy, and a text matcher.

    Build it with :func:`load_gazetteer` (memoised) rather than directly."""

    def __init__(self, places: Iterable[Place], former: Iterable[tuple[str, str, str]] = (),
                 stopwords: Iterable[str] = (), blockers: Iterable[str] = (),
                 crossing_words: Iterable[str] = (), townships: Iterable[tuple[str, str, str]] = (),
                 villages: "dict[str, str] | None" = None, villages_source: str | None = VILLAGES):
        """``places``: Place objects; ``townships``: (id, name, parent) rows of townships,
        made into Place objects only when asked for (they are 90% of the divisions, so
        this keeps loading fast); ``former``: (former name, place id, full|short)."""
        self._by_id: dict[str, Place] = {}
        self._children: dict[str, list[str]] = {}
        self._names: dict[str, list[tuple[Place, str]]] = {}
        for place in places:
            if place.id in self._by_id:
                raise ResourceError(f"Place id {place.id!r} is defined twice; ids must be unique.")
            self._by_id[place.id] = place
            self._children.setdefault(place.parent, []).append(place.id)
            names = self._names
            entries = names.get(place.name)
            if entries is None:
                names[place.name] = [(place, "name")]
            else:
                entries.append((place, "name"))
            if place.short:
                kind = "short" if place.level in ("province", "city", "county", "township") else "alias"
                for form in place.short:
                    self._add_name(form, place, kind)
        # townships: id -> (name, parent) until first asked for; name -> ids
        self._township_rows: dict[str, tuple[str, str]] = {}
        self._township_names: dict[str, list[str]] = {}
        rows, tnames, children = self._township_rows, self._township_names, self._children
        for tid, name, parent in townships:
            if tid in rows or tid in self._by_id:
                raise ResourceError(f"Place id {tid!r} is defined twice; ids must be unique.")
            rows[tid] = (name, parent)
            ids = tnames.get(name)
            if ids is None:
                tnames[name] = [tid]
            else:
                ids.append(tid)
            kids = children.get(parent)
            if kids is None:
                children[parent] = [tid]
            else:
                kids.append(tid)
        for form, place_id, kind in former:
            place = self._by_id.get(place_id)
            if place is None:
                raise ResourceError(f"Former name {form!r} points to unknown place id {place_id!r}.")
            self._add_name(form, place, "former" if kind == "full" else "short")
        self._stopwords = frozenset(stopwords)
        self._blockers = frozenset(blockers)
        self._crossing = frozenset(crossing_words)
        self._village_names = villages          # township id -> "村1|村2|..."
        self._villages_source = villages_source
        self._village_cache: dict[str, tuple[Place, ...]] = {}
        self._table: _Table | None = None
        self._local_tables: dict[str, _Table] = {}

    def _add_name(self, form: str, place: Place, kind: str) -> None:
        entries = self._names.setdefault(form, [])
        if not any(p.id == place.id for p, _ in entries):
            entries.append((place, kind))

    # ---------------------------------------------------------------- lookups
    def __len__(self) -> int:
        """Number of places, villages not counted."""
        return len(self._by_id) + sum(1 for t in self._township_rows if t not in self._by_id)

    def __contains__(self, place_id: object) -> bool:
        return self.get(place_id) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Place]:
        """Every place except villages."""
        for tid in self._township_rows:
            self._township(tid)
        return iter(list(self._by_id.values()))

    def get(self, place_id: str) -> Place | None:
        """The place with this id (villages included), or None."""
        place = self._by_id.get(place_id)
        if place is None and place_id in self._township_rows:
            return self._township(place_id)
        if place is None and "/" in place_id:
            parent, _, name = place_id.rpartition("/")
            if parent in self._township_rows:
                for village in self._villages_under_township(parent):
                    if village.name == name:
                        return village
        return place

    def by_name(self, name: str, include_villages: bool = False) -> tuple[Place, ...]:
        """Places with this full name, short form, alias or former name, best first
        (full names before former names before short forms, then by level and id).
        Villages are searched only with ``include_villages`` (the first such call loads
        all villages; each call then scans them, some 10 ms)."""
        entries = list(self._names.get(name, ()))
        entries += [(self._township(tid), "name") for tid in self._township_names.get(name, ())]
        entries.sort(key=lambda e: (_KIND_RANK[e[1]], _rank(e[0])))
        found = tuple(p for p, _ in entries)
        if include_villages and name:
            found += tuple(p for tid, raw in self._load_villages().items()
                           if name in raw and name in raw.split("|")
                           for p in self._villages_under_township(tid) if p.name == name)
        return found

    def ancestors(self, place: Place) -> list[Place]:
        """Parent, grandparent ... up to the province, then 中国 (nearest first)."""
        out: list[Place] = []
        seen = {place.id}
        parent_id = place.parent
        while parent_id and parent_id not in seen:
            parent = self.get(parent_id)
            if parent is None:
                break
            out.append(parent)
            seen.add(parent_id)
            parent_id = parent.parent
        return out

    def is_within(self, place: Place, other: Place) -> bool:
        """True if ``place`` is ``other`` or lies inside it (介休市 is within 山西省)."""
        return place.id == other.id or any(a.id == other.id for a in self.ancestors(place))

    def children(self, place: Place) -> tuple[Place, ...]:
        """Direct children: the counties of a city, the villages of a township ..."""
        if place.level == "township":
            return self._villages_under_township(place.id)
        return tuple(self.get(c) for c in self._children.get(place.id, ()))

    def villages_of(self, place: Place) -> tuple[Place, ...]:
        """All villages under a township, county, city or province (loads villages)."""
        if place.level == "village":
            return ()
        if place.level == "township":
            return self._villages_under_township(place.id)
        return tuple(v for t in self.townships_of(place) for v in self._villages_under_township(t.id))

    def townships_of(self, place: Place) -> tuple[Place, ...]:
        """All townships under a county, city or province."""
        out: list[Place] = []
        stack = [place.id]
        while stack:
            for child_id in self._children.get(stack.pop(), ()):
                child = self.get(child_id)
                if child.level == "township":
                    out.append(child)
                elif child.level in ("province", "city", "county"):
                    stack.append(child_id)
        return tuple(out)

    def disambiguate(self, name: str, context_places: Sequence[Place] = ()) -> Place | None:
        """Among the places called ``name``, the one nearest the context places
        (sharing the deepest ancestor: same county, city, province); ties go to the
        higher level. None if no place has the name or the tie cannot be broken
        (朝阳区 without context)."""
        candidates = self.by_name(name)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        scored = sorted(((self._closeness(c, context_places), -_LEVEL_RANK.get(c.level, 9), c)
                         for c in candidates), key=lambda s: (s[0], s[1]), reverse=True)
        if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
            return None
        return scored[0][2]

    def _closeness(self, place: Place, context: Sequence[Place]) -> tuple[int, int]:
        """(deepest shared ancestor depth, sum of depths) between place and context."""
        if not context:
            return (0, 0)
        mine = [place.id] + [a.id for a in self.ancestors(place)]
        mine_depth = {pid: len(mine) - 1 - i for i, pid in enumerate(mine)}
        best = total = 0
        for other in context:
            chain = [other.id] + [a.id for a in self.ancestors(other)]
            depth = next((mine_depth[pid] for pid in chain if pid in mine_depth), -1) + 1
            best = max(best, depth)
            total += depth
        return (best, total)

    # --------------------------------------------------------------- villages
    def _load_villages(self) -> dict[str, str]:
        if self._village_names is None:
            names: dict[str, str] = {}
            if self._villages_source:
                for _, fields in iter_tsv(self._villages_source, 2, 2):
                    if fields[0] != "parent":
                        names[fields[0]] = fields[1]
            self._village_names = names
        return self._village_names

    def _township(self, township_id: str) -> Place:
        place = self._by_id.get(township_id)
        if place is None:
            name, parent = self._township_rows[township_id]
            place = self._by_id[township_id] = Place(township_id, name, "township", parent)
        return place

    def _villages_under_township(self, township_id: str) -> tuple[Place, ...]:
        cached = self._village_cache.get(township_id)
        if cached is None:
            raw = self._load_villages().get(township_id, "")
            cached = tuple(Place(f"{township_id}/{n}", n, "village", township_id)
                           for n in raw.split("|") if n)
            self._village_cache[township_id] = cached
        return cached

    # --------------------------------------------------------------- matching
    def _global_table(self) -> _Table:
        if self._table is None:
            forms: dict[str, list[tuple[Place, str]]] = {}
            for form, entries in self._names.items():
                if len(form) < _MIN_FORM or form in self._stopwords:
                    continue
                usable = [(p, k) for p, k in entries if p.level != "township" and p.level != "village"]
                if usable:
                    best = min(_KIND_RANK[k] for _, k in usable)
                    forms[form] = [(p, k) for p, k in usable if _KIND_RANK[k] == best]
            table: dict[str, tuple] = {f: tuple(sorted(e, key=lambda pk: _rank(pk[0]))) for f, e in forms.items()}
            for word in self._blockers:
                table.setdefault(word, _BLOCK)
            self._table = _Table(table)
        return self._table

    def _scope(self, home: Place | None) -> Place | None:
        """The county or city whose townships and villages are matched for ``home``."""
        if home is None:
            return None
        for place in [home, *self.ancestors(home)]:
            if place.level in ("county", "city"):
                return place
            if place.level in ("province", "country", "region", "feature"):
                return None
        return None

    def _province_of(self, home: Place | None) -> Place | None:
        if home is None:
            return None
        for place in [home, *self.ancestors(home)]:
            if place.level == "province":
                return place
        return None

    def _local_table(self, scope: Place) -> _Table:
        table = self._local_tables.get(scope.id)
        if table is None:
            base = self._global_table()
            forms = dict(base.forms)
            local: dict[str, list[tuple[Place, str]]] = {}
            short_local: dict[str, list[tuple[Place, str]]] = {}
            for township in self.townships_of(scope):
                for place in (township, *self._villages_under_township(township.id)):
                    if place.name in self._stopwords:
                        continue
                    if len(place.name) >= _MIN_LOCAL_FORM:
                        local.setdefault(place.name, []).append((place, "name"))
                    elif len(place.name) == _MIN_LOCAL_FORM - 1 and place.name not in forms:
                        short_local.setdefault(place.name, []).append((place, _AFTER_PARENT))
            for form, entries in short_local.items():
                if form not in local:
                    forms[form] = tuple(entries)
            for form, entries in local.items():
                existing = forms.get(form) or ()
                keep = [pk for pk in existing if _KIND_RANK[pk[1]] == 0]  # full names elsewhere stay candidates
                forms[form] = tuple(entries) + tuple(keep)
            table = _Table(forms)
            if len(self._local_tables) > 64:
                self._local_tables.clear()
            self._local_tables[scope.id] = table
        return table

    def find_places(self, text: str, home: Place | str | None = None) -> list[PlaceMatch]:
        """Place names in ``text``: longest match, left to right, non-overlapping.

        ``home`` (a Place or id) is the place the document is about: it enables its
        townships and villages and breaks ties between places of the same name."""
        if isinstance(home, str):
            home = self.get(home)
        scope = self._scope(home)
        table = self._local_table(scope) if scope is not None else self._global_table()
        forms, lengths = table.forms, table.lengths
        context = (home,) if home is not None else ()
        province = self._province_of(home)
        crossing = self._crossing
        out: list[PlaceMatch] = []
        n = len(text)
        last_end = -1
        i = 0
        while i < n:
            lens = lengths.get(text[i:i + 2])
            entry = None
            if lens:
                for size in lens:
                    if i + size <= n:
                        entry = forms.get(text[i:i + size])
                        if entry is not None:
                            break
            if entry is None:
                i += 1
                continue
            end = i + size
            if entry is _BLOCK:
                # a blocker gives way to a place name that starts inside it and runs past it
                i = i + 1 if _place_overlaps(text, i, end, forms, lengths) else end
                continue
            match = self._match(i, end, text[i:end], entry, context)
            if match.kind == _AFTER_PARENT:
                parent = out[-1].place if out and out[-1].end == i else None
                within = tuple(p for p in match.candidates if self.is_within(p, parent)) if parent else ()
                if not within:
                    i += 1
                    continue
                match = PlaceMatch(i, end, within[0], match.matched_form, "name", within)
            elif len(match.candidates) > 1 and out and out[-1].end == i:
                # 来远镇东山村: of the places with this name, the one in the place written before
                within = tuple(p for p in match.candidates if self.is_within(p, out[-1].place))
                if within and match.place not in within:
                    match = PlaceMatch(i, end, within[0], match.matched_form, match.kind, match.candidates)
            if (province is not None and end - i == 2 and match.kind == "short" and match.place.level == "county"
                    and not self.is_within(match.place, province)):
                i += 1  # 程建平 in a 晋中市 document: a person, not 建平县 of 辽宁省
                continue
            if ((match.kind != "name" or match.place.level in ("region", "feature"))
                    and text.startswith(_SETTLEMENT_SUFFIXES, end)):
                i = end  # 绵山镇 without its county as home: not the mountain
                continue
            if end - i == 2 and (match.kind in ("short", "alias") or is_foreign(match.place)) and (
                    (i > 0 and i != last_end and text[i - 1:i + 1] in crossing)
                    or (text[end - 1:end + 1] in crossing and not text.startswith(_AREA_FOLLOWERS, end))
                    or _better_from(text, i + 1, forms, lengths, match)):
                # 合作和政治: 政治 straddles 和政, so this is not 和政县; 从江西: 江西, not 从江县
                i += 1
                continue
            if (end - i == 3 and match.kind == "name" and match.place.level in ("county", "township", "village") and i > 0
                    and i != last_end and text[i - 1:i + 1] in crossing):
                i += 1  # 沿海城市: 沿海 straddles the start of 海城市; 提高城乡: not 高城乡
                continue
            if match.kind == "name" and form_ends_city_market(text, end, match):
                match = PlaceMatch(i, end - 1, match.place, text[i:end - 1], "short", match.candidates)
                end -= 1  # 南昌市场 is the market of 南昌, not 南昌市 + 场
            out.append(match)
            last_end = i = end
        return out

    def _match(self, start: int, end: int, form: str, entry: tuple, context: tuple) -> PlaceMatch:
        if len(entry) == 1:
            place, kind = entry[0]
            return PlaceMatch(start, end, place, form, kind, (place,))
        if context:
            entry = tuple(sorted(entry, key=lambda pk: (_neg(self._closeness(pk[0], context)), _rank(pk[0]))))
        place, kind = entry[0]
        return PlaceMatch(start, end, place, form, kind, tuple(p for p, _ in entry))


def is_foreign(place: Place) -> bool:
    """A place of ``countries.tsv``: a foreign country or world region, with no parent
    (only 中国 has none among the places of China)."""
    return not place.parent and place.id != COUNTRY_ID


def _neg(pair: tuple[int, int]) -> tuple[int, int]:
    return (-pair[0], -pair[1])


def _rank(place: Place) -> tuple[int, str]:
    return (_LEVEL_RANK.get(place.level, 9), place.id)


def form_ends_city_market(text: str, end: int, match: PlaceMatch) -> bool:
    """``X市`` followed by 场 where X is a short form of the place: read as X + 市场."""
    return (match.matched_form.endswith("市") and text.startswith("场", end)
            and match.matched_form[:-1] in match.place.short)


def _better_from(text: str, k: int, forms: dict, lengths: dict, match: PlaceMatch) -> bool:
    """True if a place form starting at ``k`` ends past ``k + 1`` and names a higher
    level place, or is a full name where ``match`` is a short form: 从江西 is 从 + 江西
    (province), not 从江 (county); 鄂西山区 stays 鄂西 (region) + 山区."""
    place = match.place
    n = len(text)
    for size in lengths.get(text[k:k + 2], ()) if k < n else ():
        if size < 2:
            break
        if k + size <= n:
            entry = forms.get(text[k:k + size])
            if entry:
                other, kind = entry[0]
                return ((kind == "name" and match.kind == "short")
                        or _LEVEL_RANK.get(other.level, 9) < _LEVEL_RANK.get(place.level, 9))
    return False


def _place_overlaps(text: str, start: int, end: int, forms: dict, lengths: dict) -> bool:
    n = len(text)
    for k in range(start + 1, end):
        for size in lengths.get(text[k:k + 2], ()):
            if k + size <= end:
                break
            if k + size <= n:
                entry = forms.get(text[k:k + size])
                if entry:  # a place entry (blockers are empty tuples)
                    return True
    return False


# ------------------------------------------------------------------- loading
def _read_divisions() -> tuple[list[Place], list[tuple[str, str, str]]]:
    """Places of the divisions file, and (id, name, parent) rows of its plain townships."""
    # ~47k rows: parsed here directly (not with iter_tsv) to keep loading fast
    places: list[Place] = []
    townships: list[tuple[str, str, str]] = []
    levels = frozenset(LEVELS)
    with open_text(DIVISIONS) as handle:
        data = handle.read()
    for lineno, line in enumerate(data.split("\n"), 1):
        if not line or line[0] == "#" or line.startswith("id\t"):
            continue
        fields = line.rstrip("\r").split("\t")
        if len(fields) != 6 or fields[3] not in levels:
            raise ResourceError(f"{DIVISIONS}:{lineno}: expected 6 tab-separated fields "
                                f"(id, name, short, level, parent, code) with a level among "
                                f"{', '.join(LEVELS)}: {line!r}. Regenerate with scripts/build_gazetteer.py.")
        pid, name, short, level, parent, code = fields
        if level == "township" and not short and not code:
            townships.append((pid, name, parent))
        else:
            places.append(Place(pid, name, level, parent, code, tuple(short.split("|")) if short else ()))
    return places, townships


def _read_regions(relpath: str = REGIONS) -> Iterator[Place]:
    """Places of ``regions.tsv`` or of a file in its format (``countries.tsv``)."""
    for lineno, fields in iter_tsv(relpath, 5, 5):
        if fields[0] == "id":
            continue
        pid, name, aliases, level, parent = (f.strip() for f in fields)
        if level not in LEVELS or not pid or not name:
            raise ResourceError(f"{relpath}:{lineno}: need an id, a name and a level among "
                                f"{', '.join(LEVELS)}; found {fields!r}.")
        yield Place(pid, name, level, parent, "", tuple(a for a in aliases.split("|") if a))


def _read_former() -> Iterator[tuple[str, str, str]]:
    for lineno, fields in iter_tsv(FORMER_NAMES, 5, 6):
        if fields[0] == "name":
            continue
        if fields[4] not in ("full", "short"):
            raise ResourceError(f"{FORMER_NAMES}:{lineno}: kind must be full or short, found {fields[4]!r}.")
        yield fields[0], fields[1], fields[4]


def _read_word_list(relpath: str) -> frozenset[str]:
    return load_word_list(relpath)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package (villages are loaded on first use)."""
    places = list(_read_regions()) + list(_read_regions(COUNTRIES))
    divisions, townships = _read_divisions()
    places.extend(divisions)
    blockers = _read_word_list(BLOCKERS) | _read_word_list(FOREIGN_BLOCKERS)
    gazetteer = Gazetteer(places, _read_former(), _read_word_list(STOPWORDS), blockers,
                          _read_word_list(CROSSING_WORDS), townships)
    known = gazetteer._by_id
    missing = {p.parent for p in places if p.parent and p.parent not in known}
    missing |= {parent for _, _, parent in townships if parent not in known}
    if missing:
        raise ResourceError(f"Places in {DIVISIONS}, {REGIONS} or {COUNTRIES} have unknown parents: "
                            f"{', '.join(sorted(missing)[:5])}. Fix the parent column.")
    return gazetteer


def find_places(text: str, home: Place | str | None = None) -> list[PlaceMatch]:
    """Place names in ``text`` using the shipped gazetteer; see :meth:`Gazetteer.find_places`."""
    return load_gazetteer().find_places(text, home)
