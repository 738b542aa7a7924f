"""Near-duplicate documents and flagged name conflicts (kg.dedup), on texts of our own:
two versions of one report (the second re-OCR'd: a few characters and one name read
differently, some lines added), and an unrelated report."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal

from kg.dedup import NearDuplicateIndex, fingerprint, name_conflicts, person_contexts, shingle_hashes
from kg.export import write_exports
from kg.graph import build_graph, document_node_id
from kg.labels import NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS
from kg.namespaces import KGO, LINKS_GRAPH
from kg.pipeline import process_raw
from kg.rdf import document_iri, to_dataset, to_graph
from kg.types import DocResult, Entity, PersonContext, RawDoc

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"

REPORT = """关于全市职工技能提升工作的报告

今年以来，市总工会坚持以职工需求为导向，扎实推进职工技能素质提升工程。
一是搭建竞赛平台。全年举办行业性劳动竞赛二十三场，参赛职工一万二千余人次，评选技术能手八十名。
二是培育创新成果。山西宏远机械公司郭焕平创新工作室推送的项目参加了全省职工创新成果展示，获得一等奖。
三是加强培训阵地建设。依托工匠学院开设培训班十六期，培训一线职工两千余人，帮助一百二十名职工取得职业资格证书。
四是关心关爱困难职工。筹措资金一百六十万元，走访慰问困难职工八百余户，发放助学金四十余万元。
市总工会主席李明远表示，下一步将继续深化劳动和技能竞赛，让更多职工在岗位上成长成才。
"""

# The same report as another OCR pass read it: 郭 -> 郝 in one name, two words
# changed, a heading mark, a line added at the end.
COPY = REPORT.replace("郭焕平", "郝焕平").replace("扎实推进", "扎实推动").replace("八百余户", "八百多户") \
    .replace("关于全市", "# 关于全市") + "（本报记者 王晓红）\n"

OTHER = """全县农业农村工作会议召开

会议总结了去年全县农业农村工作，安排部署今年重点任务。会议指出，要稳定粮食播种面积，
抓好高标准农田建设，发展特色种养业，持续改善农村人居环境，推动乡村全面振兴。
县委副书记赵志刚在讲话中强调，各乡镇要压实责任，确保各项任务落地见效。
"""


def _result(doc_id: str, text: str, people: tuple[PersonContext, ...] = ()) -> DocResult:
    return DocResult(doc_id=doc_id, path=doc_id, jurisdiction="", entities=(), relations=(),
                     minhash=fingerprint(text), people=people)


def _person(text: str, name: str, sentence: int = 0) -> PersonContext:
    """A person mention in a one-line sentence ``text``."""
    start = text.index(name)
    return PersonContext(key=("Person", name), sentence=sentence, text=text, start=start,
                         end=start + len(name), raw_start=0, raw_end=len(text))


def test_signature_is_stable_and_short_texts_get_none():
    assert fingerprint(REPORT) == fingerprint(REPORT) and len(fingerprint(REPORT)) == 64
    assert fingerprint("市总工会召开会议。") == ()
    # spaces, punctuation and layout marks do not count
    assert (shingle_hashes("郭焕平创新工作室，推送项目") == shingle_hashes("郭 焕 平 创新工作室 推送项目")).all()


def test_versions_of_one_text_are_near_duplicates_and_others_not():
    index = NearDuplicateIndex()
    assert index.add(_result("a.txt", REPORT)) == ([], [])
    pairs, _ = index.add(_result("b.txt", COPY))
    assert [(p.doc_a, p.doc_b) for p in pairs] == [("a.txt", "b.txt")]
    assert 0.7 <= pairs[0].similarity <= 1.0
    assert index.add(_result("c.txt", OTHER)) == ([], [])
    assert index.add(_result("d.txt", "")) == ([], [])  # no signature: not compared
    assert len(index) == 3


def test_name_read_differently_at_the_same_place_is_a_conflict():
    a = "山西宏远机械公司郭焕平创新工作室推送的项目参加了全省职工创新成果展示。"
    b = "山西宏远机械公司郝焕平创新工作室推送的项目参加了全省职工创新成果展示。"
    conflicts = name_conflicts("a", [_person(a, "郭焕平")], "b", [_person(b, "郝焕平")])
    assert [(c.a.key[1], c.b.key[1]) for c in conflicts] == [("郭焕平", "郝焕平")]
    assert conflicts[0].similarity > 0.9


@pytest.mark.parametrize("other, name", [
    # another person at the same place, whole name different: not a misreading
    ("山西宏远机械公司王建国创新工作室推送的项目参加了全省职工创新成果展示。", "王建国"),
    # same context around the name, but the sentences are not one sentence
    ("山西宏远机械公司郝焕平创新工作室成立三周年，职工代表二百人参加座谈会并发言。", "郝焕平"),
    # the same name: nothing to flag
    ("山西宏远机械公司郭焕平创新工作室推送的项目参加了全省职工创新成果展示。", "郭焕平"),
])
def test_no_conflict_without_a_near_identical_sentence_and_name(other, name):
    a = "山西宏远机械公司郭焕平创新工作室推送的项目参加了全省职工创新成果展示。"
    assert name_conflicts("a", [_person(a, "郭焕平")], "b", [_person(other, name)]) == []


@pytest.fixture(scope="module")
def built(nlp) -> tuple:
    results = [process_raw(RawDoc(doc_id, doc_id, text), nlp)
               for doc_id, text in (("a.txt", REPORT), ("b.txt", COPY), ("c.txt", OTHER))]
    return results, build_graph(results)


def test_pipeline_carries_signature_and_person_sentences(built):
    results, _ = built
    a = results[0]
    assert len(a.minhash) == 64
    names = {p.key[1] for p in a.people}
    assert {"郭焕平", "李明远"} <= names
    for p in a.people:
        assert p.text[p.start:p.end] == p.key[1]


def test_graph_links_the_documents_and_flags_the_two_names(built):
    _, graph = built
    a, b, c = (document_node_id(d) for d in ("a.txt", "b.txt", "c.txt"))
    edge = graph.get_edge_data(a, b, NEAR_DUPLICATE_OF)
    assert edge and edge["relation"] == NEAR_DUPLICATE_OF and edge["similarity"] >= 0.7
    assert not graph.has_edge(a, c, NEAR_DUPLICATE_OF) and not graph.has_edge(b, c, NEAR_DUPLICATE_OF)
    conflicts = [(u, v, d) for u, v, d in graph.edges(data=True) if d["relation"] == POSSIBLY_SAME_AS]
    assert len(conflicts) == 1
    u, v, data = conflicts[0]
    # both persons kept, each with its own document
    assert {graph.nodes[u]["label"], graph.nodes[v]["label"]} == {"郭焕平", "郝焕平"}
    assert data["flagged"] is True
    assert {(e["doc"], e["name"]) for e in data["evidence"]} == {("a.txt", "郭焕平"), ("b.txt", "郝焕平")}
    assert all(e["text"][e["start"]:e["end"]] == e["name"] for e in data["evidence"])
    # the person named alike in both versions is one node, not flagged
    assert not any(graph.nodes[x]["label"] == "李明远" for e in conflicts for x in e[:2])


def test_links_in_rdf_pass_the_shapes(built):
    _, graph = built
    union = to_graph(graph)
    a, b = document_iri("a.txt"), document_iri("b.txt")
    assert (a, KGO.nearDuplicateOf, b) in union
    conflicts = list(union.subjects(RDF.type, KGO.NameConflict))
    assert len(conflicts) == 1
    assert (conflicts[0], KGO.flagged, Literal(True)) in union
    assert len(list(union.objects(conflicts[0], KGO.evidence))) == 2
    assert len(list(union.subject_objects(KGO.possiblySameAs))) == 1

    dataset = to_dataset(graph)
    links = dataset.graph(LINKS_GRAPH)
    assert (a, KGO.nearDuplicateOf, b) in links
    pyshacl = pytest.importorskip("pyshacl")
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    for named in [union, links]:
        conforms, _, report = pyshacl.validate(named, shacl_graph=shapes)
        assert conforms, report


def test_links_in_gephi_and_json_exports(built, tmp_path):
    _, graph = built
    written = write_exports(graph, tmp_path, ["graphml", "gexf", "json", "trig"])
    for name in ("graph.graphml", "graph.gexf", "graph.json"):
        text = written[name].read_text(encoding="utf-8")
        assert NEAR_DUPLICATE_OF in text and POSSIBLY_SAME_AS in text, name
    assert str(LINKS_GRAPH) in written["graph.trig"].read_text(encoding="utf-8")

    from kg.query import bind_params, find_saved, plain, run_sparql

    def rows(query, /, **params):
        saved = find_saved(query)
        result = run_sparql(written["graph.trig"], saved.text, bind_params(saved, params))
        return [dict(zip(result.vars, (plain(c) for c in row))) for row in result.rows]

    found = rows("name_conflicts", name="郭焕平")
    assert {(r["other"], r["document"]) for r in found} == {("郝焕平", "a.txt"), ("郝焕平", "b.txt")}
    assert [(r["document"], r["duplicate"]) for r in rows("near_duplicates")] == [("a.txt", "b.txt")]


def test_near_duplicates_can_be_left_out(built):
    results, _ = built
    graph = build_graph(results, near_duplicates=False)
    assert not any(d["relation"] in (NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS) for *_, d in graph.edges(data=True))


def test_store_keeps_links_in_their_own_graphs(built, tmp_path):
    from kg.store import add_documents, add_links, documents, link_graph_name, open_store, query_store, remove_document

    results, graph = built
    store = open_store(tmp_path / "store")
    add_documents(store, results)
    assert add_links(store, graph) == 1  # near duplicate and name conflict rest on a.txt and b.txt
    assert documents(store) == ["a.txt", "b.txt", "c.txt"]  # link graphs are not documents
    pairs = 'SELECT ?a ?b WHERE { ?a kgo:nearDuplicateOf ?b }'
    names = 'SELECT ?x ?y WHERE { ?c a kgo:NameConflict ; kgo:flagged true ; rdf:subject ?s ; rdf:object ?o . ' \
            '?s skos:prefLabel ?x . ?o skos:prefLabel ?y }'
    assert len(list(query_store(store, pairs))) == 1
    assert {(r["x"].value, r["y"].value) for r in query_store(store, names)} in (
        {("郭焕平", "郝焕平")}, {("郝焕平", "郭焕平")})
    assert add_links(store, graph) == 1 and len(list(query_store(store, pairs))) == 1  # replaced, not doubled
    assert store.contains_named_graph(link_graph_name(["b.txt", "a.txt"]))
    remove_document(store, "b.txt")
    assert list(query_store(store, pairs)) == [] and list(query_store(store, names)) == []
    assert not store.contains_named_graph(link_graph_name(["a.txt", "b.txt"]))
