"""How `kg build` scales with the corpus: 10, 30 and 100 MB, process pool, LocalCluster, push.

    .venv/bin/python bench/scale.py [--mb 10 30] [--runs pool cluster1 cluster2 push]
                                    [--jobs 2] [--results scale.jsonl] [--corpus-dir DIR]

For each size of ``--mb`` a corpus is made with ``bench/big_corpus.py``'s generator
(paragraphs of ``examples/`` recombined; a tenth of the documents in one ``.jsonl``), then
each run of ``--runs`` is one fresh ``kg build`` process:

- ``pool``: ``kg build --jobs N`` with the default exports (the local process pool);
- ``disk``: the same with ``--merge disk`` (the merge state in SQLite, ``kg.diskgraph``);
- ``memory``: the same with ``--merge memory`` (the merge in one networkx graph);
- ``cluster1``, ``cluster2``: ``--cluster local --jobs 1`` / ``2`` (a Dask LocalCluster);
- ``push``: ``kg build --store`` (no exports), then ``kg push`` of that store into an
  Oxigraph server started for it (``oxigraph serve``), triples/s as ``kg push`` reports.

Each build prints: wall time, characters/s end to end and for extraction (the build's
own timer), the peak resident memory of every process of the build (the main process,
each worker) and of all of them together (sampled from /proc every 0.1 s), the size of
each export, and the load average before and after (other sessions may share the
cores). Every result is also appended as one JSON line to ``--results``, so a long
series that is stopped keeps what it measured. Not a test: the figures go into
docs/input-and-speed.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "unit"))  # the Oxigraph server the tests start

from _measure import machine, run_processes  # noqa: E402
from big_corpus import generate  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]
RUNS = ("pool", "disk", "memory", "cluster1", "cluster2", "push")


def _build(label: str, cmd: list[str], chars: int, out: Path | None) -> dict:
    load = os.getloadavg()
    m = run_processes(cmd, cwd=ROOT)
    if m["status"] not in (0, 1):
        print(f"{label}: exit {m['status']}\n{m['stderr'][-3000:]}", file=sys.stderr)
    inner = re.search(r"time:\s+([\d.]+)s", m["stdout"])
    built = re.search(r"documents: (\d+) built, (\d+) skipped", m["stdout"])
    m.update(label=label, load_before=list(load), load_after=list(os.getloadavg()),
             extraction_s=float(inner.group(1)) if inner else None,
             built=int(built.group(1)) if built else None, rate=chars / m["seconds"],
             extraction_rate=chars / float(inner.group(1)) if inner else None)
    m["exports_mb"] = ({p.name: round(p.stat().st_size / 1024 / 1024, 1) for p in sorted(out.iterdir())
                        if p.is_file() and not p.name.startswith(".")} if out is not None and out.is_dir() else {})
    return m


def _push(store: Path, folder: Path) -> dict:
    from _servers import oxigraph_server

    with oxigraph_server(folder / "oxigraph") as url:
        load = os.getloadavg()
        m = run_processes([*KG, "push", str(store), "--endpoint", url + "/query"], cwd=ROOT)
    rate = re.search(r"time:\s+([\d.]+)s \(([\d,]+) triples/s\)", m["stdout"])
    pushed = re.search(r"\(([\d,]+) triples\)(?:.*union \(([\d,]+) triples\))?", m["stdout"])
    m.update(label="kg push into oxigraph serve", load_before=list(load), load_after=list(os.getloadavg()),
             push_seconds=float(rate.group(1)) if rate else None,
             triples_per_s=int(rate.group(2).replace(",", "")) if rate else None,
             triples=sum(int(g.replace(",", "")) for g in pushed.groups() if g) if pushed else None)
    return m


def _line(m: dict, chars: int | None = None) -> str:
    workers = ", ".join(f"{n} {mb:,.0f}" for n, mb in m.get("peak_others_mb", []))
    text = (f"{m['label']}: exit {m['status']}, {m['seconds']:.1f} s wall")
    if chars:
        text += f", {m['rate']:,.0f} chars/s end to end"
        if m.get("extraction_rate"):
            text += f" ({m['extraction_rate']:,.0f} extraction, {m['extraction_s']:.1f} s)"
    if m.get("triples_per_s"):
        text += f", {m['triples']:,} triples in {m['push_seconds']:.1f} s: {m['triples_per_s']:,} triples/s"
    text += (f"; peak memory: main {m['peak_main_mb']:,.0f} MB, others [{workers}] MB, "
             f"all {m['peak_all_mb']:,.0f} MB; load {m['load_before'][0]:.2f} before, {m['load_after'][0]:.2f} after")
    if m.get("exports_mb"):
        text += "; exports " + ", ".join(f"{k} {v:,.1f} MB" for k, v in m["exports_mb"].items())
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[10.0, 30.0, 100.0],
                        help="corpus sizes in megabytes (default: 10 30 100)")
    parser.add_argument("--runs", nargs="+", default=["pool", "cluster1", "cluster2", "push"], choices=RUNS,
                        help="what to run on each corpus, in this order (default: pool cluster1 cluster2 push)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the process pool (default: all cores)")
    parser.add_argument("--formats", help="exports to write (default: kg build's)")
    parser.add_argument("--results", default="scale-results.jsonl",
                        help="append each result as a JSON line here (default: scale-results.jsonl)")
    parser.add_argument("--corpus-dir", help="make (or reuse) the corpora under this folder instead of a temporary one")
    parser.add_argument("--keep-exports", action="store_true", help="keep each build's exports (under --corpus-dir)")
    args = parser.parse_args(argv)
    extra = ["--text-field", "content"] + (["--formats", args.formats] if args.formats else [])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or os.environ.get("KG_COMMIT", "?")
    print(f"machine: {machine()}; commit {commit}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as tmp:
        base = Path(args.corpus_dir) if args.corpus_dir else Path(tmp)
        for mb in args.mb:
            folder = base / f"corpus-{mb:g}mb"
            stats = folder.with_suffix(".json")
            if stats.is_file() and folder.is_dir():
                docs, chars, size = json.loads(stats.read_text())
            else:
                folder.mkdir(parents=True, exist_ok=True)
                docs, chars, size = generate(folder, mb)
                stats.write_text(json.dumps([docs, chars, size]))
            print(f"corpus {mb:g} MB: {docs:,} documents, {chars:,} characters, {size / 1024 / 1024:.1f} MB",
                  flush=True)
            for run in args.runs:
                out = (base if args.keep_exports else Path(tmp)) / f"out-{mb:g}mb-{run}"
                if run == "push":
                    store = Path(tmp) / f"store-{mb:g}mb"
                    m = _build(f"kg build --store --jobs {args.jobs}",
                               [*KG, "build", str(folder), "--store", str(store), "--jobs", str(args.jobs),
                                "--text-field", "content"], chars, None)
                    _report(args, mb, "push-build", m, chars, commit)
                    if m["status"] in (0, 1):
                        _report(args, mb, "push", _push(store, Path(tmp)), None, commit)
                    subprocess.run(["rm", "-rf", str(store)])
                    continue
                options = {"pool": [], "disk": ["--merge", "disk"], "memory": ["--merge", "memory"],
                           "cluster1": ["--cluster", "local"], "cluster2": ["--cluster", "local"]}[run]
                jobs = {"cluster1": 1, "cluster2": 2}.get(run, args.jobs)
                label = f"kg build --jobs {jobs} {' '.join(options)}".strip()
                m = _build(label, [*KG, "build", str(folder), "-o", str(out), "--jobs", str(jobs), *options,
                                   *extra], chars, out)
                _report(args, mb, run, m, chars, commit)
                if not args.keep_exports:
                    subprocess.run(["rm", "-rf", str(out)])
    return 0


def _report(args, mb: float, run: str, m: dict, chars: int | None, commit: str) -> None:
    print(f"  {mb:g} MB {run}: {_line(m, chars)}", flush=True)
    if m["status"] not in (0, 1):
        print(m["stderr"][-2000:], flush=True)
    record = {k: v for k, v in m.items() if k not in ("stdout", "stderr")}
    record.update(mb=mb, run=run, commit=commit, when=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                  summary=m["stdout"][-1500:])
    with open(args.results, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
