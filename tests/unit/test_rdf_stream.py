"""The RDF exports are streamed (kg.rdf.document_quads / union_triples through
pyoxigraph): what they write must be what the in-memory dataset (kg.rdf.to_dataset)
holds, quad for quad, and each quad must be written once."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from rdflib import Dataset, Graph, Literal

from kg.export import ExportViews, write_nquads, write_ntriples, write_trig, write_turtle
from kg.graph import build_graph, from_node_link
from kg.namespaces import KGO
from kg.rdf import (document_graphs, document_iri, document_quads, entity_iri, to_dataset,
                    union_graph, union_triples)
from kg.types import Relation

from test_graph import JINZHONG, SHANXI, UNION, WANG, two_documents
from test_queries import examples_build


def _quads(dataset: Dataset) -> set[tuple]:
    return {(s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None))}


def _written(writer, graph) -> bytes:
    stream = io.BytesIO()
    writer(ExportViews(graph), stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def examples_graph():
    exports, _ = examples_build()
    return from_node_link(json.loads((exports / "graph.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def expected(examples_graph):
    """The examples as rdflib's in-memory dataset, and its union."""
    dataset = to_dataset(examples_graph)
    return _quads(dataset), set(union_graph(dataset))


def test_trig_and_nquads_of_the_examples_are_the_in_memory_dataset(examples_graph, expected):
    quads, _ = expected
    for writer, fmt in ((write_trig, "trig"), (write_nquads, "nquads")):
        back = Dataset()
        back.parse(data=_written(writer, examples_graph).decode("utf-8"), format=fmt)
        assert _quads(back) == quads, fmt
    lines = _written(write_nquads, examples_graph).decode("utf-8").splitlines()
    assert len(lines) == len(quads)  # each quad written once


def test_turtle_and_ntriples_of_the_examples_are_the_union(examples_graph, expected):
    _, union = expected
    for writer, fmt in ((write_turtle, "turtle"), (write_ntriples, "nt")):
        back = Graph().parse(data=_written(writer, examples_graph).decode("utf-8"), format=fmt)
        assert set(back) == union, fmt
    lines = _written(write_ntriples, examples_graph).decode("utf-8").splitlines()
    assert len(lines) == len(union)  # each triple written once


def test_trig_writes_each_document_graph_once_with_our_prefixes(examples_graph):
    text = _written(write_trig, examples_graph).decode("utf-8")
    docs = {d["label"] for _, d in examples_graph.nodes(data=True) if d.get("type") == "Document"}
    assert sum(1 for line in text.splitlines() if line.endswith("{")) == len(docs)
    assert "@prefix kgo: <https://w3id.org/kg-gov/ontology#> ." in text
    assert " a kgo:Person ;" in text
    turtle = _written(write_turtle, examples_graph).decode("utf-8")
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in turtle


def test_generators_match_the_dataset_on_awkward_graphs():
    """Repeated evidence, a document named only by evidence, a relation end that no
    document lists as an entity, the same post under two roles, a shared role."""
    docs = two_documents()
    again = [r for r in docs[0].relations if r.title == "主席"][0]
    other_role = replace(again, role="acting", sentence=3)
    stranger = Relation("part_of", ("Place", "榆次区"), JINZHONG, "c.txt", 0, "榆次区属晋中市。",
                        0.8, "admin")
    second = Relation("holds_position", ("Person", "李明"), UNION, "b 2.txt", 1, "主席李明", 0.7,
                      "title_link", title="主席")
    docs[0] = replace(docs[0], relations=docs[0].relations + (again, other_role, stranger))
    docs[1] = replace(docs[1], relations=docs[1].relations + (second,))
    graph = build_graph(docs)
    graph.nodes["Place:晋中市"]["documents"].append("a.txt")  # a repeat, not consecutive
    dataset = to_dataset(graph)
    quads = list(document_quads(graph))
    assert len(quads) == len(set(quads)) and set(quads) == _quads(dataset)
    triples = list(union_triples(graph))
    assert len(triples) == len(set(triples)) and set(triples) == set(union_graph(dataset))
    names = [name for name, _ in document_graphs(graph)]
    assert document_iri("c.txt") in names and len(names) == len(set(names)) == 3


def test_language_tags_read_back_equal(examples_graph):
    """pyoxigraph writes language tags in lower case; RDF (and rdflib's ==) compares
    them case-insensitively, so the pinyin label is the same literal."""
    back = Graph().parse(data=_written(write_turtle, examples_graph).decode("utf-8"),
                         format="turtle")
    pinyin = back.value(entity_iri(("Place", "晋中市")), KGO.pinyin)
    assert pinyin == Literal("jìn zhōng shì", lang="zh-Latn-pinyin")


def test_small_graph_streams_like_the_dataset():
    graph = build_graph(two_documents())
    assert set(document_quads(graph)) == _quads(to_dataset(graph))
    assert (entity_iri(WANG), KGO.holdsPosition, entity_iri(UNION)) in set(union_triples(graph))
    assert any(s == entity_iri(SHANXI) for s, *_ in union_triples(graph))
