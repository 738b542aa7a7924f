"""Every saved query in queries/ on the examples' graph, on the TriG export and on the
store, with parameters bound as literals; ``kg query --saved/--param/--list-saved``.

``examples_build()`` builds the examples once per test session (exports in every
format and a store) for the query, endpoint and viewer tests."""
from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.graph import from_node_link
from kg.query import bind_params, find_saved, plain, run_sparql, saved_queries

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@functools.lru_cache(maxsize=None)
def examples_build() -> tuple[Path, Path]:
    """(exports folder, store folder) of ``kg build examples`` with every format."""
    root = Path(tempfile.mkdtemp(prefix="kg-examples-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    out, store = root / "exports", root / "store"
    status = main(["build", str(EXAMPLES), "-o", str(out), "--store", str(store),
                   "--formats", "ttl,trig,graphml,gexf,json,nt,nq,jsonld,csv"])
    assert status == 0
    return out, store


@pytest.fixture(scope="module")
def built():
    return examples_build()


@pytest.fixture(scope="module")
def graph(built):
    return from_node_link(json.loads((built[0] / "graph.json").read_text(encoding="utf-8")))


def rows(graph_source, name, /, **params):
    saved = find_saved(name)
    result = run_sparql(graph_source, saved.text, bind_params(saved, params))
    return [dict(zip(result.vars, (plain(c) for c in row))) for row in result.rows]


def both(built, name, /, **params):
    """The rows from the TriG file, after checking the store gives the same."""
    on_file = rows(built[0] / "graph.trig", name, **params)
    on_store = rows(built[1], name, **params)

    def canonical(found):  # GROUP_CONCAT has no order: compare its parts as a set
        return sorted(str({k: ";".join(sorted(v.split(";"))) for k, v in r.items()}) for r in found)

    assert canonical(on_file) == canonical(on_store), name
    return on_file


def test_every_saved_query_has_a_comment_and_runs(built):
    queries = saved_queries()
    assert len(queries) >= 11
    for name, saved in queries.items():
        assert saved.comment and saved.comment.endswith("."), name
        assert saved.text.startswith("# "), name
        both(built, name)  # all parameters free (or their defaults)


def test_posts_of_a_person(built):
    found = {(r["title"], r["agency"]) for r in both(built, "person_posts", person="韩立军")}
    assert {("主席", "长治市总工会"), ("副主任", "长治市人大常委会")} <= found
    assert all(r["person"] == "韩立军" for r in rows(built[1], "person_posts", person="韩立军"))


def test_people_of_an_agency(built):
    found = both(built, "agency_people", agency="长治市总工会")
    assert ("韩立军", "主席") in {(r["person"], r["title"]) for r in found}
    assert all("韩立军" in r["sentence"] for r in found)


def test_agencies_in_a_place_and_its_sub_places(built, graph):
    found = both(built, "agencies_in_place", place="晋中市")
    agencies = {r["agency"] for r in found}
    assert "晋中市象棋协会" in agencies
    assert any(r["located_in"] != "晋中市" for r in found)  # through part_of
    assert all(r["place"] == "晋中市" for r in found)


def test_initiatives_of_an_agency_and_their_participants(built):
    found = both(built, "agency_initiatives", agency="晋中市象棋协会")
    assert "晋中市第六届象棋公开赛" in {r["initiative"] for r in found}
    people = both(built, "initiative_participants", initiative="晋中市第六届象棋公开赛")
    assert ("晋中市象棋协会", "Agency") in {(r["participant"], r["type"]) for r in people}


def test_sub_organizations_partners_and_places_under(built):
    units = both(built, "sub_organizations", body="榆次区税务局")
    assert ("榆次区税务局第二税务分局", "榆次区税务局") in {(r["unit"], r["parent"]) for r in units}
    partners = both(built, "partners", agency="长治市政府")
    assert "山西大学" in {r["partner"] for r in partners}
    reverse = both(built, "partners", agency="山西大学")
    assert "长治市政府" in {r["partner"] for r in reverse}  # either direction
    under = both(built, "places_under", place="长治市")
    assert "潞州区" in {r["sub_place"] for r in under}


def test_sentences_supporting_a_relation(built):
    found = both(built, "relation_evidence", source="韩立军", target="长治市总工会")
    assert found and all(r["relation"] == "holdsPosition" for r in found)
    row = found[0]
    raw = (EXAMPLES / row["document"]).read_text(encoding="utf-8")
    assert "韩立军" in raw[int(row["start"]):int(row["end"])].replace(" ", "")


def test_entities_in_several_documents(built, graph):
    counts = {(d["type"], d["label"]): len(d["documents"]) for _, d in graph.nodes(data=True)
              if d.get("type") != "Document"}
    everything = both(built, "shared_entities", min="1")
    assert {(r["type"], r["entity"]): int(r["documents"]) for r in everything} == counts
    several = both(built, "shared_entities")  # default min = 2
    assert {(r["type"], r["entity"]) for r in several} == {k for k, n in counts.items() if n >= 2}


def test_parameters_are_literals_not_query_text(built):
    evil = '韩立军"@zh } UNION { ?p ?q ?r } #'
    assert both(built, "person_posts", person=evil) == []
    with pytest.raises(QueryError, match="no parameter 'who'.*Valid: person"):
        bind_params(find_saved("person_posts"), {"who": "x"})
    with pytest.raises(QueryError, match="whole number"):
        bind_params(find_saved("shared_entities"), {"min": "two"})
    with pytest.raises(QueryError, match="No saved query 'nope'.*posts"):
        find_saved("nope")


def test_cli_saved_queries(built, capsys):
    assert main(["query", "--list-saved"]) == 0
    listing = capsys.readouterr().out
    assert "person_posts" in listing and "All posts a person holds" in listing
    assert main(["query", str(built[1]), "--saved", "person_posts", "--param", "person=韩立军",
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "person,scope,title,agency,sentence,document"
    assert "韩立军,长治市,主席,长治市总工会" in out
    assert main(["query", str(built[0] / "graph.nq"), "--saved", "person_posts",
                 "--param", "person=韩立军", "--format", "csv"]) == 0
    assert "韩立军,长治市,主席,长治市总工会" in capsys.readouterr().out
    assert main(["query", str(built[1]), "--saved", "person_posts", "--param", "person"]) == 1
    assert "key=value" in capsys.readouterr().err
