"""A large generated corpus: time and peak memory of one ``kg build``.

    .venv/bin/python bench/big_corpus.py [--mb 100] [--jobs N] [--keep DIR] [--stream-only]

Makes about ``--mb`` megabytes of documents in a temporary folder from the example
documents in ``examples/`` (paragraphs shuffled and recombined across documents,
numbers and dates varied, a tenth of the files GBK-encoded, a tenth of the documents
in one .jsonl corpus), builds it with ``kg build``, and prints the time, the rate and
the peak memory of all build processes (target: under 4 GB). With ``--stream-only`` it
runs the extraction pipeline alone (``kg.pipeline.stream``: reading, workers,
results discarded), without merging the graph and writing exports. Not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import kg_build, machine, run_measured  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def paragraphs() -> list[str]:
    out = []
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".txt", ".md"):
            out.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    return out


def make_document(rng: random.Random, pool: list[str], n: int) -> str:
    year = rng.randint(2012, 2025)
    head = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    paras = [rng.choice(pool) for _ in range(n)]
    body = "\n\n".join(paras)
    body = re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** max(1, len(m.group(0))))), body)
    return f"{head}\n\n{body}\n"


def generate(folder: Path, megabytes: float, seed: int = 5) -> tuple[int, int, int]:
    """Write the corpus; return (documents, characters, bytes)."""
    rng = random.Random(seed)
    pool = paragraphs()
    target = int(megabytes * 1024 * 1024)
    written = docs = chars = 0
    corpus = (folder / "corpus.jsonl").open("w", encoding="utf-8")
    while written < target:
        text = make_document(rng, pool, rng.randint(8, 40))
        docs += 1
        chars += len(text)
        kind = rng.random()
        if kind < 0.1:
            line = json.dumps({"id": f"doc{docs}", "content": text, "year": text[:4]}, ensure_ascii=False) + "\n"
            corpus.write(line)
            written += len(line.encode("utf-8"))
            continue
        sub = folder / f"part{docs // 1000:03d}"
        sub.mkdir(exist_ok=True)
        data = text.encode("gb18030" if kind < 0.2 else "utf-8")
        (sub / f"doc{docs:06d}.txt").write_bytes(data)
        written += len(data)
    corpus.close()
    return docs, chars, written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in megabytes (default 100)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument("--stream-only", action="store_true", help="extraction only: no graph, no exports")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp) / "corpus"
        folder.mkdir(parents=True, exist_ok=True)
        docs, chars, size = generate(folder, args.mb)
        print(f"machine: {machine()}")
        print(f"corpus:  {docs:,} documents, {chars:,} characters, {size / 1024 / 1024:.1f} MB")
        if args.stream_only:
            m = run_measured([sys.executable, str(Path(__file__).with_name("_stream.py")), str(folder), str(args.jobs)])
            print(f"stream only (no graph, no exports), --jobs {args.jobs}: {m['stdout'].strip()}")
            print(f"{m['seconds']:.0f} s wall ({chars / m['seconds']:,.0f} chars/s), peak memory "
                  f"{m['peak_tree_mb']:,.0f} MB all processes ({m['peak_process_mb']:,.0f} MB largest), "
                  f"load average {os.getloadavg()[0]:.2f}")
            return 0
        m = run_measured(kg_build([str(folder)], str(Path(tmp) / "out"), args.jobs, "--text-field", "content"))
        print(m["stdout"].strip())
        if m["status"] not in (0, 1):
            print(m["stderr"][-3000:], file=sys.stderr)
        outputs = sorted((Path(tmp) / "out").glob("graph.*"))
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1024 / 1024:.0f} MB" for p in outputs)
        print(f"kg build --jobs {args.jobs}: {m['seconds']:.0f} s wall ({chars / m['seconds']:,.0f} chars/s, "
              f"{docs / m['seconds']:.1f} documents/s), exit {m['status']}, peak memory {m['peak_tree_mb']:,.0f} MB "
              f"all processes ({m['peak_process_mb']:,.0f} MB largest); exports: {sizes}; "
              f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
