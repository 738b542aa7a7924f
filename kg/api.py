"""The Python API: the few calls a user needs, without the command line.

    import kg

    corpus = kg.build(["reports/", "page.txt"])        # files, folders, .jsonl corpora
    corpus = kg.build_texts({"note.txt": "晋中市总工会召开会议。"})  # or texts in memory
    corpus.graph          # networkx MultiDiGraph: entities, relations, provenance
    corpus.dataset()      # rdflib Dataset: one named graph per document
    corpus.errors         # files that could not be read, and why
    kg.sparql(corpus.dataset(), "SELECT ?n WHERE { ?p a kgo:Person ; skos:prefLabel ?n }")
    kg.sparql("store/", kg.saved_query("person_posts"), person="王根元")
    kg.store_documents("store/", corpus)            # add to an Oxigraph store folder

Each call reads, cleans, extracts, resolves and links as ``kg build`` does (the same
pipeline, ``kg.pipeline``); the modules behind it stay importable for finer control.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Optional, Union

from .types import DocResult, RawDoc

PathLike = Union[str, os.PathLike]


@dataclass
class Corpus:
    """What a build produced: the per-document results, the merged graph, and the
    inputs that were skipped (``(path, reason)``)."""

    results: list[DocResult]
    errors: list[tuple[str, str]] = field(default_factory=list)
    _graph: object = field(default=None, repr=False)

    @property
    def graph(self):
        """The merged networkx MultiDiGraph (built on first use)."""
        if self._graph is None:
            from .graph import build_graph

            self._graph = build_graph(self.results)
        return self._graph

    def dataset(self):
        """The graph as an rdflib Dataset (one named graph per document; the default
        graph is their union), for SPARQL with ``kg.sparql`` or any rdflib tool."""
        from .rdf import to_dataset

        return to_dataset(self.graph)


def build(paths: Union[PathLike, Iterable[PathLike]], *, jobs: Optional[int] = 1,
          text_field: str = "text") -> Corpus:
    """Build from files and folders (``.txt .md .html .pdf .docx``, GBK or UTF-8, and
    ``.jsonl`` corpora whose ``text_field`` holds each document). Unreadable inputs are
    listed in ``Corpus.errors``, the rest built; ``jobs`` worker processes (1: this
    process)."""
    from .pipeline import run
    from .formats import ReadOptions

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    for p in paths:
        if not Path(p).exists():
            raise FileNotFoundError(f"{p}: no such file or folder")
    done = run(paths, jobs=jobs, options=ReadOptions(text_field=text_field))
    return Corpus(done.results, list(done.errors))


def build_texts(texts: Mapping[str, str]) -> Corpus:
    """Build from texts in memory, keyed by a document id (a file name such as
    ``page.txt``: the id names the document in the graph and the RDF)."""
    from .extract import make_nlp
    from .pipeline import process_raw

    nlp = make_nlp()
    return Corpus([process_raw(RawDoc(doc_id, doc_id, text), nlp) for doc_id, text in texts.items()])


def sparql(source, text: str, **params):
    """Run a SPARQL query on an rdflib graph or Dataset, an RDF file or a store folder;
    ``params`` bind variables to Chinese-tagged literals (``person="王根元"``), never
    spliced into the text. Returns a ``kg.query.QueryResult`` (``vars``, ``rows`` of
    rdflib terms, or ``boolean`` for ASK)."""
    from rdflib import Literal

    from .query import run_sparql

    bindings = {name: value if not isinstance(value, str) else Literal(value, lang="zh")
                for name, value in params.items()}
    return run_sparql(source, text, bindings)


def saved_query(name: str) -> str:
    """The text of a saved query of ``queries/`` (``kg query --list-saved`` lists them)."""
    from .query import find_saved

    return find_saved(name).text


def store_documents(store_path: PathLike, corpus: Corpus) -> list[str]:
    """Add (or replace) the corpus's documents in the Oxigraph store folder, creating it
    if new; returns the document ids written."""
    from .store import add_documents, open_store

    store = open_store(store_path)
    try:
        return add_documents(store, corpus.results)
    finally:
        store.flush()
        del store
