"""Bad input, interrupted builds, and properties that must hold on any text."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.errors import InputError
from kg.pipeline import process_raw
from kg.read import read_doc
from kg.types import RawDoc

from _files import TEXT, TRADITIONAL, write_docx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_broken_symlink_is_named(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="gone.txt: broken symbolic link"):
        read_doc(link)


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match="locked.txt: cannot read: Permission denied"):
        read_doc(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_for_real(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match="locked.txt: cannot read"):
        read_doc(path)


def test_build_skips_each_bad_file_with_one_line(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(TEXT, encoding="utf-8")
    (docs / "empty.md").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (docs / "link.txt").symlink_to(docs / "nowhere.txt")
    with open(docs / "huge.txt", "wb") as handle:  # 50 MB, sparse: over the limit given below
        handle.truncate(50 * 1024 * 1024)
    docx_path = write_docx(docs / "cut.docx", ["标题", "正文。"])
    docx_path.write_bytes(docx_path.read_bytes()[:300])
    status = main(["build", str(docs), "-o", str(tmp_path / "out"), "--max-bytes", "10M", "--jobs", "1"])
    captured = capsys.readouterr()
    assert status == 1
    lines = [line for line in captured.err.splitlines() if line.startswith("skipped: ")]
    assert len(lines) == 5
    for name, why in [("empty.md", "empty file"), ("binary.txt", "binary file"),
                      ("link.txt", "broken symbolic link"), ("huge.txt", "over the size limit of 10.0 MB"),
                      ("cut.docx", "not a readable .docx")]:
        assert any(name in line and why in line for line in lines), (name, lines)
    assert "documents: 1 built, 5 skipped" in captured.out
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_max_bytes_usage_error(capsys):
    assert main(["build", "x", "-o", "y", "--max-bytes", "lots"]) == 2
    assert "not a size" in capsys.readouterr().err


def _corpus(folder: Path, n: int, seed: int = 0) -> Path:
    """``n`` documents recombined from the examples' paragraphs."""
    rng = random.Random(seed)
    paras = [p for f in sorted(EXAMPLES.iterdir()) for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = "\n\n".join(rng.choice(paras) for _ in range(rng.randint(2, 6)))
        (folder / f"doc{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("sig, jobs", [(signal.SIGKILL, 1), (signal.SIGINT, 2)], ids=["kill", "ctrl-c"])
def test_interrupted_build_leaves_previous_exports(tmp_path, sig, jobs):
    from kg.store import documents, open_store

    def store_quads() -> set:
        store = open_store(tmp_path / "store", read_only=True)
        try:
            return {str(q) for q in store.quads_for_pattern(None, None, None, None)}
        finally:
            del store

    out = tmp_path / "out"
    assert main(["build", str(EXAMPLES), "-o", str(out), "--store", str(tmp_path / "store"), "--jobs", "1"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    quads_before = store_quads()
    corpus = _corpus(tmp_path / "corpus", 400, seed=1)
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(out),
                             "--store", str(tmp_path / "store"), "--jobs", str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    time.sleep(6)
    assert proc.poll() is None, "the build ended before it could be interrupted; make the corpus larger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".tmp")}
    assert after == before
    assert store_quads() == quads_before  # the store too: none of the new documents went in
    store = open_store(tmp_path / "store", read_only=True)
    assert not any(d.startswith("doc") for d in documents(store))
    del store
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "interrupted" in err
        assert not list(out.glob("*.tmp"))


def test_every_export_of_a_random_corpus_parses_back(tmp_path):
    corpus = _corpus(tmp_path / "corpus", 6, seed=7)
    (corpus / "trad.txt").write_bytes(TRADITIONAL.encode("big5"))
    (corpus / "odd.txt").write_text("控制\x0c字符、表情😀和<标签>&“引号”。\n\n晋中市总工会召开会议。", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(corpus), "-o", str(out), "--jobs", "2"]) == 0
    for name, fmt in (("graph.ttl", "turtle"), ("graph.trig", "trig")):
        graph = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
        graph.parse(out / name, format=fmt)
        assert len(graph) > 0
    for name, read in (("graph.graphml", nx.read_graphml), ("graph.gexf", nx.read_gexf)):
        assert read(out / name).number_of_nodes() > 0
    from kg.graph import from_node_link

    graph = from_node_link(json.loads((out / "graph.json").read_text(encoding="utf-8")))
    labels = {d["label"] for _, d in graph.nodes(data=True) if d.get("type") == "Document"}
    assert {"trad.txt", "odd.txt"} <= labels


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300) | st.text(
    st.sampled_from(list("晋中市总工会副市长窦文华出席县委书记。，、；！？“”（）\n 　０１2024年3月本报讯記者國務院#*")),
    max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_processing_never_raises(nlp, text):
    result = process_raw(RawDoc("h.txt", "h.txt", text), nlp)
    for relation in result.relations:
        assert 0 <= relation.sentence < max(len(result.sentences), 1)
    for entity in result.entities:
        for m in entity.mentions:
            assert 0 <= m.raw_start <= m.raw_end <= len(text)


def test_ctrl_c_after_some_documents_leaves_the_store(tmp_path, monkeypatch, capsys):
    """Documents already extracted when Ctrl-C comes do not reach the store: the build's
    changes go in all at once at the end (kg.store.StoreUpdate)."""
    import kg.pipeline
    from kg.store import documents, open_store

    store_dir = tmp_path / "store"
    assert main(["build", str(EXAMPLES), "--store", str(store_dir), "--jobs", "1"]) == 0
    store = open_store(store_dir, read_only=True)
    before = (documents(store), len(store))
    del store
    real_stream = kg.pipeline.stream

    def interrupted(*args, **kwargs):
        for n, result in enumerate(real_stream(*args, **kwargs)):
            if n == 2:
                raise KeyboardInterrupt
            yield result

    monkeypatch.setattr(kg.pipeline, "stream", interrupted)
    corpus = _corpus(tmp_path / "corpus", 5, seed=3)
    assert main(["build", str(corpus), "--store", str(store_dir), "--jobs", "1"]) == 130
    assert "interrupted" in capsys.readouterr().err
    store = open_store(store_dir, read_only=True)
    assert (documents(store), len(store)) == before
    del store
    # the lock file beside the store stays (removing a lock file is not safe while others may wait on it)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".store.lock") == ["corpus", "store"]


def test_bad_first_files_do_not_make_a_build_sequential(tmp_path, monkeypatch):
    """Workers start when two documents are found, however many unreadable files come first."""
    import kg.pipeline

    chosen = []
    monkeypatch.setattr(kg.pipeline, "_parallel", lambda items, jobs, into: chosen.append("parallel") or iter(()))
    monkeypatch.setattr(kg.pipeline, "_sequential", lambda items, nlp, into: chosen.append("sequential") or iter(()))
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a0.txt", "a1.md"):
        (docs / name).write_bytes(b"")  # empty: an error item each, sorted first
    (docs / "b.txt").write_text("晋中市总工会召开会议。", encoding="utf-8")
    (docs / "c.txt").write_text("平遥县委召开会议。", encoding="utf-8")
    list(kg.pipeline.stream([docs], jobs=2, nlp=object()))
    list(kg.pipeline.stream([docs / "a0.txt", docs / "b.txt"], jobs=2, nlp=object()))
    assert chosen == ["parallel", "sequential"]
