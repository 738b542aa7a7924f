"""The Python API (``import kg``), used only through its public names, on texts of our own."""
import subprocess
import sys

import networkx as nx
import pytest

import kg

PAGE = ("晋中市总工会召开三届七次全委（扩大）会议。市总工会主席王根元出席会议并讲话。"
        "会议部署实施职工暖心关爱服务工程。")


def test_import_kg_is_cheap_and_lists_its_api():
    code = "import sys, kg; print('spacy' in sys.modules, sorted(kg.__all__))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("False")  # no spaCy until a build
    assert "build" in out and "sparql" in out


def test_build_texts_gives_the_graph_and_sparql_over_it():
    corpus = kg.build_texts({"page.txt": PAGE})
    assert isinstance(corpus.graph, nx.MultiDiGraph)
    labels = {d.get("label") for _, d in corpus.graph.nodes(data=True)}
    assert {"王根元", "晋中市总工会"} <= labels
    answer = kg.sparql(corpus.dataset(), """SELECT ?title WHERE {
        ?p skos:prefLabel ?person ; org:holds ?post . ?post kgo:title ?title }""", person="王根元")
    assert [str(row[0]) for row in answer.rows] == ["主席"]
    assert kg.sparql(corpus.dataset(), "ASK { ?e a kgo:Initiative }").boolean is True


def test_build_from_paths_reports_what_it_skipped(tmp_path):
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    corpus = kg.build(tmp_path)
    assert [r.doc_id for r in corpus.results] == ["page.txt"]
    assert [where for where, _ in corpus.errors] == [str(tmp_path / "empty.txt")]
    with pytest.raises(FileNotFoundError):
        kg.build(tmp_path / "missing")


def test_store_and_saved_queries(tmp_path):
    corpus = kg.build_texts({"page.txt": PAGE})
    assert kg.store_documents(tmp_path / "store", corpus) == ["page.txt"]
    import gc
    gc.collect()
    posts = kg.sparql(tmp_path / "store", kg.saved_query("person_posts"), person="王根元")
    assert any("主席" in str(cell) for row in posts.rows for cell in row)
    assert kg.__version__ != ""
