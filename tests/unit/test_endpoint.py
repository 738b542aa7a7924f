"""kg serve: the SPARQL 1.1 Protocol over a store, tested with a real HTTP client
against a server started on a free port."""
from __future__ import annotations

import csv
import io
import json

import pytest
import requests

from kg.endpoint import Endpoint, negotiate, serialize_select
from kg.graph import build_graph  # noqa: F401  (keeps import order like the other tests)
from kg.store import add_documents, open_store

from test_graph import two_documents

POSTS = """SELECT ?person ?title ?agency WHERE {
  ?p org:holds ?post . ?post org:postIn ?a ; kgo:title ?title .
  ?p skos:prefLabel ?person . ?a skos:prefLabel ?agency } ORDER BY ?agency ?title"""


def make_store(path, documents=None):
    """A store folder holding the test documents, closed again (the server opens it
    read-only in its workers)."""
    import gc

    store = open_store(path)
    add_documents(store, two_documents() if documents is None else documents)
    store.flush()
    del store
    gc.collect()
    return path


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    path = make_store(tmp_path_factory.mktemp("endpoint") / "store")
    server = Endpoint(path, port=0, timeout=3, max_rows=2, workers=1).start()
    yield server
    server.close()


def get(endpoint, **params):
    headers = params.pop("headers", {})
    return requests.get(endpoint.url + "sparql", params=params, headers=headers, timeout=30)


def test_listens_on_localhost_and_serves_the_query_page(endpoint):
    assert endpoint.url.startswith("http://127.0.0.1:")
    page = requests.get(endpoint.url, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "<textarea" in page.text and "src=" not in page.text  # self-contained


def test_get_json_by_default(endpoint):
    response = get(endpoint, query=POSTS)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    data = response.json()
    assert data["head"]["vars"] == ["person", "title", "agency"]
    first = data["results"]["bindings"][0]
    assert first["person"] == {"type": "literal", "value": "王根元", "xml:lang": "zh"}
    assert [b["title"]["value"] for b in data["results"]["bindings"]] == ["副主任", "主席"]


@pytest.mark.parametrize("accept, ctype", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv"),
])
def test_content_negotiation(endpoint, accept, ctype):
    response = get(endpoint, query=POSTS, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(ctype)
    assert "王根元" in response.text


def test_post_form_and_sparql_query_body_and_format_parameter(endpoint):
    form = requests.post(endpoint.url + "sparql", data={"query": POSTS, "format": "csv"}, timeout=30)
    rows = list(csv.reader(io.StringIO(form.text)))
    assert rows == [["person", "title", "agency"], ["王根元", "副主任", "晋中市人大常委会"],
                    ["王根元", "主席", "晋中市总工会"]]
    body = requests.post(endpoint.url + "sparql?format=tsv", data=POSTS.encode("utf-8"), timeout=30,
                         headers={"Content-Type": "application/sparql-query"})
    lines = body.text.splitlines()
    assert lines[0] == "?person\t?title\t?agency" and lines[1].startswith('"王根元"@zh\t')
    xml = get(endpoint, query="ASK { ?s a kgo:Event }", format="xml")
    assert "<boolean>true</boolean>" in xml.text


def test_construct_as_ntriples_or_turtle(endpoint):
    q = "CONSTRUCT { ?p skos:prefLabel ?n } WHERE { ?p a kgo:Person ; skos:prefLabel ?n }"
    nt = get(endpoint, query=q, headers={"Accept": "application/n-triples"})
    assert nt.headers["Content-Type"].startswith("application/n-triples") and '"王根元"@zh' in nt.text
    ttl = get(endpoint, query=q, headers={"Accept": "text/turtle"})
    assert ttl.headers["Content-Type"].startswith("text/turtle") and "王根元" in ttl.text


def test_read_only_and_bad_requests(endpoint):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert requests.post(endpoint.url + "sparql", data={"update": update}, timeout=30).status_code == 403
    assert requests.post(endpoint.url + "sparql", data=update, timeout=30,
                         headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert get(endpoint, query=update).status_code == 400  # an update is not a query
    assert get(endpoint, query="SELECT WHERE {").status_code == 400
    assert requests.get(endpoint.url + "sparql", timeout=30).status_code == 400
    assert requests.delete(endpoint.url + "sparql", timeout=30).status_code == 405
    assert requests.get(endpoint.url + "other", timeout=30).status_code == 404
    assert get(endpoint, query=POSTS, headers={"Accept": "image/png"}).status_code == 406
    # The store is unchanged.
    count = get(endpoint, query="ASK { <urn:a> <urn:b> <urn:c> }").json()
    assert count["boolean"] is False


def test_result_size_and_query_time_are_bounded(endpoint):
    many = get(endpoint, query="SELECT ?s WHERE { ?s a ?t }")
    assert len(many.json()["results"]["bindings"]) == 2  # max_rows=2
    assert many.headers["X-KG-Truncated"].startswith("true")
    slow = """SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"""
    response = get(endpoint, query=slow)
    assert response.status_code == 503 and "longer than 3 s" in response.text
    # A fresh worker answers the next query.
    assert get(endpoint, query=POSTS).status_code == 200


def test_negotiate():
    assert negotiate("", None) == ("json", "nt")
    assert negotiate("*/*", None)[0] == "json"
    assert negotiate("application/sparql-results+xml", None)[0] == "xml"
    assert negotiate("text/turtle", None) == ("json", "ttl")
    assert negotiate("image/png", None)[0] is None
    assert negotiate("image/png", "csv")[0] == "csv"
    assert negotiate("", "text/tab-separated-values")[0] == "tsv"


def test_select_serializers_escape():
    import pyoxigraph as ox
    rows = [[ox.Literal('a\tb "c" <d>', language="zh"), None]]
    tsv = serialize_select(["x", "y"], rows, "tsv")
    assert tsv.splitlines()[1] == '"a\\tb \\"c\\" <d>"@zh\t'
    xml = serialize_select(["x", "y"], rows, "xml")
    assert "&lt;d&gt;" in xml and 'xml:lang="zh"' in xml
    assert json.loads(serialize_select(["x", "y"], rows, "json"))["results"]["bindings"][0] == {
        "x": {"type": "literal", "value": 'a\tb "c" <d>', "xml:lang": "zh"}}


# ---------------------------------------------------------------- what a request may make it do

def _listener():
    """A TCP socket on a free port that records whether anyone connected."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(1.0)
    return sock


def test_service_is_refused_and_nothing_leaves_the_server(endpoint):
    import socket

    listener = _listener()
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/any/path> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      "SELECT * WHERE { BIND(<http://127.0.0.1:%d/> AS ?e) SERVICE ?e { ?s ?p ?o } }" % port):
            response = get(endpoint, query=query)
            assert response.status_code == 400 and "SERVICE" in response.text
            response = requests.post(endpoint.url + "sparql", data=query, timeout=30,
                                     headers={"Content-Type": "application/sparql-query"})
            assert response.status_code == 400
        with pytest.raises(socket.timeout):
            listener.accept()  # no connection was made
    finally:
        listener.close()
    # the words alone are no SERVICE clause: in a string, a comment or a prefixed name
    fine = 'SELECT ?s WHERE { ?s ?p "SERVICE <http://127.0.0.1:1/>" } # SERVICE <http://x/>'
    assert get(endpoint, query=fine).status_code == 200


def test_federation_only_to_the_hosts_allowed():
    from kg.endpoint import Policy

    policy = Policy(federation=frozenset({"query.wikidata.org"}))
    assert policy.refuse_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }") is None
    assert policy.refuse_query("SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }")
    assert policy.refuse_query("SELECT * { SERVICE ?where { ?s ?p ?o } }")
    assert Policy(federation=frozenset({"*"})).refuse_query("SELECT * { SERVICE ?w { ?s ?p ?o } }") is None


def test_a_foreign_host_header_gets_403(endpoint):
    port = endpoint.url.rsplit(":", 1)[1].strip("/")
    for host in ("evil.example", f"evil.example:{port}", "attacker.test:80"):
        response = requests.get(endpoint.url + "sparql", params={"query": POSTS}, timeout=30,
                                headers={"Host": host})
        assert response.status_code == 403, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        response = requests.get(endpoint.url + "sparql", params={"query": POSTS}, timeout=30,
                                headers={"Host": host})
        assert response.status_code == 200, host


def test_no_cors_headers_unless_asked(endpoint, tmp_path):
    response = get(endpoint, query=POSTS, headers={"Origin": "https://any.example"})
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response.headers
    assert requests.options(endpoint.url + "sparql", timeout=30,
                            headers={"Origin": "https://any.example"}).status_code == 403
    path = make_store(tmp_path / "store")
    server = Endpoint(path, port=0, timeout=3, workers=1, cors=("https://ours.example",)).start()
    try:
        ours = requests.get(server.url + "sparql", params={"query": POSTS}, timeout=30,
                            headers={"Origin": "https://ours.example"})
        assert ours.headers["Access-Control-Allow-Origin"] == "https://ours.example"
        other = requests.get(server.url + "sparql", params={"query": POSTS}, timeout=30,
                             headers={"Origin": "https://other.example"})
        assert "Access-Control-Allow-Origin" not in other.headers
        preflight = requests.options(server.url + "sparql", timeout=30,
                                     headers={"Origin": "https://ours.example"})
        assert preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    finally:
        server.close()


@pytest.mark.parametrize("length", ["-1", "abc", "1e3"])
def test_a_content_length_that_is_not_a_count_gets_400(endpoint, length):
    import socket

    host, port = endpoint.url[len("http://"):].strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(f"POST /sparql HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     f"Content-Type: application/sparql-query\r\nContent-Length: {length}\r\n\r\n"
                     "ASK {}".encode())
        answer = conn.recv(4096).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.0 400") or answer.startswith("HTTP/1.1 400"), answer[:80]


def test_a_query_waits_a_bounded_time_for_a_busy_server(tmp_path):
    import threading
    import time

    path = make_store(tmp_path / "store")
    server = Endpoint(path, port=0, timeout=4, workers=1, wait=0.5).start()
    slow = """SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"""
    try:
        worker = threading.Thread(target=lambda: get(server, query=slow))
        worker.start()
        time.sleep(1.0)  # the slow query holds the only worker
        started = time.monotonic()
        busy = get(server, query="ASK { ?s ?p ?o }")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
        assert time.monotonic() - started < 3  # not until the slow query's timeout
        worker.join(30)
        assert get(server, query="ASK { ?s ?p ?o }").status_code == 200
    finally:
        server.close()


def test_a_running_server_answers_from_the_rebuilt_store(tmp_path):
    first, second = two_documents()[:1], two_documents()[1:]
    path = make_store(tmp_path / "store", first)
    server = Endpoint(path, port=0, timeout=10, workers=1).start()
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    try:
        before = int(get(server, query=graphs).json()["results"]["bindings"][0]["n"]["value"])
        make_store(path, second)  # a build adds a document while the server runs
        after = int(get(server, query=graphs).json()["results"]["bindings"][0]["n"]["value"])
        assert after == before + 1
    finally:
        server.close()


def test_memory_per_query_is_bounded_and_the_server_keeps_answering(tmp_path):
    path = make_store(tmp_path / "store")
    # 1 GB of address space per worker; the query below builds an 8 * 2**27 = 1 GB string
    server = Endpoint(path, port=0, timeout=60, workers=1, max_memory_mb=1024).start()
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(27))
    doubling = f'SELECT (STRLEN(?s27) AS ?n) WHERE {{ BIND("aaaaaaaa" AS ?s0) {binds} }}'
    try:
        response = get(server, query=doubling)
        assert response.status_code == 503 and "1024 MB" in response.text
        assert get(server, query=POSTS).status_code == 200  # a fresh worker answers
    finally:
        server.close()


def test_answers_are_cut_by_size_too(tmp_path):
    path = make_store(tmp_path / "store")
    server = Endpoint(path, port=0, timeout=10, workers=1, max_bytes=200).start()
    try:
        response = get(server, query="SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert response.status_code == 200 and "max-bytes=200" in response.headers["X-KG-Truncated"]
        assert 1 <= len(response.json()["results"]["bindings"]) < 20
    finally:
        server.close()


@pytest.mark.parametrize("accept, ctype, check", [
    ("application/rdf+xml", "application/rdf+xml", "rdf:RDF"),
    ("application/ld+json", "application/ld+json", '"@value"'),
    ("application/n-quads", "application/n-quads", '"王根元"@zh'),
    ("application/trig", "application/trig", "王根元"),
    ("text/n3", "text/turtle", "王根元"),
])
def test_construct_in_every_rdf_syntax(endpoint, accept, ctype, check):
    q = "CONSTRUCT { ?p skos:prefLabel ?n } WHERE { ?p a kgo:Person ; skos:prefLabel ?n }"
    response = get(endpoint, query=q, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(ctype)
    assert check in response.text


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_sparqlwrapper_select_in_every_return_format(endpoint, fmt):
    import warnings

    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint.url + "sparql")
    client.setQuery(POSTS)
    client.setReturnFormat(getattr(sw, fmt))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # SPARQLWrapper: another format than asked
        result = client.query()
        data = result.convert()
    text = data if isinstance(data, (str, bytes)) else json.dumps(data, ensure_ascii=False) \
        if isinstance(data, dict) else data.toxml()
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    assert "王根元" in text


@pytest.mark.parametrize("fmt", ["XML", "RDFXML", "TURTLE", "N3", "JSONLD"])
def test_sparqlwrapper_construct_in_every_return_format(endpoint, fmt):
    import warnings

    import rdflib
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(endpoint.url + "sparql")
    client.setQuery("CONSTRUCT { ?p skos:prefLabel ?n } WHERE { ?p a kgo:Person ; skos:prefLabel ?n }")
    client.setReturnFormat(getattr(sw, fmt))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        data = client.query().convert()
    if not isinstance(data, rdflib.Graph):  # TURTLE and N3 come back as text: parse them
        data = rdflib.Graph().parse(data=data, format="turtle")
    assert rdflib.Literal("王根元", lang="zh") in set(data.objects())


@pytest.mark.parametrize("query, says", [
    ("SELEC ?x WHERE { ?x ?p ?o }", "starts (after PREFIX and BASE lines) with SELECT"),
    ("SELECT ?x WHERE { ?x nope:p ?o }", "unknown prefix 'nope:'"),
    ("SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER( }", "line 3"),
])
def test_syntax_errors_say_where_and_what(endpoint, query, says):
    response = get(endpoint, query=query)
    assert response.status_code == 400 and says in response.text
    assert "\\u{" not in response.text  # no grammar's worth of character ranges
    if "nope" in query:
        assert "skos:" in response.text and "kgo:" in response.text  # the known prefixes
