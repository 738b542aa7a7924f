"""Evaluate a tagger on MSRA test and CLUENER dev (span-level micro F1, exact match)
and measure single-threaded speed.

    python training/ner/evaluate.py [--model DIR] [--backend auto|onnx|numpy] [--json out.json]

Without --model the shipped model (kg/resources/models/ner) is used. Set
OPENBLAS_NUM_THREADS=1 for a single-core figure (the script sets it if unset).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from data import DATA, gold_spans, read_cluener, read_msra  # noqa: E402
from kg.ner import load_tagger  # noqa: E402
from kg.ner.metrics import span_f1  # noqa: E402


def run(tagger, data, drop_types=()):
    texts = [t for t, _ in data]
    gold = [gold_spans(g) for _, g in data]
    t0 = time.perf_counter()
    pred = tagger.predict(texts)
    dt = time.perf_counter() - t0
    full = span_f1(gold, pred)
    if drop_types:
        pred = [[s for s in p if s[2] not in drop_types] for p in pred]
    return span_f1(gold, pred), full, sum(map(len, texts)) / dt


def fmt(res):
    m = res["micro"]
    lines = [f"  micro P {m['p']:.4f} R {m['r']:.4f} F1 {m['f1']:.4f} (gold {m['gold']}, pred {m['pred']})"]
    for t, v in res["per_type"].items():
        lines.append(f"  {t:7s} P {v['p']:.4f} R {v['r']:.4f} F1 {v['f1']:.4f} (gold {v['gold']})")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    t0 = time.perf_counter()
    tagger = load_tagger(args.model, threads=1, backend=args.backend)
    load_s = time.perf_counter() - t0
    msra = read_msra(DATA / "msra_ner" / "msra_test_bio.txt", unknown_o=False)
    clue = read_cluener(DATA / "cluener2020" / "dev.json")
    tagger.predict([t for t, _ in msra[:200]])  # warm-up
    out = {"load_seconds": load_s}
    # MSRA has no title annotation: its official figure ignores Title predictions
    # (they are neither right nor wrong there); the raw figure counts them as errors.
    for name, data, drop in (("msra_test", msra, ("Title",)), ("cluener_dev", clue, ())):
        res, full, cps = run(tagger, data, drop)
        out[name] = {"scores": res, "chars_per_s": cps}
        print(f"{name}: {cps:,.0f} chars/s\n{fmt(res)}", flush=True)
        if drop:
            out[name + "_counting_titles"] = {"scores": full}
            print(f"{name} counting Title predictions as false positives: micro F1 {full['micro']['f1']:.4f}")
    # speed on a large mixed batch (both test sets, 3 times over)
    texts = [t for t, _ in msra] + [t for t, _ in clue]
    texts = texts * 3
    n = sum(map(len, texts))
    t0 = time.perf_counter()
    tagger.predict(texts)
    dt = time.perf_counter() - t0
    out["speed_chars_per_s"] = n / dt
    print(f"speed: {n} chars in {dt:.2f}s = {n / dt:,.0f} chars/s (single thread, backend "
          f"{'onnxruntime' if tagger.model.session is not None else 'numpy'}); load {load_s:.2f}s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
