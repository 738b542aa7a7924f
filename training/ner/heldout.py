"""Score a model directory on the held-out training slices (the model-selection sets of
train.py and tune_bias.py; never the test sets).

    python training/ner/heldout.py [MODEL_DIR ...]

Without arguments the shipped model is scored. Prints MSRA slice micro F1 (Title
predictions ignored), CLUENER slice micro F1 and their mean, with per-type F1.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from data import gold_spans, load_all  # noqa: E402
from kg.ner import load_tagger  # noqa: E402
from kg.ner.metrics import span_f1  # noqa: E402


def score_tagger(tagger, sets) -> tuple[float, str]:
    """Mean micro F1 over ``sets`` ((name, data, drop_title) triples) and a printable
    per-set, per-type breakdown."""
    fs = []
    parts = []
    for name, data, drop in sets:
        texts = [t for t, _ in data]
        gold = [gold_spans(["O" if x == "?" else x for x in g]) for _, g in data]
        pred = tagger.predict(texts)
        if drop:
            pred = [[s for s in p if s[2] != "Title"] for p in pred]
        r = span_f1(gold, pred)
        fs.append(r["micro"]["f1"])
        pt = " ".join(f"{k} {v['f1']:.3f}" for k, v in r["per_type"].items() if v["gold"])
        parts.append(f"{name} {r['micro']['f1']:.4f} ({pt})")
    return sum(fs) / len(fs), " | ".join(parts)


def heldout_sets():
    """The selection slices of train.py: last 2,000 MSRA train sentences (Title
    predictions ignored), last 700 CLUENER train lines."""
    msra_train, _, clue_train, _ = load_all()
    return [("msra_slice", msra_train[-2000:], True), ("clue_slice", clue_train[-700:], False)]


def score(model_dir, sets):
    mean, parts = score_tagger(load_tagger(model_dir, threads=1, backend="auto"), sets)
    print(f"{model_dir or 'shipped'}: mean {mean:.4f} | {parts}", flush=True)


def main(dirs):
    sets = heldout_sets()
    for d in dirs or [None]:
        score(d, sets)


if __name__ == "__main__":
    main(sys.argv[1:])
