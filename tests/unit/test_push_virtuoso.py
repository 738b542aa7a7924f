"""``kg push`` into Virtuoso (Debian's ``virtuoso-opensource``): opt-in, skipped unless
the ``virtuoso-t`` binary is installed (``apt install virtuoso-opensource``; CI does
not install it).

Virtuoso keeps no default graph of its own (a query without FROM reads all graphs, a
triple once per graph that holds it), so the union goes into a named graph
(``--union-graph IRI``) and queries read it as their default graph (``--default-graph
IRI``). Its Graph Store Protocol URL, found from ``/sparql``, asks for HTTP digest
authentication (``--user dba --digest``, the password in ``$KG_SPARQL_PASSWORD``).
A new database starts in a few seconds."""
from __future__ import annotations

import pytest

from _servers import virtuoso_binary, virtuoso_server
from test_push import count, one_line_error, run, saved_runs, store_counts
from test_queries import examples_build

pytestmark = pytest.mark.skipif(virtuoso_binary() is None,
                                reason="Virtuoso is not installed (virtuoso-t; apt install virtuoso-opensource)")

UNION = "https://w3id.org/kg-gov/graph/union"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as url:
        yield url + "/sparql"


@pytest.fixture()
def login(monkeypatch):
    monkeypatch.setenv("KG_SPARQL_PASSWORD", "dba")
    return ["--user", "dba", "--digest"]


def test_push_into_virtuoso_and_query_it(virtuoso, login, capsys):
    _, store = examples_build()
    line = one_line_error(capsys, 1, "push", str(store), "--endpoint", virtuoso)
    assert "HTTP 401" in line and "--user" in line
    line = one_line_error(capsys, 1, "push", str(store), "--endpoint", virtuoso, *login)
    assert "--union-graph" in line  # Virtuoso has no default graph to PUT
    named, union = store_counts(store)
    for _ in range(2):  # pushing again leaves the same triples
        status, out, err = run(capsys, "push", str(store), "--endpoint", virtuoso, *login, "--union-graph", UNION)
        assert status == 0, err
        assert count(virtuoso, f"GRAPH <{UNION}> {{ ?s ?p ?o }}") == union
        ours = f'GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "https://w3id.org/kg-gov/") && ?g != <{UNION}>)'
        assert count(virtuoso, ours) == named
    for name, params in saved_runs(capsys):
        local = run(capsys, "query", str(store), "--saved", name, *params, "--format", "csv")
        remote = run(capsys, "query", "--endpoint", virtuoso, "--default-graph", UNION, "--saved", name, *params,
                     "--format", "csv")
        assert remote[0] == 0, (name, params, remote[2])
        assert sorted(remote[1].splitlines()) == sorted(local[1].splitlines()), (name, params)
