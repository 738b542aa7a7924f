"""The whole pipeline on the example documents the repository ships."""
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from kg.cli import main
from kg.query import run_sparql

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    status = main(["build", str(EXAMPLES), "-o", str(out)])
    assert status == 0
    return out


@pytest.fixture(scope="module")
def graph(built):
    from kg.graph import from_node_link
    import json

    return from_node_link(json.loads((built / "graph.json").read_text(encoding="utf-8")))


def node(graph, type_, label):
    matches = [n for n, d in graph.nodes(data=True) if d.get("type") == type_ and d.get("label") == label]
    assert matches, f"no {type_} node {label!r}"
    return matches[0]


def relations(graph, rel):
    return {(graph.nodes[u]["label"], graph.nodes[v]["label"], d.get("title", ""))
            for u, v, d in graph.edges(data=True) if d.get("relation") == rel}


def test_all_five_exports_written(built):
    for name in ("graph.ttl", "graph.trig", "graph.graphml", "graph.gexf", "graph.json"):
        assert (built / name).stat().st_size > 1000


@pytest.mark.parametrize(
    "type_, label",
    [
        ("Person", "韩立军"), ("Person", "窦文华"), ("Person", "孟晓峰"), ("Person", "武建新"),
        ("Agency", "长治市总工会"), ("Agency", "长治市人大常委会"), ("Agency", "祁县县委组织部"),
        ("Agency", "榆次区税务局第二税务分局"), ("Agency", "山西大学"),
        ("Place", "长治市"), ("Place", "潞州区"), ("Place", "东阳镇"), ("Place", "祁县"),
        ("Initiative", "太行山水生态修复工程"), ("Initiative", "数字长治三年行动"),
        ("Event", "晋中市第六届象棋公开赛"), ("Event", "2024年长治市职工技能大赛"),
    ],
)
def test_entities(graph, type_, label):
    node(graph, type_, label)


def test_relations(graph):
    held = relations(graph, "holds_position")
    assert ("韩立军", "长治市总工会", "主席") in held
    assert ("韩立军", "长治市人大常委会", "副主任") in held
    assert ("窦文华", "晋中市政府", "副市长") in held
    assert ("长治市总工会", "长治市", "") in relations(graph, "located_in")
    assert ("潞州区", "长治市", "") in relations(graph, "part_of")
    assert ("东阳镇", "榆次区", "") in relations(graph, "part_of")
    assert ("榆次区税务局第二税务分局", "榆次区税务局", "") in relations(graph, "sub_organization_of")
    assert ("晋中市象棋协会", "晋中市第六届象棋公开赛", "") in relations(graph, "involved_in")
    coop = {frozenset(p[:2]) for p in relations(graph, "cooperates_with")}
    assert frozenset({"长治市政府", "山西大学"}) in coop


def test_provenance_points_into_the_original_file(graph):
    person = node(graph, "Person", "窦文华")
    mention = graph.nodes[person]["mentions"][0]
    raw = (EXAMPLES / mention["doc"]).read_text(encoding="utf-8")
    assert raw[mention["raw_start"]:mention["raw_end"]].replace(" ", "") == "窦文华"
    edge = next(d for u, v, d in graph.edges(person, data=True) if d.get("relation") == "holds_position")
    assert "副市长" in edge["evidence"][0]["text"]


def test_sparql_on_trig_finds_posts(built):
    result = run_sparql(built / "graph.trig", """
        PREFIX kgo: <https://w3id.org/kg-gov/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?person ?agency WHERE {
          ?p kgo:holdsPosition ?a .
          ?p skos:prefLabel ?person . ?a skos:prefLabel ?agency .
        } ORDER BY ?person ?agency""")
    rows = {(str(r[0]), str(r[1])) for r in result.rows}
    assert ("韩立军", "长治市总工会") in rows
    assert ("窦文华", "晋中市政府") in rows


def test_rdf_files_parse(built):
    assert len(rdflib.Graph().parse(built / "graph.ttl", format="turtle")) > 100
    ds = rdflib.Dataset()
    ds.parse(built / "graph.trig", format="trig")
    assert len(list(ds.graphs())) >= 3


def test_gephi_files_read_back(built):
    for reader, name in ((nx.read_graphml, "graph.graphml"), (nx.read_gexf, "graph.gexf")):
        g = reader(built / name)
        labels = {d.get("label") for _, d in g.nodes(data=True)}
        assert "长治市总工会" in labels
        assert all(isinstance(d.get("type"), str) for _, d in g.nodes(data=True))
