"""Place rule: gazetteer matches (administrative divisions, regions, features) as
Candidates, with the level, id and full name the gazetteer knows."""
from __future__ import annotations

from ..labels import MentionType
from .candidates import Candidate

PLACE = MentionType.PLACE.value


def find_places(text: str, gazetteer, home=None) -> list[Candidate]:
    """Place candidates from the gazetteer; ``home`` lets villages and townships under
    the document's home place be found too."""
    out = []
    for match in gazetteer.find_places(text, home):
        place = match.place
        out.append(Candidate(match.start, match.end, PLACE, "rule:gazetteer", 0.9 if len(match.matched_form) > 2 else 0.75,
                             name=place.name, attrs={"level": place.level, "place_id": place.id, "code": place.code}))
    return out
