"""Span-level precision / recall / F1 (exact start, end and type)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence


def span_f1(gold: Sequence[Iterable[tuple]], pred: Sequence[Iterable[tuple]]) -> dict:
    """Micro and per-type scores for parallel lists of span collections.

    Each span is ``(start, end, type, ...)``; only the first three fields count.
    Returns ``{"micro": {"p", "r", "f1", "tp", "gold", "pred"}, "per_type": {type: {...}}}``.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items, pred has {len(pred)}")
    tp: Counter = Counter()
    ng: Counter = Counter()
    npred: Counter = Counter()
    for g, p in zip(gold, pred):
        gs = {tuple(s[:3]) for s in g}
        ps = {tuple(s[:3]) for s in p}
        for s in gs:
            ng[s[2]] += 1
        for s in ps:
            npred[s[2]] += 1
        for s in gs & ps:
            tp[s[2]] += 1

    def score(t, g_, p_):
        prec = t / p_ if p_ else 0.0
        rec = t / g_ if g_ else 0.0
        f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {"p": prec, "r": rec, "f1": f, "tp": t, "gold": g_, "pred": p_}

    types = sorted(set(ng) | set(npred))
    return {
        "micro": score(sum(tp.values()), sum(ng.values()), sum(npred.values())),
        "per_type": {t: score(tp[t], ng[t], npred[t]) for t in types},
    }
