"""Statistical named-entity tagger for Chinese text (Person, Place, Agency, Title).

    >>> from kg.ner import load_tagger
    >>> tagger = load_tagger()
    >>> tagger.predict(["张伟昨天在杭州市公安局讲话。"])  # doctest: +SKIP
    [[(0, 2, 'Person'), (5, 11, 'Agency')]]

A character BiLSTM-CRF with bigram and lexicon features, trained on MSRA NER and
CLUENER2020 (see docs/ner.md); inference needs numpy (onnxruntime, if installed, runs
the LSTM faster). ``load_tagger(model="accurate")`` gives two such taggers that also
read Baidu LAC's character states (``kg.ner.lac``), averaged: more accurate, about eight
times slower. Spans are character offsets (end exclusive), sorted by start and
non-overlapping.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .features import TAGS
from .metrics import span_f1
from .names import split_names

__all__ = ["load_tagger", "NerTagger", "span_f1", "LABELS", "MODELS"]

LABELS = ("Person", "Place", "Agency", "Title")
_PERSON = LABELS.index("Person")
MODEL_PACKAGE = "kg.resources"
# shipped models: name -> folder in MODEL_PACKAGE
MODELS = {
    # the default: fast enough for whole-corpus builds (docs/ner.md, docs/input-and-speed.md)
    "fast": "models/ner",
    # two taggers of the same design that also read Baidu LAC's per-character states
    # (kg.ner.lac), averaged: more accurate, several times slower; shares the fast model's
    # lexicon and character map
    "accurate": "models/ner-accurate",
}
WEIGHTS, VOCAB, LEXICON, ONNX = "weights.npz", "vocab.json.gz", "lexicon.txt.gz", "lstm.onnx"
CHAR_MAP = "t2s_chars.txt.gz"  # traditional -> simplified characters (OpenCC, Apache-2.0)

MAX_CHUNK = 200  # characters per chunk fed to the model
BATCH_CHARS = 12000  # padded characters per batch

_SENT_END = re.compile(r"[。！？!?；;\n\r]+")
_CLAUSE = re.compile(r"[，,、：:\s]+")

# tag index -> (is_begin, is_inside, type)
_TAG_INFO = []
for _t in TAGS:
    if _t == "O":
        _TAG_INFO.append((False, False, None))
    else:
        _TAG_INFO.append((_t[0] == "B", _t[0] == "I", _t[2:]))


def _split_at(text: str, start: int, end: int, pattern: re.Pattern, out: list) -> None:
    """Append (start, end) pieces of text[start:end], cut after matches of pattern."""
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.end() - pos > 0:
            out.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))


def chunk_text(text: str, max_len: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Cut text into (start, end) pieces of at most max_len characters, preferring
    sentence ends, then clause punctuation; whitespace-only pieces are dropped."""
    if not text:
        return []
    if len(text) <= max_len:
        return [(0, len(text))] if not text.isspace() else []
    sents: list[tuple[int, int]] = []
    _split_at(text, 0, len(text), _SENT_END, sents)
    out: list[tuple[int, int]] = []
    for s, e in sents:
        if e - s <= max_len:
            out.append((s, e))
            continue
        clauses: list[tuple[int, int]] = []
        _split_at(text, s, e, _CLAUSE, clauses)
        # greedily merge clauses up to max_len, hard-cut clauses that are too long
        cur_s, cur_e = None, None
        for cs, ce in clauses:
            while ce - cs > max_len:
                if cur_s is not None:
                    out.append((cur_s, cur_e))
                    cur_s = None
                out.append((cs, cs + max_len))
                cs += max_len
            if cur_s is None:
                cur_s, cur_e = cs, ce
            elif ce - cur_s <= max_len:
                cur_e = ce
            else:
                out.append((cur_s, cur_e))
                cur_s, cur_e = cs, ce
        if cur_s is not None:
            out.append((cur_s, cur_e))
    return [(s, e) for s, e in out if not text[s:e].isspace()]


def _batch_spans(paths: np.ndarray, lengths: np.ndarray):
    """Spans of a batch of constrained BIO paths (tag 0 = O, 2k+1 = B-type k, 2k+2 = I-type k).

    The CRF forbids I- tags that do not continue a span of the same type, so a span is a
    B- tag followed by a run of I- tags. Returns (row, start, end, type index) arrays.
    """
    B, T = paths.shape
    p = np.zeros((B, T + 1), dtype=np.int16)
    p[:, :T] = paths
    p[np.arange(T + 1)[None, :] >= lengths[:, None]] = 0
    flat = p.ravel()
    is_b = (flat > 0) & (flat % 2 == 1)
    not_i = ~((flat > 0) & (flat % 2 == 0))
    b_pos = np.nonzero(is_b)[0]
    stop = np.nonzero(not_i)[0]
    # end = first non-I position after the B
    ends = stop[np.searchsorted(stop, b_pos + 1)]
    rows = b_pos // (T + 1)
    return rows, b_pos - rows * (T + 1), ends - rows * (T + 1), (flat[b_pos] - 1) // 2


class NerTagger:
    """Batched tagger. ``predict`` never raises on odd input: non-strings give no spans."""

    def __init__(self, model, split_names: bool = True):
        self.model = model
        # cut Person spans that run several names together (see kg.ner.names)
        self.split_names = split_names

    def _run(self, texts: list[str], scored: bool) -> list[list[tuple]]:
        if texts is None:
            return []
        if isinstance(texts, str):
            texts = [texts]
        texts = list(texts)
        results: list[list[tuple]] = [[] for _ in texts]
        chunks = []  # (text index, start, normalised chunk, raw chunk)
        for k, text in enumerate(texts):
            if not isinstance(text, str) or not text:
                continue
            norm = self.model.feat.normalise(text)
            for s, e in chunk_text(norm):
                chunks.append((k, s, norm[s:e], text[s:e]))
        if not chunks:
            return results
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i][2]))
        i = 0
        while i < len(order):
            maxlen = len(chunks[order[i]][2])
            j = i
            while j < len(order):
                n = len(chunks[order[j]][2])
                if j > i and n * (j - i + 1) > BATCH_CHARS:
                    break
                maxlen = n
                j += 1
            idx = order[i:j]
            try:
                self._tag_batch(chunks, idx, results, scored)
            except Exception:  # never fail a whole batch on one odd chunk
                for c in idx:
                    try:
                        self._tag_batch(chunks, [c], results, scored)
                    except Exception:
                        pass
            i = j
        for r in results:
            r.sort()
        return results

    def _tag_batch(self, chunks, idx, results, scored: bool) -> None:
        norms = [chunks[c][2] for c in idx]
        em, lengths = self.model.emissions(norms, [chunks[c][3] for c in idx])
        paths = self.model.viterbi(em, lengths)
        probs = self.model.marginals(em, lengths) if scored else None
        rows, starts, ends, types = _batch_spans(paths, lengths)
        found = []
        lexicon = self.model.feat.lexicon
        for r, s, e, t in zip(rows.tolist(), starts.tolist(), ends.tolist(), types.tolist()):
            k, off, norm, _raw = chunks[idx[r]]
            pieces = None
            if t == _PERSON and e - s >= 4 and self.split_names:
                pieces = split_names(norm[s:e], lexicon)
            pieces = [(s + a, s + b) for a, b in pieces] if pieces else [(s, e)]
            if probs is None:
                for a, b in pieces:
                    found.append((k, (off + a, off + b, LABELS[t])))
            else:
                score = float(probs[r, np.arange(s, e), paths[r, s:e]].min())
                for a, b in pieces:
                    found.append((k, (off + a, off + b, LABELS[t], score)))
        for k, span in found:
            results[k].append(span)

    def predict(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """Spans (start, end, label) per text."""
        return self._run(texts, scored=False)

    def predict_scored(self, texts: list[str]) -> list[list[tuple[int, int, str, float]]]:
        """Spans (start, end, label, score); score is the lowest CRF marginal probability
        of the predicted tag over the span's characters."""
        return self._run(texts, scored=True)


def _open_resource(name: str, path, model: str = "fast"):
    if path is not None:
        return open(Path(path) / name, "rb")
    return resources.files(MODEL_PACKAGE).joinpath(MODELS[model]).joinpath(name).open("rb")


def load_tagger(path=None, threads: int = 1, backend: str = "auto", model: str = "fast") -> NerTagger:
    """Load the tagger.

    ``model``: which shipped model, "fast" (default) or "accurate" (see ``MODELS``).
    ``path``: a directory with weights.npz, vocab.json.gz, optionally lexicon.txt.gz and
    lstm.onnx, instead of a shipped model.
    ``backend``: "auto" (onnxruntime when installed and lstm.onnx exists, else numpy),
    "onnx" or "numpy". ``threads``: onnxruntime intra-op threads.
    """
    if model not in MODELS:
        raise ValueError(f"unknown NER model {model!r}; choose one of {', '.join(MODELS)}")
    if path is None and threads == 1 and backend == "auto":
        return _default_tagger(model)
    return _load(path, threads, backend, model)


def _exists(name: str, path, model: str = "fast") -> bool:
    if path is not None:
        return (Path(path) / name).is_file()
    return resources.files(MODEL_PACKAGE).joinpath(MODELS[model]).joinpath(name).is_file()


def _load(path, threads: int = 1, backend: str = "auto", model: str = "fast") -> NerTagger:
    from .model import AveragedModel, BiLSTMCRF

    # the lexicon and the character map are the fast model's unless the directory has its own
    lex_dir = path if path is not None and (Path(path) / LEXICON).is_file() else None
    map_dir = path if path is not None and (Path(path) / CHAR_MAP).is_file() else None
    onnx_bytes = None
    if backend in ("auto", "onnx") and _exists(ONNX, path, model):
        with _open_resource(ONNX, path, model) as f:
            onnx_bytes = f.read()
    elif backend == "onnx":
        raise FileNotFoundError(f"{ONNX} not found for the NER model")
    char_map = _open_resource(CHAR_MAP, map_dir) if _exists(CHAR_MAP, map_dir) else None
    try:
        with _open_resource(WEIGHTS, path, model) as w, _open_resource(VOCAB, path, model) as v, \
                _open_resource(LEXICON, lex_dir) as lx:
            tagger_model = BiLSTMCRF.load(w, v, lx, char_map_file=char_map)
    finally:
        if char_map is not None:
            char_map.close()
    if onnx_bytes is not None:
        if not tagger_model.attach_onnx(onnx_bytes, threads) and backend == "onnx":
            raise ImportError("onnxruntime is not installed")
    members = [tagger_model]
    # more members of an ensemble: weights.2.npz (and lstm.2.onnx), weights.3.npz, ...
    while _exists(_member_file(WEIGHTS, len(members) + 1), path, model):
        k = len(members) + 1
        member_onnx = None
        if onnx_bytes is not None and _exists(_member_file(ONNX, k), path, model):
            with _open_resource(_member_file(ONNX, k), path, model) as f:
                member_onnx = f.read()
        with _open_resource(_member_file(WEIGHTS, k), path, model) as w:
            members.append(tagger_model.member(w, member_onnx, threads))
    return NerTagger(tagger_model if len(members) == 1 else AveragedModel(members))


def _member_file(name: str, k: int) -> str:
    """File of the k-th ensemble member (1-based): weights.npz, weights.2.npz, ..."""
    if k == 1:
        return name
    stem, dot, ext = name.partition(".")
    return f"{stem}.{k}{dot}{ext}"


@lru_cache(maxsize=2)
def _default_tagger(model: str = "fast") -> NerTagger:
    return _load(None, model=model)
