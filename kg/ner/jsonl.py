"""JSON-lines interface: ``{"text": ...}`` per line in, ``{"entities": [...]}`` per line out."""
from __future__ import annotations

import json
from typing import Iterable

from .metrics import span_f1

__all__ = ["tag_jsonl", "span_f1"]


def _iter_batches(lines: Iterable[str], size: int):
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def tag_jsonl(in_path, out_path, tagger, batch_size: int = 512) -> int:
    """Tag each input line; returns the number of lines written.

    A line that is blank, not JSON, or has no string ``text`` gets ``{"entities": []}``
    so the output stays line-aligned with the input.
    """
    n = 0
    with open(in_path, encoding="utf-8") as fin, open(out_path, "w", encoding="utf-8") as fout:
        for lines in _iter_batches(fin, batch_size):
            texts = []
            for line in lines:
                text = ""
                try:
                    rec = json.loads(line) if line.strip() else None
                    if isinstance(rec, dict) and isinstance(rec.get("text"), str):
                        text = rec["text"]
                except ValueError:
                    pass
                texts.append(text)
            for spans in tagger.predict(texts):
                ents = [{"start": s, "end": e, "type": t} for s, e, t, *_ in spans]
                fout.write(json.dumps({"entities": ents}, ensure_ascii=False) + "\n")
                n += 1
    return n
