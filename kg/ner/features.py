"""Turn text into the integer / binary inputs of the NER model (numpy only).

Shared by training (``training/ner/train.py``) and inference, so both see the same
features:

* character id (after a 1:1 normalisation that keeps offsets: full-width ASCII to
  ASCII, digits to ``0``, ASCII letters lower-cased),
* ids of the bigrams ending and starting at each character,
* lexicon features: for each character, whether it is the Begin / Middle / End of a
  word of the lexicon (jieba 0.42.1's dictionary, MIT) in one of five classes
  (person name, place name, organisation name, other proper noun, other word).
"""
from __future__ import annotations

import numpy as np

PAD, UNK = 0, 1

# Label set of the tagger (BIO over four types).
TYPES = ("Person", "Place", "Agency", "Title")
TAGS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in ("B", "I"))
TAG_INDEX = {t: i for i, t in enumerate(TAGS)}
NUM_TAGS = len(TAGS)

# Lexicon classes and the number of binary lexicon features per character.
LEX_CLASSES = ("per", "loc", "org", "nz", "word")
LEX_POS = ("B", "M", "E")
NUM_LEX = len(LEX_CLASSES) * len(LEX_POS)
LEX_MAX_LEN = 8


def _make_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = cp - 0xFEE0
    table[0x3000] = 0x20  # ideographic space
    for cp in range(ord("0"), ord("9") + 1):
        table[cp] = ord("0")
    for cp in range(0xFF10, 0xFF1A):
        table[cp] = ord("0")
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = cp + 32
    for cp in range(0xFF21, 0xFF3B):
        table[cp] = cp - 0xFEE0 + 32
    return table


NORM_TABLE = _make_table()


def normalise(text: str) -> str:
    """1:1 character normalisation (same length as the input, so offsets hold)."""
    return text.translate(NORM_TABLE)


class Featurizer:
    """Maps normalised text to model inputs.

    ``chars``: list of characters (index = id, 0 pad, 1 unk);
    ``bigrams``: list of two-character strings (same convention);
    ``lexicon``: dict word -> bitmask over LEX_CLASSES.
    """

    def __init__(self, chars: list[str], bigrams: list[str], lexicon: dict[str, int]):
        self.chars = chars
        self.bigrams = bigrams
        self.char_index = {c: i for i, c in enumerate(chars) if i > UNK}
        self.bigram_index = {b: i for i, b in enumerate(bigrams) if i > UNK}
        self.lexicon = lexicon
        self.norm_table = NORM_TABLE
        self._prefixes: set[str] | None = None
        self._build_fast_tables()

    def add_char_map(self, pairs) -> int:
        """Extra 1:1 character mappings (e.g. traditional -> simplified), applied only to
        characters outside the vocabulary whose target is inside it."""
        table = dict(self.norm_table)
        n = 0
        for src, dst in pairs:
            if len(src) != 1 or len(dst) != 1:
                continue
            if src.translate(NORM_TABLE) not in self.char_index and dst.translate(NORM_TABLE) in self.char_index:
                table[ord(src)] = ord(dst.translate(NORM_TABLE))
                n += 1
        self.norm_table = table
        return n

    def normalise(self, text: str) -> str:
        """:func:`normalise` plus this model's extra character map."""
        return text.translate(self.norm_table)

    @property
    def prefixes(self) -> set[str]:
        """All prefixes (length >= 2) of lexicon words; only the reference matcher uses it."""
        if self._prefixes is None:
            pref: set[str] = set()
            for w in self.lexicon:
                for k in range(2, len(w) + 1):
                    pref.add(w[:k])
            self._prefixes = pref
        return self._prefixes

    # -- vectorised lookups (same results as the reference methods below) ----
    def _build_fast_tables(self) -> None:
        chars = [c for c in self.chars[UNK + 1:]]
        ids = np.arange(UNK + 1, len(self.chars), dtype=np.int32)
        ok = np.array([len(c) == 1 for c in chars], dtype=bool)
        keys = _codepoints("".join(c for c, k in zip(chars, ok) if k))
        order = np.argsort(keys, kind="stable")
        self._ckeys, self._cvals = keys[order], ids[ok][order]
        bigrams = self.bigrams[UNK + 1:]
        ids = np.arange(UNK + 1, len(self.bigrams), dtype=np.int32)
        ok = np.array([len(b) == 2 for b in bigrams], dtype=bool)
        cp = _codepoints("".join(b for b, k in zip(bigrams, ok) if k)).reshape(-1, 2)
        keys = (cp[:, 0] << 21) | cp[:, 1]
        order = np.argsort(keys, kind="stable")
        self._bkeys, self._bvals = keys[order], ids[ok][order]
        by_len: dict[int, tuple[list[str], list[int]]] = {}
        for w, m in self.lexicon.items():
            if 2 <= len(w) <= LEX_MAX_LEN and m:
                ws, ms = by_len.setdefault(len(w), ([], []))
                ws.append(w)
                ms.append(m)
        self._lex_tables = {}
        P = np.uint64(_HASH_P)
        for L, (ws, ms) in by_len.items():
            cp = _codepoints("".join(ws)).reshape(-1, L).astype(np.uint64)
            h = np.zeros(len(ws), dtype=np.uint64)
            with np.errstate(over="ignore"):
                for j in range(L):
                    h = h * P + cp[:, j]
            self._lex_tables[L] = _HashTable(h, np.array(ms, dtype=np.uint8), 0)
        self._char_table = _HashTable(self._ckeys.astype(np.uint64), self._cvals, UNK)
        self._bigram_table = _HashTable(self._bkeys.astype(np.uint64), self._bvals, UNK)

    @staticmethod
    def _lookup(keys: np.ndarray, vals: np.ndarray, q: np.ndarray) -> np.ndarray:
        if keys.size == 0:
            return np.full(q.shape, UNK, dtype=np.int32)
        pos = np.searchsorted(keys, q)
        np.minimum(pos, keys.size - 1, out=pos)
        return np.where(keys[pos] == q, vals[pos], UNK).astype(np.int32)

    def _lex_fast(self, cp: np.ndarray) -> np.ndarray:
        """Lexicon features (N, NUM_LEX) for a code-point array (all positions)."""
        N = cp.size
        out = np.zeros((N, NUM_LEX), dtype=np.uint8)
        if N < 2 or not self._lex_tables:
            return out
        bm = np.zeros(N, dtype=np.uint8)
        em = np.zeros(N, dtype=np.uint8)
        mm = np.zeros(N, dtype=np.uint8)
        h = cp.astype(np.uint64)
        P = np.uint64(_HASH_P)
        with np.errstate(over="ignore"):
            for L in range(2, min(LEX_MAX_LEN, N) + 1):
                h = h[:-1] * P + cp[L - 1:].astype(np.uint64)
                tab = self._lex_tables.get(L)
                if tab is None:
                    continue
                found = tab.get(h)
                hit = np.nonzero(found)[0]
                if hit.size == 0:
                    continue
                m = found[hit]
                np.bitwise_or.at(bm, hit, m)
                np.bitwise_or.at(em, hit + L - 1, m)
                for j in range(1, L - 1):
                    np.bitwise_or.at(mm, hit + j, m)
        for k in range(len(LEX_CLASSES)):
            out[:, k * 3] = (bm >> k) & 1
            out[:, k * 3 + 1] = (mm >> k) & 1
            out[:, k * 3 + 2] = (em >> k) & 1
        return out

    # -- single text -------------------------------------------------------
    def char_ids(self, norm: str) -> list[int]:
        get = self.char_index.get
        return [get(c, UNK) for c in norm]

    def bigram_ids(self, norm: str) -> list[int]:
        """Ids of the bigram starting at each position, plus a final boundary bigram.

        Returned list has len(norm) + 1 entries: entry i is the bigram text[i-1:i+1]
        (with "\\x02" / "\\x03" as sentence start / end markers), so the left bigram
        of char i is entry i and the right bigram is entry i + 1.
        """
        s = "\x02" + norm + "\x03"
        get = self.bigram_index.get
        return [get(s[i:i + 2], UNK) for i in range(len(s) - 1)]

    def lex_features(self, norm: str) -> np.ndarray:
        n = len(norm)
        out = np.zeros((n, NUM_LEX), dtype=np.uint8)
        if n < 2 or not self.lexicon:
            return out
        pref = self.prefixes
        lex = self.lexicon
        rows_b: list[int] = []
        rows_e: list[int] = []
        masks: list[int] = []
        maxl = LEX_MAX_LEN
        for i in range(n - 1):
            if norm[i:i + 2] not in pref:
                continue
            for L in range(2, min(maxl, n - i) + 1):
                w = norm[i:i + L]
                if w not in pref:
                    break
                m = lex.get(w)
                if m:
                    rows_b.append(i)
                    rows_e.append(i + L - 1)
                    masks.append(m)
        if not masks:
            return out
        nc = len(LEX_CLASSES)
        for b, e, m in zip(rows_b, rows_e, masks):
            for k in range(nc):
                if m >> k & 1:
                    out[b, k * 3] = 1
                    out[e, k * 3 + 2] = 1
                    if e - b > 1:
                        out[b + 1:e, k * 3 + 1] = 1
        return out

    # -- batch -------------------------------------------------------------
    def batch(self, norms: list[str]):
        """Right-padded arrays for a batch of normalised texts.

        Returns (char_ids (B,T) int32, bigram_ids (B,T+1) int32, lex (B,T,NUM_LEX)
        uint8, lengths (B,) int64).
        """
        B = len(norms)
        lengths = np.array([len(s) for s in norms], dtype=np.int64)
        T = int(lengths.max()) if B else 0
        # all texts in one code-point array: \x02 text \x03 \x02 text \x03 ...
        full = "".join("\x02" + s + "\x03" for s in norms)
        cp = np.frombuffer(full.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        starts = np.zeros(B, dtype=np.int64)
        if B > 1:
            starts[1:] = np.cumsum(lengths[:-1] + 2)
        cid_all = self._char_table.get(cp).astype(np.int32)
        bid_all = self._bigram_table.get((cp[:-1] << 21) | cp[1:]).astype(np.int32) if cp.size > 1 else \
            np.zeros(0, dtype=np.int32)
        lex_all = self._lex_fast(cp)
        t = np.arange(T + 1, dtype=np.int64)[None, :]
        valid_c = t[:, :T] < lengths[:, None]
        pos_c = np.where(valid_c, starts[:, None] + 1 + t[:, :T], 0)
        cid = np.where(valid_c, cid_all[pos_c], 0).astype(np.int32)
        lexf = lex_all[pos_c]
        lexf[~valid_c] = 0
        valid_b = (t <= lengths[:, None]) & (lengths[:, None] > 0)
        pos_b = np.where(valid_b, starts[:, None] + t, 0)
        bid = np.where(valid_b, bid_all[np.minimum(pos_b, max(bid_all.size - 1, 0))] if bid_all.size else 0, 0)
        return cid, bid.astype(np.int32), lexf, lengths

    def batch_reference(self, norms: list[str]):
        """Slow reference implementation of :meth:`batch` (used in tests)."""
        B = len(norms)
        lengths = np.array([len(s) for s in norms], dtype=np.int64)
        T = int(lengths.max()) if B else 0
        cid = np.zeros((B, T), dtype=np.int32)
        bid = np.zeros((B, T + 1), dtype=np.int32)
        lexf = np.zeros((B, T, NUM_LEX), dtype=np.uint8)
        for k, s in enumerate(norms):
            n = len(s)
            if n == 0:
                continue
            cid[k, :n] = self.char_ids(s)
            bid[k, :n + 1] = self.bigram_ids(s)
            lexf[k, :n] = self.lex_features(s)
        return cid, bid, lexf, lengths


_HASH_P = 1000003
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class _HashTable:
    """Open-addressing hash table of uint64 keys -> int values, built and queried with
    vectorised numpy operations (one or two memory accesses per query instead of a
    binary search)."""

    def __init__(self, keys: np.ndarray, vals: np.ndarray, default: int):
        keys = np.asarray(keys, dtype=np.uint64)
        n = keys.size
        bits = max(4, int(np.ceil(np.log2(max(2 * n, 16)))))
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        size = 1 << bits
        self.keys = np.zeros(size, dtype=np.uint64)
        self.used = np.zeros(size, dtype=bool)
        self.vals = np.full(size, default, dtype=np.asarray(vals).dtype)
        self.default = default
        slot = self._slot(keys)
        pending = np.arange(n)
        probes = 0
        while pending.size:
            s = slot[pending]
            free = ~self.used[s]
            cand, cs = pending[free], s[free]
            _, first = np.unique(cs, return_index=True)
            win = cand[first]
            self.keys[slot[win]] = keys[win]
            self.vals[slot[win]] = np.asarray(vals)[win]
            self.used[slot[win]] = True
            lose = np.setdiff1d(pending, win, assume_unique=True)
            slot[lose] = (slot[lose] + 1) & self.mask
            pending = lose
            probes += 1
        self.max_probe = probes

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((keys * _GOLDEN) >> self.shift).astype(np.int64)

    def get(self, q: np.ndarray) -> np.ndarray:
        q = np.asarray(q, dtype=np.uint64)
        out = np.full(q.shape, self.default, dtype=self.vals.dtype)
        slot = self._slot(q)
        todo = np.arange(q.size)
        for _ in range(self.max_probe + 1):
            if not todo.size:
                break
            s = slot[todo]
            used = self.used[s]
            hit = used & (self.keys[s] == q[todo])
            out[todo[hit]] = self.vals[s[hit]]
            todo = todo[used & ~hit]
            slot[todo] = (slot[todo] + 1) & self.mask
        return out


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def _hash_word(w: str) -> int:
    h = 0
    for c in w:
        h = (h * _HASH_P + ord(c)) & 0xFFFFFFFFFFFFFFFF
    return h


def lexicon_from_lines(lines) -> dict[str, int]:
    """Parse ``word<TAB>mask`` lines (an iterable of lines, or one string)."""
    if isinstance(lines, str):
        lines = lines.split("\n")
    lex: dict[str, int] = {}
    for line in lines:
        w, _, m = line.rstrip("\n").partition("\t")
        if w and m and not w.startswith("#"):
            lex[w] = int(m)
    return lex
