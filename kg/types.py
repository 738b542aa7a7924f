"""Plain records handed from stage to stage.

Every stage is a function from one of these to the next; none holds a reference to a
spaCy object or a file handle, so records can cross process boundaries (``--jobs``) and
be written to JSON unchanged.

Offsets: ``start``/``end`` are character offsets into ``CleanDoc.text`` (end
exclusive); ``raw_start``/``raw_end`` are the same span in the original text as read,
computed through the cleaning offset map, so a user can find the words in their file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class RawDoc:
    """A document as read: decoded text and where it came from."""

    doc_id: str
    path: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CleanDoc:
    """Repaired text plus a map from each clean character back to the raw text.

    ``offsets[i]`` is the raw index of clean character ``i``; ``offsets[len(text)]``
    is the raw end, so any clean span ``[s, e)`` maps to ``[offsets[s], offsets[e-1]+1)``.
    """

    doc_id: str
    path: str
    text: str
    raw: str
    offsets: tuple[int, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span to the raw span that covers the same characters."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, the unit every claim points back to."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    article: int = 0


@dataclass(frozen=True, slots=True)
class Article:
    """A run of text with its own voice: one article of a newspaper page, or a
    reprinted report inside a document. Each resolves relative names on its own.

    ``headline`` is its title line(s), ``byline`` the reporter line ((记者 孟晓峰)),
    ``date`` the date it gives at its start (ISO, or a year), else the document's."""

    index: int
    start: int
    end: int
    headline: str = ""
    date: str = ""
    byline: str = ""


@dataclass(frozen=True, slots=True)
class Segments:
    """A cleaned document cut into articles and sentences; ``date`` is the
    document's date (ISO ``YYYY-MM-DD``, or ``YYYY``, or "")."""

    doc: CleanDoc
    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...]
    date: str = ""

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence that holds clean offset ``offset`` (binary search)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an entity (or a title), as extraction found it.

    ``source`` says which rule or model found it (``rule:gazetteer``, ``ner``), and
    ``score`` how sure it is (0..1). ``attrs`` holds type-specific facts the rule knew
    (a place's level and code, an agency's kind).
    """

    doc_id: str
    start: int
    end: int
    text: str
    label: str
    source: str
    score: float
    sentence: int
    raw_start: int = -1
    raw_end: int = -1
    attrs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Entity:
    """One distinct entity of a document under its canonical name.

    ``scope`` (persons only, ``kg.scope``) is where the person belongs by this
    document: a city or province name, or 中国; "" for the other types."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    confidence: float = 1.0
    attrs: Mapping[str, Any] = field(default_factory=dict)
    scope: str = ""

    @property
    def key(self) -> tuple:
        """Identity within and across documents: type plus canonical name, plus the
        scope where there is one (``("Person", "王伟", "晋中市")``): two people with
        one name in different places are two entities."""
        return (self.type, self.name, self.scope) if self.scope else (self.type, self.name)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link between two entities, with the sentence that supports it;
    ``date`` is the date of that sentence's article (or document), when known."""

    type: str
    source: tuple  # an Entity.key: (type, name) or (type, name, scope)
    target: tuple
    doc_id: str
    sentence: int
    evidence: str
    confidence: float
    rule: str
    title: str = ""
    role: str = ""
    raw_start: int = -1
    raw_end: int = -1
    date: str = ""


@dataclass(frozen=True, slots=True)
class PersonContext:
    """One place where a document names a person: the sentence (index, text, and its
    span in the original file) and the name's offsets inside that sentence. Kept so
    that two near-duplicate documents can be aligned (``kg.dedup``)."""

    key: tuple
    sentence: int
    text: str
    start: int
    end: int
    raw_start: int = -1
    raw_end: int = -1


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything extracted from one document: the per-document graph.

    ``minhash`` is the MinHash signature of the document's text and ``people`` the
    sentences that name persons (``kg.dedup``): what the graph needs to find near
    duplicates without holding the texts."""

    doc_id: str
    path: str
    jurisdiction: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    sentences: tuple[Sentence, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    minhash: tuple[int, ...] = ()
    people: tuple[PersonContext, ...] = ()
    #: spans the statistical NER proposed that did not reach the graph, with the step
    #: that left each out (``kg extract --explain``; empty otherwise)
    dropped: tuple[Mention, ...] = ()
