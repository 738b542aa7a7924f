"""Build the shipped lexicon (kg/resources/models/ner/lexicon.txt.gz) from jieba 0.42.1's
dictionary (MIT licence): word -> bitmask over kg.ner.features.LEX_CLASSES.

    python training/ner/build_lexicon.py [out_path]
"""
from __future__ import annotations

import gzip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from kg.ner.features import LEX_CLASSES, LEX_MAX_LEN, normalise  # noqa: E402

POS_CLASS = {"nr": "per", "nrt": "per", "nrfg": "per", "ns": "loc", "nt": "org", "nz": "nz"}


def main(out_path: str) -> None:
    import jieba

    assert jieba.__version__ == "0.42.1", jieba.__version__
    src = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    bit = {c: 1 << i for i, c in enumerate(LEX_CLASSES)}
    lex: dict[str, int] = {}
    with open(src, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3:
                continue
            w, _freq, pos = parts[0], int(parts[1]), parts[2]
            w = normalise(w)
            if not (2 <= len(w) <= LEX_MAX_LEN):
                continue
            cls = POS_CLASS.get(pos, "word")
            lex[w] = lex.get(w, 0) | bit[cls]
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# word<TAB>bitmask over (per, loc, org, nz, word); from jieba 0.42.1 dict.txt (MIT)\n")
        for w in sorted(lex):
            f.write(f"{w}\t{lex[w]}\n")
    print(f"{len(lex)} words -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "kg", "resources", "models", "ner", "lexicon.txt.gz"))
