"""Numpy inference for the char + bigram + lexicon BiLSTM-CRF tagger.

The weights are produced by ``training/ner/train.py`` (torch, dev-only); at run time
only numpy is needed.
"""
from __future__ import annotations

import gzip
import io
import json

import numpy as np

from .features import NUM_LEX, TAGS, Featurizer, lexicon_from_lines


class BiLSTMCRF:
    """``shared``: another model trained with the same vocabulary and features (a member
    of the same ensemble), whose featurizer and LAC encoder this one reuses."""

    def __init__(self, weights: dict, vocab: dict, lexicon: dict[str, int] | None,
                 shared: "BiLSTMCRF | None" = None):
        self.tags = list(vocab["tags"])
        if tuple(self.tags) != TAGS:
            raise ValueError(f"model tag set {self.tags} does not match {TAGS}")
        self.vocab = vocab
        self.feat = shared.feat if shared is not None else Featurizer(vocab["chars"], vocab["bigrams"], lexicon)
        H = int(vocab["hidden"])
        cd = int(vocab["char_dim"])
        bd = int(vocab["bigram_dim"])
        self.H = H
        f32 = np.float32
        # gate order in torch: i, f, g, o.  Sigmoid(x) = 0.5 * tanh(x / 2) + 0.5, so the
        # i, f, o pre-activations are scaled by 1/2 here and a single tanh serves all gates.
        scale = np.ones(4 * H, dtype=f32)
        scale[: 2 * H] = 0.5
        scale[3 * H:] = 0.5
        w_ih = np.concatenate([weights["w_ih_f"].astype(f32), weights["w_ih_b"].astype(f32)], 0)
        w_ih *= np.concatenate([scale, scale])[:, None]
        bias = np.concatenate([weights["b_f"], weights["b_b"]]).astype(f32) * np.concatenate([scale, scale])
        char_emb = weights["char_emb"].astype(f32)
        self.bigram_emb = weights["bigram_emb"].astype(f32)
        self.w_hh = np.stack([
            (weights["w_hh_f"].astype(f32) * scale[:, None]).T,
            (weights["w_hh_b"].astype(f32) * scale[:, None]).T,
        ])  # (2, H, 4H)
        self.out_w = np.ascontiguousarray(weights["out_w"].astype(f32).T)  # (2H, K)
        self.out_b = weights["out_b"].astype(f32)
        self.char_emb = char_emb
        self.w_in = np.ascontiguousarray(w_ih.T)  # (D, 8H), gates pre-scaled
        self.b_in = bias
        self.out_w_f = np.ascontiguousarray(self.out_w[:H])
        self.out_w_b = np.ascontiguousarray(self.out_w[H:])
        self.session = None
        self.trans = weights["trans"].astype(f32)
        self.start = weights["start"].astype(f32)
        self.end = weights["end"].astype(f32)
        # per-tag offsets added to the emissions (tuned on held-out data after training)
        self.tag_bias = weights["tag_bias"].astype(f32) if "tag_bias" in weights else np.zeros(len(TAGS), f32)
        # the accurate model also reads LAC's per-character states of the raw text (kg.ner.lac)
        self.extra = None
        if shared is not None:
            self.extra = shared.extra
        elif vocab.get("extra"):
            from .lac import LacEncoder

            self.extra = LacEncoder(vocab["extra"])
        expected = cd + 2 * bd + NUM_LEX + (self.extra.dim if self.extra else 0)
        if self.w_in.shape[0] != expected:
            raise ValueError(f"model input width {self.w_in.shape[0]} does not match its features ({expected})")

    @classmethod
    def load(cls, weights_file, vocab_file, lexicon_file, onnx_bytes: bytes | None = None,
             threads: int = 1, char_map_file=None) -> "BiLSTMCRF":
        """Each file argument is a binary file object (or path). With ``onnx_bytes`` (the
        lstm.onnx graph) and onnxruntime installed, the recurrence runs in onnxruntime."""
        with np.load(weights_file) as z:
            weights = {k: z[k] for k in z.files}
        vocab = json.load(io.TextIOWrapper(gzip.GzipFile(fileobj=_as_file(vocab_file)), encoding="utf-8"))
        lex = lexicon_from_lines(gzip.GzipFile(fileobj=_as_file(lexicon_file)).read().decode("utf-8"))
        model = cls(weights, vocab, lex)
        if char_map_file is not None:
            text = gzip.GzipFile(fileobj=_as_file(char_map_file)).read().decode("utf-8")
            pairs = [ln.split("\t")[:2] for ln in text.split("\n") if ln and not ln.startswith("#") and "\t" in ln]
            model.feat.add_char_map(pairs)
        if onnx_bytes is not None:
            model.attach_onnx(onnx_bytes, threads)
        return model

    def member(self, weights_file, onnx_bytes: bytes | None = None, threads: int = 1) -> "BiLSTMCRF":
        """Another model of the same ensemble (same vocabulary and features, other weights)."""
        with np.load(weights_file) as z:
            weights = {k: z[k] for k in z.files}
        model = BiLSTMCRF(weights, self.vocab, None, shared=self)
        if onnx_bytes is not None:
            model.attach_onnx(onnx_bytes, threads)
        return model

    def attach_onnx(self, onnx_bytes: bytes, threads: int = 1) -> bool:
        try:
            import onnxruntime as ort
        except ImportError:
            return False
        so = ort.SessionOptions()
        so.intra_op_num_threads = max(1, int(threads))
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        self.session = ort.InferenceSession(onnx_bytes, so, providers=["CPUExecutionProvider"])
        return True

    def _inputs(self, cid, bid, lexf, time_major: bool = False) -> np.ndarray:
        """Concatenated model inputs, (B, T, D) or (T, B, D) float32."""
        B, T = cid.shape
        cd = self.char_emb.shape[1]
        bd = self.bigram_emb.shape[1]
        width = cd + 2 * bd + lexf.shape[2]
        if time_major:
            cid, bid, lexf = cid.T, bid.T, lexf.transpose(1, 0, 2)
            x = np.empty((T, B, width), dtype=np.float32)
            left, right = bid[:T], bid[1:]
        else:
            x = np.empty((B, T, width), dtype=np.float32)
            left, right = bid[:, :T], bid[:, 1:]
        x[..., :cd] = np.take(self.char_emb, cid, axis=0)
        x[..., cd:cd + bd] = np.take(self.bigram_emb, left, axis=0)
        x[..., cd + bd:cd + 2 * bd] = np.take(self.bigram_emb, right, axis=0)
        x[..., cd + 2 * bd:] = lexf
        return x

    def _emissions_onnx(self, cid, bid, lexf, lengths):
        x = self._inputs(cid, bid, lexf, time_major=True)
        y = self.session.run(None, {"x": x, "seq_lens": lengths.astype(np.int32)})[0]  # (T, 2, B, H)
        em = y[:, 0] @ self.out_w_f
        em += y[:, 1] @ self.out_w_b
        em += self.out_b
        em += self.tag_bias
        return np.ascontiguousarray(em.transpose(1, 0, 2)), lengths

    # ------------------------------------------------------------------
    def emissions(self, norms: list[str], raws: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(B, T, K) emission scores and lengths for a batch of normalised texts.

        ``raws``: the same texts before normalisation (same lengths), which the accurate
        model's LAC features are computed on; defaults to ``norms``."""
        return self.emissions_of(*self.features(norms, raws))

    def features(self, norms: list[str], raws: list[str] | None = None):
        """(char ids, bigram ids, lexicon and LAC features, lengths) of a batch."""
        cid, bid, lexf, lengths = self.feat.batch(norms)
        if self.extra is not None:
            lexf = np.concatenate([lexf.astype(np.float32), self.extra.batch(norms if raws is None else raws)], 2)
        return cid, bid, lexf, lengths

    def emissions_of(self, cid, bid, lexf, lengths) -> tuple[np.ndarray, np.ndarray]:
        """Emission scores from the arrays of :meth:`features`."""
        if self.session is not None:
            return self._emissions_onnx(cid, bid, lexf, lengths)
        B, T = cid.shape
        H = self.H
        G = 4 * H
        # input projections (B, T, 8H): one GEMM over the concatenated inputs
        x = (self._inputs(cid, bid, lexf).reshape(B * T, -1) @ self.w_in).reshape(B, T, 2 * G)
        x += self.b_in
        # backward direction reads each sequence reversed (padding stays at the end)
        t_idx = np.arange(T)[None, :]
        rev = np.where(t_idx < lengths[:, None], lengths[:, None] - 1 - t_idx, t_idx)
        b_idx = np.arange(B)[:, None]
        xs = np.empty((T, 2, B, G), dtype=np.float32)
        xs[:, 0] = x[:, :, :G].transpose(1, 0, 2)
        xs[:, 1] = x[b_idx, rev, G:].transpose(1, 0, 2)
        h = np.zeros((2, B, H), dtype=np.float32)
        c = np.zeros((2, B, H), dtype=np.float32)
        out = np.empty((T, 2, B, H), dtype=np.float32)
        g = np.empty((2, B, G), dtype=np.float32)
        tmp = np.empty((2, B, H), dtype=np.float32)
        w_hh = self.w_hh
        for t in range(T):
            np.matmul(h, w_hh, out=g)
            g += xs[t]
            np.tanh(g, out=g)
            gi = g[:, :, :H]
            gf = g[:, :, H:2 * H]
            gg = g[:, :, 2 * H:3 * H]
            go = g[:, :, 3 * H:]
            # c = sig(f) * c + sig(i) * g, with sig(z) = 0.5 * tanh_half + 0.5
            gf += 1.0
            c *= gf
            gi += 1.0
            gi *= gg
            c += gi
            c *= 0.5
            # (c is now 0.5*[(tf+1)c + (ti+1)g] = sig(f)c + sig(i)g)
            np.tanh(c, out=tmp)
            go += 1.0
            go *= 0.5
            np.multiply(go, tmp, out=h)
            out[t] = h
        hf = out[:, 0].transpose(1, 0, 2)  # (B, T, H)
        hb = out[:, 1].transpose(1, 0, 2)[b_idx, rev]
        em = hf @ self.out_w[:H] + hb @ self.out_w[H:] + self.out_b + self.tag_bias
        return em, lengths

    def viterbi(self, em: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        B, T, K = em.shape
        score = self.start + em[:, 0]
        back = np.empty((T, B, K), dtype=np.int8)
        ident = np.broadcast_to(np.arange(K, dtype=np.int8), (B, K))
        trans = self.trans[None]
        for t in range(1, T):
            s = score[:, :, None] + trans
            idx = s.argmax(1)
            best = s.max(1)
            live = (t < lengths)[:, None]
            score = np.where(live, best + em[:, t], score)
            back[t] = np.where(live, idx, ident)
        score = score + self.end
        path = np.empty((B, T), dtype=np.int8)
        last = score.argmax(1)
        path[:, T - 1] = last
        ar = np.arange(B)
        for t in range(T - 1, 0, -1):
            last = back[t, ar, last]
            path[:, t - 1] = last
        return path

    def marginals(self, em: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Per-character tag marginals (B, T, K) by forward-backward.

        Scaled forward-backward in probability space: each step is a (B, K) x (K, K)
        product renormalised to sum 1, instead of a log-sum-exp over (B, K, K) (the
        same marginals to 1e-9, in about a third of the time). Emissions are shifted by
        their per-character maximum before ``exp``; forbidden transitions (-inf) give 0.
        """
        B, T, K = em.shape
        trans = np.exp(self.trans.astype(np.float64))
        e = em.astype(np.float64)
        e = np.exp(np.maximum(e - e.max(2, keepdims=True), -700.0))  # (B, T, K)
        live = np.arange(T)[None, :] < lengths[:, None]  # (B, T)
        alpha = np.empty((T, B, K), dtype=np.float64)
        a = np.exp(self.start.astype(np.float64) - self.start.max())[None] * e[:, 0]
        a /= a.sum(1, keepdims=True)
        alpha[0] = a
        for t in range(1, T):
            nxt = (a @ trans) * e[:, t]
            nxt /= nxt.sum(1, keepdims=True)
            a = np.where(live[:, t, None], nxt, a)
            alpha[t] = a
        last = (lengths - 1).clip(0)
        end = np.exp(self.end.astype(np.float64) - self.end.max())[None]
        beta = np.empty((T, B, K), dtype=np.float64)
        b = np.ones((B, K), dtype=np.float64)
        for t in range(T - 1, -1, -1):
            b = np.where((t == last)[:, None], end, b)  # the end score at each sequence's end
            beta[t] = b
            if t == 0:
                break
            prev = (e[:, t] * b) @ trans.T
            prev /= prev.sum(1, keepdims=True)
            b = np.where((t <= last)[:, None], prev, b)
        p = alpha.transpose(1, 0, 2) * beta.transpose(1, 0, 2)
        p /= np.maximum(p.sum(2, keepdims=True), 1e-300)
        return p


class AveragedModel:
    """An ensemble of taggers used as one: the members' emission and CRF scores are
    averaged, and decoding is the single model's. Members that share a featurizer and
    LAC encoder (the accurate model's, built with ``BiLSTMCRF.member``) get their features
    (the costly LAC states among them) computed once; others (training/ner/ensemble.py
    averages models with different vocabularies) each compute their own."""

    def __init__(self, members: list[BiLSTMCRF]):
        if not members:
            raise ValueError("an ensemble needs at least one model")
        self.members = members
        self.feat = members[0].feat
        self.extra = members[0].extra
        self.trans = np.mean([m.trans for m in members], 0)
        self.start = np.mean([m.start for m in members], 0)
        self.end = np.mean([m.end for m in members], 0)

    @property
    def session(self):
        """The first member's onnxruntime session (None: the numpy backend)."""
        return self.members[0].session

    def emissions(self, norms: list[str], raws: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        shared: dict[tuple[int, int], tuple] = {}
        ems = []
        for m in self.members:
            key = (id(m.feat), id(m.extra))
            if key not in shared:
                shared[key] = m.features(norms, raws)
            ems.append(m.emissions_of(*shared[key])[0])
        return np.mean(ems, 0), next(iter(shared.values()))[3]

    # decoding reads only trans, start and end
    viterbi = BiLSTMCRF.viterbi
    marginals = BiLSTMCRF.marginals


def _as_file(f):
    if isinstance(f, (str, bytes)) or hasattr(f, "__fspath__"):
        return open(f, "rb")
    return f
