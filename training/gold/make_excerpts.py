"""Cut excerpts of 3-5k characters from the national government work reports for
annotation to the guidelines (training text for the learned components).

    python training/gold/make_excerpts.py [--n 24] [--seed 7]

Reports are picked spread over the years (the 2026 provincial reports and the 004
sections 16-28 are unseen test material and are never used); each excerpt starts and
ends at a paragraph break, at a seeded random position. Writes texts/nat_YEAR_START.txt.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("KG_SHARED_DATA", os.path.join(HERE, "..", "..", "..", "shared", "data"))
SOURCE = os.path.join(SHARED, "gov_work_reports_national", "government_work_reports.jsonl")


def excerpt(text: str, rng: random.Random, low: int = 3000, high: int = 5000) -> tuple[int, str]:
    breaks = [m.end() for m in re.finditer(r"\n+", text)]
    starts = [0] + [b for b in breaks if b < len(text) - low]
    start = rng.choice(starts)
    ends = [b for b in breaks if low <= b - start <= high]
    end = ends[-1] if ends else min(len(text), start + high)
    return start, text[start:end].strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--offset", type=float, default=0.0, help="shift the picks by this share of a step (a second batch: 0.5)")
    args = ap.parse_args()
    reports = [json.loads(line) for line in open(SOURCE, encoding="utf-8")]
    reports = [r for r in reports if len(r["content"]) > 8000]
    reports.sort(key=lambda r: str(r.get("year")))
    rng = random.Random(args.seed)
    step = len(reports) / args.n
    picked = [reports[min(len(reports) - 1, int((i + args.offset) * step))] for i in range(args.n)]
    out = os.path.join(HERE, "texts")
    os.makedirs(out, exist_ok=True)
    for r in picked:
        start, text = excerpt(r["content"], rng)
        name = f"nat_{r.get('year')}_{start}.txt"
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        print(name, len(text))


if __name__ == "__main__":
    main()
