"""kg view: one self-contained HTML page, loaded in headless Chromium: it shows nodes,
selects a node from the address, lists the sentences behind its relations, searches by
pinyin, and logs nothing to the console. Skips only where Chromium is not installed
(.ci/run installs it)."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from kg.cli import main
from kg.graph import build_graph, to_node_link
from kg.types import Relation
from kg.viewer import render, viewer_data, write_viewer

from test_graph import UNION, WANG, two_documents

HOSTILE = '主席王根元说：</script><script>window.pwned=1</script> & <b>不是标签</b>'
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def graph():
    docs = two_documents()
    extra = Relation("holds_position", WANG, UNION, "a.txt", 0, HOSTILE, 0.5, "title_link",
                     title="党组书记", raw_start=1, raw_end=9)
    docs[0] = replace(docs[0], relations=docs[0].relations + (extra,))
    return build_graph(docs)


@pytest.fixture(scope="module")
def page(graph, tmp_path_factory):
    import json
    folder = tmp_path_factory.mktemp("viewer")
    (folder / "graph.json").write_text(json.dumps(to_node_link(graph), ensure_ascii=False), encoding="utf-8")
    return write_viewer(folder, folder / "graph.html")


def chromium(url: str, tmp_path: Path) -> tuple[str, str]:
    """(DOM after load, console log lines) of ``url`` in headless Chromium."""
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--window-size=1200,800", "--virtual-time-budget=3000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, "\n".join(console)


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<link" not in text and "@import" not in text
    assert "</script><script>window.pwned" not in text  # the hostile sentence is escaped
    assert text.count("</script>") == 2


def test_viewer_data_leaves_documents_out(graph):
    data = viewer_data(graph)
    assert {n["type"] for n in data["nodes"]} == {"Person", "Agency", "Place", "Event"}
    wang = next(n for n in data["nodes"] if n["label"] == "王根元")
    assert wang["pinyin"] == "wáng gēn yuán" and wang["documents"] == ["a.txt", "b 2.txt"]
    assert all(e["rel"] != "mentioned_in" for e in data["edges"])
    posts = [e for e in data["edges"] if e["rel"] == "holds_position" and e["detail"] == "主席"]
    assert [ev["doc"] for ev in posts[0]["evidence"]] == ["a.txt", "b 2.txt"]
    assert "<html" in render(graph)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_page_loads_in_chromium_and_shows_a_node(page, tmp_path):
    dom, console = chromium(f"{page.as_uri()}#node={quote('Person:王根元')}", tmp_path)
    assert console == ""
    assert 'data-ready="1"' in dom
    assert int(re.search(r'data-drawn="(\d+)"', dom).group(1)) >= 3  # zoomed in on the node
    assert re.search(r'<div id="errors">\s*</div>', dom)
    assert '<h2 id="selected-name">王根元</h2>' in dom
    relations = dom[dom.index('id="relations"'):]
    assert "晋中市总工会" in relations and "晋中市人大常委会" in relations
    assert "市人大常委会副主任、市总工会主席王根元出席会议。" in relations  # the evidence sentence
    assert "window.pwned=1" in relations and "<b>不是标签</b>" not in relations  # shown as text
    assert "<script>window.pwned" not in dom  # never became an element


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_search_by_pinyin_in_chromium(page, tmp_path):
    dom, console = chromium(f"{page.as_uri()}#q=jinzhong", tmp_path)
    assert console == ""
    matches = dom[dom.index('id="matches"'):dom.index('id="types"')]
    assert "晋中市总工会" in matches and "晋中市" in matches and "王根元" not in matches
    assert 'data-type="Person"' in dom  # the type filter
    assert 'data-drawn="7"' in dom  # the whole graph fits the window


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_kg_view_on_the_examples(tmp_path, capsys):
    from test_queries import examples_build
    exports, _ = examples_build()
    out = tmp_path / "graph.html"
    assert main(["view", str(exports), "-o", str(out)]) == 0
    dom, console = chromium(f"{out.as_uri()}#node={quote('Person:韩立军@长治市')}", tmp_path)
    assert console == "" and 'data-ready="1"' in dom
    assert '<h2 id="selected-name">韩立军</h2>' in dom and "长治市总工会" in dom
    assert main(["view", str(tmp_path / "nowhere"), "-o", str(out)]) == 1
    assert "No graph.json" in capsys.readouterr().err
