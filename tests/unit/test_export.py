"""write_exports writes five complete files atomically; Gephi files read back with
typed, flat attributes."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import ConfigError
from kg.export import (DEFAULT_FORMATS, WRITERS, ExportViews, edge_rows, layout, node_rows,
                       parse_formats, to_gephi, write_exports, write_gexf, write_graphml)
from kg.graph import build_graph, from_node_link
from kg.rdf import document_iri, to_dataset, to_graph
from kg.types import Relation

from test_graph import JINZHONG, SHANXI, UNION, WANG, two_documents

FILES = {"graph.ttl", "graph.trig", "graph.graphml", "graph.gexf", "graph.json"}


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """The sample documents plus a second title for 王根元 at the union (a parallel
    edge), evidence with control characters, and a ``code`` that is a str on one node
    and an int on others."""
    docs = two_documents()
    extra = Relation("holds_position", WANG, UNION, "a.txt", 0, "党组\x07书记\n王根元", 0.5,
                     "title_link", title="党组书记", raw_start=1, raw_end=9)
    docs[0] = replace(docs[0], relations=docs[0].relations + (extra,))
    attrs = {JINZHONG: {"code": 140700, "level": None}, SHANXI: {"code": 140000}}
    docs[1] = replace(docs[1], entities=tuple(
        replace(e, attrs=attrs[e.key]) if e.key in attrs else e for e in docs[1].entities))
    return build_graph(docs)


def test_all_five_files_written_and_no_temp_files(graph, tmp_path):
    written = write_exports(graph, tmp_path / "out")
    assert set(written) == FILES and DEFAULT_FORMATS == ("ttl", "trig", "graphml", "gexf", "json")
    assert {p.name for p in (tmp_path / "out").iterdir()} == FILES
    assert all(p.stat().st_size > 0 for p in written.values())

    # Sets, not isomorphic(): pyoxigraph writes language tags in lower case
    # (zh-latn-pinyin), which RDF and rdflib's == treat as the same tag.
    assert set(Graph().parse(written["graph.ttl"], format="turtle")) == set(to_graph(graph))
    trig = Dataset()
    trig.parse(written["graph.trig"], format="trig")
    assert len(trig.graph(document_iri("b 2.txt"))) == len(
        to_dataset(graph).graph(document_iri("b 2.txt")))
    back = from_node_link(json.loads(written["graph.json"].read_text(encoding="utf-8")))
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))


def test_only_chosen_formats_and_unknown_format(graph, tmp_path):
    assert set(write_exports(graph, tmp_path, formats=["ttl"])) == {"graph.ttl"}
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
    with pytest.raises(ConfigError, match="'rdfxml'.*Valid: ttl, trig, graphml, gexf, json, nt, nq"):
        write_exports(graph, tmp_path, formats=["rdfxml"])
    assert parse_formats("ttl, NQ,csv") == ["ttl", "nq", "csv"]
    with pytest.raises(ConfigError):
        parse_formats("ttl,xls")


def test_extra_rdf_formats_read_back(graph, tmp_path):
    written = write_exports(graph, tmp_path, formats=["nt", "nq", "jsonld"])
    assert set(written) == {"graph.nt", "graph.nq", "graph.jsonld"}
    assert set(Graph().parse(written["graph.nt"], format="nt")) == set(to_graph(graph))
    expected = to_dataset(graph)
    for name, fmt in (("graph.nq", "nquads"), ("graph.jsonld", "json-ld")):
        back = Dataset()
        back.parse(written[name], format=fmt)
        for doc in ("a.txt", "b 2.txt"):
            assert set(back.graph(document_iri(doc))) == set(expected.graph(document_iri(doc))), name
    assert '"kgo:' in written["graph.jsonld"].read_text(encoding="utf-8")  # compacted


def test_csv_tables_for_gephi(graph, tmp_path):
    import csv
    written = write_exports(graph, tmp_path, formats=["csv"])
    assert set(written) == {"nodes.csv", "edges.csv"}
    with open(written["nodes.csv"], encoding="utf-8-sig", newline="") as f:
        nodes = {row["Id"]: row for row in csv.DictReader(f)}
    with open(written["edges.csv"], encoding="utf-8-sig", newline="") as f:
        edges = list(csv.DictReader(f))
    assert list(nodes["Agency:晋中市总工会"])[:5] == ["Id", "Label", "type", "pinyin", "level"]
    union = nodes["Agency:晋中市总工会"]
    assert (union["Label"], union["type"], union["documents"]) == ("晋中市总工会", "Agency", "2")
    assert union["pinyin"] == "jìn zhōng shì zǒng gōng huì"
    assert nodes["Place:晋中市"]["level"] == "city" and nodes["Place:晋中市"]["start"] == "2024-03-01"
    assert list(edges[0])[:5] == ["Source", "Target", "Type", "Label", "Weight"]
    post = next(e for e in edges if e["Label"] == "holds_position 主席")
    assert (post["Source"], post["Target"], post["Type"], post["Weight"]) == (
        "Person:王根元", "Agency:晋中市总工会", "Directed", "2.0")
    assert post["documents"] == "a.txt;b 2.txt" and post["start"] == "2024-03-01"
    coop = next(e for e in edges if e["relation"] == "cooperates_with")
    assert coop["Type"] == "Undirected"
    assert len(edges) == graph.number_of_edges() and len(nodes) == graph.number_of_nodes()


def test_layout_is_seeded_and_spread():
    g = nx.MultiDiGraph(nx.path_graph(30))
    first, second = layout(g), layout(g)
    assert first == second
    xs = [x for x, _ in first.values()]
    assert max(xs) - min(xs) > 500
    big = nx.MultiDiGraph(nx.gnm_random_graph(2000, 4000, seed=1))
    import time
    start = time.perf_counter()
    positions = layout(big)
    assert len(positions) == 2000 and time.perf_counter() - start < 20


def test_interrupted_write_keeps_old_file_and_leaves_no_temp(graph, tmp_path, monkeypatch):
    write_exports(graph, tmp_path, formats=["gexf"])
    before = (tmp_path / "graph.gexf").read_bytes()

    def half_then_fail(views, stream):
        stream.write(b"<?xml half")
        raise KeyboardInterrupt

    monkeypatch.setitem(WRITERS, "gexf", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        write_exports(graph, tmp_path, formats=["gexf"])
    assert (tmp_path / "graph.gexf").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gexf"]


def _assert_gephi_typed(records, types):
    """Each attribute has one Python type everywhere, and only scalar types."""
    seen: dict[str, set[type]] = {}
    for data in records:
        for key, value in data.items():
            if key != "viz":
                seen.setdefault(key, set()).add(type(value))
    for key, kinds in seen.items():
        assert len(kinds) == 1 and kinds <= {str, int, float, bool}, (key, kinds)
    for key, expected in types.items():
        assert seen[key] == {expected}, key


def _round_trip(writer, graph, read):
    stream = io.BytesIO()
    writer(ExportViews(graph), stream)
    stream.seek(0)
    return read(stream)


def test_graphml_reads_back_typed(graph):
    back = _round_trip(write_graphml, graph, lambda s: nx.read_graphml(s, force_multigraph=True))
    assert isinstance(back, nx.MultiDiGraph)
    assert back.number_of_edges() == graph.number_of_edges()
    _assert_gephi_typed((d for _, d in back.nodes(data=True)), {
        "type": str, "label": str, "confidence": float, "mentions_count": int, "r": int,
        "color": str, "code": str, "documents": str})
    _assert_gephi_typed((d for *_, d in back.edges(data=True)), {
        "relation": str, "label": str, "confidence": float, "count": int})
    union = back.nodes["Agency:晋中市总工会"]
    assert union["documents"] == "a.txt;b 2.txt"
    assert union["aliases"] == "市总工会;晋中市总工会委员会"
    assert (union["r"], union["g"], union["b"], union["color"]) == (55, 126, 184, "#377eb8")
    assert back.nodes["Place:晋中市"]["code"] == "140700"  # first document's value wins
    assert back.nodes["Place:山西省"]["code"] == "140000"  # an int elsewhere becomes str
    assert back.nodes["Place:晋中市"]["level"] == "city"
    titles = {d["label"] for d in back.get_edge_data("Person:王根元", "Agency:晋中市总工会").values()}
    assert titles == {"holds_position 主席", "holds_position 党组书记"}
    _assert_gephi_typed((d for _, d in back.nodes(data=True)), {
        "x": float, "y": float, "size": float, "degree": int, "document_count": int,
        "pinyin": str, "date": str})
    assert back.nodes["Person:王根元"]["pinyin"] == "wáng gēn yuán"
    assert back.nodes["Person:王根元"]["date"] == "2024-03-01"


def test_gexf_reads_back_with_colours_and_parallel_edges(graph):
    back = _round_trip(write_gexf, graph, nx.read_gexf)
    assert isinstance(back, nx.MultiDiGraph)
    person = back.nodes["Person:王根元"]
    assert (person["type"], person["label"]) == ("Person", "王根元")
    assert person["viz"]["color"] == {"r": 228, "g": 26, "b": 28, "a": 1.0}
    assert back.nodes["Document:a.txt"]["type"] == "Document"
    _assert_gephi_typed((d for _, d in back.nodes(data=True)),
                        {"confidence": float, "mentions_count": int, "label": str})
    edges = back.get_edge_data("Person:王根元", "Agency:晋中市总工会")
    assert len(edges) == 2
    secretary = next(d for d in edges.values() if d["title"] == "党组书记")
    assert secretary["relation"] == "holds_position"
    assert secretary["evidence"] == "党组书记 王根元"  # control character gone, newline a space
    assert secretary["evidence_count"] == 1
    chair = next(d for d in edges.values() if d["title"] == "主席")
    assert chair["weight"] == 2.0  # stated in two documents
    assert chair["start"] == "2024-03-01"
    viz = person["viz"]
    assert viz["size"] > 6 and set(viz["position"]) == {"x", "y", "z"}
    assert person["start"] == "2024-03-01" and person["document_count"] == 2
    assert back.nodes["Place:山西省"]["start"] == "2024-03-02"


def test_gexf_is_dynamic_with_dates(graph, tmp_path):
    written = write_exports(graph, tmp_path, formats=["gexf"])
    text = written["graph.gexf"].read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    assert 'start="2024-03-01"' in text


def test_to_gephi_flattens_without_touching_the_graph(graph):
    before = json.dumps(nx.node_link_data(graph, edges="edges"), sort_keys=True, default=str)
    flat = to_gephi(graph, viz=False)
    assert json.dumps(nx.node_link_data(graph, edges="edges"), sort_keys=True, default=str) == before
    for _, data in flat.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    coop = [d for *_, d in flat.edges(data=True) if d["relation"] == "cooperates_with"]
    assert len(coop) == 1 and coop[0]["evidence_count"] == 2


def test_json_is_written_as_json_dumps_would(graph):
    """write_json streams node by node; the text is the one json.dumps gives."""
    from kg.export import write_json
    from kg.graph import to_node_link
    graph.graph["name"] = {"a": [1, 2]}
    stream = io.BytesIO()
    write_json(ExportViews(graph), stream)
    whole = json.dumps(to_node_link(graph), ensure_ascii=False, indent=1, default=str) + "\n"
    assert stream.getvalue().decode("utf-8") == whole
    empty = io.BytesIO()
    write_json(ExportViews(nx.MultiDiGraph()), empty)
    assert empty.getvalue().decode("utf-8") == json.dumps(
        to_node_link(nx.MultiDiGraph()), indent=1) + "\n"


def test_gephi_writers_match_networkx(graph):
    """The streamed GraphML and GEXF read back as networkx's own writers' files do."""
    views = ExportViews(graph)
    for writer, nx_writer, viz, read in (
            (write_graphml, nx.write_graphml, False, lambda s: nx.read_graphml(s, force_multigraph=True)),
            (write_gexf, nx.write_gexf, True, nx.read_gexf)):
        ours = _round_trip(writer, graph, read)
        stream = io.BytesIO()
        nx_writer(to_gephi(graph, viz=viz, positions=views.layout), stream, encoding="utf-8")
        stream.seek(0)
        theirs = read(stream)
        assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
        assert sorted(ours.edges(keys=True, data=True), key=str) == sorted(
            theirs.edges(keys=True, data=True), key=str)
        assert ours.graph == theirs.graph


def test_csv_rows_stream_and_empty_graph(tmp_path):
    written = write_exports(nx.MultiDiGraph(), tmp_path, formats=["csv", "gexf", "graphml"])
    assert written["nodes.csv"].read_bytes() == "\ufeff\n".encode("utf-8")
    assert nx.read_gexf(written["graph.gexf"]).number_of_nodes() == 0
    assert nx.read_graphml(written["graph.graphml"]).number_of_nodes() == 0
