"""Person identity with a scope (kg.scope): namesakes in different places stay apart,
the same name in the same place merges, national posts are national; the scope is in
node ids, IRIs and the store, while labels stay the plain name. Texts of our own."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal

from kg.clean import clean
from kg.evaluate import result_to_gold_shape
from kg.graph import build_graph, node_id
from kg.namespaces import KGO, SKOS
from kg.pipeline import process_raw
from kg.places import load_gazetteer
from kg.rdf import entity_iri, to_graph
from kg.scope import lift, person_scopes
from kg.segment import segment
from kg.types import Entity, Mention, RawDoc

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"

DOCS = {
    "jz.txt": "晋中市总工会召开全委会议\n\n3月5日，晋中市总工会召开三届八次全委会议。"
              "市总工会副主席王伟作工作报告。会议由市总工会党组书记刘建国主持。\n",
    "hh.txt": "呼和浩特市总工会召开全委会议\n\n3月6日，呼和浩特市总工会召开全委会议。"
              "市总工会副主席王伟作工作报告，职工代表张丽华发言。\n",
    "qx.txt": "祁县召开农业工作会议\n\n2月10日，祁县召开全县农业农村工作会议。"
              "县委书记武建新出席会议并讲话，副县长王伟主持会议。\n",
    "nat.txt": "晋中市召开党员干部大会\n\n会议传达学习习近平总书记重要讲话精神。"
               "市委书记李强出席会议，市长王伟主持会议。\n",
}


@pytest.fixture(scope="module")
def results(nlp) -> dict:
    return {doc_id: process_raw(RawDoc(doc_id, doc_id, text), nlp) for doc_id, text in DOCS.items()}


def _people(result) -> dict[str, str]:
    return {e.name: e.scope for e in result.entities if e.type == "Person"}


def test_scope_from_the_post_the_home_place_or_the_country(results):
    assert _people(results["jz.txt"])["王伟"] == "晋中市"
    assert _people(results["hh.txt"])["王伟"] == "呼和浩特市"
    assert _people(results["hh.txt"])["张丽华"] == "呼和浩特市"  # no post: the home place
    # a county post is lifted to its prefecture-level city
    assert _people(results["qx.txt"]) == {"武建新": "晋中市", "王伟": "晋中市"}
    # 总书记 implies 中共中央: national
    assert _people(results["nat.txt"])["习近平"] == "中国"
    # relations point at the scoped keys
    posts = {r.source: r.target for r in results["jz.txt"].relations if r.type == "holds_position"}
    assert posts[("Person", "王伟", "晋中市")] == ("Agency", "晋中市总工会")


def test_namesakes_in_different_places_are_two_nodes_and_one_place_merges(results):
    graph = build_graph(results.values())
    wang = {n: d for n, d in graph.nodes(data=True) if d.get("label") == "王伟"}
    assert set(wang) == {"Person:王伟@晋中市", "Person:王伟@呼和浩特市"}
    assert all(d["scope"] in n for n, d in wang.items())
    # 晋中市 (jz), 祁县 (qx, lifted) and the 晋中 meeting (nat): one 王伟
    assert wang["Person:王伟@晋中市"]["documents"] == ["jz.txt", "qx.txt", "nat.txt"]
    assert wang["Person:王伟@呼和浩特市"]["documents"] == ["hh.txt"]
    assert node_id(("Person", "王伟", "晋中市")) == "Person:王伟@晋中市"
    assert node_id(("Agency", "晋中市总工会")) == "Agency:晋中市总工会"


def test_evaluation_shape_keeps_plain_names(results):
    shape = result_to_gold_shape(results["jz.txt"])
    person = next(e for e in shape["entities"] if e["name"] == "王伟")
    assert person["type"] == "Person" and person["scope"] == "晋中市"
    assert {"from": "王伟", "to": "晋中市总工会"}.items() <= next(
        r for r in shape["relations"] if r["type"] == "holds_position" and r["from"] == "王伟").items()


def test_iris_carry_the_scope_and_labels_stay_plain(results):
    union = to_graph(build_graph(results.values()))
    jz, hh = entity_iri(("Person", "王伟", "晋中市")), entity_iri(("Person", "王伟", "呼和浩特市"))
    assert str(jz).endswith("/Person/%E7%8E%8B%E4%BC%9F@%E6%99%8B%E4%B8%AD%E5%B8%82")
    assert entity_iri(("Place", "晋中市")) == entity_iri(("Place", "晋中市", ""))
    for iri, scope in ((jz, "晋中市"), (hh, "呼和浩特市")):
        assert (iri, SKOS.prefLabel, Literal("王伟", lang="zh")) in union
        assert (iri, KGO.scope, Literal(scope, lang="zh")) in union
    pyshacl = pytest.importorskip("pyshacl")
    conforms, _, report = pyshacl.validate(union, shacl_graph=Graph().parse(ONTOLOGY / "shapes.ttl"))
    assert conforms, report


def test_store_keeps_namesakes_apart_and_rebuilds_per_document(results, tmp_path):
    from kg.store import add_documents, open_store, query_store

    store = open_store(tmp_path / "store")
    add_documents(store, [results["jz.txt"], results["hh.txt"]])
    query = 'SELECT DISTINCT ?p ?scope WHERE { ?p skos:prefLabel "王伟"@zh ; kgo:scope ?scope }'
    first = sorted(s["scope"].value for s in query_store(store, query))
    add_documents(store, [results["jz.txt"]])  # built again: replaced, same identity
    assert sorted(s["scope"].value for s in query_store(store, query)) == first == ["呼和浩特市", "晋中市"]


def _doc(text: str):
    raw = RawDoc("t.txt", "t.txt", text)
    return segment(clean(raw))


def test_doctrine_or_national_body_makes_a_person_national():
    gazetteer = load_gazetteer()
    home = gazetteer.by_name("晋中市")[0]
    text = "全市深入学习贯彻习近平新时代中国特色社会主义思想，王伟参加学习。"
    segments = _doc(text)

    def person(name: str) -> Entity:
        start = text.index(name)
        mention = Mention(doc_id="t.txt", start=start, end=start + len(name), text=name, label="Person",
                          source="test", score=1.0, sentence=0)
        return Entity(type="Person", name=name, mentions=(mention,))

    scopes = person_scopes([person("习近平"), person("王伟")], [], segments, home, gazetteer)
    assert scopes == {("Person", "习近平"): "中国", ("Person", "王伟"): "晋中市"}
    # no home place: national
    assert person_scopes([person("王伟")], [], segments, None, gazetteer) == {("Person", "王伟"): "中国"}


def test_places_are_lifted_to_city_or_province():
    gazetteer = load_gazetteer()
    assert lift(gazetteer.by_name("祁县")[0], gazetteer) == "晋中市"
    assert lift(gazetteer.by_name("晋中市")[0], gazetteer) == "晋中市"
    assert lift(gazetteer.by_name("山西省")[0], gazetteer) == "山西省"
    assert lift(None, gazetteer) == ""
