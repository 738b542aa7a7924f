"""End-to-end build speed against jieba's part-of-speech tagger, on a real corpus.

    .venv/bin/python bench/build_speed.py [--corpus FILE.jsonl] [--text-field content]

Runs ``kg build`` on the corpus (default: the 72 national government work reports,
1.12 M characters) with ``--jobs 1`` and with all cores, each in a fresh process, and
in this process ``jieba.posseg.cut`` over the same texts. Prints characters per second
for both (ours end to end, start-up and export included, and ours for extraction
alone, from the build's own timer), their ratio, and peak memory. Not a test: the
figures go into docs/input-and-speed.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import kg_build, machine, run_measured  # noqa: E402

NATIONAL = "/work/shared/data/gov_work_reports_national/government_work_reports.jsonl"


def jieba_rate(texts: list[str]) -> tuple[float, float]:
    """(characters per second of jieba.posseg.cut over the texts, seconds), dictionary
    loading excluded (done before the clock starts)."""
    import jieba
    import jieba.posseg as posseg

    jieba.initialize()
    list(posseg.cut("预热一下词典。"))
    chars = sum(len(t) for t in texts)
    started = time.perf_counter()
    for text in texts:
        for _ in posseg.cut(text):
            pass
    seconds = time.perf_counter() - started
    return chars / seconds, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=NATIONAL)
    parser.add_argument("--text-field", default="content")
    parser.add_argument("--jobs", type=int, nargs="*", default=None, help="job counts to run (default: 1 and all cores)")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"{corpus}: no such corpus", file=sys.stderr)
        return 2
    texts = [json.loads(line)[args.text_field] for line in corpus.open(encoding="utf-8") if line.strip()]
    chars = sum(len(t) for t in texts)
    print(f"machine: {machine()}")
    print(f"corpus:  {corpus.name}: {len(texts)} documents, {chars:,} characters")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other processes share the cores)")
    jobs_list = args.jobs or sorted({1, os.cpu_count() or 1})
    for jobs in jobs_list:
        # jieba right before each build, so both see the same load on the machine
        jrate, jsec = jieba_rate(texts)
        print(f"jieba.posseg.cut: {jsec:.1f} s, {jrate:,.0f} chars/s (1 process, dictionary load excluded)")
        with tempfile.TemporaryDirectory() as out:
            m = run_measured(kg_build([str(corpus)], out, jobs, "--text-field", args.text_field))
        if m["status"] not in (0, 1):
            print(m["stderr"][-2000:], file=sys.stderr)
            return 1
        inner = re.search(r"time:\s+([\d.]+)s", m["stdout"])
        built = re.search(r"documents: (\d+) built, (\d+) skipped", m["stdout"])
        inner_s = float(inner.group(1)) if inner else float("nan")
        rate = chars / m["seconds"]
        print(f"kg build --jobs {jobs}: {m['seconds']:.1f} s wall, {rate:,.0f} chars/s end to end "
              f"(extraction alone {inner_s:.1f} s, {chars / inner_s:,.0f} chars/s); "
              f"{built.group(1) if built else '?'} built, {built.group(2) if built else '?'} skipped; "
              f"ratio to jieba.posseg {rate / jrate:.2f} end to end, {chars / inner_s / jrate:.2f} extraction; "
              f"peak memory {m['peak_tree_mb']:,.0f} MB all processes, {m['peak_process_mb']:,.0f} MB largest; "
              f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
