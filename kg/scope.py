"""The scope of a person: where, by this document alone, the person belongs.

Two people with one name in different places are different people (a 王伟 on a 晋中
page and a 王伟 in a 呼和浩特 report), so a person's identity is the name plus a
scope, a place name at prefecture (city) or province level, or 中国:

1. national, when the document ties the person to the country: a post in a national
   body (总书记 → 中共中央, 国务院总理 → 国务院, an agency located in 中国), or the
   name heading a doctrine or the central leadership (习近平新时代中国特色社会主义思想,
   以习近平同志为核心的党中央);
2. else the place of the agency the person holds a post in (the first post, in text
   order, whose agency has a place: its ``located_in`` in this document, or the place
   its name begins with), lifted to its prefecture-level city or province;
3. else the document's home place (``DocResult.jurisdiction``), lifted the same way;
4. else national (中国).

Everything comes from the one document, so a document's part of the graph does not
depend on which other documents were built with it (the store rebuilds per document).
Two mentions with the same name and the same scope are one node; different scopes stay
apart. The node's label is the plain name; its id (``Person:王伟@晋中市``) and IRI
(``id/Person/王伟@晋中市``) carry the scope.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Iterable, Optional

from .labels import EntityType, RelationType
from .places import Gazetteer, Place
from .resolve import COUNTRY
from .types import Entity, Relation, Segments

SCOPE_LEVELS = ("city", "province", "country")
"""Levels a scope may have: a lower place is lifted to the first of these above it."""

NATIONAL_FOLLOWERS = ("新时代中国特色社会主义思想", "同志为核心的党中央", "总书记", "思想", "理论")
"""Words right after a name that make the person national (习近平新时代…思想, 邓小平理论)."""


@lru_cache(maxsize=1)
def national_bodies() -> frozenset[str]:
    """Canonical names of the national bodies in ``agencies/relative.tsv`` (中共中央,
    国务院, 全国人大常委会 …)."""
    from .extract.agencies import load_relative

    return frozenset(template for level, template, _ in load_relative().values() if level == "country")


def lift(place: Optional[Place], gazetteer: Gazetteer) -> str:
    """The name of the place, or of the first place above it, at city, province or
    country level ("" for a region, feature or venue outside the hierarchy)."""
    if place is None:
        return ""
    for p in [place, *gazetteer.ancestors(place)]:
        if p.level in SCOPE_LEVELS:
            return COUNTRY if p.level == "country" else p.name
    return ""


def person_scopes(entities: Iterable[Entity], relations: Iterable[Relation], segments: Segments,
                  home: Optional[Place], gazetteer: Gazetteer) -> dict[tuple, str]:
    """The scope of each person of the document: person key → place name or 中国."""
    entities = list(entities)
    places = {e.name: e for e in entities if e.type == EntityType.PLACE.value}
    located: dict[tuple, str] = {}
    posts: dict[tuple, list[Relation]] = {}
    for r in sorted(relations, key=lambda r: (r.sentence, r.raw_start)):
        if r.type == RelationType.LOCATED_IN.value:
            located.setdefault(tuple(r.source), r.target[1])
        elif r.type == RelationType.HOLDS_POSITION.value:
            posts.setdefault(tuple(r.source), []).append(r)

    def place_scope(name: str) -> str:
        if name == COUNTRY:
            return COUNTRY
        entity = places.get(name)
        place_id = entity.attrs.get("place_id") if entity is not None else None
        place = gazetteer.get(place_id) if place_id else None
        if place is None:
            place = gazetteer.disambiguate(name, [home] if home is not None else [])
        return lift(place, gazetteer)

    def agency_scope(agency: tuple) -> str:
        name = agency[1]
        if name in national_bodies():
            return COUNTRY
        if agency in located:
            return place_scope(located[agency])
        prefix = max((p for p in places if name.startswith(p)), key=len, default="")
        return place_scope(prefix) if prefix else ""

    home_scope = lift(home, gazetteer) or COUNTRY
    text = segments.doc.text
    scopes: dict[tuple, str] = {}
    for e in entities:
        if e.type != EntityType.PERSON.value:
            continue
        scope = ""
        if any(text.startswith(NATIONAL_FOLLOWERS, m.end) for m in e.mentions if 0 <= m.end <= len(text)):
            scope = COUNTRY
        for post in posts.get(e.key, ()):
            if scope:
                break
            scope = agency_scope(tuple(post.target))
        scopes[e.key] = scope or home_scope
    return scopes


def scope_people(entities: list[Entity], relations: list[Relation], segments: Segments,
                 home: Optional[Place], gazetteer: Gazetteer) -> tuple[list[Entity], list[Relation]]:
    """Give every person its scope (``Entity.scope``), and the relations the scoped keys."""
    scopes = person_scopes(entities, relations, segments, home, gazetteer)
    if not scopes:
        return entities, relations
    renamed = {key: (key[0], key[1], scope) for key, scope in scopes.items()}
    entities = [replace(e, scope=scopes[e.key]) if e.key in scopes else e for e in entities]
    relations = [replace(r, source=renamed.get(tuple(r.source), r.source),
                         target=renamed.get(tuple(r.target), r.target))
                 if tuple(r.source) in renamed or tuple(r.target) in renamed else r
                 for r in relations]
    return entities, relations


__all__ = ["person_scopes", "scope_people", "lift", "national_bodies", "SCOPE_LEVELS"]
