"""Read the public NER corpora in /work/shared/data into (text, tags) pairs.

Tags are per character, from kg.ner.features.TAGS, plus "?" on MSRA characters
tagged O: MSRA has no title annotation, so such a character may be O or part of a
Title; the training loss marginalises over both (partial-label CRF).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

DATA = Path(os.environ.get("KG_SHARED_DATA", "/work/shared/data"))

MSRA_MAP = {"PER": "Person", "LOC": "Place", "ORG": "Agency"}
CLUE_MAP = {
    "name": "Person",
    "address": "Place",
    "government": "Agency",
    "organization": "Agency",
    "company": "Agency",
    "position": "Title",
}


def read_msra(path: Path, unknown_o: bool = True) -> list[tuple[str, list[str]]]:
    out = []
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if chars:
                    out.append(("".join(chars), tags))
                chars, tags = [], []
                continue
            c, t = line.split("\t")
            chars.append(c)
            if t == "O":
                tags.append("?" if unknown_o else "O")
            else:
                p, typ = t.split("-")
                tags.append(f"{p}-{MSRA_MAP[typ]}")
    if chars:
        out.append(("".join(chars), tags))
    return out


def read_cluener(path: Path) -> list[tuple[str, list[str]]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            text = rec["text"]
            tags = ["O"] * len(text)
            spans = []
            for lab, ents in rec.get("label", {}).items():
                typ = CLUE_MAP.get(lab)
                for _ent, offs in ents.items():
                    for s, e in offs:
                        spans.append((s, e + 1, typ))
            # longest first, skip overlaps (one pair in train); unmapped labels
            # (book, game, movie, scene) are non-entities but still block overlaps
            spans.sort(key=lambda x: (x[0] - x[1], x[0]))
            used = [False] * len(text)
            for s, e, typ in spans:
                if any(used[s:e]):
                    continue
                for k in range(s, e):
                    used[k] = True
                if typ is None:
                    continue
                tags[s] = f"B-{typ}"
                for k in range(s + 1, e):
                    tags[k] = f"I-{typ}"
            out.append((text, tags))
    return out


def gold_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """BIO tags (with "?" treated as O) -> spans (start, end-exclusive, type)."""
    spans = []
    start, typ = None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if t.startswith("I-") and typ == t[2:]:
            continue
        if typ is not None:
            spans.append((start, i, typ))
            start, typ = None, None
        if t.startswith("B-") or t.startswith("I-"):
            start, typ = i, t[2:]
    return spans


def split_long(text: str, tags: list[str], max_len: int = 160):
    """Split a long sentence at sentence punctuation outside entities."""
    if len(text) <= max_len:
        return [(text, tags)]
    pieces = []
    start = 0
    last_cut = None
    for i, c in enumerate(text):
        nxt = tags[i + 1] if i + 1 < len(tags) else "O"
        if c in "。！？；!?;，," and not nxt.startswith("I-"):
            last_cut = i + 1
            if c in "。！？；!?;" and i + 1 - start >= 20:
                pieces.append((text[start:i + 1], tags[start:i + 1]))
                start, last_cut = i + 1, None
                continue
        if i + 1 - start >= max_len and last_cut and last_cut > start:
            pieces.append((text[start:last_cut], tags[start:last_cut]))
            start, last_cut = last_cut, None
    if start < len(text):
        pieces.append((text[start:], tags[start:]))
    return [p for p in pieces if p[0]]


def load_all():
    msra_train = read_msra(DATA / "msra_ner" / "msra_train_bio.txt")
    msra_test = read_msra(DATA / "msra_ner" / "msra_test_bio.txt", unknown_o=False)
    clue_train = read_cluener(DATA / "cluener2020" / "train.json")
    clue_dev = read_cluener(DATA / "cluener2020" / "dev.json")
    return msra_train, msra_test, clue_train, clue_dev
