"""Compose the stages: paths -> DocResults -> one graph.

``process_raw`` runs clean → segment → extract → resolve → relate on one decoded
document and dates it; ``stream`` does it for every document of many files and
yields the results one at a time, reading in this process and extracting in ``jobs``
worker processes (each builds the spaCy pipeline once) with a bounded number of
documents in flight, so memory stays flat on a corpus of any size; or, given a Dask
client, as tasks on its workers (``kg/cluster.py``), which read the files themselves.
Documents that cannot be read or processed are collected as errors instead of
stopping the build. ``run`` collects what ``stream`` yields.
"""
from __future__ import annotations

import logging
import os
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from .clean import clean
from .dedup import fingerprint, person_contexts
from .errors import InputError
from .extract import extract, make_nlp
from .formats import ReadOptions
from .formats.jsonl import count_lines
from .labels import EntityType, RelationType
from .read import iter_inputs, read_doc, read_input
from .relate import relate
from .resolve import COUNTRY, article_chains, resolve
from .scope import scope_people
from .segment import segment
from .types import DocResult, Entity, Mention, RawDoc, Relation, Segments
from .url_inputs import is_url

log = logging.getLogger(__name__)

#: Documents handed to the workers ahead of the one being waited for, per worker.
IN_FLIGHT_PER_JOB = 4


@dataclass
class BuildResult:
    """What a run produced: per-document results, the files skipped and why."""

    results: list[DocResult] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    built: int = 0
    characters: int = 0


def default_jobs() -> int:
    """All cores: the default of ``kg build --jobs``."""
    return os.cpu_count() or 1


@dataclass
class Analysis:
    """One document between extraction and the finished graph: what ``process_raw``
    builds on, and what the learned relation classifier is trained from."""

    cleaned: object
    segments: Segments
    mentions: list[Mention]
    names: dict[int, str]
    entities: list[Entity]
    relations: list[Relation]
    home: object
    dropped: list[Mention]


def analyse(raw: RawDoc, nlp) -> Analysis:
    """Clean, segment, extract, resolve and relate one decoded document."""
    from .places import load_gazetteer

    gazetteer = load_gazetteer()
    cleaned = clean(raw)
    segments = segment(cleaned)
    mentions, home_id, dropped = extract(segments, nlp)
    home = gazetteer.get(home_id) if home_id else None
    entities, names, jurisdiction = resolve(mentions, segments, home, gazetteer)
    chains = article_chains(mentions, segments, home, gazetteer)
    relations = relate(mentions, names, segments, entities, jurisdiction, chains, gazetteer)
    return Analysis(cleaned, segments, mentions, names, entities, relations, home, dropped)


def process_raw(raw: RawDoc, nlp, explain: bool | None = None) -> DocResult:
    """Extract the per-document graph of one decoded document. ``explain``: also list
    the NER's spans that did not reach the graph (``kg extract --explain``); None
    reads ``KG_EXPLAIN``."""
    from .places import load_gazetteer

    gazetteer = load_gazetteer()
    a = analyse(raw, nlp)
    cleaned, segments, mentions, dropped, home = a.cleaned, a.segments, a.mentions, a.dropped, a.home
    relations = _learned_relations(a, nlp)
    entities, relations = _complete(a.entities, relations, gazetteer)
    entities, relations = scope_people(entities, relations, segments, home, gazetteer)
    meta = dict(cleaned.meta)
    relations = _date(segments, relations, meta)
    if explain is None:
        explain = os.environ.get("KG_EXPLAIN") == "1"
    if explain:
        placed = {(m.start, m.end) for e in entities for m in e.mentions}  # found by a rule as well
        dropped = tuple(m for m in dropped if (m.start, m.end) not in placed) + _unresolved(mentions, placed)
    else:
        dropped = ()
    return DocResult(doc_id=raw.doc_id, path=raw.path, jurisdiction=home.name if home else "",
                     entities=tuple(entities), relations=tuple(relations), sentences=segments.sentences,
                     meta=meta, minhash=fingerprint(cleaned.text), people=person_contexts(entities, segments),
                     dropped=dropped)


def _learned_relations(a: Analysis, nlp) -> list[Relation]:
    """The rules' relations with what the learned pair classifier says
    (``kg.learn.relations``), when the pipeline has one: pairs it finds linked are
    added; a rule's link of a type it judges, between ends it saw in one sentence, is
    dropped when its probability stays below ``relation_drop``."""
    if "kg_learned" not in nlp.pipe_names:
        return a.relations
    component = nlp.get_pipe("kg_learned")
    classifier = getattr(component, "relations", None)
    if classifier is None:
        return a.relations
    from .learn.relations import instances, predict

    insts = instances(a.mentions, a.names, a.segments, a.relations)
    seen = predict(classifier, insts, 0.0)
    drop = getattr(component, "relation_drop", 0.0)
    out = [r for r in a.relations if seen.get((r.type, r.source, r.target), (1.0, 0))[0] >= drop]
    have = {(r.type, r.source, r.target) for r in a.relations}
    found = {k: v for k, v in seen.items() if v[0] >= component.relation_threshold}
    for (rtype, source, target), (p, sent) in found.items():
        if (rtype, source, target) in have:
            continue
        sentence = a.segments.sentences[sent]
        raw_start, raw_end = a.segments.doc.to_raw(sentence.start, sentence.end)
        out.append(Relation(type=rtype, source=source, target=target, doc_id=a.segments.doc.doc_id, sentence=sent,
                            evidence=sentence.text, confidence=round(p, 3), rule="learned", raw_start=raw_start,
                            raw_end=raw_end))
    return out


def _unresolved(mentions: list[Mention], placed: set[tuple[int, int]]) -> tuple[Mention, ...]:
    """Model mentions that passed the merge but belong to no entity (``placed`` holds
    the spans of the entities' mentions): resolution gave them no canonical name (a
    relative name with no home place at its level)."""
    return tuple(replace(m, source="resolve", attrs={"reason": "no canonical name (unresolved relative name)"})
                 for m in mentions if m.source == "ner" and (m.start, m.end) not in placed)


def _date(segments: Segments, relations: list[Relation], meta: dict) -> list[Relation]:
    """Set ``meta["date"]`` (the document's date or year), ``meta["year"]`` where the
    source gave none, and each relation's date
    (its article's date, else the document's)."""
    doc_date = segments.date
    if doc_date:
        meta["date"] = doc_date
        if not meta.get("year") and doc_date[:4].isdigit():
            meta["year"] = doc_date[:4]  # every dated document has a year to filter on
    by_article = {a.index: a.date or doc_date for a in segments.articles}
    if not by_article and not doc_date:
        return relations
    sentences = segments.sentences
    out = []
    for r in relations:
        article = sentences[r.sentence].article if 0 <= r.sentence < len(sentences) else 0
        when = by_article.get(article, doc_date)
        out.append(replace(r, date=when) if when and not r.date else r)
    return out


def _national_bodies() -> frozenset[str]:
    """Canonical names of the national bodies in ``agencies/relative.tsv`` (中共中央,
    国务院): an implied agency with one of these names lies in 中国."""
    from .extract.agencies import load_relative

    return frozenset(template for level, template, _ in load_relative().values() if level == "country")


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
                place = COUNTRY if key[1] in _national_bodies() else next(
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


def process_path(path: str | os.PathLike, nlp, options: ReadOptions = ReadOptions()) -> DocResult:
    """Read and process a file that holds one document."""
    return process_raw(read_doc(path, options), nlp)


def slim(result: DocResult) -> DocResult:
    """The result without the sentences the graph does not need: only those that a
    relation without its own evidence text points at are kept."""
    wanted = {r.sentence for r in result.relations if not r.evidence}
    return replace(result, sentences=tuple(s for s in result.sentences if s.index in wanted))


# Work items: a document to process, or (where, why) for one that could not be read.
Item = Union[RawDoc, tuple[str, str]]


def iter_items(paths: Iterable[str | os.PathLike], options: ReadOptions = ReadOptions()) -> Iterator[Item]:
    """Every document under ``paths`` (local paths or URLs), read lazily, with read
    errors in their place."""
    for source in iter_sources(paths):
        if isinstance(source, tuple):
            yield source
        else:
            yield from read_items(source, options)


def iter_sources(paths: Iterable[str | os.PathLike]) -> Iterator[Union[Path, str, tuple[str, str]]]:
    """Every file under ``paths``: a local path, a URL, or (where, why) for an input
    that names none."""
    for given in paths:
        try:
            files = list(iter_inputs([given]))
        except InputError as err:
            yield (str(given), str(err))
            continue
        yield from files


def read_items(source: Path | str, options: ReadOptions = ReadOptions(), shown: str | None = None) -> Iterator[Item]:
    """The documents of one file, with its read errors in their place (named ``shown``,
    see :func:`kg.read.read_input`)."""
    where = str(source) if shown is None else shown
    try:
        for doc in read_input(source, options, shown=shown):
            yield doc if isinstance(doc, RawDoc) else (where, str(doc))
    except InputError as err:
        yield (where, str(err))


def _process_safely(raw: RawDoc, nlp, explain: bool | None = None) -> tuple[DocResult | None, str]:
    try:
        return slim(process_raw(raw, nlp, explain)), ""
    except InputError as err:
        return None, str(err)
    except Exception as err:  # noqa: BLE001 - one document must not stop a build; the cause is reported
        log.debug("extraction failed on %s", raw.doc_id, exc_info=True)
        return None, f"{raw.path}: extraction failed ({type(err).__name__}: {err}); please report this document"


_WORKER_NLP = None


def _worker_init(parent: int | None = None) -> None:
    """Set up a worker process: it ends with its parent, leaves Ctrl-C to it, and
    builds the pipeline once."""
    global _WORKER_NLP
    import signal

    # the parent decides what an interrupt does (it stops the workers); a SIGTERM
    # handler the parent installed is not the worker's
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _WORKER_NLP = make_nlp()


def _die_with_parent(parent: int | None) -> None:
    """Have the kernel kill this process when its parent dies, ``kill -9`` included
    (Linux ``PR_SET_PDEATHSIG``); elsewhere a thread that watches the parent's pid.
    Without it a killed build left its workers running, each holding 0.5-1 GB."""
    import signal
    import sys

    if parent is None:
        return
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _worker_process(raw: RawDoc) -> tuple[DocResult | None, str]:
    return _process_safely(raw, _WORKER_NLP)


def stream(paths: Iterable[str | os.PathLike], *, jobs: int | None = None, nlp=None,
           options: ReadOptions = ReadOptions(), progress: Callable[[int], None] | None = None,
           into: BuildResult | None = None, cluster=None) -> Iterator[DocResult]:
    """Yield the result of every document under ``paths``, in input order.

    Documents that could not be read or processed are appended to ``into.errors``
    (``into`` also counts documents built and characters read, and the seconds taken
    when the stream is exhausted). ``progress`` is called once per document.
    ``cluster``: a ``dask.distributed.Client`` (``kg.cluster.connect``) whose workers
    read and extract instead of this machine's processes.
    """
    into = into if into is not None else BuildResult()
    started = time.perf_counter()
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if cluster is not None:
        from .cluster import cluster_items, run_on_cluster

        outcomes = run_on_cluster(cluster_items(paths, options), cluster, options, into)
    else:
        outcomes = _local(iter_items(paths, options), jobs, nlp, into)
    for result, error, where in outcomes:
        if result is not None:
            into.built += 1
            yield result
        elif error:
            into.errors.append((where, error))
        if progress:
            progress(1)
    into.seconds = time.perf_counter() - started
    log.info("built %d documents in %.1fs (%d skipped)", into.built, into.seconds, len(into.errors))


def _local(items: Iterator[Item], jobs: int, nlp, into: BuildResult) -> Iterator[Outcome]:
    """The outcomes of this machine's work: in this process, or in ``jobs`` workers."""
    head = _until_documents(items, 2)  # one document (or none) is not worth starting workers for
    items = chain(head, items)
    if jobs == 1 or sum(isinstance(i, RawDoc) for i in head) < 2:
        return _sequential(items, nlp or make_nlp(), into)
    return _parallel(items, jobs, into)


def _until_documents(items: Iterator[Item], n: int) -> list[Item]:
    """The items up to and including the ``n``-th document (unreadable files before it
    are passed over, not counted: a bad first file must not make a build sequential)."""
    head: list[Item] = []
    found = 0
    for item in items:
        head.append(item)
        found += isinstance(item, RawDoc)
        if found == n:
            break
    return head


Outcome = tuple[Union[DocResult, None], str, str]


def _sequential(items: Iterable[Item], nlp, into: BuildResult) -> Iterator[Outcome]:
    for item in items:
        if isinstance(item, RawDoc):
            into.characters += len(item.text)
            result, error = _process_safely(item, nlp)
            yield result, error, item.path
        else:
            yield None, item[1], item[0]


def _parallel(items: Iterable[Item], jobs: int, into: BuildResult) -> Iterator[Outcome]:
    """Process in ``jobs`` workers, at most ``jobs * IN_FLIGHT_PER_JOB`` documents
    ahead, results in input order."""
    window: deque[tuple[Union[Future, None], Item]] = deque()
    limit = jobs * IN_FLIGHT_PER_JOB
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(os.getpid(),))
    finished = False
    try:
        for item in items:
            if isinstance(item, RawDoc):
                into.characters += len(item.text)
                window.append((pool.submit(_worker_process, item), item))
            else:
                window.append((None, item))
            while len(window) > limit or (window and window[0][0] is None):
                yield _outcome(*window.popleft())
        while window:
            yield _outcome(*window.popleft())
        finished = True
    finally:
        if not finished:
            # interrupted (Ctrl-C, SIGTERM) or the consumer stopped: do not wait for the
            # documents in the workers' hands (one long document took minutes)
            _stop_workers(pool)
        pool.shutdown(wait=finished, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes now (the executor has no public way)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError):
            pass
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.join(5)
        except (OSError, ValueError, AssertionError):
            pass


def _outcome(future: Union[Future, None], item: Item) -> Outcome:
    if future is None:
        return None, item[1], item[0]
    result, error = future.result()
    return result, error, item.path


def run(paths: Iterable[str | os.PathLike], *, jobs: int | None = 1, nlp=None,
        options: ReadOptions = ReadOptions(), progress: Callable[[int], None] | None = None,
        cluster=None) -> BuildResult:
    """Process every document under ``paths``; unreadable files are reported in
    ``errors`` and the rest still built. ``progress`` is called once per document."""
    result = BuildResult()
    result.results.extend(stream(paths, jobs=jobs, nlp=nlp, options=options, progress=progress, into=result,
                                 cluster=cluster))
    return result


def count_files(paths: Iterable[str | os.PathLike]) -> int:
    """How many documents ``run`` will look at (for a progress bar): one per file, one
    per line of a .jsonl corpus (one for a .jsonl named by URL)."""
    n = 0
    for given in paths:
        try:
            for path in iter_inputs([given]):
                # a URL's .jsonl is not read twice just to count its lines
                n += count_lines(path) if not is_url(path) and path.suffix.lower() == ".jsonl" else 1
        except InputError:
            n += 1
    return n


__all__ = ["BuildResult", "default_jobs", "process_raw", "process_path", "run", "stream", "slim", "count_files"]
