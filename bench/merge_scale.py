"""The merge and the exports alone, in memory against on disk, as the corpus grows.

    .venv/bin/python bench/merge_scale.py [--mb 3] [--copies 1 3 10 30] [--formats ttl,trig,graphml,gexf,json]

Extracts a corpus made as ``bench/big_corpus.py`` makes it once (``kg.pipeline.stream``,
all cores) and keeps the per-document results in a pickle; then, for each number of
``--copies``, merges that many copies of them (each copy's documents renamed, so they
are new documents; only the first copy keeps its MinHash signatures, so copies are not
near duplicates of each other) in a fresh process with ``kg.graph.build_graph``
(memory) and with ``kg.diskgraph.build_disk_graph`` (disk), and writes the exports.
Prints per run the seconds of the merge and of the exports and the peak resident
memory of the process: what ``kg build`` spends after extraction, without the hours
of extraction a big corpus takes. Not a test.
"""
from __future__ import annotations

import argparse
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _renamed(result, suffix: str):
    """A copy of a DocResult as another document (``<id>~<suffix>``)."""
    doc = f"{result.doc_id}~{suffix}"
    entities = tuple(replace(e, mentions=tuple(replace(m, doc_id=doc) for m in e.mentions)) for e in result.entities)
    relations = tuple(replace(r, doc_id=doc) for r in result.relations)
    return replace(result, doc_id=doc, entities=entities, relations=relations, minhash=())


def _results(path: Path, copies: int):
    with path.open("rb") as f:
        results = pickle.load(f)
    for result in results:
        yield result
    for n in range(1, copies):
        for result in results:
            yield _renamed(result, str(n))


def child(pickled: str, copies: int, merge: str, formats: str, out: str) -> None:
    from kg.export import write_exports

    started = time.perf_counter()
    results = _results(Path(pickled), copies)
    if merge == "disk":
        from kg.diskgraph import build_disk_graph

        graph = build_disk_graph(results)
    else:
        from kg.graph import build_graph

        graph = build_graph(results)
    merged = time.perf_counter()
    peak_merge = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write_exports(graph, out, formats.split(","))
    done = time.perf_counter()
    sizes = sum(p.stat().st_size for p in Path(out).iterdir()) / 1024 / 1024
    if merge == "disk":
        graph.close()
    print(f"merge {merged - started:.1f} s (peak {peak_merge:,.0f} MB), exports {done - merged:.1f} s "
          f"({sizes:,.0f} MB), peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=3.0, help="size of the corpus extracted once (default 3)")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 3, 10, 30], help="copies merged (default 1 3 10 30)")
    parser.add_argument("--merges", nargs="+", default=["memory", "disk"], choices=("memory", "disk"))
    parser.add_argument("--formats", default="ttl,trig,graphml,gexf,json", help="exports (default: kg build's)")
    parser.add_argument("--results", help="keep the extracted results in this pickle (and reuse it)")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), *args.child[2:])
        return 0
    with tempfile.TemporaryDirectory(prefix="kg-merge-bench-") as tmp:
        pickled = Path(args.results) if args.results else Path(tmp) / "results.pickle"
        if not pickled.is_file():
            from big_corpus import generate

            from kg.formats import ReadOptions
            from kg.pipeline import stream

            (Path(tmp) / "corpus").mkdir()
            docs, chars, size = generate(Path(tmp) / "corpus", args.mb)
            started = time.perf_counter()
            results = list(stream([Path(tmp) / "corpus"], options=ReadOptions(text_field="content")))
            with pickled.open("wb") as f:
                pickle.dump(results, f, protocol=pickle.HIGHEST_PROTOCOL)
            print(f"extracted {docs:,} documents ({chars:,} characters) in {time.perf_counter() - started:.0f} s")
            del results
        for copies in args.copies:
            for merge in args.merges:
                load = os.getloadavg()[0]
                out = Path(tmp) / f"out-{copies}-{merge}"
                started = time.perf_counter()
                done = subprocess.run([sys.executable, __file__, "--child", str(pickled), str(copies), merge,
                                       args.formats, str(out)], capture_output=True, text=True)
                line = done.stdout.strip() or done.stderr.strip()[-2000:]
                print(f"{copies:>3} copies, {merge:>6}: {line}; {time.perf_counter() - started:.0f} s in all, "
                      f"load {load:.2f} before, {os.getloadavg()[0]:.2f} after", flush=True)
                subprocess.run(["rm", "-rf", str(out)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
