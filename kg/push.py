"""``kg push``: the documents' named graphs into a SPARQL server, through the SPARQL 1.1
Graph Store HTTP Protocol, so the graph can be queried where other data already lives.

The source is a store folder (``kg build --store``), or what ``kg build -o`` wrote (its
folder, its ``graph.trig`` or ``graph.nq``), which is loaded into a temporary store on
disk first. Each named graph (one per document, and those of the links between
documents) goes to the server with one ``PUT ?graph=IRI`` of its N-Triples: the server
replaces what it held under that name, so pushing again, after a document was built
again or not, leaves each graph as the source has it and never doubles a triple.

The union of the named graphs (each triple once: the store's default graph) goes too,
since the saved queries ask the default graph. Where it goes is ``--union-graph``:

- ``default`` (the default): the server's default graph (``PUT ?default``), replaced as
  a whole, so the server's dataset is the source's and every query answers as on the
  store. For a server that holds this source's documents only.
- an IRI: a named graph of that name; queries then ask it as their default graph
  (``kg query --endpoint URL --default-graph IRI``, or ``FROM <IRI>``). For servers that
  keep no default graph of their own (Virtuoso) or hold other data there.
- ``none``: not pushed, for servers whose default graph is already the union of all
  their graphs (Virtuoso, Oxigraph with ``--union-default-graph``): there a triple that
  two documents state is matched once per graph, so queries without DISTINCT may repeat
  rows.

``--prune`` deletes the named graphs of our namespaces (documents, links) that the
server holds and the source does not (documents since removed with ``kg remove``), which
makes the server's copy exact; it needs the query endpoint to list them.

The union is written to a temporary file and sent from it in parts of at most 32 MB,
the first replacing the graph (PUT) and the others adding to it (POST): a corpus of any
size goes without being held in memory, and no request is larger than a server's
upload limit or slower than the timeout allows.
"""
from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional, Union
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from .errors import InputError, printable
from .remote import Connection, RemoteError, remote_query

N_TRIPLES = "application/n-triples"
EXPORTS = ("graph.trig", "graph.nq")
"""The exports of ``kg build -o`` that keep the named graphs, in the order tried."""
_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
OUR_GRAPHS = ("https://w3id.org/kg-gov/doc/", "https://w3id.org/kg-gov/graph/links")
"""The named graphs ``--prune`` may delete: documents, and the links between them."""


@contextmanager
def open_source(path: Union[str, Path]) -> Iterator[ox.Store]:
    """The store to push from: a store folder opened read-only, or an export with the
    named graphs (a ``kg build -o`` folder, its ``graph.trig`` or ``graph.nq``) loaded
    into a temporary store whose default graph is their union, as a store's is."""
    from .store import is_store, open_store

    path = Path(path)
    if is_store(path):
        yield open_store(path, read_only=True)
        return
    export = _export_file(path)
    with tempfile.TemporaryDirectory(prefix="kg-push-") as tmp:
        store = ox.Store(tmp)  # on disk: an export of any size
        try:
            store.bulk_extend(_with_union(ox.parse(path=str(export), format=_FORMATS[export.suffix.lower()])))
        except (SyntaxError, OSError, ValueError) as err:
            raise InputError(f"{printable(str(export))}: cannot read it as {export.suffix[1:]}: {err}") from None
        try:
            yield store
        finally:
            del store  # Oxigraph closes the store with its last reference; then the folder goes


def _export_file(path: Path) -> Path:
    if path.is_dir():
        from .export import recover_exports

        recover_exports(path)  # a build killed while moving its exports in
        for name in EXPORTS:
            if (path / name).is_file():
                return path / name
        raise InputError(f"{printable(str(path))}: neither a store folder (kg build --store) nor an output "
                         f"folder with {' or '.join(EXPORTS)} (kg build -o, with trig or nq in --formats)")
    if path.is_file():
        if path.suffix.lower() not in _FORMATS:
            raise InputError(f"{printable(str(path))}: give a store folder, an output folder, or a .trig or .nq "
                             "file (the exports that keep each document's named graph)")
        return path
    raise InputError(f"{printable(str(path))}: no such store folder, output folder or file")


def _with_union(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        if quad.graph_name != default:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


class GraphStore:
    """The Graph Store Protocol of one server: replace or delete a graph by name."""

    def __init__(self, connection: Connection, url: str) -> None:
        self.connection = connection
        self.url = url

    def target(self, graph: Optional[str]) -> str:
        """The URL of a named graph (``?graph=IRI``), or of the default graph (``?default``)."""
        query = urlencode({"graph": graph}) if graph is not None else "default"
        return self.url + ("&" if urlsplit(self.url).query else "?") + query

    def put(self, graph: Optional[str], body: bytes) -> None:
        """Replace the graph with ``body`` (N-Triples)."""
        self.send("PUT", graph, body)

    def send(self, method: str, graph: Optional[str], body: bytes) -> None:
        """PUT (replace the graph) or POST (add to it) N-Triples."""
        what = f"pushing graph <{printable(graph)}>" if graph is not None else "pushing the default graph"
        response = self.connection.request(method, self.target(graph), what, data=body,
                                           headers={"Content-Type": N_TRIPLES})
        response.close()

    def delete(self, graph: str) -> None:
        response = self.connection.request("DELETE", self.target(graph), f"deleting graph <{printable(graph)}>")
        response.close()


@dataclass
class PushReport:
    """What a push sent: named graphs and their triples, the union's triples (None when
    it was not pushed), graphs pruned, and the seconds it took."""

    graphs: int = 0
    triples: int = 0
    union: Optional[int] = None
    pruned: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.triples + (self.union or 0)


def named_graphs(store: ox.Store) -> list[str]:
    """The IRIs of the store's named graphs, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


UNION_CHUNK = 32 << 20
"""Bytes of N-Triples per request when the union is sent (about 150,000 triples)."""


def push(store: ox.Store, graph_store: GraphStore, *, union: str = "default",
         progress: Optional[Callable[[int], object]] = None,
         union_progress: Optional[Callable[[int, int], object]] = None,
         report: Optional[PushReport] = None) -> PushReport:
    """Put each named graph of ``store`` on the server (replacing it there), then the
    union where ``union`` says (``default``, ``none`` or a graph IRI). ``progress(1)``
    follows each named graph, ``union_progress(bytes sent, bytes in all)`` each part of
    the union. ``report`` is filled as graphs go, so a caller that catches an error can
    say how far it got."""
    report = report if report is not None else PushReport()
    start = time.perf_counter()
    for name in named_graphs(store):
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        graph_store.put(name, body)
        report.graphs += 1
        report.triples += body.count(b"\n")  # N-Triples: one triple a line
        if progress is not None:
            progress(1)
    if union != "none":
        try:
            report.union = _push_union(store, graph_store, None if union == "default" else union, union_progress)
        except RemoteError as err:
            if union == "default":
                raise RemoteError(f"{err} (a server without a default graph of its own takes the union "
                                  "in a named graph: --union-graph IRI, or none)") from None
            raise
    report.seconds = time.perf_counter() - start
    return report


def _push_union(store: ox.Store, graph_store: GraphStore, graph: Optional[str],
                progress: Optional[Callable[[int, int], object]]) -> int:
    """Send the store's default graph, written to a temporary file first: the first part
    replaces the graph (PUT), the others add to it (POST), so no request carries more
    than :data:`UNION_CHUNK` bytes whatever the corpus (a server's upload limit, the
    time it takes to parse one request). Parts end at line ends: whole triples, and no
    blank nodes to split (our graphs have none). Returns the triples sent."""
    triples = 0
    with tempfile.TemporaryFile(prefix="kg-push-union-") as file:
        store.dump(file, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        size = file.tell()
        file.seek(0)
        method = "PUT"
        while True:
            part = b"".join(file.readlines(UNION_CHUNK))
            if not part and method == "POST":
                break
            graph_store.send(method, graph, part)
            method = "POST"
            triples += part.count(b"\n")
            if progress is not None:
                progress(file.tell(), size)
            if not part:
                break
    return triples


def server_graphs(connection: Connection, endpoint: str) -> list[str]:
    """The named graphs of our namespaces that the server at ``endpoint`` holds."""
    query = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER ("
             + " || ".join(f'STRSTARTS(STR(?g), "{prefix}")' for prefix in OUR_GRAPHS) + ") }")
    result = remote_query(connection, endpoint, query)
    return sorted(str(row[0]) for row in result.rows if row[0] is not None)


def prune(store: ox.Store, graph_store: GraphStore, endpoint: str, report: PushReport,
          union: str = "default") -> None:
    """Delete the server's graphs of our namespaces that ``store`` does not hold (and
    that are not the union's named graph)."""
    keep = set(named_graphs(store)) | {union}
    for graph in server_graphs(graph_store.connection, endpoint):
        if graph not in keep:
            graph_store.delete(graph)
            report.pruned += 1
