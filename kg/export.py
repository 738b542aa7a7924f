"""Writing the merged graph to files: Turtle, TriG, N-Triples, N-Quads, JSON-LD, GraphML,
GEXF, node-link JSON and CSV node/edge tables.

Formats plug in through ``WRITERS`` (name → function writing to a binary stream, or for
a format of several files, file name → such a function), as rdflib's serializer
registry does; ``write_exports`` picks from it and writes the set of files as one:
each to a temporary name beside its target first, then all of them moved into place
after a journal that lets a killed build's renames be finished (``PendingExports``), so
an interrupted build never leaves a half-written ``graph.ttl`` that looks whole, nor
files of two builds side by side.

Gephi reads GraphML and GEXF attributes as typed columns and rejects what it cannot
type, so the Gephi writers first flatten the graph (``to_gephi``): lists become
``;``-joined strings (a list of records becomes the ``text`` of each, plus a
``<name>_count``), None is dropped, one attribute has one Python type across all nodes
(or all edges), control characters are removed, and each node gets a colour for its
type. On top, ``gephi_view`` adds what makes the file readable when it opens: a
position from a force layout computed here (seeded, so the same graph gets the same
picture), a size from the degree, a ``weight`` per edge (the number of documents that
support it), counts as integers, and the earliest date of the documents behind each
node and edge as its GEXF ``start``, so Gephi's timeline can play the graph by date.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Optional, Union

import networkx as nx
import numpy as np
import pyoxigraph as ox
from rdflib import Dataset

from . import graphxml
from .diskgraph import Records, plain
from .errors import ConfigError
from .graph import DOCUMENT
from .graphxml import Elements
from .labels import MENTIONED_IN, SYMMETRIC_RELATIONS
from .namespaces import PREFIXES
from .rdf import document_quads, to_dataset, union_triples
from .store import OX_PREFIXES, to_ox

log = logging.getLogger(__name__)

TYPE_COLOURS = {
    "Person": "#e41a1c",
    "Agency": "#377eb8",
    "Place": "#4daf4a",
    "Initiative": "#ff7f00",
    "Event": "#984ea3",
    DOCUMENT: "#999999",
}
"""Node colour per type in Gephi (ColorBrewer Set1: distinct, colour-blind safe-ish)."""
_OTHER_COLOUR = "#666666"

_GEPHI_RESERVED = frozenset(
    {"id", "pid", "start", "end", "spells", "weight", "type", "key", "viz", "label"}
)
"""Keys networkx's GEXF writer takes as GEXF structure (ids, time spells, edge weight
and type, multigraph key, viz) rather than as attribute columns; data under these names
is renamed ``<key>_``, except the ``type``/``label`` that to_gephi sets itself."""
_NODE_KEYS = frozenset({"type", "label", "viz", "r", "g", "b", "color"})
_EDGE_KEYS = frozenset({"relation", "label"})

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n\r]+")


@dataclass
class ExportViews:
    """The graph and the derived forms writers need, each built at most once."""

    graph: nx.MultiDiGraph

    @cached_property
    def dataset(self) -> Dataset:
        """The whole dataset in rdflib's memory store: for JSON-LD only (the other RDF
        writers stream)."""
        return to_dataset(self.graph)

    @cached_property
    def layout(self) -> dict[Any, tuple[float, float]]:
        return layout(self.graph)


Writer = Callable[[ExportViews, BinaryIO], None]


def write_turtle(views: ExportViews, stream: BinaryIO) -> None:
    """All documents' triples as one Turtle graph, streamed (``kg.rdf.union_triples``
    through pyoxigraph's serialiser), with our prefixes."""
    _serialize(_ox_triples(union_triples(views.graph)), stream, ox.RdfFormat.TURTLE)


def write_trig(views: ExportViews, stream: BinaryIO) -> None:
    """TriG with one named graph per document, streamed document by document
    (``kg.rdf.document_quads``), with our prefixes."""
    _serialize(_ox_quads(document_quads(views.graph)), stream, ox.RdfFormat.TRIG)


def write_graphml(views: ExportViews, stream: BinaryIO) -> None:
    """GraphML for Gephi: colours as ``r``/``g``/``b`` and ``color``, position as
    ``x``/``y``, ``size``, and ``date`` attributes; written element by element."""
    graphxml.write_graphml(stream, *gephi_elements(views.graph, viz=False,
                                                   positions=views.layout))


def write_gexf(views: ExportViews, stream: BinaryIO) -> None:
    """GEXF for Gephi: colour, size and position in the ``viz`` namespace, edge
    weights, and ``start`` dates (dynamic mode) where documents are dated; written
    element by element."""
    graphxml.write_gexf(stream, *gephi_elements(views.graph, viz=True, positions=views.layout))


def write_ntriples(views: ExportViews, stream: BinaryIO) -> None:
    """All documents' triples as N-Triples, one per line, streamed."""
    _serialize(_ox_triples(union_triples(views.graph)), stream, ox.RdfFormat.N_TRIPLES)


def write_nquads(views: ExportViews, stream: BinaryIO) -> None:
    """N-Quads: each triple with its document's named graph, streamed."""
    _serialize(_ox_quads(document_quads(views.graph)), stream, ox.RdfFormat.N_QUADS)


def write_jsonld(views: ExportViews, stream: BinaryIO) -> None:
    """JSON-LD with one named graph per document and our prefixes as its context.

    Not streamed: rdflib builds the whole dataset in memory and compacts it (pyoxigraph
    writes JSON-LD without compacting to our prefixes), so for a big corpus take TriG
    or N-Quads instead."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    views.dataset.serialize(destination=stream, format="json-ld", encoding="utf-8",
                            context=context, auto_compact=True)


def write_json(views: ExportViews, stream: BinaryIO) -> None:
    """networkx node-link JSON, the lossless form ``graph.from_node_link`` reads back:
    the text ``json.dumps(to_node_link(graph), indent=1)`` gives, written node by node
    and edge by edge (the whole text of a big graph is gigabytes)."""
    graph = views.graph
    encode = json.JSONEncoder(ensure_ascii=False, indent=1, default=str).encode
    out = graphxml.Chunks(stream)

    def items(key: str, values: Iterable[Any], last: bool = False) -> None:
        """``"key": [ … ]`` at the first level, each value indented as json.dumps does."""
        out(f' {encode(key)}: [')
        first = True
        for value in values:
            out("\n  " if first else ",\n  ")
            out(encode(value).replace("\n", "\n  "))  # JSON text has no raw newline
            first = False
        out("]" if first else "\n ]")
        out("\n" if last else ",\n")

    out("{\n")
    for key, value in (("directed", graph.is_directed()), ("multigraph", graph.is_multigraph()),
                       ("graph", graph.graph)):
        text = encode(value).replace("\n", "\n ")
        out(f" {encode(key)}: {text},\n")
    # the records of networkx.node_link_data(graph, edges="edges"), one at a time
    items("nodes", ({**plain(data), "id": node} for node, data in graph.nodes(data=True)))
    items("edges", ({**plain(data), "source": u, "target": v, "key": k}
                    for u, v, k, data in graph.edges(keys=True, data=True)), last=True)
    out("}\n")
    out.flush()


def write_nodes_csv(views: ExportViews, stream: BinaryIO) -> None:
    """Gephi's spreadsheet import, nodes table: ``Id``, ``Label`` and typed columns."""
    _write_csv(stream, node_rows(views.graph, views.layout))


def write_edges_csv(views: ExportViews, stream: BinaryIO) -> None:
    """Gephi's spreadsheet import, edges table: ``Source``, ``Target``, ``Type``
    (Directed/Undirected), ``Label``, ``Weight`` and the relation's columns."""
    _write_csv(stream, edge_rows(views.graph))


def _ox_triples(triples: Iterable[tuple]) -> Iterator[ox.Triple]:
    for s, p, o in triples:
        yield ox.Triple(to_ox(s), to_ox(p), to_ox(o))


def _ox_quads(quads: Iterable[tuple]) -> Iterator[ox.Quad]:
    for s, p, o, g in quads:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))


def _serialize(terms: Iterable[Union[ox.Triple, ox.Quad]], stream: BinaryIO,
               fmt: ox.RdfFormat) -> None:
    """pyoxigraph writes as it reads from ``terms``: it never holds the graph.
    Turtle and TriG share a subject across consecutive triples, which is why
    ``kg.rdf`` yields each subject's triples together."""
    prefixes = OX_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    ox.serialize(terms, stream, fmt, prefixes=prefixes)


WRITERS: dict[str, Union[Writer, Mapping[str, Writer]]] = {
    "ttl": write_turtle,
    "trig": write_trig,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "json": write_json,
    "nt": write_ntriples,
    "nq": write_nquads,
    "jsonld": write_jsonld,
    "csv": {"nodes.csv": write_nodes_csv, "edges.csv": write_edges_csv},
}
"""Format name → writer of ``graph.<name>``, or → {file name: writer} for a format that
is several files."""

DEFAULT_FORMATS = ("ttl", "trig", "graphml", "gexf", "json")
"""What ``write_exports`` writes when no formats are named."""


def output_files(fmt: str) -> dict[str, Writer]:
    """File name → writer for one format."""
    writer = WRITERS[fmt]
    return dict(writer) if isinstance(writer, Mapping) else {f"graph.{fmt}": writer}


def parse_formats(text: str) -> list[str]:
    """``"ttl,nq, csv"`` → ``["ttl", "nq", "csv"]``, each checked against ``WRITERS``."""
    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    _check_formats(chosen)
    return chosen


def _check_formats(chosen: list[str]) -> None:
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown or not chosen:
        raise ConfigError(f"Unknown export format(s) {unknown!r}. Valid: "
                          f"{', '.join(WRITERS)}. Pick from these or add a writer to "
                          f"kg.export.WRITERS.")


def write_exports(graph: nx.MultiDiGraph, out_dir: Union[str, Path],
                  formats: Optional[Iterable[str]] = None) -> dict[str, Path]:
    """Write each format's files (``DEFAULT_FORMATS`` unless named) into ``out_dir``,
    all or none (see :class:`PendingExports`); return file name → path written."""
    pending = prepare_exports(graph, out_dir, formats)
    return pending.commit()


JOURNAL = ".graph.commit.json"
"""In the output folder while a set of exports is being moved into place: which
temporary file becomes which export. A build killed then is finished by the next one
(or by ``kg query``/``kg view`` on the folder): see :func:`recover_exports`."""

_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


class PendingExports:
    """A set of exports written in full to temporary files beside their targets
    (``.graph.ttl.<pid>.<hex>.tmp``, fsynced), not yet in place.

    :meth:`commit` writes the journal (:data:`JOURNAL`, the commit point: from then on
    the set counts as written), renames every file into place and removes the journal;
    :meth:`discard` deletes the temporary files. So readers see the old set or the new
    one, never a mix: a build killed during the renames is rolled forward from the
    journal by the next reader or build."""

    def __init__(self, out: Path, files: dict[str, Path]) -> None:
        self.out = out
        self.files = files  # export name -> temporary file (filled as they are written)

    @property
    def targets(self) -> dict[str, Path]:
        return {name: self.out / name for name in self.files}

    def commit(self) -> dict[str, Path]:
        journal = {name: tmp.name for name, tmp in self.files.items()}
        _write_atomic(self.out / JOURNAL,
                      lambda stream: stream.write(json.dumps({"pid": os.getpid(), "files": journal}).encode()))
        _fsync_dir(self.out)
        _roll_forward(self.out, journal)
        return dict(self.targets)

    def discard(self) -> None:
        for tmp in self.files.values():
            tmp.unlink(missing_ok=True)


def prepare_exports(graph: nx.MultiDiGraph, out_dir: Union[str, Path],
                    formats: Optional[Iterable[str]] = None) -> PendingExports:
    """Write every export to its temporary file; nothing in ``out_dir`` changes yet.
    On any error (a full disk) the temporary files are removed and the error raised."""
    chosen = list(DEFAULT_FORMATS) if formats is None else list(formats)
    _check_formats(chosen)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    recover_exports(out)
    views = ExportViews(graph)
    files: dict[str, Path] = {}
    pending = PendingExports(out, files)
    try:
        for fmt in chosen:
            for name, writer in output_files(fmt).items():
                files[name] = _write_temporary(out / name, lambda stream, writer=writer: writer(views, stream))
                log.info("Wrote %s", files[name])
    except BaseException:
        pending.discard()
        raise
    return pending


def recover_exports(out_dir: Union[str, Path]) -> list[str]:
    """Clean up after a build that was killed while writing into ``out_dir``: finish
    a commit whose journal is there (the renames it did not do), and remove temporary
    export files of builds whose process is gone. Return the names put in place."""
    from .locks import pid_alive

    out = Path(out_dir)
    done: list[str] = []
    journal_path = out / JOURNAL
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        journal = None
    except (OSError, ValueError):
        journal = None
        log.warning("Ignoring the damaged export journal %s", journal_path)
        journal_path.unlink(missing_ok=True)
    if journal is not None and not pid_alive(int(journal.get("pid", 0))):
        done = _roll_forward(out, journal.get("files", {}))
        if done:
            log.warning("Finished moving into place the exports of a build that was stopped: %s",
                        ", ".join(done))
    try:
        entries = list(out.iterdir()) if out.is_dir() else []
    except OSError:
        entries = []
    for entry in entries:
        match = _TMP.match(entry.name)
        if match and not pid_alive(int(match.group("pid"))):
            try:
                entry.unlink(missing_ok=True)
            except OSError:  # a folder we may only read
                pass
    return done


def _roll_forward(out: Path, journal: Mapping[str, str]) -> list[str]:
    done = []
    for name, tmp in journal.items():
        if "/" in name or "/" in tmp:
            continue  # not ours
        try:
            os.replace(out / tmp, out / name)
            done.append(name)
        except FileNotFoundError:
            pass  # moved already
        except OSError as err:  # a folder we may only read: leave it to a build
            log.warning("Cannot finish moving %s into place: %s", name, err)
            return done
    _fsync_dir(out)
    (out / JOURNAL).unlink(missing_ok=True)
    return done


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temporary(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file's full content to a new temporary file beside ``path``, fsynced;
    return the temporary file (removed again if writing fails).

    ``open(…, "xb")`` rather than ``mkstemp`` so the file gets the user's usual
    permissions (mkstemp's are 0600).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write through a temporary file in the same directory, then rename into place."""
    tmp = _write_temporary(path, write)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- Gephi flattening

def to_gephi(graph: nx.MultiDiGraph, *, viz: bool,
             positions: Optional[Mapping[Any, tuple[float, float]]] = None) -> nx.MultiDiGraph:
    """A copy of the graph whose attributes GraphML/GEXF writers and Gephi accept: the
    elements of :func:`gephi_elements` in a networkx graph (the writers themselves
    stream those elements instead of making this copy)."""
    nodes, edges = gephi_elements(graph, viz=viz, positions=positions)
    out = nx.MultiDiGraph()
    for node, data in nodes.rows:
        out.add_node(node, **data)
    for u, v, key, data in edges.rows:
        out.add_edge(u, v, key=key, **data)
    return out


def gephi_elements(graph: nx.MultiDiGraph, *, viz: bool,
                   positions: Optional[Mapping[Any, tuple[float, float]]] = None
                   ) -> tuple[Elements, Elements]:
    """The nodes and edges with the attributes GraphML/GEXF and Gephi accept, generated
    one at a time: a first pass finds each attribute's one type across all nodes (all
    edges), the second yields the elements with their values converted to it.

    ``viz=True`` (GEXF) puts colour, size and position in the ``viz`` attribute and the
    earliest date in ``start``; ``viz=False`` (GraphML) gives ``r``, ``g``, ``b``
    (ints), ``color`` (hex), ``x``, ``y``, ``size`` and ``date`` attributes, which
    Gephi's GraphML importer reads. ``positions`` (node → x, y) come from
    :func:`layout` unless given.
    """
    positions = layout(graph) if positions is None else positions
    when = _Dates(graph)

    def nodes() -> Iterator[tuple[str, dict[str, Any]]]:
        for node, source in graph.nodes(data=True):
            yield _clean(str(node)), _gephi_node(graph, node, source, viz, positions, when)

    def edges() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        for u, v, key, source in graph.edges(keys=True, data=True):
            yield (_clean(str(u)), _clean(str(v)), _clean(str(key)),
                   _gephi_edge(graph, v, source, viz, when))

    node_plan, node_columns = _type_plan(data for _, data in nodes())
    edge_plan, edge_columns = _type_plan(data for *_, data in edges())
    return (Elements(node_columns, ((n, _convert(d, node_plan)) for n, d in nodes())),
            Elements(edge_columns, ((u, v, k, _convert(d, edge_plan)) for u, v, k, d in edges())))


def _gephi_node(graph: nx.MultiDiGraph, node: Any, source: Mapping[str, Any], viz: bool,
                positions: Mapping[Any, tuple[float, float]], when: "_Dates") -> dict[str, Any]:
    data = _flatten(source, _NODE_KEYS)
    data["type"] = _clean(str(source.get("type", "")))
    data["label"] = _clean(str(source.get("label", node)))
    data["document_count"] = document_count(source)
    data["degree"] = int(graph.degree(node))
    colour = TYPE_COLOURS.get(data["type"], _OTHER_COLOUR)
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    x, y = positions.get(node, (0.0, 0.0))
    size = node_size(data["degree"])
    date = when.node(source)
    if viz:
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": size,
                       "position": {"x": x, "y": y, "z": 0.0}}
        if date:
            data["start"] = date
    else:
        data.update(r=r, g=g, b=b, color=colour, x=x, y=y, size=size, date=date or "")
    return data


def _gephi_edge(graph: nx.MultiDiGraph, target: Any, source: Mapping[str, Any], viz: bool,
                when: "_Dates") -> dict[str, Any]:
    data = _flatten(source, _EDGE_KEYS)
    relation = str(source.get("relation", ""))
    data["relation"] = relation
    detail = source.get("title") or source.get("role") or ""
    data["label"] = _clean(f"{relation} {detail}".strip())
    data["weight"] = float(len(supporting_documents(source)) or 1)
    date = when.edge(graph, target, source)
    if viz:
        if date:
            data["start"] = date
    else:
        data["date"] = date or ""
    return data


def document_count(data: Mapping[str, Any]) -> int:
    """How many documents name an entity (1 for a document node)."""
    return 1 if data.get("type") == DOCUMENT else len(data.get("documents") or ())


def supporting_documents(edge: Mapping[str, Any]) -> list[str]:
    """The documents whose sentences support a relation edge, in first-seen order."""
    evidence = edge.get("evidence")
    if isinstance(evidence, Records):  # kg.diskgraph: read only the doc ids
        return list(dict.fromkeys(map(str, evidence.field("doc"))))
    return list(dict.fromkeys(str(e.get("doc")) for e in evidence or () if isinstance(e, Mapping)))


def node_size(degree: int) -> float:
    """Gephi node size: grows with the square root of the degree."""
    return round(6.0 + 4.0 * math.sqrt(degree), 2)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def document_date(data: Mapping[str, Any]) -> Optional[str]:
    """A document node's date as ``YYYY-MM-DD``: its ``date``, or 1 January of its
    ``year``; None when it has neither in that form."""
    date, year = data.get("date"), data.get("year")
    if date and _DATE.match(str(date)):
        return str(date)
    if year and _YEAR.match(str(year)):
        return f"{year}-01-01"
    return None


class _Dates:
    """The earliest date of the documents behind each node and edge, where known: a
    document's own date; an entity's earliest document; a relation's earliest
    supporting document; a ``mentioned_in`` edge its document's date. Computed per
    element when asked (only the documents' dates are kept)."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        by_doc = {d["label"]: document_date(d) for _, d in graph.nodes(data=True)
                  if d.get("type") == DOCUMENT}
        self.by_doc = {str(doc): date for doc, date in by_doc.items() if date}

    def earliest(self, docs: Iterable[Any]) -> Optional[str]:
        known = [self.by_doc[str(doc)] for doc in docs if str(doc) in self.by_doc]
        return min(known) if known else None

    def node(self, data: Mapping[str, Any]) -> Optional[str]:
        if data.get("type") == DOCUMENT:
            return self.earliest([data["label"]])
        return self.earliest(data.get("documents") or ())

    def edge(self, graph: nx.MultiDiGraph, target: Any, data: Mapping[str, Any]) -> Optional[str]:
        if data.get("relation") == MENTIONED_IN:
            return self.earliest([graph.nodes[target].get("label")])
        return self.earliest(supporting_documents(data))


def layout(graph: nx.MultiDiGraph, *, seed: int = 7, scale: float = 1000.0,
           iterations: Optional[int] = None) -> dict[Any, tuple[float, float]]:
    """Node positions from a Fruchterman-Reingold force layout (numpy, seeded, so the
    same graph gets the same picture), scaled to ±``scale``.

    All pairs repel, so a step costs n²; the number of steps shrinks as the graph
    grows (50 up to 1,500 nodes, 10 from about 3,400) and the repulsion is computed
    in blocks of rows, so a few thousand nodes take a few seconds and bounded memory.
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if iterations is None:
        iterations = int(min(50, max(10, 50 * (1500 / n) ** 2)))
    index = {node: i for i, node in enumerate(nodes)}
    # each linked pair once, as the number u * n + v (a set of tuples would cost ~100
    # bytes per edge, and a big graph has millions of mentioned_in edges)
    pairs = np.unique(np.fromiter((index[u] * n + index[v] for u, v in graph.edges() if u != v),
                                  dtype=np.int64))
    src, dst = pairs // n, pairs % n
    rng = np.random.default_rng(seed)
    x = rng.random(n, dtype=np.float32)
    y = rng.random(n, dtype=np.float32)
    k2 = np.float32(1.0 / n)
    k = np.sqrt(k2)
    step = 0.1
    cool = step / (iterations + 1)
    block = max(1, 4_000_000 // n)
    for _ in range(iterations):
        fx = np.empty(n, dtype=np.float32)
        fy = np.empty(n, dtype=np.float32)
        for start in range(0, n, block):
            dx = x[start:start + block, None] - x[None, :]
            dy = y[start:start + block, None] - y[None, :]
            w = dx * dx + dy * dy
            np.maximum(w, 1e-5, out=w)
            np.divide(k2, w, out=w)
            fx[start:start + block] = (dx * w).sum(axis=1)
            fy[start:start + block] = (dy * w).sum(axis=1)
        ex, ey = x[src] - x[dst], y[src] - y[dst]
        pull = np.sqrt(ex * ex + ey * ey) / k
        np.subtract.at(fx, src, ex * pull)
        np.add.at(fx, dst, ex * pull)
        np.subtract.at(fy, src, ey * pull)
        np.add.at(fy, dst, ey * pull)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 0.01)
        x += fx * (step / length)
        y += fy * (step / length)
        step -= cool
    x -= x.mean()
    y -= y.mean()
    extent = float(max(np.abs(x).max(), np.abs(y).max())) or 1.0
    return {node: (round(float(x[i]) * scale / extent, 2), round(float(y[i]) * scale / extent, 2))
            for i, node in enumerate(nodes)}


# ---------------------------------------------------------------- CSV tables for Gephi

_NODE_COLUMNS = ("Id", "Label", "type", "pinyin", "level", "kind", "code", "documents",
                 "degree", "aliases", "start", "x", "y", "size", "color")
_EDGE_COLUMNS = ("Source", "Target", "Type", "Label", "Weight", "relation", "title", "role",
                 "confidence", "documents", "evidence", "evidence_count", "start")


def node_rows(graph: nx.MultiDiGraph,
              positions: Optional[Mapping[Any, tuple[float, float]]] = None) -> Iterator[dict[str, Any]]:
    """One row per node for Gephi's spreadsheet import (columns ``_NODE_COLUMNS``),
    generated one at a time."""
    positions = layout(graph) if positions is None else positions
    when = _Dates(graph)
    for node, data in graph.nodes(data=True):
        degree = int(graph.degree(node))
        x, y = positions.get(node, (0.0, 0.0))
        yield {
            "Id": _clean(str(node)), "Label": _clean(str(data.get("label", node))),
            "type": data.get("type", ""), "pinyin": data.get("pinyin", ""),
            "level": data.get("level") or "", "kind": data.get("kind") or "",
            "code": data.get("code") or "", "documents": document_count(data),
            "degree": degree,
            "aliases": ";".join(_clean(str(a)) for a in data.get("aliases") or ()),
            "start": when.node(data) or "", "x": x, "y": y, "size": node_size(degree),
            "color": TYPE_COLOURS.get(data.get("type", ""), _OTHER_COLOUR),
        }


def edge_rows(graph: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """One row per edge for Gephi's spreadsheet import (columns ``_EDGE_COLUMNS``),
    generated one at a time; ``Weight`` is the number of supporting documents,
    ``evidence`` the first sentence."""
    when = _Dates(graph)
    for u, v, key, data in graph.edges(keys=True, data=True):
        relation = str(data.get("relation", ""))
        detail = data.get("title") or data.get("role") or ""
        evidence = [e for e in data.get("evidence") or () if isinstance(e, Mapping)]
        docs = supporting_documents(data) if relation != MENTIONED_IN else [graph.nodes[v].get("label")]
        yield {
            "Source": _clean(str(u)), "Target": _clean(str(v)),
            "Type": "Undirected" if relation in SYMMETRIC_RELATIONS else "Directed",
            "Label": _clean(f"{relation} {detail}".strip()), "Weight": float(len(docs) or 1),
            "relation": relation, "title": data.get("title", ""), "role": data.get("role", ""),
            "confidence": data.get("confidence", ""), "documents": ";".join(map(str, docs)),
            "evidence": _clean(str(evidence[0].get("text", ""))) if evidence else "",
            "evidence_count": len(evidence), "start": when.edge(graph, v, data) or "",
        }


def _write_csv(stream: BinaryIO, rows: Iterable[dict[str, Any]]) -> None:
    """UTF-8 CSV with a header (with a BOM, so spreadsheet programs read the Chinese),
    row by row."""
    rows = iter(rows)
    first = next(rows, None)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.DictWriter(text, fieldnames=list(first or ()), lineterminator="\n")
        writer.writeheader()
        if first is not None:
            writer.writerow(first)
            writer.writerows(rows)
        text.flush()
    finally:
        text.detach()  # the caller closes the stream


def _clean(text: str) -> str:
    """Remove characters XML cannot hold; line breaks and tabs become one space."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))


def _flatten(data: Mapping[str, Any], own_keys: frozenset[str]) -> dict[str, Any]:
    """Scalar attributes only: see the module docstring for the rules."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in own_keys:
            continue  # set by to_gephi itself
        name = f"{key}_" if key in _GEPHI_RESERVED else key
        if value is None:
            continue
        if isinstance(value, Records) and not value._plain:  # kg.diskgraph: read only the texts
            count = len(value)
            if count:
                flat[f"{name}_count"] = count
            flat[name] = ";".join(dict.fromkeys(_clean(str(t)) for t in value.field("text") if t is not None))
        elif isinstance(value, (list, tuple, set, frozenset, Records)):
            items = list(value)
            if any(isinstance(item, Mapping) for item in items):
                flat[f"{name}_count"] = len(items)
                items = [item.get("text") for item in items if isinstance(item, Mapping)]
            texts = [_clean(str(item)) for item in items if item is not None]
            flat[name] = ";".join(dict.fromkeys(texts))
        elif isinstance(value, Mapping):
            flat[name] = _clean(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))
        elif isinstance(value, (bool, int, float)):
            flat[name] = value
        else:
            flat[name] = _clean(str(value))
    return flat


def _type_plan(records: Iterable[Mapping[str, Any]]
               ) -> tuple[dict[str, Callable[[Any], Any]], dict[str, type]]:
    """One type per attribute across records: its own when all values agree, float for
    ints mixed with floats, else str. Returns the conversions to apply (attribute →
    function) and each attribute's final type, in the order attributes first appear."""
    kinds: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            seen = kinds.get(key)
            if seen is None:
                kinds[key] = {type(value)}
            else:
                seen.add(type(value))
    plan: dict[str, Callable[[Any], Any]] = {}
    columns: dict[str, type] = {}
    for key, seen in kinds.items():
        if len(seen) == 1:
            columns[key] = next(iter(seen))
        elif seen <= {int, float}:
            plan[key], columns[key] = float, float
        else:
            plan[key], columns[key] = _text, str
    return plan, columns


def _convert(record: dict[str, Any], plan: Mapping[str, Callable[[Any], Any]]) -> dict[str, Any]:
    for key, convert in plan.items():
        if key in record:
            record[key] = convert(record[key])
    return record


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
