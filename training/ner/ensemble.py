"""Score an ensemble of trained models (emissions and CRF transitions averaged) on the
held-out training slices and, with --test, on MSRA test and CLUENER dev.

    python training/ner/ensemble.py [--test] DIR [DIR ...]     ("-" is the shipped model)

A measurement: an ensemble of k fast models costs k times the tagging time, which the
build cannot afford (docs/ner.md, "Ensembles"). The accurate model ships two members
(kg.ner.model.AveragedModel, which computes the shared features once); this script
scores such a pair before it is shipped.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from data import load_all  # noqa: E402
from heldout import heldout_sets, score_tagger  # noqa: E402
from kg.ner import NerTagger, load_tagger  # noqa: E402
from kg.ner.model import AveragedModel  # noqa: E402


def load_ensemble(dirs) -> AveragedModel:
    """``dirs``: model directories, "-" for the shipped fast model; each member keeps its
    own vocabulary and features."""
    return AveragedModel([load_tagger(None if d == "-" else d).model for d in dirs])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+", help='model directories; "-" is the shipped model')
    ap.add_argument("--test", action="store_true", help="score MSRA test and CLUENER dev, not the held-out slices")
    args = ap.parse_args()
    ensemble = load_ensemble(args.models)
    tagger = NerTagger(ensemble if len(args.models) > 1 else ensemble.members[0])
    if args.test:
        _, msra_test, _, clue_dev = load_all()
        sets = [("msra_test", msra_test, True), ("cluener_dev", clue_dev, False)]
    else:
        sets = heldout_sets()
    mean, parts = score_tagger(tagger, sets)
    print(f"mean {mean:.4f} | {parts} ({len(args.models)} model(s): {' '.join(args.models)})")


if __name__ == "__main__":
    main()
