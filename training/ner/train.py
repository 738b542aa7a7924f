"""Train the char + bigram + lexicon BiLSTM-CRF tagger (torch, dev-only) and export
numpy weights for kg.ner (no torch at run time).

    python training/ner/train.py --out training/ner/output/run1 [--epochs 12] [--hidden 128]

MSRA characters tagged O are "O or Title" (MSRA has no title labels): the CRF loss
marginalises over the allowed tags of each character (partial-label CRF).
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import math
import os
import random
import sys
import time
from collections import Counter

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from data import gold_spans, load_all, split_long  # noqa: E402
from kg.ner.features import (  # noqa: E402
    NUM_LEX, NUM_TAGS, TAG_INDEX, TAGS, TYPES, Featurizer, lexicon_from_lines, normalise)
from kg.ner.metrics import span_f1  # noqa: E402

LEXICON = os.path.join(HERE, "..", "..", "kg", "resources", "models", "ner", "lexicon.txt.gz")


def allowed_matrix() -> np.ndarray:
    """(K, K) bool: allowed[i, j] = tag j may follow tag i (BIO)."""
    K = NUM_TAGS
    a = np.ones((K, K), dtype=bool)
    for j, t in enumerate(TAGS):
        if t.startswith("I-"):
            typ = t[2:]
            for i, s in enumerate(TAGS):
                a[i, j] = s in (f"B-{typ}", f"I-{typ}")
    return a


def start_allowed() -> np.ndarray:
    return np.array([not t.startswith("I-") for t in TAGS])


def tag_mask(tags: list[str]) -> np.ndarray:
    """(T, K) bool of allowed tags per character."""
    m = np.zeros((len(tags), NUM_TAGS), dtype=bool)
    unk = [TAG_INDEX["O"], TAG_INDEX["B-Title"], TAG_INDEX["I-Title"]]
    for i, t in enumerate(tags):
        if t == "?":
            m[i, unk] = True
        else:
            m[i, TAG_INDEX[t]] = True
    return m


class Tagger(nn.Module):
    def __init__(self, n_chars, n_bigrams, char_dim, bigram_dim, hidden, dropout, fixed=None, n_trained_chars=None,
                 extra_dim=0):
        super().__init__()
        # characters with id >= n_trained_chars have only a fixed (pretrained) vector: their
        # trainable part is the UNK row, as it will be in the exported model
        self.n_trained_chars = n_chars if n_trained_chars is None else n_trained_chars
        self.char_emb = nn.Embedding(self.n_trained_chars, char_dim, padding_idx=0, sparse=True)
        self.fixed_emb = None
        fixed_dim = 0
        if fixed is not None:
            self.fixed_emb = nn.Embedding.from_pretrained(torch.tensor(fixed), freeze=True, padding_idx=0)
            fixed_dim = fixed.shape[1]
        self.bigram_emb = nn.Embedding(n_bigrams, bigram_dim, padding_idx=0, sparse=True)
        # extra_dim: dense per-character inputs after the lexicon bits (--lac)
        in_dim = char_dim + fixed_dim + 2 * bigram_dim + NUM_LEX + extra_dim
        self.drop = nn.Dropout(dropout)
        # two unidirectional LSTMs; the backward one reads each sequence reversed
        # (padding stays at the end), which is much faster on CPU than packed sequences
        self.lstm_f = nn.LSTM(in_dim, hidden, batch_first=True)
        self.lstm_b = nn.LSTM(in_dim, hidden, batch_first=True)
        self.out = nn.Linear(2 * hidden, NUM_TAGS)
        self.trans = nn.Parameter(torch.zeros(NUM_TAGS, NUM_TAGS))
        self.start = nn.Parameter(torch.zeros(NUM_TAGS))
        self.end = nn.Parameter(torch.zeros(NUM_TAGS))
        neg = torch.tensor(-1e4)
        self.register_buffer("trans_mask", torch.where(torch.tensor(allowed_matrix()), 0.0, neg))
        self.register_buffer("start_mask", torch.where(torch.tensor(start_allowed()), 0.0, neg))

    def emissions(self, cid, bid, lex, lengths):
        B, T = cid.shape
        # a negative id is a character dropped to UNK in training: UNK in the trainable part,
        # its own fixed vector in the fixed part (as for an unseen character at run time)
        parts = [self.char_emb(torch.where((cid >= 0) & (cid < self.n_trained_chars), cid, 1))]
        if self.fixed_emb is not None:
            parts.append(self.fixed_emb(cid.abs()))
        x = torch.cat(parts + [
            self.bigram_emb(bid[:, :T]),
            self.bigram_emb(bid[:, 1:T + 1]),
            lex.float(),
        ], dim=-1)
        x = self.drop(x)
        t_idx = torch.arange(T).unsqueeze(0)
        rev = torch.where(t_idx < lengths.unsqueeze(1), lengths.unsqueeze(1) - 1 - t_idx, t_idx)
        rev3 = rev.unsqueeze(2)
        hf, _ = self.lstm_f(x)
        hb, _ = self.lstm_b(x.gather(1, rev3.expand(-1, -1, x.shape[2])))
        hb = hb.gather(1, rev3.expand(-1, -1, hb.shape[2]))
        return self.out(self.drop(torch.cat([hf, hb], 2)))

    def _logz(self, em, mask, allowed):
        """Forward algorithm; em (B,T,K); mask (B,T) valid; allowed (B,T,K) bool or None."""
        neg = -1e4
        trans = self.trans + self.trans_mask
        if allowed is not None:
            em = em.masked_fill(~allowed, neg)
        alpha = self.start + self.start_mask + em[:, 0]
        for t in range(1, em.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, t]
            m = mask[:, t].unsqueeze(1)
            alpha = torch.where(m, nxt, alpha)
        return torch.logsumexp(alpha + self.end, dim=1)

    def loss(self, cid, bid, lex, lengths, allowed, soft=None, distill=0.0):
        em = self.emissions(cid, bid, lex, lengths)
        B, T = cid.shape
        mask = torch.arange(T).unsqueeze(0) < lengths.unsqueeze(1)
        # both partition functions (all paths, allowed paths) in one batched pass
        em2 = torch.cat([em, em.masked_fill(~allowed, -1e4)], 0)
        z = self._logz(em2, mask.repeat(2, 1), None)
        nll = z[:B] - z[B:]
        if soft is None or distill <= 0:
            return nll.mean()
        # cross-entropy towards the teacher's posterior: log Z minus the expected path score
        # under the teacher, with the pairwise posteriors approximated by products of the
        # per-character ones (soft is 0 on padding; the constant BIO masks drop out)
        expected = (soft * em).sum((1, 2))
        expected = expected + ((soft[:, :-1] @ self.trans) * soft[:, 1:]).sum((1, 2))
        expected = expected + soft[:, 0] @ self.start
        expected = expected + soft[torch.arange(B), lengths - 1] @ self.end
        return ((1 - distill) * nll + distill * (z[:B] - expected)).mean()

    @torch.no_grad()
    def decode(self, cid, bid, lex, lengths):
        em = self.emissions(cid, bid, lex, lengths)
        B, T, K = em.shape
        trans = self.trans + self.trans_mask
        score = self.start + self.start_mask + em[:, 0]
        back = []
        for t in range(1, T):
            s = score.unsqueeze(2) + trans.unsqueeze(0)
            best, idx = s.max(dim=1)
            nxt = best + em[:, t]
            m = (t < lengths).unsqueeze(1)
            score = torch.where(m, nxt, score)
            back.append(torch.where(m, idx, torch.arange(K).expand(B, K)))
        score = score + self.end
        last = score.argmax(dim=1)
        path = [last]
        for idx in reversed(back):
            last = idx.gather(1, last.unsqueeze(1)).squeeze(1)
            path.append(last)
        path.reverse()
        return torch.stack(path, dim=1).numpy()


def build_vocab(texts, min_bigram):
    cc = Counter()
    bc = Counter()
    for t in texts:
        n = normalise(t)
        cc.update(n)
        s = "\x02" + n + "\x03"
        bc.update(s[i:i + 2] for i in range(len(s) - 1))
    chars = ["<pad>", "<unk>"] + sorted(c for c, k in cc.items() if k >= 1)
    bigrams = ["<pad>", "<unk>"] + sorted(b for b, k in bc.items() if k >= min_bigram)
    return chars, bigrams


def pretrained_chars(chars, path):
    """Extend the character list with the pretrained file's characters (lac_chars.py) and
    return it with the (len(chars), dim) matrix of their vectors (LAC's own normalisation
    applied first; characters it lacks get its OOV vector, padding zeros)."""
    z = np.load(path)
    pre = {str(c): v for c, v in zip(z["chars"], z["vectors"])}
    q2b = {str(a): str(b) for a, b in z["q2b"]}
    extra = sorted({normalise(c) for c in pre} - set(chars))
    chars = chars + extra
    vectors = np.empty((len(chars), z["vectors"].shape[1]), dtype=np.float32)
    found = 0
    for i, c in enumerate(chars):
        v = pre.get(q2b.get(c, c), pre.get(c))
        found += v is not None
        vectors[i] = z["oov"] if v is None else v
    vectors[0] = 0.0
    print(f"pretrained vectors: {len(extra)} characters added, {found}/{len(chars)} found", flush=True)
    return chars, vectors


def encode(feat: Featurizer, data, soft=None, lac=None):
    """Model inputs per (text, tags); ``soft``: text -> teacher marginals (distillation);
    ``lac``: text -> dense per-character features appended to the lexicon bits."""
    out = []
    cache = {}
    for text, tags in data:
        n = normalise(text)
        lexf = feat.lex_features(n)
        if lac is not None:
            if text not in cache:
                cache[text] = np.concatenate([lexf.astype(np.float16), lac(text).astype(np.float16)], 1)
            lexf = cache[text]
        out.append((
            np.array(feat.char_ids(n), dtype=np.int64),
            np.array(feat.bigram_ids(n), dtype=np.int64),
            lexf,
            tag_mask(tags),
            None if soft is None else soft[text],
        ))
    return out


def make_batch(items):
    B = len(items)
    lengths = torch.tensor([len(x[0]) for x in items])
    T = int(lengths.max())
    cid = torch.zeros(B, T, dtype=torch.long)
    bid = torch.zeros(B, T + 1, dtype=torch.long)
    width = items[0][2].shape[1]
    lex = torch.zeros(B, T, width, dtype=torch.uint8 if width == NUM_LEX else torch.float32)
    allowed = torch.zeros(B, T, NUM_TAGS, dtype=torch.bool)
    allowed[:, :, 0] = True
    soft = torch.zeros(B, T, NUM_TAGS) if items[0][4] is not None else None
    for k, (c, b, lx, m, q) in enumerate(items):
        n = len(c)
        cid[k, :n] = torch.from_numpy(c)
        bid[k, :n + 1] = torch.from_numpy(b)
        lex[k, :n] = torch.from_numpy(lx if width == NUM_LEX else lx.astype(np.float32))
        allowed[k, :n] = torch.from_numpy(m)
        if soft is not None:
            soft[k, :n] = torch.from_numpy(q.astype(np.float32))
    return cid, bid, lex, lengths, allowed, soft


def batches(encoded, batch_tokens, shuffle, rng):
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    out = []
    cur = []
    cur_max = 0
    for i in order:
        n = len(encoded[i][0])
        if cur and max(cur_max, n) * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, cur_max = [], 0
        cur.append(i)
        cur_max = max(cur_max, n)
    if cur:
        out.append(cur)
    if shuffle:
        rng.shuffle(out)
    return out


def tags_to_spans(path_row, n):
    return gold_spans([TAGS[t] for t in path_row[:n]])


def evaluate(model, encoded, gold, batch_tokens=6000, drop_title=False):
    model.eval()
    preds = [None] * len(encoded)
    for idx in batches(encoded, batch_tokens, False, None):
        cid, bid, lex, lengths, _, _ = make_batch([encoded[i] for i in idx])
        paths = model.decode(cid, bid, lex, lengths)
        for k, i in enumerate(idx):
            preds[i] = tags_to_spans(paths[k], int(lengths[k]))
            if drop_title:
                preds[i] = [sp for sp in preds[i] if sp[2] != "Title"]
    model.train()
    return span_f1(gold, preds)


def export(model, chars, bigrams, args, path, metrics):
    sd = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    H = args.hidden
    char_emb = sd["char_emb.weight"]
    if len(chars) > len(char_emb):
        # characters known only from the fixed vectors get the UNK row, as in training
        char_emb = np.concatenate([char_emb, np.repeat(char_emb[1:2], len(chars) - len(char_emb), 0)])
    if "fixed_emb.weight" in sd:
        char_emb = np.concatenate([char_emb, sd["fixed_emb.weight"]], 1)
    w = {
        "char_emb": char_emb.astype(np.float16),
        "bigram_emb": sd["bigram_emb.weight"].astype(np.float16),
        "w_ih_f": sd["lstm_f.weight_ih_l0"].astype(np.float16),
        "w_hh_f": sd["lstm_f.weight_hh_l0"].astype(np.float16),
        "b_f": (sd["lstm_f.bias_ih_l0"] + sd["lstm_f.bias_hh_l0"]).astype(np.float32),
        "w_ih_b": sd["lstm_b.weight_ih_l0"].astype(np.float16),
        "w_hh_b": sd["lstm_b.weight_hh_l0"].astype(np.float16),
        "b_b": (sd["lstm_b.bias_ih_l0"] + sd["lstm_b.bias_hh_l0"]).astype(np.float32),
        "out_w": sd["out.weight"].astype(np.float32),
        "out_b": sd["out.bias"].astype(np.float32),
        "trans": (sd["trans"] + sd["trans_mask"]).astype(np.float32),
        "start": (sd["start"] + sd["start_mask"]).astype(np.float32),
        "end": sd["end"].astype(np.float32),
    }
    os.makedirs(path, exist_ok=True)
    np.savez_compressed(os.path.join(path, "weights.npz"), **w)
    with gzip.open(os.path.join(path, "vocab.json.gz"), "wt", encoding="utf-8") as f:
        json.dump({"chars": chars, "bigrams": bigrams, "tags": list(TAGS), "hidden": H,
                   "char_dim": int(char_emb.shape[1]), "bigram_dim": args.bigram_dim, "num_lex": NUM_LEX,
                   "extra": args.lac}, f,
                  ensure_ascii=False)
    with open(os.path.join(path, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--char-dim", type=int, default=128)
    ap.add_argument("--bigram-dim", type=int, default=64)
    ap.add_argument("--min-bigram", type=int, default=2)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch-tokens", type=int, default=2500)
    ap.add_argument("--clue-repeat", type=int, default=2)
    ap.add_argument("--subset", type=float, default=1.0, help="fraction of training data (quick tests)")
    ap.add_argument("--no-lexicon", action="store_true")
    ap.add_argument("--fixed-chars", default="",
                    help="npz of pretrained character vectors (lac_chars.py) used as a fixed extra input")
    ap.add_argument("--teacher", default="",
                    help="comma-separated model directories (\"-\" = shipped model; write --teacher=-,DIR) whose averaged "
                         "posteriors are soft targets (distillation); see distill.py")
    ap.add_argument("--distill", type=float, default=0.5,
                    help="with --teacher: weight of the soft-target loss (the gold loss gets 1 - this)")
    ap.add_argument("--init-chars", default="",
                    help="npz of pretrained character vectors (lac_chars.py) to start the trainable "
                         "character embedding from (needs --char-dim equal to their size)")
    ap.add_argument("--lac", choices=("lac_hidden", "lac_emissions"), default=None,
                    help="also read Baidu LAC's top BiGRU state (256 per character) or its emission softmax "
                         "(59) as inputs (kg/ner/lac.py; the accurate model)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-hours", type=float, default=10.0)
    ap.add_argument("--char-unk", type=float, default=0.02,
                    help="probability of replacing a training character id by UNK")
    ap.add_argument("--bigram-unk", type=float, default=0.05,
                    help="probability of replacing a training bigram id by UNK")
    ap.add_argument("--lex-drop", type=float, default=0.0,
                    help="probability of zeroing all lexicon features of a training character")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="also keep an exponential moving average of the weights (decay per step, e.g. 0.999); "
                         "each epoch both the raw and the averaged weights are scored on the held-out slices")
    ap.add_argument("--swa-start", type=int, default=-1,
                    help="from this epoch on, also keep the plain average of the end-of-epoch raw weights "
                         "(stochastic weight averaging) and score it each epoch like --ema")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t0 = time.time()

    msra_train, msra_test, clue_train, clue_dev = load_all()
    # held-out dev for model selection: last 2000 MSRA train sentences, last 700 CLUENER train lines
    msra_dev, msra_train = msra_train[-2000:], msra_train[:-2000]
    clue_hdev, clue_train = clue_train[-700:], clue_train[:-700]
    if args.subset < 1:
        msra_train = msra_train[: int(len(msra_train) * args.subset)]
        clue_train = clue_train[: int(len(clue_train) * args.subset)]
    train = []
    for t, g in msra_train:
        train.extend(split_long(t, g))
    for _ in range(args.clue_repeat):
        for t, g in clue_train:
            train.extend(split_long(t, g))
    chars, bigrams = build_vocab([t for t, _ in msra_train] + [t for t, _ in clue_train], args.min_bigram)
    lex = {}
    if not args.no_lexicon:
        with gzip.open(LEXICON, "rt", encoding="utf-8") as f:
            lex = lexicon_from_lines(f)
    n_trained_chars = len(chars)
    fixed = init = None
    if args.fixed_chars:
        chars, fixed = pretrained_chars(chars, args.fixed_chars)
    elif args.init_chars:
        # pretrained vectors as the starting point of the trainable embedding (all trained)
        chars, init = pretrained_chars(chars, args.init_chars)
        n_trained_chars = len(chars)
        if init.shape[1] != args.char_dim:
            raise SystemExit(f"--init-chars vectors have {init.shape[1]} dimensions, --char-dim is {args.char_dim}")
    feat = Featurizer(chars, bigrams, lex)
    print(f"vocab chars={len(chars)} bigrams={len(bigrams)} lex={len(lex)} train_sents={len(train)}", flush=True)

    lac = None
    if args.lac:
        from kg.ner.lac import LacEncoder
        lac = LacEncoder(args.lac)

    def dev_set(data):
        items = []
        gold = []
        for t, g in data:
            for tt, gg in split_long(t, g, 250):
                items.append((tt, ["O" if x == "?" else x for x in gg]))
                gold.append(gold_spans(gg))
        return encode(feat, items, lac=lac), gold

    teacher = None
    if args.teacher:
        from distill import teacher_marginals
        t_soft = time.time()
        teacher = teacher_marginals([t for t, _ in train], args.teacher.split(","),
                                    cache=os.path.join(HERE, "output", "teacher"))
        print(f"teacher marginals for {len(teacher)} texts in {time.time() - t_soft:.0f}s", flush=True)
    enc_train = encode(feat, train, teacher, lac=lac)
    dev_msra = dev_set(msra_dev)
    dev_clue = dev_set(clue_hdev)
    print(f"encoded in {time.time() - t0:.0f}s", flush=True)

    model = Tagger(len(chars), len(bigrams), args.char_dim, args.bigram_dim, args.hidden, args.dropout,
                   fixed=fixed, n_trained_chars=n_trained_chars, extra_dim=lac.dim if lac else 0)
    if init is not None:
        with torch.no_grad():
            model.char_emb.weight.copy_(torch.from_numpy(init))
    emb_params = [model.char_emb.weight, model.bigram_emb.weight]
    dense_params = [p for n, p in model.named_parameters() if not n.endswith("_emb.weight")]
    opt_dense = torch.optim.Adam(dense_params, lr=args.lr)
    opt_sparse = torch.optim.SparseAdam(emb_params, lr=args.lr)
    n_batches = len(batches(enc_train, args.batch_tokens, False, None))
    total = n_batches * args.epochs
    t_train0 = time.time()
    budget = args.max_hours * 3600 - (t_train0 - t0)

    def lr_factor(s):
        # cosine decay over whichever runs out first: the epochs or the time budget
        frac = min(1.0, max(s / total, (time.time() - t_train0) / budget))
        return min(1.0, (s + 1) / max(1, min(300, total // 10))) * max(0.03, 0.5 * (1 + math.cos(math.pi * frac)))

    scheds = [torch.optim.lr_scheduler.LambdaLR(o, lr_factor) for o in (opt_dense, opt_sparse)]
    ema = None
    if args.ema > 0:
        ema = copy.deepcopy(model)
        ema_params = list(ema.parameters())
        model_params = list(model.parameters())
    swa, n_swa = None, 0
    best = -1.0
    step = 0
    for ep in range(args.epochs):
        tl, nb = 0.0, 0
        te = time.time()
        for bi, idx in enumerate(batches(enc_train, args.batch_tokens, True, rng)):
            cid, bid, lexf, lengths, allowed, soft = make_batch([enc_train[i] for i in idx])
            if model.training:
                # char / bigram dropout to UNK so the model learns unseen inputs
                drop = torch.rand(cid.shape) < args.char_unk
                cid = torch.where(drop & (cid > 1), -cid, cid)
                dropb = torch.rand(bid.shape) < args.bigram_unk
                bid = bid.masked_fill(dropb & (bid > 0), 1)
                if args.lex_drop > 0:
                    # lexicon dropout: the model must not rely on jieba's dictionary alone
                    dropl = torch.rand(cid.shape) < args.lex_drop
                    lexf = lexf.masked_fill(dropl.unsqueeze(2), 0)
            loss = model.loss(cid, bid, lexf, lengths, allowed, soft, args.distill)
            opt_dense.zero_grad()
            opt_sparse.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(dense_params, 5.0)
            opt_dense.step()
            opt_sparse.step()
            for sc in scheds:
                sc.step()
            step += 1
            if ema is not None:
                # warm-up: plain average over the first steps, then the fixed decay
                d = min(args.ema, (1 + step) / (10 + step))
                with torch.no_grad():
                    torch._foreach_lerp_(ema_params, [p.detach() for p in model_params], 1 - d)
            tl += loss.item()
            nb += 1
            if bi % 200 == 0:
                print(f"ep {ep} batch {bi}/{n_batches} loss {tl / nb:.3f} {time.time() - te:.0f}s", flush=True)
            if (time.time() - t0) / 3600 > args.max_hours:
                break
        if 0 <= args.swa_start <= ep:
            if swa is None:
                swa = copy.deepcopy(model)
            else:
                with torch.no_grad():
                    torch._foreach_lerp_(list(swa.parameters()), [p.detach() for p in model.parameters()],
                                         1.0 / (n_swa + 1))
            n_swa += 1
        for kind, m in (("raw", model), ("ema", ema), ("swa", swa if n_swa > 1 else None)):
            if m is None:
                continue
            rm = evaluate(m, *dev_msra, drop_title=True)
            rc = evaluate(m, *dev_clue)
            m.train()
            score = (rm["micro"]["f1"] + rc["micro"]["f1"]) / 2
            pt = ", ".join("%s %.3f" % (k, v["f1"]) for k, v in rc["per_type"].items())
            print(f"== ep {ep} {kind} loss {tl / max(nb, 1):.3f} msra_dev {rm['micro']['f1']:.4f} "
                  f"clue_hdev {rc['micro']['f1']:.4f} ({pt}) {time.time() - te:.0f}s", flush=True)
            if score > best:
                best = score
                export(m, chars, bigrams, args, args.out,
                       {"epoch": ep, "weights": kind, "msra_dev": rm, "clue_heldout_dev": rc, "args": vars(args)})
                torch.save(m.state_dict(), os.path.join(args.out, "model.pt"))
                print(f"   saved {kind} (score {score:.4f})", flush=True)
        if (time.time() - t0) / 3600 > args.max_hours:
            break
    print(f"done in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
