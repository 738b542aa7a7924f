"""One self-contained HTML page to explore the graph in a browser (``kg view``).

The page is ``resources/viewer/graph.html`` with the graph's data put in: no network,
no CDN, all of its script and style inline (our own: canvas drawing, pan and zoom,
search, filters by type and document, a panel with each relation and the sentences it
comes from). It does not draw the whole graph: it opens on the most connected nodes
(at most 150), on a node's neighbourhood (``#node=``) or on a search (``#q=``), and a
click on a node adds its neighbours (a bounded batch per click). Isolated nodes are
hidden unless asked for. Only the nodes drawn are laid out, in the page, so building
the page costs no layout and stays linear in the size of the graph.

The entity graph is shown: document nodes and ``mentioned_in`` edges are left out (a
node's panel lists its documents). The data is compact JSON (columns; document names,
relation names and evidence sentences each stored once and referred to by number)
inside a ``<script type="application/json">`` element, with ``<``, ``>`` and ``&``
escaped so no text from a document can close the element.
"""
from __future__ import annotations

import html
import json
from importlib.resources import files
from pathlib import Path
from typing import Any, Union

import networkx as nx

from .errors import InputError
from .export import TYPE_COLOURS, _write_atomic
from .graph import DOCUMENT, from_node_link
from .labels import MENTIONED_IN

TEMPLATE = "viewer/graph.html"


class _Table:
    """Strings stored once, referred to by their number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, value: Any) -> int:
        text = str(value)
        number = self.index.get(text)
        if number is None:
            number = self.index[text] = len(self.index)
        return number

    def values(self) -> list[str]:
        return list(self.index)


def viewer_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The compact form the page reads.

    ``nodes`` and ``edges`` are columns (one list per field, a row per node or edge);
    fields that most nodes lack (``id`` where it is not ``Type:label``, scope, level,
    code, aliases) are maps from row number to value. Node and edge ``docs`` and the
    evidence (``ev``: pairs of document and sentence numbers, flattened) point into
    ``docs`` and ``texts``; ``type`` and ``rel`` into ``types`` and ``rels``."""
    types, rels, docs, texts = _Table(), _Table(), _Table(), _Table()
    for t in TYPE_COLOURS:
        if t != DOCUMENT:
            types(t)
    entities = [n for n, d in graph.nodes(data=True) if d.get("type") != DOCUMENT]
    index = {node: i for i, node in enumerate(entities)}
    nodes: dict[str, Any] = {"label": [], "type": [], "pinyin": [], "docs": [],
                             "id": {}, "scope": {}, "level": {}, "code": {}, "aliases": {}}
    for i, node in enumerate(entities):
        data = graph.nodes[node]
        label, kind = str(data.get("label", node)), str(data.get("type", ""))
        nodes["label"].append(label)
        nodes["type"].append(types(kind))
        nodes["pinyin"].append(str(data.get("pinyin", "")))
        nodes["docs"].append([docs(d) for d in data.get("documents") or ()])
        scope = str(data.get("scope") or "")
        if str(node) != f"{kind}:{label}" + (f"@{scope}" if scope else ""):
            nodes["id"][i] = str(node)
        for field in ("scope", "level", "code"):
            if data.get(field):
                nodes[field][i] = str(data[field])
        if data.get("aliases"):
            nodes["aliases"][i] = [str(a) for a in data["aliases"]]
    edges: dict[str, Any] = {"s": [], "t": [], "rel": [], "detail": {}, "ev": []}
    for u, v, data in graph.edges(data=True):
        if data.get("relation") == MENTIONED_IN or u not in index or v not in index:
            continue
        row = len(edges["s"])
        edges["s"].append(index[u])
        edges["t"].append(index[v])
        edges["rel"].append(rels(data.get("relation", "")))
        detail = str(data.get("title") or data.get("role") or ("flagged" if data.get("flagged") else ""))
        if detail:
            edges["detail"][row] = detail
        evidence: list[int] = []
        for e in data.get("evidence") or ():
            if isinstance(e, dict):
                evidence += [docs(e.get("doc", "")), texts(e.get("text", ""))]
        edges["ev"].append(evidence)
    colours = {t: TYPE_COLOURS.get(t, "#666666") for t in types.values()}
    return {"format": 2, "types": types.values(), "colours": colours, "rels": rels.values(),
            "docs": docs.values(), "texts": texts.values(), "nodes": nodes, "edges": edges}


def render(graph: nx.MultiDiGraph, title: str = "kg graph") -> str:
    """The whole HTML page for ``graph``."""
    template = files("kg.resources").joinpath(TEMPLATE).read_text(encoding="utf-8")
    payload = json.dumps(viewer_data(graph), ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return template.replace("__KG_TITLE__", html.escape(title)).replace("__KG_DATA__", payload)


def write_viewer(exports: Union[str, Path], output: Union[str, Path]) -> Path:
    """Read ``graph.json`` from the exports folder (or that file itself) and write the
    page to ``output``, atomically."""
    source = Path(exports)
    if source.is_dir():
        source = source / "graph.json"
    if not source.is_file():
        raise InputError(f"No graph.json at {str(source)!r}. Give the folder kg build -o "
                         f"wrote (with the json format, which is a default).")
    try:
        graph = from_node_link(json.loads(source.read_text(encoding="utf-8")))
    except json.JSONDecodeError as err:
        raise InputError(f"{str(source)!r} is not valid JSON: {err}") from err
    page = render(graph, title=f"kg graph: {source.parent.name}")
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(out, lambda stream: stream.write(page.encode("utf-8")))
    return out
