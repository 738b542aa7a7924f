"""Size and load time of the ``kg view`` page on synthetic graphs.

    .venv/bin/python bench/viewer_size.py [--nodes 1000 100000] [--isolated 0.7]

Makes a graph in the shape of a build's (entities with Chinese names, pinyin, documents
and aliases; relations with evidence sentences, some sentences behind several relations;
document nodes and mentioned_in edges; a share of isolated nodes, as in the national
reports where 2,082 of 2,910 entities have no relation), renders the page with
``kg.viewer.render`` and loads it in headless Chromium. Prints the page size, the time
to render it in Python, the page's own load time (``data-load-ms``: from navigation
start to the first drawing, read from the DOM), the part of it spent in the page's
script (``data-script-ms``: parsing the data, indexing, layout, first drawing) and the wall time of the Chromium run.
Not a test: the figures go into docs/rdf-and-queries.md. ``synthetic_graph`` is also
used by tests/unit/test_viewer.py.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHARS = {"中": "zhōng", "国": "guó", "山": "shān", "西": "xī", "晋": "jìn", "城": "chéng",
         "市": "shì", "县": "xiàn", "河": "hé", "东": "dōng", "南": "nán", "北": "běi",
         "新": "xīn", "华": "huá", "安": "ān", "平": "píng", "阳": "yáng", "长": "cháng",
         "江": "jiāng", "海": "hǎi", "王": "wáng", "李": "lǐ", "张": "zhāng", "刘": "liú",
         "工": "gōng", "会": "huì", "局": "jú", "委": "wěi", "发": "fā", "展": "zhǎn"}
SUFFIX = {"Person": "", "Agency": "局", "Place": "市", "Initiative": "工程", "Event": "会议"}
FILLER = ("坚持以人民为中心的发展思想，推动高质量发展，扎实做好各项工作，确保目标任务全面完成，"
          "深化改革开放，加强生态环境保护，稳步推进城乡建设，不断增进民生福祉，维护社会和谐稳定。")


def synthetic_graph(n: int, isolated: float = 0.7, seed: int = 1) -> nx.MultiDiGraph:
    """A graph of ``n`` entities, ``isolated`` of them (a share) without relations, the
    others linked with a skewed degree (a few hubs, many leaves), about 1.1 relations
    per linked entity, each with one to four evidence sentences of 30 to 90
    characters; one document per 40
    entities."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    docs = [f"report_{i:05d}.txt" for i in range(max(1, n // 40))]
    for doc in docs:
        graph.add_node(f"Document:{doc}", type="Document", label=doc, aliases=[])
    kinds = list(SUFFIX)
    ids, seen = [], set()
    for i in range(n):
        lone = i >= n * (1 - isolated)  # mostly initiatives, as in the reports
        kind = "Initiative" if lone and rng.random() < 0.8 else rng.choice(kinds)
        while True:
            chars = rng.choices(list(CHARS), k=rng.randint(2, 4))
            label = "".join(chars) + SUFFIX[kind]
            if (kind, label) not in seen:
                break
        seen.add((kind, label))
        node = f"{kind}:{label}"
        own = sorted(rng.sample(docs, k=min(len(docs), rng.randint(1, 3))))
        graph.add_node(node, type=kind, label=label, pinyin=" ".join(CHARS[c] for c in chars),
                       aliases=[label[:2]] if rng.random() < 0.1 else [], documents=own,
                       confidence=0.9, mentions=[])
        for doc in own:
            graph.add_edge(node, f"Document:{doc}", key="mentioned_in", relation="mentioned_in", count=1)
        ids.append(node)
    linked = ids[:int(n * (1 - isolated))]
    sentences = [f"第{i}句：{FILLER[:rng.randint(30, len(FILLER))]}" for i in range(max(1, len(linked)))]
    for i, node in enumerate(linked[1:], start=1):
        for _ in range(1 if rng.random() < 0.9 else 3):
            target = linked[int(i * rng.random() ** 4)]  # early nodes become hubs
            if target == node:
                continue
            relation = rng.choice(["located_in", "part_of", "involved_in", "sub_organization_of"])
            evidence = [{"doc": rng.choice(docs), "text": rng.choice(sentences)}
                        for _ in range(rng.randint(1, 4))]
            graph.add_edge(node, target, key=relation, relation=relation, confidence=0.8,
                           evidence=evidence)
    return graph


def chromium_load(page: Path) -> tuple[float, int, int, str]:
    """(wall seconds, the page's data-load-ms and data-script-ms, console lines) of a
    headless Chromium run."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise SystemExit("Chromium is not installed.")
    with tempfile.TemporaryDirectory() as profile:
        started = time.perf_counter()
        proc = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             "--window-size=1200,800", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - started
    load, script = (re.search(rf'data-{name}-ms="(\d+)"', proc.stdout) for name in ("load", "script"))
    console = "\n".join(line for line in proc.stderr.splitlines() if ":CONSOLE" in line)
    return wall, int(load.group(1)) if load else -1, int(script.group(1)) if script else -1, console


def main() -> None:
    from kg.viewer import render

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--isolated", type=float, default=0.7)
    args = parser.parse_args()
    print("| entities | isolated | relations | page | render (Python) | page load | of which our script | Chromium run |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.nodes:
            graph = synthetic_graph(n, args.isolated)
            started = time.perf_counter()
            text = render(graph)
            rendered = time.perf_counter() - started
            page = Path(folder) / f"graph_{n}.html"
            page.write_text(text, encoding="utf-8")
            wall, load_ms, script_ms, console = chromium_load(page)
            relations = sum(1 for *_, d in graph.edges(data=True) if d["relation"] != "mentioned_in")
            size = page.stat().st_size
            print(f"| {n:,} | {args.isolated:.0%} | {relations:,} | {size / 1e6:.2f} MB | {rendered:.2f} s "
                  f"| {load_ms:,} ms | {script_ms:,} ms | {wall:.1f} s |" + (f" console: {console}" if console else ""))


if __name__ == "__main__":
    main()
