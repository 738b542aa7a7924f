"""Compose the stages: paths -> DocResults -> one graph.

``process_document`` runs read → clean → segment → extract → resolve → relate on one
file; ``run`` does it for many files, in worker processes when ``jobs > 1`` (each
worker builds the spaCy pipeline once), collecting the files that could not be read
instead of stopping at them.
"""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from typing import Callable, Iterable

from .clean import clean
from .errors import InputError
from .extract import extract, make_nlp
from .labels import EntityType, RelationType
from .read import iter_paths, read_doc
from .relate import relate
from .resolve import COUNTRY, article_chains, resolve
from .segment import segment
from .types import DocResult, Entity, RawDoc, Relation

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """What a run produced: per-document results, the files skipped and why."""

    results: list[DocResult] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def process_raw(raw: RawDoc, nlp) -> DocResult:
    """Extract the per-document graph of one decoded document."""
    from .places import load_gazetteer

    gazetteer = load_gazetteer()
    cleaned = clean(raw)
    segments = segment(cleaned)
    mentions, home_id = extract(segments, nlp)
    home = gazetteer.get(home_id) if home_id else None
    entities, names, jurisdiction = resolve(mentions, segments, home, gazetteer)
    chains = article_chains(mentions, segments, home, gazetteer)
    relations = relate(mentions, names, segments, entities, jurisdiction, chains, gazetteer)
    entities, relations = _complete(entities, relations, gazetteer)
    return DocResult(doc_id=raw.doc_id, path=raw.path, jurisdiction=home.name if home else "",
                     entities=tuple(entities), relations=tuple(relations), sentences=segments.sentences,
                     meta=dict(raw.meta))


def _complete(entities: list[Entity], relations: list[Relation], gazetteer) -> tuple[list[Entity], list[Relation]]:
    """Add entities that relations imply but no mention named (副市长 -> 晋中市政府),
    with the located_in their name gives."""
    have = {e.key for e in entities}
    extra: list[Entity] = []
    extra_rel: list[Relation] = []
    places = {e.name for e in entities if e.type == EntityType.PLACE.value}
    for r in relations:
        for key in (r.source, r.target):
            if key in have:
                continue
            have.add(key)
            extra.append(Entity(type=key[0], name=key[1], confidence=round(r.confidence, 3),
                                attrs={"implied": True}))
            if key[0] == EntityType.AGENCY.value:
                place = COUNTRY if key[1] in ("中共中央", "国务院") else next(
                    (p for p in sorted(places, key=len, reverse=True) if key[1].startswith(p)), "")
                if place:
                    extra_rel.append(Relation(type=RelationType.LOCATED_IN.value, source=key,
                                              target=(EntityType.PLACE.value, place), doc_id=r.doc_id,
                                              sentence=r.sentence, evidence=r.evidence, confidence=r.confidence,
                                              rule="implied-jurisdiction", raw_start=r.raw_start, raw_end=r.raw_end))
                    if (EntityType.PLACE.value, place) not in have:
                        have.add((EntityType.PLACE.value, place))
                        extra.append(Entity(type=EntityType.PLACE.value, name=place, confidence=r.confidence,
                                            attrs={"implied": True, "level": "country" if place == COUNTRY else ""}))
    return entities + extra, relations + extra_rel


def process_path(path: str | os.PathLike, nlp) -> DocResult:
    return process_raw(read_doc(path), nlp)


_WORKER_NLP = None


def _worker_init() -> None:
    global _WORKER_NLP
    _WORKER_NLP = make_nlp()


def _worker_process(path: str) -> tuple[str, DocResult | None, str]:
    try:
        return path, process_path(path, _WORKER_NLP), ""
    except InputError as err:
        return path, None, str(err)


def run(paths: Iterable[str | os.PathLike], *, jobs: int = 1, nlp=None,
        progress: Callable[[int], None] | None = None) -> BuildResult:
    """Process every document under ``paths``; unreadable files are reported in
    ``errors`` and the rest still built. ``progress`` is called once per document."""
    started = time.perf_counter()
    result = BuildResult()
    files = []
    for given in paths:
        try:
            files.extend(str(p) for p in iter_paths([given]))
        except InputError as err:
            result.errors.append((str(given), str(err)))
    if jobs <= 1 or len(files) <= 1:
        nlp = nlp or make_nlp()
        for path in files:
            try:
                result.results.append(process_path(path, nlp))
            except InputError as err:
                result.errors.append((path, str(err)))
            if progress:
                progress(1)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            for path, doc, error in pool.map(_worker_process, files):
                if doc is not None:
                    result.results.append(doc)
                else:
                    result.errors.append((path, error))
                if progress:
                    progress(1)
    result.seconds = time.perf_counter() - started
    log.info("built %d documents in %.1fs (%d skipped)", len(result.results), result.seconds, len(result.errors))
    return result


def count_files(paths: Iterable[str | os.PathLike]) -> int:
    """How many documents ``run`` will look at (for a progress bar)."""
    n = 0
    for given in paths:
        try:
            n += sum(1 for _ in iter_paths([given]))
        except InputError:
            n += 1
    return n


__all__ = ["BuildResult", "process_raw", "process_path", "run", "count_files"]
