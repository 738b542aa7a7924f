"""The public-data NER figures measured through the command users run, ``kg ner``.

    .venv/bin/python training/ner/kg_ner_check.py [--kg .venv/bin/kg] [--ner-model accurate] [--keep DIR]

Writes the MSRA test set and the CLUENER2020 dev set as ``{"text": ...}`` lines, runs
``kg ner IN.jsonl -o OUT.jsonl`` on each (a subprocess, exactly as a user would), reads
the ``{"entities": [{start, end, type}]}`` lines back and scores them against the gold
spans (span-level micro F1, exact start, end and type; MSRA has no titles, so Title
predictions are left out there, as ``evaluate.py`` does). The figures must equal
``evaluate.py``'s, which calls the tagger in-process: this checks the command's I/O too.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from data import DATA, gold_spans, read_cluener, read_msra  # noqa: E402
from kg.ner import MODELS  # noqa: E402
from kg.ner.metrics import span_f1  # noqa: E402


def check(kg: list[str], name: str, data, folder: Path, drop: tuple[str, ...]) -> dict:
    source, target = folder / f"{name}.jsonl", folder / f"{name}.out.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for text, _ in data:
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    subprocess.run(kg + ["ner", str(source), "-o", str(target)], check=True)
    predicted = []
    with target.open(encoding="utf-8") as lines:
        for line in lines:
            spans = [(e["start"], e["end"], e["type"]) for e in json.loads(line)["entities"]]
            predicted.append([s for s in spans if s[2] not in drop])
    if len(predicted) != len(data):
        raise SystemExit(f"{name}: {len(predicted)} output lines for {len(data)} inputs")
    return span_f1([gold_spans(tags) for _, tags in data], predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kg", default=str(HERE.parents[1] / ".venv" / "bin" / "kg"))
    parser.add_argument("--ner-model", choices=tuple(MODELS),
                        help="passed to kg as --ner-model (default: the command's own default)")
    parser.add_argument("--keep", help="write the JSONL files here instead of a temporary folder")
    args = parser.parse_args()
    kg = [args.kg] + (["--ner-model", args.ner_model] if args.ner_model else [])
    sets = (("msra_test", read_msra(DATA / "msra_ner" / "msra_test_bio.txt", unknown_o=False), ("Title",)),
            ("cluener_dev", read_cluener(DATA / "cluener2020" / "dev.json"), ()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data, drop in sets:
            scores = check(kg, name, data, folder, drop)
            m = scores["micro"]
            per_type = ", ".join(f"{t} {v['f1']:.3f}" for t, v in scores["per_type"].items())
            print(f"{name}: micro P {m['p']:.3f} R {m['r']:.3f} F1 {m['f1']:.3f} ({per_type})")


if __name__ == "__main__":
    main()
