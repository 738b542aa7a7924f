"""The merge kept on disk (kg.diskgraph) gives the graph and the files the in-memory
merge (kg.graph.build_graph) gives: on the example documents, on two versions of one
report (near duplicates and a flagged name conflict) and on a document merged twice,
in batches small enough that every node and edge crosses a batch boundary."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg import diskgraph
from kg.diskgraph import Records, build_disk_graph
from kg.export import WRITERS, write_exports
from kg.graph import build_graph
from kg.labels import NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS
from kg.pipeline import process_raw, stream
from kg.types import RawDoc

from test_dedup import COPY, OTHER, REPORT

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def results(nlp):
    """The examples, two versions of one report and an unrelated one, and the first
    example again under its own id (merged twice, as a repeated input is)."""
    docs = list(stream([EXAMPLES], jobs=1, nlp=nlp))
    docs += [process_raw(RawDoc(name, name, text), nlp) for name, text in
             (("a.txt", REPORT), ("b.txt", COPY), ("c.txt", OTHER))]
    return docs + docs[:1]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(diskgraph, "BATCH", 2)


def _graph_items(graph):
    nodes = [(n, dict(d)) for n, d in graph.nodes(data=True)]
    edges = [(u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True)]
    return nodes, edges


def test_same_graph_as_in_memory(results, small_batches):
    memory = build_graph(results)
    with build_disk_graph(results) as disk:
        nodes, edges = _graph_items(disk.to_networkx())
        assert disk.number_of_nodes() == memory.number_of_nodes()
        assert disk.number_of_edges() == memory.number_of_edges()
        assert [disk.degree(n) for n in memory.nodes] == [memory.degree(n) for n in memory.nodes]
        some = next(n for n, d in memory.nodes(data=True) if len(d.get("mentions", ())) > 3)
        assert isinstance(disk.nodes[some]["mentions"], Records)
        assert disk.nodes[some]["mentions"] == memory.nodes[some]["mentions"]
    assert (nodes, edges) == _graph_items(memory)  # same order, same attributes, same values
    relations = {d["relation"] for *_, d in edges}
    assert {NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS} <= relations
    assert any(len(d.get("evidence", ())) > 1 for *_, d in edges)


def test_same_files_as_in_memory(results, small_batches, tmp_path):
    formats = list(WRITERS)
    memory = write_exports(build_graph(results), tmp_path / "memory", formats)
    with build_disk_graph(results) as disk:
        written = write_exports(disk, tmp_path / "disk", formats)
    assert sorted(written) == sorted(memory)
    for name, path in memory.items():
        assert written[name].read_bytes() == path.read_bytes(), name


def test_database_is_removed_on_close(results):
    disk = build_disk_graph(results[:1])
    folder = disk._folder
    assert (folder / "graph.sqlite").is_file()
    disk.close()
    assert not folder.exists()


def test_kg_build_merge_disk_writes_what_memory_writes(tmp_path, capsys, monkeypatch):
    import tempfile

    from kg.cli import main

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # where the database goes
    (tmp_path / "tmp").mkdir()

    example = str(EXAMPLES / "jinzhong_daily_page.txt")
    summaries = {}
    for merge in ("memory", "disk"):
        args = ["build", example, "-o", str(tmp_path / merge), "--store", str(tmp_path / f"store-{merge}"),
                "--jobs", "1", "--merge", merge, "--formats", "json,trig"]
        assert main(args) == 0
        summaries[merge] = [line for line in capsys.readouterr().out.splitlines()
                            if line.startswith(("documents:", "entities:", "relations:"))]
    assert summaries["disk"] == summaries["memory"] and len(summaries["disk"]) == 3
    for name in ("graph.json", "graph.trig"):
        assert (tmp_path / "disk" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes()
    assert not list((tmp_path / "tmp").iterdir())  # the database is gone


def test_merge_option_is_checked(capsys):
    from kg.cli import main

    assert main(["build", str(EXAMPLES), "-o", "out", "--merge", "elsewhere"]) == 2
    assert "--merge" in capsys.readouterr().err


def test_a_killed_merge_leaves_nothing_for_long(results, tmp_path):
    stale = tmp_path / "kg-merge-999999999-abc"  # no such process
    stale.mkdir()
    (stale / "graph.sqlite").write_bytes(b"")
    ours = tmp_path / f"kg-merge-{os.getppid()}-abc"  # a process that runs: left alone
    ours.mkdir()
    with build_disk_graph(results[:1], folder=str(tmp_path)):
        assert not stale.exists() and ours.exists()
