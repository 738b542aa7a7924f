"""The in-memory and the on-disk merge of one set of documents, compared: the graphs (nodes and
edges in order, with every attribute) and every export file, byte for byte.

    .venv/bin/python bench/merge_compare.py [FILE_OR_FOLDER …] [--text-field content]

Extracts the documents once (one process), merges them with ``kg.graph.build_graph`` and
with ``kg.diskgraph.build_disk_graph``, and prints the counts, whether the graphs are equal,
the seconds of each merge and of each path's exports, and for each export file whether
the two are identical. Default input: the national work reports. Not a test (it reads
``/work/shared``); ``tests/unit/test_diskgraph.py`` does the same on ``examples/``.
"""
import argparse
import filecmp
import os
import tempfile
import time
from collections import Counter

from kg.diskgraph import build_disk_graph
from kg.export import WRITERS, write_exports
from kg.formats import ReadOptions
from kg.graph import build_graph
from kg.pipeline import stream

NATIONAL = "/work/shared/data/gov_work_reports_national/government_work_reports.jsonl"

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("paths", nargs="*", default=[NATIONAL])
parser.add_argument("--text-field", default="content")
args = parser.parse_args()
out = tempfile.mkdtemp(prefix="kg-merge-compare-")
t = time.perf_counter()
results = list(stream(args.paths, jobs=1, options=ReadOptions(text_field=args.text_field)))
print("extracted", len(results), round(time.perf_counter() - t), "s", flush=True)
t = time.perf_counter(); memory = build_graph(results); print("memory merge", round(time.perf_counter() - t, 1), "s")
t = time.perf_counter(); disk = build_disk_graph(results); print("disk merge", round(time.perf_counter() - t, 1), "s")
nodes_m = [(n, dict(d)) for n, d in memory.nodes(data=True)]
edges_m = [(u, v, k, dict(d)) for u, v, k, d in memory.edges(keys=True, data=True)]
copy = disk.to_networkx()
nodes_d = [(n, dict(d)) for n, d in copy.nodes(data=True)]
edges_d = [(u, v, k, dict(d)) for u, v, k, d in copy.edges(keys=True, data=True)]
print("nodes", len(nodes_m), len(nodes_d), "edges", len(edges_m), len(edges_d))
print("nodes equal (order, attributes):", nodes_m == nodes_d, " edges equal:", edges_m == edges_d)
print("memory types", sorted(Counter(d["type"] for _, d in nodes_m).items()))
print("disk types  ", sorted(disk.counts()[0].items()))
print("memory relations", sorted(Counter(d["relation"] for *_, d in edges_m).items()))
print("disk relations  ", sorted(disk.counts()[1].items()))
print("mentions", sum(len(d.get("mentions", ())) for _, d in nodes_m), sum(len(d.get("mentions", ())) for _, d in nodes_d),
      "evidence", sum(len(d.get("evidence", ())) for *_, d in edges_m), sum(len(d.get("evidence", ())) for *_, d in edges_d))
for name, g in (("memory", memory), ("disk", disk)):
    t = time.perf_counter(); write_exports(g, f"{out}/{name}", list(WRITERS)); print(name, "exports", round(time.perf_counter() - t, 1), "s")
for f in sorted(os.listdir(f"{out}/memory")):
    a, b = f"{out}/memory/{f}", f"{out}/disk/{f}"
    print(f, os.path.getsize(a), "bytes, identical:", filecmp.cmp(a, b, shallow=False))
disk.close()
