"""The Dask LocalCluster against the process pool, on the same cores and corpus.

    .venv/bin/python bench/cluster.py [--mb 5] [--workers 1 2] [--formats ttl] [--repeat 2]

Makes a corpus with ``bench/big_corpus.py``'s generator (paragraphs of ``examples/``
recombined; a tenth of the documents in one ``.jsonl`` corpus, the rest one file each),
then builds it with ``kg build --jobs N`` (the local process pool, N = all cores) and with
``kg build --cluster local --jobs W`` for each W of ``--workers``, each build in a fresh
process. Prints per build the wall time, characters/s end to end (whole process: start-up,
LocalCluster start, extraction, merge, exports) and for extraction alone (the build's own
timer), the ratio to the process pool, peak memory of all processes, and the load average,
since other processes may share the cores, and whether each cluster build's graph.json
is the pool's, byte for byte. Not a test: the figures go into
docs/input-and-speed.md.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import kg_build, machine, run_measured  # noqa: E402
from big_corpus import generate  # noqa: E402


def measure(label: str, cmd: list[str], chars: int) -> dict:
    load = os.getloadavg()[0]
    m = run_measured(cmd)
    if m["status"] not in (0, 1):
        print(f"{label}: exit {m['status']}\n{m['stderr'][-3000:]}", file=sys.stderr)
        raise SystemExit(1)
    inner = re.search(r"time:\s+([\d.]+)s", m["stdout"])
    built = re.search(r"documents: (\d+) built, (\d+) skipped", m["stdout"])
    m.update(label=label, load_before=load, load_after=os.getloadavg()[0],
             inner=float(inner.group(1)) if inner else float("nan"),
             built=built.group(0) if built else "?")
    m["rate"] = chars / m["seconds"]
    m["inner_rate"] = chars / m["inner"]
    return m


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in megabytes (default 5)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the process pool (default: all cores)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="LocalCluster sizes to run (default: 1 2)")
    parser.add_argument("--formats", default=None, help="exports to write (default: kg build's)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of all builds, in turn; the fastest of each is compared (default 1)")
    args = parser.parse_args(argv)
    extra = ["--text-field", "content"] + (["--formats", args.formats] if args.formats else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        docs, chars, size = generate(folder, args.mb)
        print(f"machine: {machine()}")
        print(f"corpus:  {docs:,} documents, {chars:,} characters, {size / 1024 / 1024:.1f} MB")
        best: dict[str, dict] = {}
        for round_ in range(1, args.repeat + 1):  # in turn, so that each sees the same load
            runs = [measure(f"kg build --jobs {args.jobs} (process pool)",
                            kg_build([str(folder)], str(Path(tmp) / "pool"), args.jobs, *extra), chars)]
            for n in args.workers:
                runs.append(measure(f"kg build --cluster local --jobs {n}",
                                    kg_build([str(folder)], str(Path(tmp) / f"cluster{n}"), n, "--cluster", "local",
                                             *extra), chars))
            for m in runs:
                print(f"round {round_}: {m['label']}: {m['seconds']:.1f} s wall, extraction {m['inner']:.1f} s; "
                      f"load average {m['load_before']:.2f} before, {m['load_after']:.2f} after", flush=True)
                if m["label"] not in best or m["seconds"] < best[m["label"]]["seconds"]:
                    best[m["label"]] = m
        runs = list(best.values())
        if args.repeat > 1:
            print(f"fastest of {args.repeat} rounds:")
        pool = runs[0]
        same = [_export(Path(tmp) / f"cluster{n}") == _export(Path(tmp) / "pool") for n in args.workers]
        for m in runs:
            print(f"{m['label']}: {m['built']}; {m['seconds']:.1f} s wall, {m['rate']:,.0f} chars/s end to end "
                  f"({m['rate'] / pool['rate']:.2f} of the pool); extraction {m['inner']:.1f} s, "
                  f"{m['inner_rate']:,.0f} chars/s ({m['inner_rate'] / pool['inner_rate']:.2f}); peak memory "
                  f"{m['peak_tree_mb']:,.0f} MB all processes; load average {m['load_before']:.2f} before, "
                  f"{m['load_after']:.2f} after")
        print("graph.json byte for byte the process pool's: " +
              ", ".join(f"{n} workers {'yes' if ok else 'NO'}" for n, ok in zip(args.workers, same)))
    return 0


def _export(out: Path) -> bytes:
    json_file = out / "graph.json"
    return json_file.read_bytes() if json_file.exists() else b""


if __name__ == "__main__":
    sys.exit(main())
