"""Near-duplicate documents, and names that two versions of one text read differently.

Two documents are versions of one text when a report is re-OCR'd, re-published or
reprinted: most of their wording is the same, a few characters differ. This module
recognises such pairs and, between them, the places where aligned sentences name a
person differently (郭焕平 in one, 郝焕平 in the other, the rest of the phrase equal: an
OCR misreading), so the graph can link the two documents and flag the two names
instead of silently keeping or merging them.

How:

- **Fingerprint** (in the worker, :func:`fingerprint`): the document's clean text
  without spaces, punctuation and layout marks, cut into overlapping character
  5-grams (shingles); each shingle hashed to 32 bits (a fixed polynomial hash with a
  mixing step, the same in every process), half of the hashes kept by a fixed rule on
  the hash (a consistent sample: the same shingle is kept in every document, so the
  Jaccard similarity of the samples estimates that of the full sets), and a MinHash of
  ``NUM_PERM`` permutations over them (``datasketch``). The signature is
  ``NUM_PERM`` 32-bit integers, carried in ``DocResult.minhash``; the text is not
  kept. A text under ``MIN_SHINGLES`` sampled shingles (about 100 characters) gets no
  signature: short notices share too much boilerplate to be told apart.
- **People** (:func:`person_contexts`): each sentence that names a person, with the
  name's place in it, carried in ``DocResult.people``.
- **Index** (:class:`NearDuplicateIndex`, while the graph is merged): a MinHash LSH
  index (``datasketch.MinHashLSH``, banding tuned for ``THRESHOLD``) finds the earlier
  documents whose signature may be close; the estimated Jaccard similarity of the two
  signatures must reach ``THRESHOLD``. Memory per document: its signature (256 bytes),
  its LSH band keys, and its person sentences; never its text.
- **Name conflicts** (:func:`name_conflicts`, only for a matched pair): a person
  mention in one document and one in the other whose names differ in one character (two
  for names longer than three), have the same length, and stand between the same
  characters (up to ``CONTEXT`` on each side, at least ``CONTEXT`` in all) are
  candidates; their sentences are then aligned with ``difflib.SequenceMatcher``: the
  sentences must agree to ``SENTENCE_RATIO`` and the name must sit where the
  alignment maps it.

Documents built apart (``kg build`` runs that each add to a store) are not compared:
the links come from the documents merged in one graph.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Optional, Sequence

import numpy as np

from .labels import EntityType
from .types import DocResult, Entity, PersonContext, Segments

SHINGLE = 5
"""Characters per shingle."""
NUM_PERM = 64
"""MinHash permutations: the estimate's standard error is about 0.05 near 0.8."""
THRESHOLD = 0.7
"""Estimated Jaccard similarity of the shingle sets from which two documents are near
duplicates. Two versions of one report (corpus 000/001: a re-published copy with
headings, a few changed words and other sections) reach about 0.85; distinct
national work reports, or the yearly resolutions on them that share most of their
boilerplate, stay under 0.5."""
MIN_SHINGLES = 50
"""Fewer sampled shingles than this: no signature (about 100 characters of text)."""
SEED = 1
"""Seed of the MinHash permutations: every process must use the same."""
CONTEXT = 4
"""Characters compared on each side of a name."""
SENTENCE_RATIO = 0.8
"""difflib ratio two sentences need to count as one sentence in two versions."""
METHOD = f"minhash-char{SHINGLE}"
"""How the similarity was measured (kept on the graph edge)."""

_DROP = re.compile(r"[\W_]+")
_MASK32 = np.uint64(0xFFFFFFFF)
_MULTIPLIER = np.uint64(1000003)


def shingle_hashes(text: str) -> np.ndarray:
    """The sampled 32-bit hashes of the text's character shingles, each once, sorted."""
    kept = _DROP.sub("", text)
    codes = np.frombuffer(kept.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(SHINGLE):
        h = (h * _MULTIPLIER + codes[j:j + n]) & _MASK32
    # mix (murmur3's finaliser) so that the sampling bit does not follow the characters
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & _MASK32
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & _MASK32
    h ^= h >> np.uint64(16)
    return np.unique(h[(h & np.uint64(1)) == 0])


@lru_cache(maxsize=1)
def _permutations():
    """The MinHash permutations of ``SEED``, drawn once per process (drawing them costs
    more than hashing a short document)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def fingerprint(text: str) -> tuple[int, ...]:
    """The MinHash signature of a document's text, or ``()`` for a text too short to
    compare."""
    from datasketch import MinHash

    hashes = shingle_hashes(text)
    if len(hashes) < MIN_SHINGLES:
        return ()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=_permutations(),
                      scheme="affine32")
    minhash.update_batch(hashes.tolist())
    return tuple(int(v) for v in minhash.hashvalues)


def person_contexts(entities: Iterable[Entity], segments: Segments) -> tuple[PersonContext, ...]:
    """Each mention of a person with its sentence, for aligning near duplicates."""
    sentences = segments.sentences
    out = []
    for entity in entities:
        if entity.type != EntityType.PERSON.value:
            continue
        for m in entity.mentions:
            if not 0 <= m.sentence < len(sentences):
                continue
            s = sentences[m.sentence]
            if not s.start <= m.start < m.end <= s.end:
                continue
            raw_start, raw_end = segments.doc.to_raw(s.start, s.end)
            out.append(PersonContext(key=entity.key, sentence=s.index, text=s.text,
                                     start=m.start - s.start, end=m.end - s.start,
                                     raw_start=raw_start, raw_end=raw_end))
    return tuple(out)


@dataclass(frozen=True)
class NearDuplicate:
    """Two documents that are versions of one text."""

    doc_a: str
    doc_b: str
    similarity: float


@dataclass(frozen=True)
class NameConflict:
    """One place where two near-duplicate documents name a person differently."""

    doc_a: str
    a: PersonContext
    doc_b: str
    b: PersonContext
    similarity: float


class NearDuplicateIndex:
    """Documents seen so far, by signature: :meth:`add` returns the near duplicates of
    a new document among them, and the name conflicts between each such pair.

    This one holds its state in memory (``datasketch.MinHashLSH``); the disk merge
    (``kg.diskgraph``) keeps the same state in SQLite by overriding the four storage
    methods (``_seen``, ``_candidates``, ``_stored``, ``_insert``), with the same bands,
    so both find the same pairs."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, np.ndarray] = {}
        self._people: dict[str, tuple[PersonContext, ...]] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def band_keys(self, signature: np.ndarray) -> list[bytes]:
        """The LSH band keys of a signature, as ``MinHashLSH`` computes them: two
        documents are candidates when they share one."""
        return [self._lsh._H(signature[start:end]) for start, end in self._lsh.hashranges]

    def _seen(self, doc_id: str) -> bool:
        return doc_id in self._signatures

    def _candidates(self, minhash, signature: np.ndarray) -> Iterable[str]:
        return self._lsh.query(minhash)

    def _stored(self, doc_id: str) -> tuple[np.ndarray, Sequence[PersonContext]]:
        return self._signatures[doc_id], self._people.get(doc_id, ())

    def _insert(self, doc_id: str, minhash, signature: np.ndarray, people: Sequence[PersonContext]) -> None:
        self._lsh.insert(doc_id, minhash)
        self._signatures[doc_id] = signature
        if people:
            self._people[doc_id] = tuple(people)

    def add(self, result: DocResult) -> tuple[list[NearDuplicate], list[NameConflict]]:
        """Index one document; return its near duplicates among those added before
        (most similar first) and the name conflicts with each."""
        if len(result.minhash) != self.num_perm or self._seen(result.doc_id):
            return [], []
        from datasketch import LeanMinHash

        signature = np.asarray(result.minhash, dtype=np.uint32)
        minhash = LeanMinHash(seed=SEED, hashvalues=signature, scheme="affine32")
        pairs, people = [], {}
        for other in self._candidates(minhash, signature):
            stored, people[other] = self._stored(other)
            similarity = float(np.count_nonzero(stored == signature)) / self.num_perm
            if similarity >= self.threshold:
                pairs.append(NearDuplicate(other, result.doc_id, round(similarity, 3)))
        pairs.sort(key=lambda p: (-p.similarity, p.doc_a))
        conflicts = [c for p in pairs
                     for c in name_conflicts(p.doc_a, people[p.doc_a], result.doc_id, result.people)]
        self._insert(result.doc_id, minhash, signature, result.people)
        return pairs, conflicts


def _name(context: PersonContext) -> str:
    return context.key[1]


def _close_names(a: str, b: str) -> bool:
    """Same length, and one character apart (two for names longer than three)."""
    if a == b or len(a) != len(b) or len(a) < 2:
        return False
    differ = sum(x != y for x, y in zip(a, b))
    return differ <= (1 if len(a) <= 3 else 2)


def _sides(c: PersonContext) -> tuple[str, str]:
    return c.text[max(0, c.start - CONTEXT):c.start], c.text[c.end:c.end + CONTEXT]


def _maps_to(matcher: difflib.SequenceMatcher, i: int, j: int) -> bool:
    """Whether the alignment puts character ``i`` of the first text at ``j`` of the
    second."""
    for a, b, size in matcher.get_matching_blocks():
        if a <= i < a + size:
            return j == b + (i - a)
    return False


def name_conflicts(doc_a: str, people_a: Sequence[PersonContext],
                   doc_b: str, people_b: Sequence[PersonContext]) -> list[NameConflict]:
    """The places where two near-duplicate documents name a person differently: see the
    module docstring. One conflict per pair of sentences and names."""
    by_context: dict[tuple[str, str, int], list[PersonContext]] = {}
    for c in people_b:
        left, right = _sides(c)
        by_context.setdefault((left, right, len(_name(c))), []).append(c)
    out: list[NameConflict] = []
    seen: set[tuple] = set()
    matchers: dict[tuple[int, int], Optional[difflib.SequenceMatcher]] = {}
    for a in people_a:
        left, right = _sides(a)
        if len(left) + len(right) < CONTEXT:
            continue
        for b in by_context.get((left, right, len(_name(a))), ()):
            if not _close_names(_name(a), _name(b)) or a.key == b.key:
                continue
            mark = (a.sentence, b.sentence, a.key, b.key)
            if mark in seen:
                continue
            matcher = matchers.get((a.sentence, b.sentence), False)
            if matcher is False:
                matcher = difflib.SequenceMatcher(None, a.text, b.text, autojunk=False)
                if matcher.real_quick_ratio() < SENTENCE_RATIO or matcher.quick_ratio() < SENTENCE_RATIO \
                        or matcher.ratio() < SENTENCE_RATIO:
                    matcher = None
                matchers[a.sentence, b.sentence] = matcher
            if matcher is None:
                continue
            at = (a.start - 1, b.start - 1) if left else (a.end, b.end)
            if not _maps_to(matcher, *at):
                continue
            seen.add(mark)
            out.append(NameConflict(doc_a, a, doc_b, b, round(matcher.ratio(), 3)))
    return out


def links(results: Iterable[DocResult]) -> Iterator[tuple[list[NearDuplicate], list[NameConflict]]]:
    """For each result in turn, its near duplicates among the earlier ones and the name
    conflicts with them (what :func:`kg.graph.build_graph` adds)."""
    index = NearDuplicateIndex()
    for result in results:
        yield index.add(result)


__all__ = ["fingerprint", "person_contexts", "shingle_hashes", "NearDuplicate", "NameConflict",
           "NearDuplicateIndex", "name_conflicts", "THRESHOLD", "NUM_PERM", "SHINGLE", "METHOD"]
