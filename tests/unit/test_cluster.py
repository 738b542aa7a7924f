"""Extraction on a Dask cluster (kg build --cluster, kg/cluster.py): one LocalCluster of two
worker processes for the whole module, started by the code ``--cluster local --jobs 2``
runs; the builds reach it by its address, as they would a cluster on other machines."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the cluster extra is not installed: pip install -e '.[cluster]'")

from kg.cli import main  # noqa: E402
from kg.cluster import FileTask, connect, run_on_cluster  # noqa: E402
from kg.formats import ReadOptions  # noqa: E402
from kg.pipeline import BuildResult  # noqa: E402
from _procs import outliving, wait_for_workers  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def client():
    with connect("local", 2) as client:
        assert len(client.nthreads()) == 2
        yield client


@pytest.fixture(scope="module")
def local_graph(tmp_path_factory) -> dict:
    """The graph of examples/ built by the local process pool."""
    out = tmp_path_factory.mktemp("local")
    assert main(["build", str(EXAMPLES), "-o", str(out), "--jobs", "2", "--formats", "json"]) == 0
    return json.loads((out / "graph.json").read_text(encoding="utf-8"))


def _nodes_edges(graph: dict) -> tuple[dict, list]:
    nodes = {n["id"]: n for n in graph["nodes"]}
    edges = sorted(json.dumps(e, sort_keys=True, ensure_ascii=False) for e in graph["edges"])
    return nodes, edges


def test_the_cluster_builds_the_local_graph(client, local_graph, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(EXAMPLES), "-o", str(out), "--formats", "json",
                 "--cluster", client.scheduler.address]) == 0
    assert "documents: 3 built, 0 skipped" in capsys.readouterr().out
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    nodes, edges = _nodes_edges(graph)
    want_nodes, want_edges = _nodes_edges(local_graph)
    assert nodes.keys() == want_nodes.keys()
    assert nodes == want_nodes  # every attribute: none depends on timing
    assert edges == want_edges


def test_bad_files_and_corpus_lines_are_skipped_with_their_reason(client, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EXAMPLES / "qixian_summary_2023.md", docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "junk.txt").write_bytes(bytes(range(256)) * 8)
    text = (EXAMPLES / "jinzhong_daily_page.txt").read_text(encoding="utf-8")
    (docs / "corpus.jsonl").write_text(json.dumps({"id": "page", "body": text}, ensure_ascii=False) + "\n{oops\n",
                                       encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(docs), "-o", str(out), "--text-field", "body", "--formats", "json",
                 "--cluster", client.scheduler.address]) == 1
    captured = capsys.readouterr()
    assert "documents: 2 built, 3 skipped (corpus.jsonl, empty.txt, junk.txt)" in captured.out
    skipped = [line for line in captured.err.splitlines() if line.startswith("skipped: ")]
    assert skipped == [f"skipped: {docs}/corpus.jsonl:2: not a JSON object (Expecting property name enclosed in "
                       "double quotes at column 2)",
                       f"skipped: {docs}/empty.txt: empty file",
                       f"skipped: {docs}/junk.txt: binary file (NUL bytes), not text"]
    ids = {n["id"] for n in json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]
           if n.get("type") == "Document"}
    assert len(ids) == 2


def test_a_task_that_fails_skips_only_its_file(client, tmp_path):
    """A task that fails as a whole (here a unit no reader can take; on a real cluster a
    worker that died on a document) is run again file by file: only that file is skipped."""
    good = [FileTask(location=str(EXAMPLES / name), shown=name, size=100)
            for name in ("changzhi_report_2024.txt", "qixian_summary_2023.md")]
    bad = FileTask(location=None, shown="broken.txt", size=100)  # Path(None): TypeError on the worker
    into = BuildResult()
    outcomes = list(run_on_cluster([good[0], bad, good[1]], client, ReadOptions(), into))
    assert [(r.doc_id if r else None, where) for r, _, where in outcomes] == [
        ("changzhi_report_2024.txt", "changzhi_report_2024.txt"), (None, "broken.txt"),
        ("qixian_summary_2023.md", "qixian_summary_2023.md")]
    assert outcomes[1][1].startswith("broken.txt: extraction failed on the cluster (TypeError: ")
    assert into.characters == sum(len((EXAMPLES / f.location).read_text(encoding="utf-8")) for f in good)


def test_workers_read_inputs_given_as_urls(client, tmp_path, capsys):
    url = EXAMPLES.as_uri()
    out = tmp_path / "out"
    assert main(["build", url, "-o", str(out), "--formats", "json", "--cluster", client.scheduler.address]) == 0
    docs = {n["id"]: n for n in json.loads((out / "graph.json").read_text(encoding="utf-8"))["nodes"]
            if n.get("type") == "Document"}
    assert sorted(d["path"] for d in docs.values()) == sorted(f"{url}/{p.name}" for p in EXAMPLES.iterdir())


def test_an_address_that_is_not_one_is_a_usage_error(tmp_path, capsys):
    assert main(["build", str(EXAMPLES), "-o", str(tmp_path / "o"), "--cluster", "nonsense"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg build: error: --cluster nonsense: not a scheduler address") and "\n" not in err
    assert not (tmp_path / "o").exists()


def test_a_scheduler_that_does_not_answer_is_one_line_and_exit_1(tmp_path, capsys):
    import dask

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert main(["build", str(EXAMPLES), "-o", str(tmp_path / "o"), "--cluster", f"tcp://127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: --cluster tcp://127.0.0.1:{port}: cannot reach the Dask scheduler")
    assert "\n" not in err


def test_without_dask_the_error_names_the_install_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main(["build", str(EXAMPLES), "-o", str(tmp_path / "o"), "--cluster", "local"]) == 1
    assert capsys.readouterr().err.strip() == ("error: --cluster needs Dask, which is not installed: "
                                               "pip install 'kg-gov[cluster]'")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_closes_the_local_cluster(tmp_path):
    """``--cluster local`` from the command line, stopped while its workers extract: the
    build says so, writes nothing, and leaves no worker process behind."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paras = [p for f in sorted(EXAMPLES.iterdir()) for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    for i in range(200):
        (corpus / f"doc{i:03d}.txt").write_text("\n\n".join(paras[(i + k) % len(paras)] for k in range(6)),
                                                encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "--no-ner", "build", str(corpus), "-o",
                             str(tmp_path / "out"), "--cluster", "local", "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers = wait_for_workers(proc)
    assert len(workers) >= 2, "no worker processes started"
    time.sleep(3)  # the workers are busy extracting
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.strip() == "terminated: nothing written; the previous exports and store are as they were"
    assert not outliving(workers), "worker processes outlived their build"
    assert not (tmp_path / "out" / "graph.ttl").exists()
