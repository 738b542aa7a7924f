"""Benchmark: ``kg push`` throughput (triples/s) into the Oxigraph server, for the example
documents and for a bigger generated corpus.

    .venv/bin/python bench/push_speed.py [--mb 5] [--jobs N] [--store DIR] [--virtuoso]

Builds ``examples/`` into a store, and ``--mb`` megabytes of documents made as
bench/big_corpus.py makes them (or takes an existing ``--store DIR``); then, for each
store, starts an Oxigraph server (``oxigraph serve``, the test extra's binary) on a
new database and runs ``kg push`` twice: into the empty server, and again (every graph
replaced). Prints the triples pushed, the rate ``kg push`` reports (named graphs and
the union, from the first request to the last answer) and the command's wall time
(Python start included). With ``--virtuoso`` the same into Virtuoso, if ``virtuoso-t``
is installed. Not a test: building the corpus takes a minute or more per megabyte
and core.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "unit"))  # the servers the tests start

from _measure import machine, run_measured  # noqa: E402
from _servers import oxigraph_server, virtuoso_binary, virtuoso_server  # noqa: E402
from big_corpus import generate  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]


def build_store(paths: list[str], store: Path, jobs: int) -> None:
    started = time.perf_counter()
    m = run_measured([*KG, "build", *paths, "--store", str(store), "--jobs", str(jobs), "--text-field", "content"],
                     cwd=ROOT)
    if m["status"] not in (0, 1):
        sys.exit(f"kg build failed:\n{m['stderr'][-3000:]}")
    documents = re.search(r"documents: (\d+) built", m["stdout"])
    print(f"  built {documents.group(1) if documents else '?'} documents into a store in "
          f"{time.perf_counter() - started:.0f} s")


def push(store: Path, endpoint: str, *extra: str, env: dict | None = None) -> str:
    m = run_measured([*KG, "push", str(store), "--endpoint", endpoint, *extra], cwd=ROOT, env=env)
    if m["status"] != 0:
        sys.exit(f"kg push failed: {m['stderr'].strip()}")
    pushed = re.search(r"\(([\d,]+) triples\).*union \(([\d,]+) triples\)", m["stdout"])
    rate = re.search(r"time:\s+([\d.]+)s \(([\d,]+) triples/s\)", m["stdout"])
    total = sum(int(n.replace(",", "")) for n in pushed.groups())
    return (f"{total:,} triples in {rate.group(1)} s: {rate.group(2)} triples/s "
            f"(command wall time {m['seconds']:.1f} s, peak memory {m['peak_tree_mb']:.0f} MB)")


def measure(name: str, store: Path, folder: Path, virtuoso: bool) -> None:
    with oxigraph_server(folder / f"oxigraph-{name}") as url:
        print(f"  Oxigraph, empty server:   {push(store, url + '/query')}")
        print(f"  Oxigraph, pushed again:   {push(store, url + '/query')}")
    if virtuoso:
        env = dict(os.environ, KG_SPARQL_PASSWORD="dba")
        login = ("--user", "dba", "--digest", "--union-graph", "https://w3id.org/kg-gov/graph/union")
        with virtuoso_server(folder / f"virtuoso-{name}") as url:
            print(f"  Virtuoso, empty server:   {push(store, url + '/sparql', *login, env=env)}")
            print(f"  Virtuoso, pushed again:   {push(store, url + '/sparql', *login, env=env)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the generated corpus in MB (default 5)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kg build --jobs")
    parser.add_argument("--store", help="push this store instead of building a generated corpus")
    parser.add_argument("--virtuoso", action="store_true", help="also push into Virtuoso (virtuoso-t)")
    args = parser.parse_args(argv)
    if args.virtuoso and virtuoso_binary() is None:
        parser.error("--virtuoso: virtuoso-t is not installed")
    print(f"machine: {machine()}, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="kg-push-bench-") as tmp:
        folder = Path(tmp)
        print("examples/:")
        build_store([str(ROOT / "examples")], folder / "examples", args.jobs)
        measure("examples", folder / "examples", folder, args.virtuoso)
        if args.store:
            big = Path(args.store)
            print(f"{big}:")
        else:
            (folder / "corpus").mkdir()
            docs, chars, size = generate(folder / "corpus", args.mb)
            print(f"generated corpus: {docs:,} documents, {chars:,} characters, {size / 1024 / 1024:.1f} MB")
            big = folder / "big"
            build_store([str(folder / "corpus")], big, args.jobs)
        measure("big", big, folder, args.virtuoso)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
