"""run_sparql over files and graphs, the three output formats, and QueryError."""
from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from rdflib import Dataset, Graph

from kg.errors import QueryError
from kg.graph import build_graph
from kg.query import QueryResult, format_csv, format_json, format_table, run_sparql
from kg.rdf import to_dataset, union_graph

from test_graph import two_documents

POSTS = """
SELECT ?name ?title ?agency WHERE {
  ?person org:holds ?post ; skos:prefLabel ?name .
  ?post org:postIn ?a ; kgo:title ?title .
  ?a skos:prefLabel ?agency .
} ORDER BY ?agency
"""


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return to_dataset(build_graph(two_documents()))


@pytest.fixture(scope="module")
def files(dataset, tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("rdf")
    union = union_graph(dataset)
    paths = {}
    for suffix, fmt, graph in [("ttl", "turtle", union), ("nt", "nt", union),
                               ("trig", "trig", dataset), ("nq", "nquads", dataset),
                               ("jsonld", "json-ld", dataset)]:
        paths[suffix] = str(out / f"graph.{suffix}")
        graph.serialize(paths[suffix], format=fmt)
    return paths


@pytest.mark.parametrize("suffix", ["ttl", "nt", "trig", "nq", "jsonld"])
def test_every_file_format_gives_the_same_answer(files, suffix):
    result = run_sparql(files[suffix], POSTS)
    assert result.vars == ("name", "title", "agency")
    assert [tuple(map(str, r)) for r in result.rows] == [
        ("王根元", "副主任", "晋中市人大常委会"), ("王根元", "主席", "晋中市总工会")]


def test_graph_patterns_see_named_graphs(files):
    result = run_sparql(files["trig"], "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a kgo:Place } } ORDER BY ?g")
    assert [str(r[0]) for r in result.rows] == [
        "https://w3id.org/kg-gov/doc/a.txt", "https://w3id.org/kg-gov/doc/b%202.txt"]


def test_in_memory_graph_and_unbound_cells(dataset):
    result = run_sparql(dataset, """
        SELECT ?name ?level WHERE { ?p skos:prefLabel ?name ; a kgo:Place .
                                    OPTIONAL { ?p kgo:level ?level } } ORDER BY ?name""")
    assert [(str(n), l and str(l)) for n, l in result.rows] == [("山西省", None), ("晋中市", "city")]
    assert isinstance(run_sparql(union_graph(dataset), "ASK { ?s a kgo:Event }").boolean, bool)


@pytest.fixture
def result(dataset) -> QueryResult:
    return run_sparql(dataset, POSTS)


def test_table_aligns_columns_and_shows_plain_strings(result):
    lines = format_table(result).splitlines()
    assert lines[0].split() == ["name", "title", "agency"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["王根元", "副主任", "晋中市人大常委会"]
    assert "@zh" not in format_table(result) and '"' not in format_table(result)
    # 王根元 is six columns wide, so the title column starts at the same place on each line.
    def column(line: str, word: str) -> int:
        prefix = line[:line.index(word)]
        return sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in prefix)

    assert column(lines[0], "title") == column(lines[2], "副主任") == 8


def test_table_decodes_iris(dataset):
    result = run_sparql(dataset, "SELECT ?p WHERE { ?p a kgo:Person }")
    assert format_table(result).splitlines()[2] == "https://w3id.org/kg-gov/id/Person/王根元"


def test_csv_has_header_and_plain_values(result):
    rows = list(csv.reader(io.StringIO(format_csv(result))))
    assert rows == [["name", "title", "agency"], ["王根元", "副主任", "晋中市人大常委会"],
                    ["王根元", "主席", "晋中市总工会"]]


def test_json_follows_sparql_results_format(result, dataset):
    data = json.loads(format_json(result))
    assert data["head"] == {"vars": ["name", "title", "agency"]}
    first = data["results"]["bindings"][0]
    assert first["title"] == {"type": "literal", "value": "副主任", "xml:lang": "zh"}
    assert "王根元" in format_json(result)  # not \\u-escaped

    iri = json.loads(format_json(run_sparql(dataset, "SELECT ?d WHERE { ?d a kgo:Document } LIMIT 1")))
    assert iri["results"]["bindings"][0]["d"]["type"] == "uri"
    number = json.loads(format_json(run_sparql(dataset, "SELECT (COUNT(*) AS ?n) WHERE { ?s a kgo:Agency }")))
    assert number["results"]["bindings"][0]["n"] == {
        "type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    ask = json.loads(format_json(run_sparql(dataset, "ASK { ?s a kgo:Person }")))
    assert ask == {"head": {}, "boolean": True}


def test_ask_in_table_and_csv(dataset):
    answer = run_sparql(dataset, "ASK { ?s a kgo:Initiative }")
    assert format_csv(answer) == "ask\nfalse\n"
    assert format_table(answer).splitlines()[-1] == "false"


@pytest.mark.parametrize("query, match", [
    ("SELEC ?x WHERE { ?x ?y ?z }", "SPARQL syntax error: Expected"),
    ("SELECT ?x WHERE { ?x ?y ", "SPARQL syntax error"),
    ("SELECT ?x WHERE { ?x nope:p ?z }", "Unknown namespace prefix"),
])
def test_bad_sparql_raises_query_error(dataset, query, match):
    with pytest.raises(QueryError, match=match):
        run_sparql(dataset, query)


def test_unreadable_files_raise_query_error(tmp_path):
    with pytest.raises(QueryError, match="does not exist"):
        run_sparql(tmp_path / "missing.ttl", "ASK {}")
    with pytest.raises(QueryError, match=r"Valid suffixes: \.ttl"):
        run_sparql(tmp_path / "graph.xlsx", "ASK {}")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> ", encoding="utf-8")
    with pytest.raises(QueryError, match="Cannot parse .*broken.ttl.* as turtle"):
        run_sparql(broken, "ASK {}")
    binary = tmp_path / "binary.trig"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(QueryError, match="binary.trig"):
        run_sparql(binary, "ASK {}")


def test_empty_graph_gives_header_only():
    result = run_sparql(Graph(), "SELECT ?s WHERE { ?s ?p ?o }")
    assert result.rows == () and format_csv(result) == "s\n"
