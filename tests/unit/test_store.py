"""The Oxigraph store: documents go in as named graphs, building one again replaces its
graph, removing one takes the entities only it mentions along, and queries on the store
answer as on the TriG export."""
from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal

from kg.errors import InputError
from kg.graph import build_graph
from kg.namespaces import KGO, SKOS
from kg.query import plain, run_sparql
from kg.rdf import document_iri, entity_iri, to_dataset
from kg.store import (add_documents, documents, from_ox, is_store, open_store, remove_document,
                      to_ox)

from test_graph import CONGRESS, MEETING, UNION, WANG, two_documents

POSTS = """SELECT ?person ?title ?agency WHERE {
  ?p org:holds ?post . ?post org:postIn ?a ; kgo:title ?title .
  ?p skos:prefLabel ?person . ?a skos:prefLabel ?agency } ORDER BY ?agency ?title"""


def _quads(store: ox.Store) -> set:
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
            for q in store.quads_for_pattern(None, None, None, None)}


def _graph(store: ox.Store, doc_id: str) -> Dataset:
    """One named graph of the store as an rdflib graph."""
    ds = Dataset()
    g = ds.graph(document_iri(doc_id))
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(document_iri(doc_id)))):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "store")
    add_documents(store, two_documents())
    return store


def test_each_document_is_its_own_named_graph(store):
    assert documents(store) == ["a.txt", "b 2.txt"]
    for doc in two_documents():
        expected = to_dataset(build_graph([doc])).graph(document_iri(doc.doc_id))
        assert set(_graph(store, doc.doc_id)) == set(expected), doc.doc_id  # no blank nodes


def test_building_again_replaces_without_duplicates(store):
    before = _quads(store)
    add_documents(store, two_documents())
    assert _quads(store) == before
    # A changed document: its old statements are gone, the other document untouched.
    docs = two_documents()
    changed = replace(docs[0], relations=docs[0].relations[:1])
    add_documents(store, [changed])
    graph_a = _graph(store, "a.txt")
    assert (entity_iri(WANG), KGO.holdsPosition, entity_iri(CONGRESS)) not in graph_a
    assert (entity_iri(WANG), KGO.holdsPosition, entity_iri(UNION)) in graph_a
    assert set(_graph(store, "b 2.txt")) == set(
        to_dataset(build_graph([docs[1]])).graph(document_iri("b 2.txt")))


def test_remove_takes_entities_only_that_document_mentions(store):
    triples = remove_document(store, "a.txt")
    assert triples > 20 and documents(store) == ["b 2.txt"]
    subjects = {str(q.subject) for q in store.quads_for_pattern(None, None, None, None)}
    objects = {str(q.object) for q in store.quads_for_pattern(None, None, None, None)}
    for gone in (CONGRESS, MEETING):
        iri = str(to_ox(entity_iri(gone)))
        assert iri not in subjects and iri not in objects, gone
    union = to_ox(entity_iri(UNION))
    labels = {from_ox(q.object) for q in store.quads_for_pattern(union, to_ox(SKOS.altLabel), None, None)}
    assert labels == {Literal("晋中市总工会委员会", lang="zh")}  # a.txt's alias went with it
    # The default graph (the union) keeps what b 2.txt still says about the union.
    kept = list(store.quads_for_pattern(union, to_ox(SKOS.prefLabel), None, ox.DefaultGraph()))
    assert len(kept) == 1
    with pytest.raises(InputError, match="'a.txt' is not in the store.*b 2.txt"):
        remove_document(store, "a.txt")
    remove_document(store, "b 2.txt")
    assert _quads(store) == set()


def test_queries_on_the_store_answer_as_on_trig(store, tmp_path):
    path = tmp_path / "store"
    trig = tmp_path / "graph.trig"
    to_dataset(build_graph(two_documents())).serialize(trig, format="trig")
    del store  # release the write lock; queries open the store read-only
    import gc
    gc.collect()
    assert is_store(path) and not is_store(trig) and not is_store(tmp_path)
    on_store, on_file = run_sparql(path, POSTS), run_sparql(trig, POSTS)
    assert on_store.vars == on_file.vars == ("person", "title", "agency")
    assert [[plain(c) for c in r] for r in on_store.rows] == [[plain(c) for c in r] for r in on_file.rows]
    assert [[plain(c) for c in r] for r in on_store.rows] == [
        ["王根元", "副主任", "晋中市人大常委会"], ["王根元", "主席", "晋中市总工会"]]  # each once
    assert on_store.rows[1][1] == Literal("主席", lang="zh")
    assert run_sparql(path, "ASK { ?s a kgo:Event }").boolean is True
    count = run_sparql(path, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(count.rows[0][0]) == 2
    bound = run_sparql(path, "SELECT ?person ?agency WHERE { ?p skos:prefLabel ?person ; kgo:holdsPosition ?a . "
                             "?a skos:prefLabel ?agency }", {"person": Literal("王根元", lang="zh")})
    assert {plain(r[1]) for r in bound.rows} == {"晋中市总工会", "晋中市人大常委会"}


def test_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not an RDF store"):
        open_store(tmp_path)
    with pytest.raises(InputError, match="not an RDF store"):
        open_store(tmp_path / "missing", read_only=True)


def test_term_conversion_round_trips():
    from rdflib import XSD, BNode, URIRef
    for term in (URIRef("https://w3id.org/kg-gov/id/Place/%E6%99%8B"), Literal("晋中", lang="zh"),
                 Literal("晋中"), Literal(3), Literal(0.5), Literal("2024-01-01", datatype=XSD.date),
                 BNode("b1")):
        assert from_ox(to_ox(term)) == term


def _snapshot(path) -> set:
    store = open_store(path, read_only=True)
    try:
        return _quads(store)
    finally:
        del store


def test_store_update_applies_all_at_once(tmp_path):
    from kg.store import StoreUpdate
    target = tmp_path / "store"
    docs = two_documents()
    with StoreUpdate(target) as update:  # a new store
        add_documents(update.store, docs[:1])
    first = _snapshot(target)
    assert first and f"<{document_iri('a.txt')}>" in {q[3] for q in first}
    with StoreUpdate(target) as update:
        add_documents(update.store, docs[1:])
    assert _snapshot(target) > first
    both = _snapshot(target)
    # an exception (Ctrl-C) or a discard inside the block: the store is as it was
    with pytest.raises(KeyboardInterrupt):
        with StoreUpdate(target) as update:
            remove_document(update.store, "a.txt")
            raise KeyboardInterrupt
    with StoreUpdate(target) as update:
        remove_document(update.store, "a.txt")
        update.discard()
    assert _snapshot(target) == both
    assert [p.name for p in tmp_path.iterdir() if p.name != ".store.lock"] == ["store"]  # no working copies left


def test_store_update_cleans_up_after_a_killed_build(tmp_path):
    from kg.store import StoreUpdate
    target = tmp_path / "store"
    with StoreUpdate(target) as update:
        add_documents(update.store, two_documents())
    before = _snapshot(target)
    dead = 2 ** 22 + 12345  # above the default pid_max of 4,194,304: never a running process
    # killed between the two renames: the store was moved aside, the copy not yet in place
    target.rename(tmp_path / f".store.previous-{dead}")
    (tmp_path / f".store.building-{dead}").mkdir()
    with StoreUpdate(target) as update:
        assert documents(update.store) == ["a.txt", "b 2.txt"]
    assert _snapshot(target) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != ".store.lock"] == ["store"]


def test_store_query_syntax_errors_point_at_the_line(tmp_path):
    import pytest

    from kg.errors import QueryError
    from kg.store import open_store, query_store

    store = open_store(tmp_path / "s")
    with pytest.raises(QueryError, match=r"line 2, column \d+: unknown prefix 'ex:'.*kgo:"):
        query_store(store, "SELECT ?x WHERE {\n ?x ex:p ?o }")


@pytest.fixture
def store_path(tmp_path):
    import gc

    path = tmp_path / "store"
    store = open_store(path)
    add_documents(store, two_documents())
    del store
    gc.collect()
    return path


def test_an_iri_printed_decoded_matches_when_pasted_back(store_path):
    rows = run_sparql(store_path, "SELECT ?p WHERE { ?p a kgo:Person }").rows
    printed = plain(rows[0][0])  # as kg query prints it: …/Person/王根元@…
    assert "王根元" in printed
    again = run_sparql(store_path, f"ASK {{ <{printed}> a kgo:Person }}")
    assert again.boolean is True
    stored = str(rows[0][0])  # the percent-encoded form matches as well
    assert run_sparql(store_path, f"ASK {{ <{stored}> a kgo:Person }}").boolean is True


def test_kg_query_streams_the_same_answer_it_would_buffer(store_path, capsys):
    import csv
    import io
    import json

    from kg.cli import main
    from kg.query import format_csv, format_json

    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    assert main(["query", str(store_path), query, "--format", "csv"]) == 0
    streamed = capsys.readouterr().out
    assert streamed == format_csv(run_sparql(store_path, query))
    assert len(list(csv.reader(io.StringIO(streamed)))) > 50
    assert main(["query", str(store_path), query, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(format_json(run_sparql(store_path, query)))
    assert main(["query", str(store_path), "SELECT ?s WHERE { ?s <urn:none> ?o }", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"]["bindings"] == []


def test_ctrl_c_stops_a_long_store_query(store_path):
    import signal
    import subprocess
    import sys
    import time

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(store_path), slow],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(5)  # started, and busy in the query
    assert proc.poll() is None
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=20)
    assert time.monotonic() - sent < 5
    assert proc.returncode == 130


@pytest.mark.parametrize("make, says", [
    (lambda p: p, "no such query file"),
    (lambda p: (p.mkdir(), p)[1], "a folder, not a query file"),
    (lambda p: (p.write_bytes(b"\x00\x01SELECT"), p)[1], "a binary file"),
    (lambda p: (p.write_bytes("SELECT ?x WHERE { ?x ?p '晋中' }".encode("gbk")), p)[1], "not UTF-8"),
])
def test_a_bad_query_file_is_one_line(store_path, tmp_path, capsys, make, says):
    from kg.cli import main

    path = make(tmp_path / "q.rq")
    assert main(["query", str(store_path), "--file", str(path)]) != 0
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
