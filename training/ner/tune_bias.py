"""Tune per-type emission offsets on the held-out training slices (never on test data)
and store them in MODEL_DIR/weights.npz as ``tag_bias``.

    python training/ner/tune_bias.py MODEL_DIR

Held-out slices (the same as train.py's model selection): last 2,000 MSRA train sentences
(scored without Title predictions, as MSRA has no titles) and last 700 CLUENER train
lines. Objective: mean of the two micro F1s.
"""
from __future__ import annotations

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from data import gold_spans, load_all  # noqa: E402
from kg.ner import LABELS, load_tagger  # noqa: E402
from kg.ner.features import TAGS  # noqa: E402
from kg.ner.metrics import span_f1  # noqa: E402


def main(model_dir: str) -> None:
    msra_train, _, clue_train, _ = load_all()
    msra_dev, clue_dev = msra_train[-2000:], clue_train[-700:]
    tagger = load_tagger(model_dir, backend="auto")
    model = tagger.model
    cache: dict = {}
    orig = model.emissions

    def cached(norms, raws=None):
        key = tuple(norms)
        if key not in cache:
            em, lengths = orig(norms, raws)
            cache[key] = (em - model.tag_bias, lengths)
        em, lengths = cache[key]
        return em + model.tag_bias, lengths

    model.emissions = cached
    sets = []
    for data, drop in ((msra_dev, True), (clue_dev, False)):
        texts = [t for t, _ in data]
        gold = [gold_spans(["O" if x == "?" else x for x in g]) for _, g in data]
        sets.append((texts, gold, drop))

    def score(bias):
        model.tag_bias = bias.astype(np.float32)
        fs = []
        for texts, gold, drop in sets:
            pred = tagger.predict(texts)
            if drop:
                pred = [[s for s in p if s[2] != "Title"] for p in pred]
            fs.append(span_f1(gold, pred)["micro"]["f1"])
        return float(np.mean(fs)), fs

    bias = np.zeros(len(TAGS), dtype=np.float32)
    best, fs = score(bias)
    print(f"start {best:.4f} {fs}", flush=True)
    for rnd in range(2):
        for k, lab in enumerate(LABELS):
            cols = [TAGS.index(f"B-{lab}"), TAGS.index(f"I-{lab}")]
            for step in (-1.0, -0.5, -0.25, 0.25, 0.5, 1.0) if rnd == 0 else (-0.2, -0.1, 0.1, 0.2):
                trial = bias.copy()
                trial[cols] += step
                sc, f = score(trial)
                if sc > best + 1e-4:
                    best, fs, bias = sc, f, trial
                    print(f"  {lab} {step:+.2f} -> {best:.4f} {f}", flush=True)
    print("bias", dict(zip(TAGS, bias.round(3).tolist())), "score", best, fs)
    path = os.path.join(model_dir, "weights.npz")
    with np.load(path) as z:
        w = {k: z[k] for k in z.files}
    w["tag_bias"] = bias
    np.savez_compressed(path, **w)
    print(f"wrote tag_bias to {path}")


if __name__ == "__main__":
    main(sys.argv[1])
