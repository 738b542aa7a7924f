"""Writing the merged graph to files: Turtle, TriG, GraphML, GEXF and node-link JSON.

Formats plug in through ``WRITERS`` (name → function writing to a binary stream), as
rdflib's serializer registry does; ``write_exports`` picks from it and writes each file
to a temporary name beside its target and then ``os.replace``s it into place, so a
build that is interrupted never leaves a half-written ``graph.ttl`` that looks whole.

Gephi reads GraphML and GEXF attributes as typed columns and rejects what it cannot
type, so the Gephi writers first flatten the graph (``to_gephi``): lists become
``;``-joined strings (a list of records becomes the ``text`` of each, plus a
``<name>_count``), None is dropped, one attribute has one Python type across all nodes
(or all edges), control characters are removed, and each node gets a colour for its
type.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Mapping, Optional, Union

import networkx as nx
from rdflib import Dataset, Graph

from .errors import ConfigError
from .graph import DOCUMENT, to_node_link
from .rdf import to_dataset, union_graph

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
        return to_dataset(self.graph)

    @cached_property
    def union(self) -> Graph:
        return union_graph(self.dataset)


Writer = Callable[[ExportViews, BinaryIO], None]


def write_turtle(views: ExportViews, stream: BinaryIO) -> None:
    """All documents' triples as one Turtle graph."""
    views.union.serialize(destination=stream, format="turtle", encoding="utf-8")


def write_trig(views: ExportViews, stream: BinaryIO) -> None:
    """TriG with one named graph per document."""
    views.dataset.serialize(destination=stream, format="trig", encoding="utf-8")


def write_graphml(views: ExportViews, stream: BinaryIO) -> None:
    """GraphML for Gephi, colours as ``r``/``g``/``b`` and ``color`` node attributes."""
    nx.write_graphml(to_gephi(views.graph, viz=False), stream, encoding="utf-8")


def write_gexf(views: ExportViews, stream: BinaryIO) -> None:
    """GEXF for Gephi, colours in the ``viz`` namespace."""
    nx.write_gexf(to_gephi(views.graph, viz=True), stream, encoding="utf-8")


def write_json(views: ExportViews, stream: BinaryIO) -> None:
    """networkx node-link JSON, the lossless form ``graph.from_node_link`` reads back."""
    text = json.dumps(to_node_link(views.graph), ensure_ascii=False, indent=1, default=str)
    stream.write(text.encode("utf-8"))
    stream.write(b"\n")


WRITERS: dict[str, Writer] = {
    "ttl": write_turtle,
    "trig": write_trig,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "json": write_json,
}
"""Format name (also the file suffix) → writer."""


def write_exports(graph: nx.MultiDiGraph, out_dir: Union[str, Path],
                  formats: Optional[Iterable[str]] = None) -> dict[str, Path]:
    """Write ``graph.<format>`` for each format (all of ``WRITERS`` by default) into
    ``out_dir``, each atomically; return format → path written."""
    chosen = list(WRITERS) if formats is None else list(formats)
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise ConfigError(f"Unknown export format(s) {unknown!r}. Valid: "
                          f"{', '.join(WRITERS)}. Pick from these or add a writer to "
                          f"kg.export.WRITERS.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    views = ExportViews(graph)
    written: dict[str, Path] = {}
    for fmt in chosen:
        path = out / f"graph.{fmt}"
        _write_atomic(path, lambda stream, fmt=fmt: WRITERS[fmt](views, stream))
        log.info("Wrote %s", path)
        written[fmt] = path
    return written


def _write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write through a temporary file in the same directory, then rename into place.

    ``open(…, "xb")`` rather than ``mkstemp`` so the file gets the user's usual
    permissions (mkstemp's are 0600).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- Gephi flattening

def to_gephi(graph: nx.MultiDiGraph, *, viz: bool) -> nx.MultiDiGraph:
    """A copy of the graph whose attributes GraphML/GEXF writers and Gephi accept.

    ``viz=True`` colours nodes with the GEXF ``viz`` attribute; ``viz=False`` with
    ``r``, ``g``, ``b`` (ints) and ``color`` (hex) attributes, which Gephi's GraphML
    importer reads.
    """
    nodes = {n: _flatten(d, _NODE_KEYS) for n, d in graph.nodes(data=True)}
    edges = [(u, v, k, _flatten(d, _EDGE_KEYS)) for u, v, k, d in graph.edges(keys=True, data=True)]
    _unify_types(nodes.values())
    _unify_types(d for *_, d in edges)

    out = nx.MultiDiGraph()
    for node, data in nodes.items():
        data["type"] = _clean(str(graph.nodes[node].get("type", "")))
        data["label"] = _clean(str(graph.nodes[node].get("label", node)))
        colour = TYPE_COLOURS.get(data["type"], _OTHER_COLOUR)
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        if viz:
            data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        else:
            data.update(r=r, g=g, b=b, color=colour)
        out.add_node(_clean(str(node)), **data)
    for u, v, key, data in edges:
        source = graph.edges[u, v, key]
        relation = str(source.get("relation", ""))
        data["relation"] = relation
        detail = source.get("title") or source.get("role") or ""
        data["label"] = _clean(f"{relation} {detail}".strip())
        out.add_edge(_clean(str(u)), _clean(str(v)), key=_clean(str(key)), **data)
    return out


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
        if isinstance(value, (list, tuple, set, frozenset)):
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


def _unify_types(records: Iterable[dict[str, Any]]) -> None:
    """Give each attribute one type across records: int, float, bool or else str."""
    records = list(records)
    kinds: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            kinds.setdefault(key, set()).add(type(value))
    target: dict[str, Callable[[Any], Any]] = {}
    for key, seen in kinds.items():
        if len(seen) == 1:
            continue
        if seen <= {int, float}:
            target[key] = float
        else:
            target[key] = _text
    for record in records:
        for key, convert in target.items():
            if key in record:
                record[key] = convert(record[key])


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
