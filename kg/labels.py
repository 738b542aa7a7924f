"""Entity and relation labels: the closed vocabulary shared by every stage.

Import labels from here instead of writing the strings, so that a typo is an
AttributeError at import time rather than a silent mismatch in the graph.
"""
from __future__ import annotations

from enum import Enum


class EntityType(str, Enum):
    """The five entity types of the annotation guidelines (section 2)."""

    PERSON = "Person"
    AGENCY = "Agency"
    PLACE = "Place"
    INITIATIVE = "Initiative"
    EVENT = "Event"

    def __str__(self) -> str:  # so f-strings give "Person", not "EntityType.PERSON"
        return self.value


class MentionType(str, Enum):
    """Mention labels: the entity types plus Title, which only links people to posts."""

    PERSON = "Person"
    AGENCY = "Agency"
    PLACE = "Place"
    INITIATIVE = "Initiative"
    EVENT = "Event"
    TITLE = "Title"

    def __str__(self) -> str:
        return self.value


class RelationType(str, Enum):
    """The six relations of the guidelines (section 3), plus the provenance edge."""

    HOLDS_POSITION = "holds_position"
    LOCATED_IN = "located_in"
    PART_OF = "part_of"
    SUB_ORGANIZATION_OF = "sub_organization_of"
    INVOLVED_IN = "involved_in"
    COOPERATES_WITH = "cooperates_with"

    def __str__(self) -> str:
        return self.value


MENTIONED_IN = "mentioned_in"
"""Graph edge from an entity node to the document node that mentions it."""

NEAR_DUPLICATE_OF = "near_duplicate_of"
"""Graph edge between two document nodes that are versions of one text (``kg.dedup``)."""

POSSIBLY_SAME_AS = "possibly_same_as"
"""Flagged graph edge between two person nodes that near-duplicate documents name
differently at the same place (an OCR misreading, or a correction): kept apart, linked."""

LINK_RELATIONS = frozenset({NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS})
"""Edges that come from comparing documents, not from one document's text."""

SYMMETRIC_RELATIONS = frozenset({RelationType.COOPERATES_WITH, NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS})

ENTITY_TYPES = tuple(t.value for t in EntityType)
RELATION_TYPES = tuple(t.value for t in RelationType)
