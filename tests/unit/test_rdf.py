"""The RDF export: named graph per document, Turtle/TriG that rdflib reads back, SPARQL
over TriG, SHACL shapes, and the namespace module in step with the ontology."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.graph import build_graph
from kg.namespaces import KGO, ORG, PROV, SKOS
from kg.query import run_sparql
from kg.rdf import document_iri, entity_iri, to_dataset, to_graph

from test_graph import JINZHONG, SHANXI, UNION, WANG, two_documents

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return to_dataset(build_graph(two_documents()))


@pytest.fixture(scope="module")
def union() -> Graph:
    return to_graph(build_graph(two_documents()))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


@pytest.fixture(scope="module")
def validate(shapes):
    """pyshacl's validate against our shapes (a test dependency, so only these tests
    skip without it)."""
    pyshacl = pytest.importorskip("pyshacl")
    return lambda data: pyshacl.validate(data, shacl_graph=shapes)


def _named(dataset: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def test_entity_iris_are_stable_and_percent_encoded():
    assert entity_iri(UNION) == URIRef(
        "https://w3id.org/kg-gov/id/Agency/%E6%99%8B%E4%B8%AD%E5%B8%82%E6%80%BB%E5%B7%A5%E4%BC%9A")
    assert str(entity_iri(("Place", "a/b c"))).endswith("/Place/a%2Fb%20c")
    assert document_iri("b 2.txt") == URIRef("https://w3id.org/kg-gov/doc/b%202.txt")
    again = to_graph(build_graph(two_documents()))
    assert set(again) == set(to_graph(build_graph(two_documents())))


def test_one_named_graph_per_document(dataset):
    named = _named(dataset)
    a, b = document_iri("a.txt"), document_iri("b 2.txt")
    assert set(named) == {str(a), str(b)}
    graph_a, graph_b = named[str(a)], named[str(b)]
    # 山西省 is only in b; the union is in both, each with that document's alias.
    assert (entity_iri(SHANXI), RDF.type, KGO.Place) in graph_b
    assert (entity_iri(SHANXI), None, None) not in graph_a
    union_iri = entity_iri(UNION)
    assert set(graph_a.objects(union_iri, SKOS.altLabel)) == {Literal("市总工会", lang="zh")}
    assert set(graph_b.objects(union_iri, SKOS.altLabel)) == {Literal("晋中市总工会委员会", lang="zh")}
    assert (union_iri, KGO.mentionedIn, a) in graph_a and (union_iri, KGO.mentionedIn, b) in graph_b
    # Each document's graph holds only its own evidence.
    docs_a = {str(o) for o in graph_a.objects(None, KGO.docId)}
    assert docs_a == {"a.txt"}
    assert (entity_iri(JINZHONG), KGO.partOf, entity_iri(SHANXI)) in graph_b


def test_entity_names_and_attributes(union):
    place = entity_iri(JINZHONG)
    assert list(union.objects(place, SKOS.prefLabel)) == [Literal("晋中市", lang="zh")]
    assert (place, KGO.level, Literal("city")) in union
    assert (place, KGO.divisionCode, Literal("140700")) in union
    assert (place, KGO.pinyin, Literal("jìn zhōng shì", lang="zh-Latn-pinyin")) in union
    for entity in union.subjects(KGO.mentionedIn, None):
        assert len(list(union.objects(entity, KGO.pinyin))) == 1, entity


def test_document_dates_are_typed(union):
    from rdflib import XSD
    from rdflib.namespace import DCTERMS
    assert union.value(document_iri("a.txt"), DCTERMS.date) == Literal("2024-03-01", datatype=XSD.date)
    docs = two_documents()
    docs[1] = replace(docs[1], meta={"year": 2023})
    other = to_graph(build_graph(docs))
    assert other.value(document_iri("b 2.txt"), DCTERMS.date) == Literal("2023", datatype=XSD.gYear)


def test_post_follows_the_organization_ontology(union):
    person, agency = entity_iri(WANG), entity_iri(UNION)
    posts = [p for p in union.objects(person, ORG.holds) if (p, ORG.postIn, agency) in union]
    assert len(posts) == 1
    assert list(union.objects(posts[0], KGO.title)) == [Literal("主席", lang="zh")]
    role = union.value(posts[0], ORG.role)
    assert (role, RDF.type, ORG.Role) in union
    assert (person, KGO.holdsPosition, agency) in union


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_union_reparses_isomorphic(union, fmt):
    text = union.serialize(format=fmt)
    assert isomorphic(Graph().parse(data=text, format=fmt), union)


def test_trig_reparses_with_named_graphs(dataset):
    back = Dataset()
    back.parse(data=dataset.serialize(format="trig"), format="trig")
    for iri, graph in _named(dataset).items():
        assert isomorphic(back.graph(URIRef(iri)), graph), iri


def test_sparql_over_trig_finds_title_and_evidence(dataset, tmp_path):
    path = tmp_path / "graph.trig"
    dataset.serialize(path, format="trig")
    result = run_sparql(path, """
        SELECT ?name ?title ?agency ?text ?g WHERE {
          GRAPH ?g {
            ?st rdf:predicate kgo:holdsPosition ; rdf:subject ?p ; rdf:object ?a ;
                kgo:title ?title ; kgo:evidence ?ev .
            ?ev kgo:sentenceText ?text ; kgo:startOffset ?start .
            ?p skos:prefLabel ?name . ?a skos:prefLabel ?agency .
          }
        } ORDER BY ?g ?title""")
    rows = [tuple(str(c) for c in row) for row in result.rows]
    assert rows == [
        ("王根元", "主席", "晋中市总工会", "市人大常委会副主任、市总工会主席王根元出席会议。",
         str(document_iri("a.txt"))),
        ("王根元", "副主任", "晋中市人大常委会", "市人大常委会副主任、市总工会主席王根元出席会议。",
         str(document_iri("a.txt"))),
        ("王根元", "主席", "晋中市总工会", "晋中市总工会主席王根元与中国工商银行晋中分行签订合作协议。",
         str(document_iri("b 2.txt"))),
    ]
    # Without GRAPH the default graph is the union, each triple once.
    direct = run_sparql(path, "SELECT ?a WHERE { ?p kgo:holdsPosition ?a }")
    assert len(direct.rows) == 2


def test_export_passes_shacl_shapes(dataset, union, validate):
    conforms, _, report = validate(union)
    assert conforms, report
    for iri, graph in _named(dataset).items():
        conforms, _, report = validate(graph)
        assert conforms, f"{iri}\n{report}"


def test_shapes_catch_broken_entities_and_evidence(union, validate):
    broken = Graph()
    for triple in union:
        broken.add(triple)
    person = entity_iri(WANG)
    broken.add((person, SKOS.prefLabel, Literal("Wang Genyuan", lang="en")))
    place = entity_iri(JINZHONG)
    broken.remove((place, KGO.pinyin, None))
    broken.add((place, KGO.pinyin, Literal("晋中市", lang="zh-Latn-pinyin")))
    broken.add((place, KGO.divisionCode, Literal("14-07")))
    broken.add((person, KGO.cooperatesWith, entity_iri(UNION)))
    evidence = next(broken.subjects(RDF.type, KGO.Evidence))
    broken.remove((evidence, KGO.startOffset, None))
    broken.remove((evidence, PROV.wasDerivedFrom, None))
    conforms, report, _ = validate(broken)
    assert not conforms
    sh = "http://www.w3.org/ns/shacl#"
    failed = {(str(f), str(p)) for f, p in report.query(
        f"SELECT ?f ?p WHERE {{ ?r <{sh}focusNode> ?f . OPTIONAL {{ ?r <{sh}resultPath> ?p }} }}")}
    assert (str(person), str(SKOS.prefLabel)) in failed
    assert (str(evidence), str(KGO.startOffset)) in failed
    assert (str(evidence), str(PROV.wasDerivedFrom)) in failed
    assert (str(place), str(KGO.pinyin)) in failed
    assert (str(place), str(KGO.divisionCode)) in failed
    shapes_hit = {str(s) for s in report.objects(None, URIRef(sh + "sourceShape"))}
    assert "https://w3id.org/kg-gov/shapes#CooperatesWithShape" in shapes_hit


def test_unknown_offsets_are_left_out():
    docs = two_documents()
    part_of = replace(docs[1].relations[2], raw_start=-1, raw_end=-1)
    docs[1] = replace(docs[1], relations=(part_of,))
    union = to_graph(build_graph(docs))
    evidence = [e for e in union.subjects(RDF.type, KGO.Evidence)
                if union.value(e, KGO.rule) == Literal("admin")]
    assert len(evidence) == 1
    assert union.value(evidence[0], KGO.startOffset) is None
    assert union.value(evidence[0], KGO.endOffset) is None


def test_namespace_matches_ontology():
    ontology = Graph().parse(ONTOLOGY / "kg.ttl")
    declared = {str(s) for s in ontology.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(str(KGO._NS))}
    assert declared == {str(KGO[name]) for name in KGO.__annotations__}
    with pytest.raises(AttributeError):
        KGO.holdPosition  # noqa: B018  (a typo must raise)


def test_ontology_aligns_with_standard_vocabularies():
    ontology = Graph().parse(ONTOLOGY / "kg.ttl")
    from rdflib import RDFS, SDO
    assert (KGO.subOrganizationOf, RDFS.subPropertyOf, ORG.subOrganizationOf) in ontology
    assert (KGO.partOf, RDFS.subPropertyOf, SDO.containedInPlace) in ontology
    assert (KGO.pinyin, RDFS.subPropertyOf, SKOS.altLabel) in ontology
    assert (KGO.Agency, RDFS.subClassOf, ORG.Organization) in ontology
    assert (KGO.Evidence, RDFS.subClassOf, PROV.Entity) in ontology
    for name in KGO.__annotations__:
        term = KGO[name]
        langs = [label.language for label in ontology.objects(term, RDFS.label)]
        assert sorted(langs) == ["en", "zh"], term
        assert sorted(c.language for c in ontology.objects(term, RDFS.comment)) == ["en", "zh"], term


def test_types_without_ontology_terms_are_left_out_with_a_warning(caplog):
    graph = build_graph(two_documents())
    graph.add_node("Product:x", type="Product", label="x", documents=["a.txt"])
    graph.add_edge("Product:x", "Person:王根元", key="made_by", relation="made_by",
                   evidence=[{"doc": "a.txt", "text": "x"}])
    graph.add_edge("Agency:晋中市总工会", "Product:x", key="located_in", relation="located_in",
                   evidence=[{"doc": "a.txt", "text": "x"}])
    union = to_graph(graph)
    assert isomorphic(union, to_graph(build_graph(two_documents())))
    assert "node type 'Product'" in caplog.text and "relation 'made_by'" in caplog.text


def test_examples_exports_pass_shacl(validate):
    """The shapes on a real build: the Turtle union, and each document's graph of the
    N-Quads export on its own."""
    from test_queries import examples_build
    exports, _ = examples_build()
    conforms, _, report = validate(Graph().parse(exports / "graph.ttl", format="turtle"))
    assert conforms, report
    quads = Dataset()
    quads.parse(exports / "graph.nq", format="nquads")
    for graph in quads.graphs():
        if len(graph):
            conforms, _, report = validate(graph)
            assert conforms, f"{graph.identifier}\n{report}"
