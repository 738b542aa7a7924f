"""kg view: one self-contained HTML page, loaded in headless Chromium: it shows nodes,
selects a node from the address, lists the sentences behind its relations, searches by
pinyin, and logs nothing to the console; on a synthetic graph of the national size it
opens on a bounded number of hubs without isolated nodes, places labels that do not
overlap, adds a node's neighbours on a click and filters by type and document. Skips
only where Chromium is not installed (.ci/run installs it)."""
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
    nodes, edges = data["nodes"], data["edges"]
    assert {data["types"][t] for t in nodes["type"]} == {"Person", "Agency", "Place", "Event"}
    wang = nodes["label"].index("王根元")
    assert nodes["pinyin"][wang] == "wáng gēn yuán"
    assert [data["docs"][d] for d in nodes["docs"][wang]] == ["a.txt", "b 2.txt"]
    assert "mentioned_in" not in data["rels"]
    posts = [e for e in range(len(edges["s"]))
             if data["rels"][edges["rel"][e]] == "holds_position" and edges["detail"].get(e) == "主席"]
    evidence = edges["ev"][posts[0]]
    assert [data["docs"][d] for d in evidence[0::2]] == ["a.txt", "b 2.txt"]
    assert all(isinstance(data["texts"][t], str) for t in evidence[1::2])
    assert len(data["texts"]) == len(set(data["texts"]))  # each sentence stored once
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


# ---- at the size of the national reports: 3,200 entities, 2,080 of them isolated ----

START = 150  # the bound on nodes drawn at start (START in the page's script)
PER_CLICK = 25


def _synthetic_graph():
    import importlib.util
    path = Path(__file__).resolve().parents[2] / "bench" / "viewer_size.py"
    spec = importlib.util.spec_from_file_location("viewer_size", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_graph(3200, isolated=0.65)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """(graph, page, {node: neighbours}) for a synthetic graph of the national size."""
    graph = _synthetic_graph()
    page = tmp_path_factory.mktemp("national") / "graph.html"
    page.write_text(render(graph), encoding="utf-8")
    neighbours = {n: set() for n, d in graph.nodes(data=True) if d["type"] != "Document"}
    for u, v, d in graph.edges(data=True):
        if d["relation"] != "mentioned_in":
            neighbours[u].add(v)
            neighbours[v].add(u)
    return graph, page, neighbours


def state(dom: str, element: str = "kg-state") -> dict:
    """The JSON the page (or a test script) wrote into ``<pre id=element>``."""
    import html
    import json
    found = re.search(rf'<pre id="{element}">(.*?)</pre>', dom, re.S)
    assert found, f"no {element} in the page"
    return json.loads(html.unescape(found.group(1)))


def with_script(page: Path, script: str, tmp_path: Path) -> Path:
    """A copy of ``page`` with ``script`` run after the page's own, as a user would act."""
    text = page.read_text(encoding="utf-8")
    helpers = ('const read = () => JSON.parse(document.getElementById("kg-state").textContent);'
               'const out = (id, v) => { const pre = document.createElement("pre"); pre.id = id;'
               ' pre.textContent = JSON.stringify(v); document.body.appendChild(pre); };')
    copy = tmp_path / "acted.html"
    copy.write_text(text.replace("</body>", f"<script>setTimeout(() => {{ {helpers} {script} }}, 0);</script></body>"),
                    encoding="utf-8")
    return copy


def degree(graph, node) -> int:
    return sum(1 for *_, d in graph.edges(node, data=True) if d["relation"] != "mentioned_in") + \
        sum(1 for *_, d in graph.in_edges(node, data=True) if d["relation"] != "mentioned_in")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_national_size_opens_on_the_hubs_without_isolated_nodes(national, tmp_path):
    graph, page, neighbours = national
    isolated = {n for n, near in neighbours.items() if not near}
    assert len(neighbours) == 3200 and len(isolated) >= 2000
    dom, console = chromium(page.as_uri(), tmp_path)
    assert console == "" and 'data-ready="1"' in dom
    assert re.search(r'<div id="errors">\s*</div>', dom)
    count = int(re.search(r'data-drawn="(\d+)"', dom).group(1))
    assert 0 < count <= START  # the old page drew all 3,200
    drawn = [n["id"] for n in state(dom)["nodes"]]
    assert len(drawn) == count
    assert not isolated & set(drawn)  # hidden by default
    assert f"{len(isolated)} isolated hidden" in dom
    top = sorted((degree(graph, n) for n in neighbours), reverse=True)[:START]
    assert sorted((degree(graph, n) for n in drawn), reverse=True) == top  # the most connected
    assert 'id="hubs"' in dom  # and a list of the biggest hubs to start from


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_drawn_labels_do_not_overlap(national, tmp_path):
    _, page, _ = national
    dom, console = chromium(page.as_uri(), tmp_path)
    assert console == ""
    drawn = state(dom)
    boxes = [label["box"] for label in drawn["labels"]]
    assert len(boxes) >= 20 and f'data-labels="{len(boxes)}"' in dom
    assert {label["id"] for label in drawn["labels"]} <= {n["id"] for n in drawn["nodes"]}
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        assert x0 < x1 and y0 < y1
        for a0, b0, a1, b1 in boxes[:i]:
            assert x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0, "two labels overlap"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_click_adds_neighbours_and_back_undoes(national, tmp_path):
    import json
    graph, page, neighbours = national
    hub = max(neighbours, key=lambda n: (len(neighbours[n]), n))
    script = f"""
      const before = read(); out("t-before", before);
      const node = before.nodes.find((n) => n.id === {json.dumps(hub)});
      const canvas = document.getElementById("canvas"), r = canvas.getBoundingClientRect();
      const at = {{ clientX: r.left + node.x, clientY: r.top + node.y, bubbles: true }};
      canvas.dispatchEvent(new MouseEvent("mousedown", at));
      canvas.dispatchEvent(new MouseEvent("mouseup", at));
      out("t-after", read());
      document.getElementById("back").click();
      out("t-back", read());"""
    dom, console = chromium(with_script(page, script, tmp_path).as_uri(), tmp_path)
    assert console == ""
    before, after, back = ({n["id"] for n in state(dom, name)["nodes"]} for name in ("t-before", "t-after", "t-back"))
    assert state(dom, "t-after")["selected"] == hub
    missing = neighbours[hub] - before
    assert missing  # the test needs a hub with neighbours not drawn at start
    added = after - before
    assert before <= after and added <= neighbours[hub]
    assert len(added) == min(PER_CLICK, len(missing))  # a bounded batch per click
    assert back == before and state(dom, "t-back")["selected"] is None


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_filters_by_type_and_by_document(national, tmp_path):
    import collections
    graph, page, neighbours = national
    per_doc = collections.Counter(d for n in neighbours if neighbours[n] for d in graph.nodes[n]["documents"])
    doc = per_doc.most_common(1)[0][0]
    script = f"""
      const place = document.querySelector('input[data-type="Place"]');
      place.checked = false; place.dispatchEvent(new Event("change"));
      out("t-types", read());
      const select = document.getElementById("doc");
      select.value = [...select.options].find((o) => o.textContent.startsWith("{doc} ")).value;
      select.dispatchEvent(new Event("change"));"""
    dom, console = chromium(with_script(page, script, tmp_path).as_uri(), tmp_path)
    assert console == ""
    no_places = [n["id"] for n in state(dom, "t-types")["nodes"]]
    assert no_places and not [n for n in no_places if n.startswith("Place:")]
    in_doc = [n["id"] for n in state(dom)["nodes"]]
    assert all(doc in graph.nodes[n]["documents"] and not n.startswith("Place:") for n in in_doc)
    eligible = [n for n in neighbours if neighbours[n] and doc in graph.nodes[n]["documents"]
                and not n.startswith("Place:")]
    assert len(in_doc) == min(START, len(eligible))  # starts again from the document's nodes
