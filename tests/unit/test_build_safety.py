"""Builds that stay consistent (issue 16, items 6-8): two builds into one store, a
build killed or terminated with workers running, exports replaced as a set, a full disk."""
import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import export
from kg.cli import main
from kg.store import documents, open_store
from _procs import outliving, wait_for_workers

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _kg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _store_docs(path: Path) -> list[str]:
    store = open_store(path, read_only=True)
    try:
        return documents(store)
    finally:
        del store


def _corpus(folder: Path, n: int) -> Path:
    paras = [p for f in sorted(EXAMPLES.iterdir()) for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc{i:03d}.txt").write_text("\n\n".join(paras[(i + k) % len(paras)] for k in range(4)),
                                                encoding="utf-8")
    return folder


def _export_docs(out: Path) -> dict[str, set[str]]:
    """Per export file, the document ids it names: one build's set has the same in each."""
    names = ("changzhi_report_2024.txt", "jinzhong_daily_page.txt", "qixian_summary_2023.md")
    return {f: {d for d in names if d in (out / f).read_text(encoding="utf-8")}
            for f in ("graph.json", "graph.ttl", "graph.trig", "graph.graphml", "graph.gexf")}


# ------------------------------------------------------------------ 6. concurrent builds

def test_two_builds_into_one_store_keep_both_documents(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "changzhi_report_2024.txt").write_bytes((EXAMPLES / "changzhi_report_2024.txt").read_bytes())
    (b / "qixian_summary_2023.md").write_bytes((EXAMPLES / "qixian_summary_2023.md").read_bytes())
    store, out = tmp_path / "store", tmp_path / "out"
    # rules only (--no-ner): the builds start faster; what is tested is the store
    first = _kg("--no-ner", "build", str(a), "--store", str(store), "-o", str(out), "--jobs", "1")
    second = _kg("--no-ner", "build", str(b), "--store", str(store), "-o", str(out), "--jobs", "1")
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    assert _store_docs(store) == ["changzhi_report_2024.txt", "qixian_summary_2023.md"]
    # the exports are one build's set, whole
    sets = _export_docs(out)
    assert len({frozenset(s) for s in sets.values()}) == 1, sets


def test_a_build_waits_for_the_lock_and_says_so(tmp_path, capsys):
    from kg.locks import build_lock

    store = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nsys.path.insert(0, sys.argv[1])\n"
                               "from kg.locks import build_lock\nfrom pathlib import Path\n"
                               "with build_lock(Path(sys.argv[2]), 'store'):\n print('held', flush=True)\n"
                               " time.sleep(2)", str(ROOT), str(store)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with build_lock(store, "store"):
        waited = time.monotonic() - started
    holder.wait(10)
    assert waited > 0.5
    assert "another kg build is writing the store" in capsys.readouterr().err
    with pytest.raises(Exception, match="another kg build"):
        holder = subprocess.Popen(holder.args, stdout=subprocess.PIPE, text=True)
        try:
            holder.stdout.readline()
            with build_lock(store, "store", wait=False):
                pass
        finally:
            holder.wait(10)


# ------------------------------------------------------------------ 7. killed builds

@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_stopped_build_leaves_no_workers_and_the_previous_exports(tmp_path, sig):
    out, store = tmp_path / "out", tmp_path / "store"
    assert main(["build", str(EXAMPLES), "-o", str(out), "--store", str(store), "--jobs", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    corpus = _corpus(tmp_path / "corpus", 300)
    proc = _kg("build", str(corpus), "-o", str(out), "--store", str(store), "--jobs", "2")
    workers = wait_for_workers(proc)
    assert len(workers) >= 2, "no worker processes started"
    time.sleep(2)  # the workers are busy extracting
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert not outliving(workers), "worker processes outlived their build"
    if sig == signal.SIGTERM:
        assert proc.returncode == 143, err
        assert "terminated: nothing written" in err
        assert not list(tmp_path.glob(".store.building-*"))
    # the exports are the previous set, whole; the store holds the previous documents
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".tmp")} == before
    assert _store_docs(store) == ["changzhi_report_2024.txt", "jinzhong_daily_page.txt", "qixian_summary_2023.md"]
    # the next build removes what a killed one left
    assert main(["build", str(EXAMPLES / "qixian_summary_2023.md"), "-o", str(out), "--store", str(store),
                 "--jobs", "1"]) == 0
    assert not list(out.glob(".graph.*.tmp")) and not list(tmp_path.glob(".store.building-*"))


# ------------------------------------------------------------------ 8. exports as a set

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_signal_waits_for_the_commit_whichever_thread_gets_it(sig):
    """A build has other threads (RocksDB's): blocking the signal in the main thread
    alone let the kernel hand it to one of them, and the commit was cut short (found by
    bench/stop_trials.py: "nothing written" over new exports and a new store)."""
    import threading

    from kg.locks import Terminated, deferred_signals, sigterm_as_interrupt

    other = threading.Event()
    thread = threading.Thread(target=other.wait)
    thread.start()
    done = []
    try:
        with pytest.raises(Terminated if sig == signal.SIGTERM else KeyboardInterrupt):
            with sigterm_as_interrupt(), deferred_signals() as arrived:
                os.kill(os.getpid(), sig)  # to the process: any thread that does not block it
                for _ in range(100):
                    time.sleep(0.001)  # the handler's chances to run inside the block
                done.append("commit")
    finally:
        other.set()
        thread.join()
    assert done == ["commit"] and arrived == [sig]


def _graph():
    from kg.graph import build_graph
    from kg.pipeline import run

    return build_graph(run([EXAMPLES / "qixian_summary_2023.md"], jobs=1).results)


def test_a_commit_cut_short_is_finished_by_the_next_reader(tmp_path, monkeypatch):
    out = tmp_path / "out"
    graph = _graph()
    old = export.write_exports(graph, out, ["ttl", "json"])
    for path in old.values():
        path.write_text("old build", encoding="utf-8")
    pending = export.prepare_exports(graph, out, ["ttl", "json"])
    real_replace = os.replace
    moved = []

    def crash_after_one(src, dst):
        if moved and not str(dst).endswith(export.JOURNAL):
            raise SystemExit("killed")  # the process dies between two renames
        real_replace(src, dst)
        if not str(dst).endswith(export.JOURNAL):
            moved.append(dst)

    monkeypatch.setattr(export.os, "replace", crash_after_one)
    with pytest.raises(SystemExit):
        pending.commit()
    monkeypatch.setattr(export.os, "replace", real_replace)
    texts = {p.name: p.read_text(encoding="utf-8") for p in old.values()}
    assert sorted(t == "old build" for t in texts.values()) == [False, True]  # a mix, for now
    monkeypatch.setattr(export, "pid_alive", lambda pid: False, raising=False)
    import kg.locks

    monkeypatch.setattr(kg.locks, "pid_alive", lambda pid: False)
    assert main(["query", str(out / "graph.ttl"), "ASK { ?s ?p ?o }"]) == 0  # a reader finishes it
    assert all(p.read_text(encoding="utf-8") != "old build" for p in old.values())
    assert not (out / export.JOURNAL).exists() and not list(out.glob(".graph.*.tmp"))


def test_a_full_disk_is_one_line_and_changes_nothing(tmp_path, monkeypatch, capsys):
    out, store = tmp_path / "out", tmp_path / "store"
    assert main(["build", str(EXAMPLES), "-o", str(out), "--store", str(store), "--jobs", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    docs_before = _store_docs(store)
    capsys.readouterr()

    def full(views, stream):
        stream.write(b"x" * 100)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setitem(export.WRITERS, "gexf", full)
    assert main(["build", str(EXAMPLES / "qixian_summary_2023.md"), "-o", str(out), "--store", str(store),
                 "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: No space left on device: nothing written; the previous exports and store are as they were"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _store_docs(store) == docs_before
    assert not list(tmp_path.glob(".store.building-*"))
