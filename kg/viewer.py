"""One self-contained HTML page to explore the graph in a browser (``kg view``).

The page is ``resources/viewer/graph.html`` with the graph's data put in: no network,
no CDN, all of its script and style inline (our own, a few hundred lines: canvas
drawing, pan and zoom, search, type filter, a panel with each relation and the
sentences it comes from). Positions come from the same seeded force layout as the
Gephi export, so the page opens on a settled picture.

The entity graph is shown: document nodes and ``mentioned_in`` edges are left out (a
node's panel lists its documents). The data is JSON inside a
``<script type="application/json">`` element, with ``<``, ``>`` and ``&`` escaped so no
text from a document can close the element.
"""
from __future__ import annotations

import html
import json
from importlib.resources import files
from pathlib import Path
from typing import Any, Union

import networkx as nx

from .errors import InputError
from .export import TYPE_COLOURS, _write_atomic, layout
from .graph import DOCUMENT, from_node_link
from .labels import MENTIONED_IN

TEMPLATE = "viewer/graph.html"


def viewer_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The compact form the page draws: nodes with positions, edges with evidence."""
    entities = graph.subgraph(n for n, d in graph.nodes(data=True) if d.get("type") != DOCUMENT)
    shown = nx.MultiDiGraph()
    shown.add_nodes_from(entities.nodes(data=True))
    shown.add_edges_from((u, v, k, d) for u, v, k, d in entities.edges(keys=True, data=True)
                         if d.get("relation") != MENTIONED_IN)
    positions = layout(shown)
    index = {node: i for i, node in enumerate(shown.nodes)}
    nodes = []
    for node, data in shown.nodes(data=True):
        x, y = positions[node]
        nodes.append({
            "id": str(node), "label": str(data.get("label", node)), "type": str(data.get("type", "")),
            "pinyin": str(data.get("pinyin", "")), "scope": str(data.get("scope") or ""),
            "level": str(data.get("level") or ""),
            "code": str(data.get("code") or ""), "aliases": [str(a) for a in data.get("aliases") or ()],
            "documents": [str(d) for d in data.get("documents") or ()],
            "degree": int(shown.degree(node)), "x": x, "y": y,
        })
    edges = []
    for u, v, data in shown.edges(data=True):
        evidence = [{"doc": str(e.get("doc", "")), "text": str(e.get("text", ""))}
                    for e in data.get("evidence") or () if isinstance(e, dict)]
        edges.append({"s": index[u], "t": index[v], "rel": str(data.get("relation", "")),
                      "detail": str(data.get("title") or data.get("role")
                                    or ("flagged" if data.get("flagged") else "")),
                      "evidence": evidence})
    colours = {t: c for t, c in TYPE_COLOURS.items() if t != DOCUMENT}
    return {"nodes": nodes, "edges": edges, "colours": colours}


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
