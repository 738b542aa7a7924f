"""Teacher posteriors for distillation: an ensemble of trained taggers (emissions and CRF
transitions averaged, as in ensemble.py) labels each training text with per-character
tag marginals, which train.py --teacher uses as soft targets next to the gold labels.

An ensemble of four trained models scores ~0.01 above any single one on the held-out
slices (docs/ner.md), at four times the tagging cost; a student of the shipped size
trained towards the ensemble's posteriors keeps the cost of one model.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from ensemble import load_ensemble
from kg.ner.features import normalise


def _weights_stamp(model_dir: str) -> str:
    from kg.ner import MODEL_PACKAGE, MODELS, WEIGHTS
    from importlib import resources

    path = (resources.files(MODEL_PACKAGE).joinpath(MODELS["fast"]) if model_dir == "-" else Path(model_dir)) / WEIGHTS
    st = os.stat(str(path))
    return f"{model_dir}:{st.st_size}:{st.st_mtime_ns}"


def teacher_marginals(texts: list[str], model_dirs: list[str], cache: str | None = None,
                      batch_chars: int = 6000) -> dict[str, np.ndarray]:
    """text -> (len(text), K) float16 marginals of the teacher ensemble."""
    unique = sorted(set(texts), key=len)
    # the cache is keyed by the texts and by each teacher's weights file (size and time),
    # so a retrained or re-shipped model in the same directory is not served stale posteriors
    stamps = [_weights_stamp(d) for d in model_dirs]
    key = hashlib.sha1(("\n".join(stamps) + "\x00" + "\x01".join(unique)).encode()).hexdigest()[:16]
    if cache and os.path.exists(f"{cache}.{key}.npz"):
        with np.load(f"{cache}.{key}.npz") as z:
            flat, offsets = z["flat"], z["offsets"]
        return {t: flat[offsets[i]:offsets[i + 1]] for i, t in enumerate(unique)}
    teacher = load_ensemble(model_dirs)
    out: dict[str, np.ndarray] = {}
    i = 0
    while i < len(unique):
        j = i + 1
        while j < len(unique) and len(unique[j]) * (j - i + 1) <= batch_chars:
            j += 1
        batch = unique[i:j]
        # raw texts too: a teacher that reads LAC's states computes them on the raw text
        em, lengths = teacher.emissions([normalise(t) for t in batch], batch)
        probs = teacher.marginals(em, lengths)
        for k, t in enumerate(batch):
            out[t] = probs[k, :len(t)].astype(np.float16)
        i = j
    if cache:
        offsets = np.cumsum([0] + [len(t) for t in unique])
        flat = np.concatenate([out[t] for t in unique]) if unique else np.zeros((0, 0), np.float16)
        np.savez(f"{cache}.{key}.npz", flat=flat, offsets=offsets)
    return out
