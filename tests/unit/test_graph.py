"""build_graph merges documents by entity key, keeps provenance, and round-trips
through node-link data. The sample documents here are also used by the RDF, export and
query tests (imported as ``from test_graph import two_documents``)."""
from __future__ import annotations

import json
from dataclasses import replace

import networkx as nx
import pytest

from kg.errors import InputError
from kg.graph import build_graph, document_node_id, from_node_link, node_id, to_node_link
from kg.labels import MENTIONED_IN, EntityType, RelationType
from kg.types import DocResult, Entity, Mention, Relation, Sentence

PERSON, AGENCY, PLACE, EVENT = (EntityType.PERSON, EntityType.AGENCY, EntityType.PLACE,
                                EntityType.EVENT)
WANG = (PERSON.value, "王根元")
UNION = (AGENCY.value, "晋中市总工会")
CONGRESS = (AGENCY.value, "晋中市人大常委会")
JINZHONG = (PLACE.value, "晋中市")
SHANXI = (PLACE.value, "山西省")
MEETING = (EVENT.value, "晋中市总工会三届七次全委（扩大）会议")
BANK = (AGENCY.value, "中国工商银行晋中分行")


def _mention(doc: str, key: tuple[str, str], text: str, start: int, sentence: int,
             offset: int = 0) -> Mention:
    return Mention(doc_id=doc, start=start, end=start + len(text), text=text, label=key[0],
                   source="rule:gazetteer", score=0.9, sentence=sentence,
                   raw_start=start + offset, raw_end=start + len(text) + offset)


def _entity(doc: str, key, mentions, aliases=(), confidence=0.9, **attrs) -> Entity:
    return Entity(type=key[0], name=key[1], aliases=tuple(aliases), mentions=tuple(mentions),
                  confidence=confidence, attrs=attrs)


def two_documents() -> list[DocResult]:
    """Two documents that share 王根元, 晋中市总工会 and 晋中市, and both state that
    王根元 is 主席 of the union; the first also makes him 副主任 of the congress."""
    s0 = "市人大常委会副主任、市总工会主席王根元出席会议。"
    s1 = "晋中市总工会三届七次全委（扩大）会议在晋中市召开。"
    doc_a = DocResult(
        doc_id="a.txt", path="/docs/a.txt", jurisdiction="晋中市",
        entities=(
            _entity("a.txt", WANG, [_mention("a.txt", WANG, "王根元", 16, 0, 3)]),
            _entity("a.txt", UNION, [_mention("a.txt", UNION, "市总工会", 9, 0, 3)],
                    aliases=["市总工会"], confidence=0.8, kind="mass"),
            _entity("a.txt", CONGRESS, [_mention("a.txt", CONGRESS, "市人大常委会", 0, 0, 3)],
                    kind="congress"),
            _entity("a.txt", JINZHONG, [_mention("a.txt", JINZHONG, "晋中市", 40, 1, 3)],
                    level="city", code="140700"),
            _entity("a.txt", MEETING, [_mention("a.txt", MEETING, s1[:18], 24, 1, 3)]),
        ),
        relations=(
            Relation(RelationType.HOLDS_POSITION.value, WANG, UNION, "a.txt", 0, s0, 0.9,
                     "title_link", title="主席", raw_start=3, raw_end=3 + len(s0)),
            Relation(RelationType.HOLDS_POSITION.value, WANG, CONGRESS, "a.txt", 0, s0, 0.85,
                     "title_link", title="副主任", raw_start=3, raw_end=3 + len(s0)),
            Relation(RelationType.LOCATED_IN.value, UNION, JINZHONG, "a.txt", 0, s0, 0.7,
                     "jurisdiction", raw_start=3, raw_end=3 + len(s0)),
            Relation(RelationType.INVOLVED_IN.value, WANG, MEETING, "a.txt", 1, s1, 0.6,
                     "attend", role="participant", raw_start=27, raw_end=27 + len(s1)),
            Relation(RelationType.COOPERATES_WITH.value, UNION, BANK, "a.txt", 1, s1, 0.5,
                     "cooperation", raw_start=27, raw_end=27 + len(s1)),
        ),
        sentences=(Sentence("a.txt", 0, 0, len(s0), s0), Sentence("a.txt", 1, 24, 24 + len(s1), s1)),
        meta={"date": "2024-03-01", "title": "晋中日报"},
    )
    t0 = "晋中市总工会主席王根元与中国工商银行晋中分行签订合作协议。"
    doc_b = DocResult(
        doc_id="b 2.txt", path="/docs/b 2.txt", jurisdiction="晋中市",
        entities=(
            _entity("b 2.txt", WANG, [_mention("b 2.txt", WANG, "王根元", 8, 0)], confidence=0.95),
            _entity("b 2.txt", UNION, [_mention("b 2.txt", UNION, "晋中市总工会", 0, 0)],
                    aliases=["晋中市总工会委员会"], confidence=0.9),
            _entity("b 2.txt", BANK, [_mention("b 2.txt", BANK, "中国工商银行晋中分行", 12, 0)],
                    kind="enterprise"),
            _entity("b 2.txt", JINZHONG, [_mention("b 2.txt", JINZHONG, "晋中", 0, 0)]),
            _entity("b 2.txt", SHANXI, []),
        ),
        relations=(
            Relation(RelationType.HOLDS_POSITION.value, WANG, UNION, "b 2.txt", 0, t0, 0.95,
                     "title_link", title="主席", raw_start=0, raw_end=len(t0)),
            Relation(RelationType.COOPERATES_WITH.value, BANK, UNION, "b 2.txt", 0, t0, 0.8,
                     "cooperation", raw_start=0, raw_end=len(t0)),
            Relation(RelationType.PART_OF.value, JINZHONG, SHANXI, "b 2.txt", 0, t0, 0.7,
                     "admin", raw_start=0, raw_end=len(t0)),
        ),
        sentences=(Sentence("b 2.txt", 0, 0, len(t0), t0),),
        meta={"date": "2024-03-02"},
    )
    return [doc_a, doc_b]


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return build_graph(two_documents())


def test_shared_entity_is_one_node_with_both_documents(graph):
    node = graph.nodes[node_id(UNION)]
    assert node["type"] == "Agency" and node["label"] == "晋中市总工会"
    assert node["documents"] == ["a.txt", "b 2.txt"]
    assert node["aliases"] == ["市总工会", "晋中市总工会委员会"]
    assert node["confidence"] == pytest.approx(0.9)
    assert node["kind"] == "mass"
    assert [m["doc"] for m in node["mentions"]] == ["a.txt", "b 2.txt"]
    assert node["mentions"][0] == {"doc": "a.txt", "start": 9, "end": 13, "raw_start": 12,
                                   "raw_end": 16, "sentence": 0, "text": "市总工会",
                                   "source": "rule:gazetteer", "score": 0.9}
    assert sum(1 for n in graph if n.startswith("Agency:晋中市总工会")) == 1


def test_place_attrs_and_document_nodes(graph):
    place = graph.nodes[node_id(JINZHONG)]
    assert (place["level"], place["code"]) == ("city", "140700")
    doc = graph.nodes[document_node_id("a.txt")]
    assert doc == {"type": "Document", "label": "a.txt", "aliases": [], "path": "/docs/a.txt",
                   "jurisdiction": "晋中市", "date": "2024-03-01", "title": "晋中日报"}


def test_same_relation_from_two_documents_is_one_edge(graph):
    edges = graph.get_edge_data(node_id(WANG), node_id(UNION))
    assert list(edges) == ["holds_position|主席"]
    edge = edges["holds_position|主席"]
    assert edge["relation"] == "holds_position" and edge["title"] == "主席"
    assert edge["confidence"] == pytest.approx(0.95)
    assert [(e["doc"], e["sentence"], e["rule"]) for e in edge["evidence"]] == [
        ("a.txt", 0, "title_link"), ("b 2.txt", 0, "title_link")]
    assert edge["evidence"][0]["text"].startswith("市人大常委会副主任")
    assert (edge["evidence"][0]["raw_start"], edge["evidence"][0]["raw_end"]) == (3, 27)


def test_repeated_evidence_within_a_document_is_kept_once():
    docs = two_documents()
    again = [r for r in docs[0].relations if r.title == "主席"][0]
    docs[0] = replace(docs[0], relations=docs[0].relations + (again, replace(again, sentence=5)))
    edge = build_graph(docs).edges[node_id(WANG), node_id(UNION), "holds_position|主席"]
    assert [(e["doc"], e["sentence"]) for e in edge["evidence"]] == [
        ("a.txt", 0), ("a.txt", 5), ("b 2.txt", 0)]


def test_records_share_repeated_strings_and_numbers():
    """A big graph holds millions of mention and evidence records: equal strings and
    numbers in them are one object each, whichever document they came from."""
    def doc(doc_id: str, sentence: str) -> DocResult:
        text = "".join(["市", "总", "工", "会"])  # a new str object each time
        mention = _mention(doc_id, UNION, text, 1000, 3, offset=int("1000"))
        relation = Relation(RelationType.LOCATED_IN.value, UNION, JINZHONG, doc_id, 3,
                            "".join(sentence), 0.75, "".join(["admin"]), raw_start=int("2000"))
        return DocResult(doc_id, "/x", "晋中市", (_entity(doc_id, UNION, [mention]),), (relation,))

    graph = build_graph([doc("a", "晋中市总工会在晋中市。"), doc("b", "晋中市总工会在晋中市。")])
    first, second = graph.nodes[node_id(UNION)]["mentions"]
    assert first == {**second, "doc": "a"}
    assert all(first[k] is second[k] for k in ("text", "source", "start", "raw_start", "score"))
    one, two = graph.edges[node_id(UNION), node_id(JINZHONG), "located_in"]["evidence"]
    assert all(one[k] is two[k] for k in ("text", "rule", "raw_start", "confidence"))


def test_different_title_is_a_different_edge():
    docs = two_documents()
    extra = Relation(RelationType.HOLDS_POSITION.value, WANG, UNION, "a.txt", 0, "x", 0.5,
                     "title_link", title="党组书记")
    docs[0] = replace(docs[0], relations=docs[0].relations + (extra,))
    graph = build_graph(docs)
    titles = sorted(d["title"] for d in graph.get_edge_data(node_id(WANG), node_id(UNION)).values())
    assert titles == ["主席", "党组书记"]


def test_symmetric_relation_merges_both_directions(graph):
    coop = [(u, v, d) for u, v, d in graph.edges(data=True) if d["relation"] == "cooperates_with"]
    assert len(coop) == 1
    assert {e["doc"] for e in coop[0][2]["evidence"]} == {"a.txt", "b 2.txt"}


def test_role_is_kept_and_mentioned_in_counts(graph):
    edge = graph.edges[node_id(WANG), node_id(MEETING), "involved_in||participant"]
    assert edge["role"] == "participant"
    mention = graph.edges[node_id(UNION), document_node_id("b 2.txt"), MENTIONED_IN]
    assert mention == {"relation": MENTIONED_IN, "count": 1, "aliases": ["晋中市总工会委员会"]}
    # An entity listed without mentions still links to its document, with count 0.
    assert graph.edges[node_id(SHANXI), document_node_id("b 2.txt"), MENTIONED_IN]["count"] == 0


def test_relation_end_missing_from_entities_gets_a_node():
    doc = two_documents()[0]
    only_relation = DocResult(doc.doc_id, doc.path, doc.jurisdiction, entities=(),
                              relations=doc.relations[:1])
    graph = build_graph([only_relation])
    assert graph.nodes[node_id(UNION)]["documents"] == ["a.txt"]
    assert graph.nodes[node_id(UNION)]["mentions"] == []


def test_node_link_round_trip_through_json(graph):
    data = json.loads(json.dumps(to_node_link(graph), ensure_ascii=False))
    back = from_node_link(data)
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(
        graph.edges(keys=True, data=True), key=repr)
    assert all({"type", "label", "aliases"} <= n.keys() for n in data["nodes"])
    node = next(n for n in data["nodes"] if n["id"] == node_id(WANG))
    assert (node["type"], node["label"], node["aliases"]) == ("Person", "王根元", [])
    edge = next(e for e in data["edges"] if e["relation"] == "holds_position")
    assert edge["title"] in {"主席", "副主任"}


@pytest.mark.parametrize("bad", [[], {"nodes": []}, {"nodes": [{"id": "a"}], "edges": [{"x": 1}]}])
def test_from_node_link_rejects_bad_data(bad):
    with pytest.raises(InputError, match="(?i)node-link"):
        from_node_link(bad)


def test_merged_graph_keeps_the_direct_parent_of_a_place():
    """One document links a city to its province, another (which names no province)
    to the country: the merged graph keeps city -> province -> country."""
    from kg.graph import build_graph, node_id
    from kg.types import DocResult, Entity, Relation

    def doc(doc_id, places, links):
        ents = tuple(Entity("Place", p) for p in places)
        rels = tuple(Relation("part_of", ("Place", a), ("Place", b), doc_id, 0, "", 0.9, "gazetteer") for a, b in links)
        return DocResult(doc_id=doc_id, path=doc_id, jurisdiction="", entities=ents, relations=rels)

    g = build_graph([doc("a", ["青川市", "江北省", "中国"], [("青川市", "江北省"), ("江北省", "中国")]),
                     doc("b", ["青川市", "中国"], [("青川市", "中国")])])
    city = node_id(("Place", "青川市"))
    parents = {v for _, v, d in g.out_edges(city, data=True) if d["relation"] == "part_of"}
    assert parents == {node_id(("Place", "江北省"))}
    assert g.has_edge(node_id(("Place", "江北省")), node_id(("Place", "中国")))


@pytest.mark.parametrize("name, reading", [
    ("长治市", "cháng zhì shì"),        # 长 'long' at the start of a place name
    ("长三角", "cháng sān jiǎo"),
    ("长子县", "zhǎng zǐ xiàn"),        # the listed exception
    ("单县", "shàn xiàn"),
    ("洪洞县", "hóng tóng xiàn"),
    ("市长", "shì zhǎng"),              # not a place name: the common reading stays
])
def test_pinyin_reads_place_names_as_they_are_said(name, reading):
    from kg.graph import pinyin_of

    assert pinyin_of(name) == reading
