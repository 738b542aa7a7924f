"""GraphML and GEXF written element by element, so a graph of millions of edges goes to
disk without an XML tree in memory (networkx's GEXF writer builds the whole
ElementTree, its GraphML writer needs a graph object holding every attribute).

The files are what networkx 3.6 writes for the same data, and read back with
``nx.read_graphml(…, force_multigraph=True)`` and ``nx.read_gexf``: attribute types
``long``/``double``/``boolean``/``string``; in GEXF the node attributes ``label``,
``start``, ``end``, ``pid`` and ``viz`` and the edge attributes ``label``, ``weight``,
``type``, ``start`` and ``end`` are GEXF structure rather than attribute columns, edges
are numbered and the multigraph key is the ``networkx_key`` column; in GraphML the key
is the edge's ``id``. ``kg.export`` decides what the attributes are (``to_gephi``'s
rules); this module only writes them.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

NodeRow = tuple[str, Mapping[str, Any]]
EdgeRow = tuple[str, str, str, Mapping[str, Any]]


@dataclass
class Elements:
    """Nodes (``(id, attributes)``) or edges (``(source, target, key, attributes)``)
    to write, and each attribute's one Python type (``str``, ``int``, ``float``,
    ``bool``; a ``viz`` dict for GEXF) in the order the columns are declared. ``rows``
    is read once."""

    columns: Mapping[str, type]
    rows: Iterable[tuple]


_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}

_GEXF_NODE_STRUCTURE = frozenset({"id", "label", "pid", "start", "end", "viz"})
_GEXF_EDGE_STRUCTURE = frozenset({"id", "label", "weight", "type", "start", "end"})


class Chunks:
    """Text to a binary stream in chunks of about 1 MB."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.parts, self.size = stream, [], 0

    def __call__(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.stream.write("".join(self.parts).encode("utf-8"))
        self.parts, self.size = [], 0


def _value(value: Any) -> str:
    """An attribute value as networkx writes it: bools in lower case (GEXF, and what
    GraphML readers accept), inf and nan as GEXF spells them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return str(value)


def _xml_type(kind: type) -> str:
    try:
        return _XML_TYPES[kind]
    except KeyError:
        raise TypeError(f"attribute type {kind.__name__} cannot be written to GraphML or "
                        f"GEXF; flatten it to str, int, float or bool first") from None


def write_graphml(stream: BinaryIO, nodes: Elements, edges: Elements) -> None:
    """A directed multigraph as GraphML."""
    out = Chunks(stream)
    out("<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    keys: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for scope, elements in (("node", nodes), ("edge", edges)):
        for name, kind in elements.columns.items():
            key = f"d{sum(map(len, keys.values()))}"
            keys[scope][name] = key
            out(f'  <key id="{key}" for="{scope}" attr.name={quoteattr(str(name))} '
                f'attr.type="{_xml_type(kind)}" />\n')
    out('  <graph edgedefault="directed">\n')
    for node, data in nodes.rows:
        out(f"    <node id={quoteattr(node)}")
        _graphml_data(out, keys["node"], data)
        out("</node>\n")
    for source, target, key, data in edges.rows:
        out(f"    <edge source={quoteattr(source)} target={quoteattr(target)} id={quoteattr(key)}")
        _graphml_data(out, keys["edge"], data)
        out("</edge>\n")
    out("  </graph>\n</graphml>\n")
    out.flush()


def _graphml_data(out: Chunks, keys: Mapping[str, str], data: Mapping[str, Any]) -> None:
    out(">\n")
    for name, value in data.items():
        text = _value(value)
        if text:
            out(f'      <data key="{keys[name]}">{escape(text)}</data>\n')
        else:
            out(f'      <data key="{keys[name]}" />\n')
    out("    ")


def write_gexf(stream: BinaryIO, nodes: Elements, edges: Elements) -> None:
    """A directed multigraph as GEXF 1.2 with the ``viz`` extension; dynamic (by date)
    when a node or an edge has a ``start``."""
    out = Chunks(stream)
    dynamic = "start" in nodes.columns or "start" in edges.columns
    out("<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
        f'  <meta lastmodifieddate="{time.strftime("%Y-%m-%d")}">\n'
        "    <creator>kg (kg.graphxml)</creator>\n"
        "  </meta>\n"
        + ('  <graph defaultedgetype="directed" mode="dynamic" name="" timeformat="date">\n'
           if dynamic else '  <graph defaultedgetype="directed" mode="static" name="">\n'))
    ids: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    counter = 0
    edge_columns = {**edges.columns, "networkx_key": str}
    for scope, columns, structure in (("node", nodes.columns, _GEXF_NODE_STRUCTURE),
                                      ("edge", edge_columns, _GEXF_EDGE_STRUCTURE)):
        out(f'    <attributes mode="static" class="{scope}">\n')
        for name, kind in columns.items():
            if name in structure:
                continue
            ids[scope][name] = str(counter)
            out(f'      <attribute id="{counter}" title={quoteattr(str(name))} '
                f'type="{_xml_type(kind)}" />\n')
            counter += 1
        out("    </attributes>\n")
    out("    <nodes>\n")
    for node, data in nodes.rows:
        out(f"      <node id={quoteattr(node)} label={quoteattr(str(data.get('label', node)))}")
        _gexf_element(out, "node", ids["node"], data, _GEXF_NODE_STRUCTURE)
    out("    </nodes>\n    <edges>\n")
    for number, (source, target, key, data) in enumerate(edges.rows):
        out(f'      <edge source={quoteattr(source)} target={quoteattr(target)} id="{number}"')
        for name in ("label", "weight", "type"):
            if name in data:
                out(f" {name}={quoteattr(_value(data[name]))}")
        _gexf_element(out, "edge", ids["edge"], {**data, "networkx_key": key},
                      _GEXF_EDGE_STRUCTURE)
    out("    </edges>\n  </graph>\n</gexf>\n")
    out.flush()


def _gexf_element(out: Chunks, tag: str, ids: Mapping[str, str], data: Mapping[str, Any],
                  structure: frozenset[str]) -> None:
    """The rest of an element whose start tag is open: ``start``/``end``/``pid``, the
    ``viz`` children and the attribute values."""
    for name in ("pid", "start", "end") if tag == "node" else ("start", "end"):
        if name in data:
            out(f" {name}={quoteattr(str(data[name]))}")
    out(">\n")
    viz = data.get("viz") if tag == "node" else None
    if viz:
        colour, size, position = viz.get("color"), viz.get("size"), viz.get("position")
        if colour is not None:
            out(f'        <viz:color r="{colour.get("r")}" g="{colour.get("g")}" '
                f'b="{colour.get("b")}" a="{colour.get("a", 1.0)}" />\n')
        if size is not None:
            out(f'        <viz:size value="{size}" />\n')
        if position is not None:
            out(f'        <viz:position x="{position.get("x")}" y="{position.get("y")}" '
                f'z="{position.get("z")}" />\n')
    values = [(ids[name], value) for name, value in data.items() if name not in structure]
    if values:
        out("        <attvalues>\n")
        for attr, value in values:
            out(f'          <attvalue for="{attr}" value={quoteattr(_value(value))} />\n')
        out("        </attvalues>\n")
    out(f"      </{tag}>\n")
