"""A persistent RDF store on disk: an embedded Oxigraph database that documents are added
to, replaced in and removed from, one named graph per document.

Every triple about an entity lives in the named graph of each document that mentions it
(``kg.rdf`` writes an entity's typing, names and attributes into each of those
graphs). So a document's named graph is self-contained, and:

- building a document again replaces its graph (``DROP`` then insert): no duplicate
  triples, whatever was there before;
- removing a document drops its graph, and an entity that no remaining document
  mentions goes with it, because no other graph holds a triple about it; an entity
  that other documents still mention keeps what those documents say.

Each document's graph is computed from that document alone (``build_graph([result])``),
so what the store holds for a document never depends on which other documents were
built with it, or in what order.

Queries see the union of all documents' graphs as the default graph, each triple once,
as with the TriG export. Oxigraph's own union mode (``use_default_graph_as_union``)
would give a triple once per graph that holds it, so a shared entity's name would
multiply rows; the store therefore keeps the union in its default graph: adding a
document adds its triples there too (a set: no duplicates), and removing one takes out
each of its triples that no other document's graph still holds.

Links between documents (near duplicates, flagged name conflicts: ``kg.dedup``) are
stated by no one document. The store keeps each link in a named graph of its own,
``…/graph/links/<hash of its doc ids>`` (:func:`add_links`, after a build): a later
build that finds the link again replaces it, and removing a document drops the links
that rest on it. Links are found among the documents of one build; a document built
alone is not compared with those already in the store, and keeps its old links.

Oxigraph keeps a lock on the directory: one process writes at a time. A build also
holds ``.<name>.lock`` beside the store from copying it to replacing it
(``kg.locks.build_lock``), so two builds into one store run one after the other. Readers
(``kg query``, ``kg serve``) open it read-only; opening it read-only while another
process writes is not supported by Oxigraph.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import traceback
from contextlib import ExitStack
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional, Union

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import InputError, QueryError
from .graph import build_graph
from .namespaces import DOC, KGO, LINKS_GRAPH, PREFIXES
from .rdf import document_graphs, document_iri, link_groups
from .types import DocResult

log = logging.getLogger(__name__)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
OX_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
"""Our prefixes, predeclared in every query on the store."""


def is_store(path: Union[str, Path]) -> bool:
    """Whether ``path`` is an Oxigraph store directory (RocksDB keeps a ``CURRENT``)."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def open_store(path: Union[str, Path], *, read_only: bool = False) -> ox.Store:
    """Open the store in ``path``; create it (read-write only) if the folder is new or
    empty."""
    path = Path(path)
    if read_only and not is_store(path):
        raise InputError(f"{str(path)!r} is not an RDF store directory. Create one with "
                         f"kg build FILES --store {path}.")
    if not read_only and path.exists() and not is_store(path):
        if not path.is_dir() or any(path.iterdir()):
            raise InputError(f"{str(path)!r} exists and is not an RDF store directory. "
                             f"Give a new or empty folder, or one made by kg build --store.")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as err:
        raise InputError(f"Cannot open the RDF store {str(path)!r}: {err}. If another kg "
                         f"command is writing to it, wait for it to finish.") from err


class StoreUpdate:
    """A build's changes to a store, applied all at once or not at all.

    ``with StoreUpdate(path) as update:`` gives in ``update.store`` a working copy of
    the store at ``path``
    (``Store.backup``: hard links to the original's files, so it costs little whatever
    the store's size), or a new store if there is none yet. The build writes into the
    copy as documents come in; when the block ends normally, the copy takes the store's
    place (two renames); when it ends with an exception (Ctrl-C) or :meth:`discard`
    was called, the copy is deleted. Either way the store at ``path`` is never half
    updated, and a build that is killed leaves it as it was: the leftover working
    copy (``.<name>.building-<pid>``) is removed by the next build, and a store that a
    crash caught between the two renames is put back from ``.<name>.previous-<pid>``.
    """

    def __init__(self, path: Union[str, Path], *, lock: bool = True) -> None:
        self.target = Path(path).absolute()
        self.work = self.target.with_name(f".{self.target.name}.building-{os.getpid()}")
        self.discarded = False
        self.committed = False
        self._store: Optional[ox.Store] = None
        self._lock = ExitStack()
        self._locking = lock

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            raise RuntimeError("StoreUpdate.store is only there inside the with block")
        return self._store

    def __enter__(self) -> "StoreUpdate":
        from .locks import build_lock

        if self._locking:
            # one build at a time: a second one waits here, then copies what the first
            # committed (without the lock, each copied the same store and the last
            # rename dropped the other's documents)
            self._lock.enter_context(build_lock(self.target, "store"))
        try:
            _recover(self.target)
            if self.target.exists():
                original = open_store(self.target)  # checks it is a store and that no one writes to it
                try:
                    if is_store(self.target):
                        original.backup(str(self.work))
                finally:
                    del original
            self._store = open_store(self.work)
        except BaseException:
            shutil.rmtree(self.work, ignore_errors=True)
            self._lock.close()
            raise
        return self

    def discard(self) -> None:
        """Leave the store as it was when the block ends."""
        self.discarded = True

    def flush(self) -> None:
        """Write the working copy to disk (the part of committing that takes time and
        space; a full disk fails here, before anything is replaced)."""
        self.store.flush()

    def commit(self) -> None:
        """Put the working copy in the store's place now (two renames)."""
        store, self._store = self._store, None
        store.flush()
        del store
        previous = self.target.with_name(f".{self.target.name}.previous-{os.getpid()}")
        if self.target.exists():
            os.replace(self.target, previous)
        os.replace(self.work, self.target)
        self.committed = True
        shutil.rmtree(previous, ignore_errors=True)

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.committed:
                return
            if exc_type is None and not self.discarded:
                self.commit()
                return
            store, self._store = self._store, None
            if tb is not None:
                # the frames the exception went through (the generator that stored the
                # documents) still hold the working store open; Oxigraph closes a store
                # when its last reference goes, and only a closed one can be deleted
                traceback.clear_frames(tb)
            del store
            shutil.rmtree(self.work, ignore_errors=True)
            if self.work.exists():
                log.warning("Could not remove the working copy %s; the next build will", self.work)
        finally:
            self._lock.close()


def _recover(target: Path) -> None:
    """Clean up after a build that was killed: put back a store caught between the two
    renames of :class:`StoreUpdate`, and remove working copies whose process is gone."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(building|previous)-(\d+)$")
    if not target.parent.is_dir():
        return
    for entry in target.parent.iterdir():
        match = pattern.match(entry.name)
        if not match or _alive(int(match.group(2))):
            continue
        if match.group(1) == "previous" and not target.exists():
            log.warning("Restoring the store %s from %s (a build was stopped while replacing it)",
                        target, entry.name)
            os.replace(entry, target)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    from .locks import pid_alive

    return pid_alive(pid)  # ours from an earlier build in this process counts as gone


def add_documents(store: ox.Store, results: Iterable[DocResult]) -> list[str]:
    """Put each document's named graph into the store, replacing what the store held
    for that document; return the doc ids written."""
    written = []
    for result in results:
        iri = document_iri(result.doc_id)
        name = ox.NamedNode(str(iri))
        triples = [(to_ox(s), to_ox(p), to_ox(o))
                   for doc, graph in document_graphs(build_graph([result])) if doc == iri
                   for s, p, o in graph]
        if store.contains_named_graph(name):
            log.info("Replacing document %r in the store", result.doc_id)
            _drop(store, name)
        store.add_graph(name)
        store.extend([ox.Quad(s, p, o, name) for s, p, o in triples])
        store.extend([ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in triples])
        written.append(result.doc_id)
    return written


def remove_document(store: ox.Store, doc_id: str) -> int:
    """Drop one document's named graph, and the links that rest on it; return how many
    triples the document's graph held."""
    name = ox.NamedNode(str(document_iri(doc_id)))
    if not store.contains_named_graph(name):
        known = ", ".join(documents(store)[:10]) or "none"
        raise InputError(f"Document {doc_id!r} is not in the store. Documents there: "
                         f"{known}. Give a doc id as kg build printed it (the file name).")
    count = _drop(store, name)
    for link in _links_of(store, doc_id):
        _drop(store, link)
    return count


_LINKS_PREFIX = f"{LINKS_GRAPH}/"


def link_graph_name(doc_ids: Iterable[str]) -> ox.NamedNode:
    """The named graph of a link between documents: ``…/graph/links/<hash of doc ids>``."""
    import hashlib

    digest = hashlib.sha1("\x1f".join(sorted(doc_ids)).encode("utf-8")).hexdigest()[:20]
    return ox.NamedNode(_LINKS_PREFIX + digest)


def add_links(store: ox.Store, graph) -> int:
    """Put the links the merged graph found into the store, one named graph per set of
    documents they rest on, replacing what the store held for that set; return how
    many link graphs were written."""
    groups: dict[tuple[str, ...], list] = {}
    for doc_ids, triples in link_groups(graph, heads=True):
        groups.setdefault(doc_ids, []).extend(triples)
    for doc_ids, triples in groups.items():
        name = link_graph_name(doc_ids)
        if store.contains_named_graph(name):
            _drop(store, name)
        store.add_graph(name)
        quads = [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in dict.fromkeys(triples)]
        store.extend([ox.Quad(s, p, o, name) for s, p, o in quads])
        store.extend([ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in quads])
    return len(groups)


def _links_of(store: ox.Store, doc_id: str) -> list[ox.NamedNode]:
    """The link graphs that name the document (its kgo:docId is in them)."""
    found = {q.graph_name for q in store.quads_for_pattern(None, ox.NamedNode(str(KGO.docId)),
                                                           ox.Literal(doc_id), None)}
    return sorted((g for g in found if isinstance(g, ox.NamedNode) and g.value.startswith(_LINKS_PREFIX)),
                  key=lambda g: g.value)


def _drop(store: ox.Store, name: ox.NamedNode) -> int:
    """Remove a named graph, and from the default graph each of its triples that no
    other named graph holds. Return the number of triples the graph held."""
    triples = [(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, name)]
    store.remove_graph(name)
    default = ox.DefaultGraph()
    for s, p, o in triples:
        if not any(q.graph_name != default for q in store.quads_for_pattern(s, p, o, None)):
            store.remove(ox.Quad(s, p, o, default))
    return len(triples)


def documents(store: ox.Store) -> list[str]:
    """The doc ids of the documents in the store, sorted."""
    prefix = str(DOC)
    ids = []
    for graph in store.named_graphs():
        value = getattr(graph, "value", "")
        if value.startswith(prefix):
            ids.append(_unquote(value[len(prefix):]))
    return sorted(ids)


def _unquote(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


def query_store(store: ox.Store, query: str,
                bindings: Optional[Mapping[str, Node]] = None):
    """Run a SPARQL query over the store (its default graph is the union of the
    documents' graphs, each triple once); the raw pyoxigraph result (solutions, a
    boolean, or triples). ``bindings`` fix variables to terms
    before the query runs (SEP-0007 substitution, no text is spliced into the query)."""
    substitutions = {ox.Variable(name): to_ox(term) for name, term in (bindings or {}).items()}
    try:
        return store.query(query, prefixes=OX_PREFIXES, substitutions=substitutions or None)
    except SyntaxError as err:
        from .sparql_errors import explain

        raise QueryError(explain(query, str(err), OX_PREFIXES)) from err
    except (OSError, RuntimeError) as err:
        # RuntimeError: e.g. a bound variable the SELECT does not project, which
        # substitution (SEP-0007) requires.
        raise QueryError(f"SPARQL query failed on the store: {err}") from err


def to_ox(term: Node):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"Cannot store {term!r}: not an IRI, blank node or literal.")


def from_ox(term) -> Optional[Node]:
    """A pyoxigraph term as an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"Unexpected term {term!r} from the store.")


def storing(store: ox.Store, results: Iterable[DocResult]) -> Iterator[DocResult]:
    """Pass results through, putting each document into the store as it goes by (so a
    build that streams documents into the graph fills the store on the way)."""
    for result in results:
        add_documents(store, [result])
        yield result
