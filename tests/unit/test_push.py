"""``kg push`` into the Oxigraph server of the ``oxigraph`` package, and ``kg query
--endpoint`` against it: every saved query answers as on the store folder, pushing again
leaves the same triples, failures are one line.

The server runs on a free port of 127.0.0.1 for this module (``_servers.py``); the
examples are built once per session (``test_queries.examples_build``)."""
from __future__ import annotations

import json
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
import requests

from _servers import free_port, oxigraph_server
from kg.cli import main
from kg.errors import ConfigError, QueryError
from kg.query import find_saved
from kg.remote import graph_store_url, with_prefixes, with_values
from rdflib import Literal, URIRef
from test_queries import examples_build

UNION = "https://w3id.org/kg-gov/graph/union-test"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "data") as url:
        yield url


@pytest.fixture(scope="module")
def pushed(server):
    """(exports folder, store folder, query endpoint) once the store is pushed."""
    out, store = examples_build()
    assert main(["push", str(store), "--endpoint", server + "/query"]) == 0
    return out, store, server + "/query"


def count(endpoint: str, pattern: str) -> int:
    answer = requests.post(endpoint, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def server_graphs(endpoint: str) -> set[str]:
    answer = requests.post(endpoint, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return {b["g"]["value"] for b in answer.json()["results"]["bindings"]}


def store_counts(store_path) -> tuple[int, int]:
    """(quads in named graphs, triples in the default graph) of a store folder."""
    store = ox.Store.read_only(str(store_path))
    union = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return len(store) - union, union


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# ------------------------------------------------------------ answers as on the store

def saved_runs(capsys) -> list[tuple[str, list[str]]]:
    """Each saved query that ``kg query --list-saved`` lists: without parameters (free
    variables answer for all; defaults apply) and with the examples its ``# param``
    lines give."""
    status, listing, _ = run(capsys, "query", "--list-saved")
    assert status == 0
    runs = []
    for line in listing.splitlines():
        name = line.split()[0]
        runs.append((name, []))
        saved = find_saved(name)
        examples = [f"{p.name}={m.group(1)}" for p in saved.params
                    if (m := re.search(r"e\.g\. (\S+)", p.help))]
        if examples:
            runs.append((name, [a for e in examples for a in ("--param", e)]))
    assert len(runs) > len(listing.splitlines())  # some queries have parameters
    return runs


def canonical(fmt: str, text: str):
    """The answer without the order of rows that tie in ORDER BY."""
    if fmt == "json":
        data = json.loads(text)
        return data["head"], sorted(json.dumps(b, sort_keys=True, ensure_ascii=False)
                                    for b in data["results"]["bindings"])
    lines = text.splitlines()
    return lines[:2 if fmt == "table" else 1], sorted(lines[2 if fmt == "table" else 1:])


def test_every_saved_query_answers_as_on_the_store(pushed, capsys):
    """JSON shows each term whole (IRI or literal, language, datatype); the table and CSV
    are written from the same terms, so they are compared on one query with parameters
    and one without."""
    _, store, endpoint = pushed
    answered = 0
    for name, params in saved_runs(capsys):
        formats = ("json", "csv", "table") if name in ("person_posts", "posts") else ("json",)
        for fmt in formats:
            local = run(capsys, "query", str(store), "--saved", name, *params, "--format", fmt)
            remote = run(capsys, "query", "--endpoint", endpoint, "--saved", name, *params, "--format", fmt)
            assert local[0] == remote[0] == 0, (name, params, remote[2])
            assert canonical(fmt, remote[1]) == canonical(fmt, local[1]), (name, params, fmt)
            if fmt == "json":
                answered += bool(json.loads(local[1])["results"]["bindings"])
    assert answered >= 15  # most runs have rows: the comparison is not of empty answers


def test_query_text_and_construct_against_the_endpoint(pushed, capsys):
    _, store, endpoint = pushed
    query = "SELECT ?n WHERE { ?p a kgo:Person ; skos:prefLabel ?n } ORDER BY ?n"
    local = run(capsys, "query", str(store), query, "--format", "csv")
    remote = run(capsys, "query", "--endpoint", endpoint, query, "--format", "csv")
    assert remote == local and "韩立军" in remote[1]
    construct = "CONSTRUCT { ?p skos:prefLabel ?n } WHERE { ?p a kgo:Person ; skos:prefLabel ?n }"
    local = run(capsys, "query", str(store), construct, "--format", "csv")
    remote = run(capsys, "query", "--endpoint", endpoint, construct, "--format", "csv")
    assert remote[0] == 0 and sorted(remote[1].splitlines()) == sorted(local[1].splitlines())
    ask = run(capsys, "query", "--endpoint", endpoint, "ASK { ?p a kgo:Person }", "--format", "json")
    assert json.loads(ask[1])["boolean"] is True


# ------------------------------------------------------------ idempotent

def test_pushing_twice_leaves_the_same_triples(pushed, capsys, monkeypatch):
    """The second time with the union sent in parts of 20 kB: a PUT, then POSTs."""
    import kg.push

    _, store, endpoint = pushed
    named, union = store_counts(store)
    assert count(endpoint, "GRAPH ?g { ?s ?p ?o }") == named
    assert count(endpoint, "?s ?p ?o") == union
    monkeypatch.setattr(kg.push, "UNION_CHUNK", 20_000)
    status, out, _ = run(capsys, "push", str(store), "--endpoint", endpoint)
    assert status == 0
    assert f"({named:,} triples)" in out and f"union ({union:,} triples)" in out and "triples/s" in out
    assert count(endpoint, "GRAPH ?g { ?s ?p ?o }") == named
    assert count(endpoint, "?s ?p ?o") == union


def test_push_from_the_output_folder(pushed, capsys):
    """The TriG export holds the same named graphs; pushing it replaces them one by one."""
    out, store, endpoint = pushed
    trig = ox.Dataset(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    try:
        for source in (out, out / "graph.trig", out / "graph.nq"):
            status, printed, err = run(capsys, "push", str(source), "--endpoint", endpoint)
            assert status == 0, err
            assert count(endpoint, "GRAPH ?g { ?s ?p ?o }") == len(trig)
            assert count(endpoint, "?s ?p ?o") == len({(q.subject, q.predicate, q.object) for q in trig})
    finally:
        assert main(["push", str(store), "--endpoint", endpoint]) == 0


def test_prune_removes_the_graphs_of_removed_documents(pushed, capsys, tmp_path):
    _, store, endpoint = pushed
    smaller = tmp_path / "store"
    shutil.copytree(store, smaller)
    assert main(["remove", "jinzhong_daily_page.txt", "--store", str(smaller)]) == 0
    try:
        status, out, _ = run(capsys, "push", str(smaller), "--endpoint", endpoint)
        assert status == 0
        assert "https://w3id.org/kg-gov/doc/jinzhong_daily_page.txt" in server_graphs(endpoint)  # left over
        status, out, _ = run(capsys, "push", str(smaller), "--endpoint", endpoint, "--prune")
        assert status == 0 and "pruned:    1 graphs" in out
        assert "https://w3id.org/kg-gov/doc/jinzhong_daily_page.txt" not in server_graphs(endpoint)
        assert (count(endpoint, "GRAPH ?g { ?s ?p ?o }"), count(endpoint, "?s ?p ?o")) == store_counts(smaller)
    finally:
        assert main(["push", str(store), "--endpoint", endpoint]) == 0


def test_union_in_a_named_graph_read_as_the_default_graph(pushed, capsys):
    _, store, endpoint = pushed
    status, out, _ = run(capsys, "push", str(store), "--endpoint", endpoint, "--union-graph", UNION)
    assert status == 0 and f"into graph <{UNION}>" in out
    try:
        assert count(endpoint, f"GRAPH <{UNION}> {{ ?s ?p ?o }}") == store_counts(store)[1]
        local = run(capsys, "query", str(store), "--saved", "posts", "--format", "csv")
        remote = run(capsys, "query", "--endpoint", endpoint, "--default-graph", UNION, "--saved", "posts",
                     "--format", "csv")
        assert remote == local
    finally:
        requests.delete(endpoint.replace("/query", "/store"), params={"graph": UNION}, timeout=30)


# ------------------------------------------------------------ one-line errors

def one_line_error(capsys, status_expected: int, *argv) -> str:
    status, _, err = run(capsys, *argv)
    assert status == status_expected, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_connection_refused_is_one_line(pushed, capsys):
    _, store, _ = pushed
    url = f"http://127.0.0.1:{free_port()}/query"
    line = one_line_error(capsys, 1, "push", str(store), "--endpoint", url)
    assert "connection refused" in line and "0 of 3 named graphs pushed" in line
    line = one_line_error(capsys, 1, "query", "--endpoint", url, "ASK {}")
    assert "connection refused" in line


def test_bad_urls_are_usage_errors(pushed, capsys):
    _, store, endpoint = pushed
    assert "http:// or https://" in one_line_error(capsys, 2, "push", str(store), "--endpoint", "localhost:7878")
    assert "not a valid URL" in one_line_error(capsys, 2, "push", str(store), "--graph-store", "http://h:99999/")
    assert "--graph-store URL" in one_line_error(capsys, 2, "push", str(store), "--endpoint", "http://h/x/y/z/w")
    assert "--endpoint" in one_line_error(capsys, 2, "push", str(store))
    assert "http:// or https://" in one_line_error(capsys, 2, "query", "--endpoint", "ftp://h/q", "ASK {}")


def test_http_errors_carry_the_servers_message(pushed, capsys):
    _, store, endpoint = pushed
    wrong = endpoint.replace("/query", "/nothing-here")
    line = one_line_error(capsys, 1, "push", str(store), "--graph-store", wrong)
    assert "HTTP 404" in line and "is not supported by this server" in line  # Oxigraph's own words
    line = one_line_error(capsys, 1, "query", "--endpoint", endpoint, "SELECT ?x WHERE {\n ?x ?y }")
    assert "HTTP 400" in line and "error at 2:" in line  # the user's line, not counting added PREFIXes


class _LoginRequired(BaseHTTPRequestHandler):
    """Answers 401 with an HTML page unless the Authorization header is right."""

    expected = "Bearer s3cret"
    seen: list = []

    def do_PUT(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(self.headers.get("Authorization"))
        ok = self.headers.get("Authorization") == self.expected
        body = b"" if ok else b"<html><body><h1>401</h1><p>Login required.</p></body></html>"
        self.send_response(204 if ok else 401)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def login_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LoginRequired)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _LoginRequired.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def test_authentication(pushed, capsys, login_server, monkeypatch):
    _, store, _ = pushed
    line = one_line_error(capsys, 1, "push", str(store), "--graph-store", login_server)
    assert "HTTP 401" in line and "Login required." in line and "<p>" not in line and "--user" in line
    status, out, err = run(capsys, "push", str(store), "--graph-store", login_server, "--token", "s3cret")
    assert status == 0, err
    monkeypatch.setenv("KG_SPARQL_TOKEN", "s3cret")
    assert run(capsys, "push", str(store), "--graph-store", login_server)[0] == 0
    monkeypatch.delenv("KG_SPARQL_TOKEN")
    monkeypatch.setenv("KG_SPARQL_PASSWORD", "pw")
    _LoginRequired.expected = "Basic dXNlcjpwdw=="  # user:pw
    try:
        assert run(capsys, "push", str(store), "--graph-store", login_server, "--user", "user")[0] == 0
    finally:
        _LoginRequired.expected = "Bearer s3cret"
    assert _LoginRequired.seen[0] is None and "Bearer s3cret" in _LoginRequired.seen
    assert "Basic dXNlcjpwdw==" in _LoginRequired.seen


# ------------------------------------------------------------ the pieces

def test_graph_store_found_from_the_endpoint():
    assert graph_store_url("http://localhost:7878/query") == "http://localhost:7878/store"
    assert graph_store_url("https://h:8890/sparql") == "https://h:8890/sparql-graph-crud-auth"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:7200/repositories/kg") == "http://h:7200/repositories/kg/rdf-graphs/service"
    with pytest.raises(ConfigError, match="--graph-store"):
        graph_store_url("http://h/")


def test_parameters_open_the_where_clause():
    saved = find_saved("shared_entities")
    text = with_values(saved.text, {"min": Literal(3)})
    assert 'WHERE { VALUES (?min) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in text
    nested = "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }"
    assert with_values(nested, {"x": URIRef("http://e/a")}).startswith(
        "SELECT ?x WHERE { VALUES (?x) { (<http://e/a>) } { SELECT")
    assert with_values("ASK { ?x ?p ?o }", {"x": Literal('a "b"', lang="zh")}) == \
        'ASK { VALUES (?x) { ("a \\"b\\""@zh) } ?x ?p ?o }'
    with pytest.raises(QueryError, match="no WHERE"):
        with_values("CONSTRUCT { ?x ?p ?o } { ?x ?p ?o }", {"x": URIRef("http://e/a")})
    # a brace in a string, an IRI or a comment is not the WHERE clause's
    assert with_values('SELECT ("{" AS ?b) # {\nWHERE { ?x ?p ?o }', {"x": URIRef("http://e/a")}).endswith(
        "WHERE { VALUES (?x) { (<http://e/a>) } ?x ?p ?o }")


def test_prefixes_are_declared_once():
    text = with_prefixes("PREFIX kgo: <https://w3id.org/kg-gov/ontology#>\nSELECT * { ?x a kgo:Person ; skos:x ?y }")
    assert text.count("PREFIX kgo:") == 1 and text.startswith("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>")
    assert with_prefixes("SELECT * { ?x ?p ?o }") == "SELECT * { ?x ?p ?o }"
