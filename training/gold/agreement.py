"""Agreement of each helper annotator with the reference gold on the agreement
documents, scored with the project's scorer (guidelines, section 5): the helper's
file is taken as the prediction.

    python training/gold/agreement.py [--gold ../shared/gold/dev]

Writes nothing; prints entity and relation P/R/F1 per annotator and document.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from kg.evaluate import Scores, load_gold, score_document  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=os.path.join(HERE, "..", "..", "..", "shared", "gold", "dev"))
    args = ap.parse_args()
    for ann_dir in sorted(p for p in (HERE / "agreement").iterdir() if p.is_dir() and p.name != "texts"):
        total_e, total_r = Scores(), Scores()
        for f in sorted(ann_dir.glob("*.json")):
            gold = load_gold(Path(args.gold) / f.name)
            e, r, _ = score_document(load_gold(f), gold)
            total_e.add(e), total_r.add(r)
            print(f"{ann_dir.name} {f.name:<36} entity P/R/F1 {e.prf('overall')[0]:.3f}/{e.prf('overall')[1]:.3f}/"
                  f"{e.prf('overall')[2]:.3f}  relation {r.prf('overall')[0]:.3f}/{r.prf('overall')[1]:.3f}/"
                  f"{r.prf('overall')[2]:.3f}")
        if total_e.gold["overall"]:
            pe, re_, fe = total_e.prf("overall")
            pr, rr, fr = total_r.prf("overall")
            types = " ".join(f"{t} {total_e.prf(t)[2]:.2f}" for t in ("Person", "Agency", "Place", "Initiative", "Event"))
            print(f"{ann_dir.name} both: entity P {pe:.3f} R {re_:.3f} F1 {fe:.3f} ({types}); "
                  f"relation P {pr:.3f} R {rr:.3f} F1 {fr:.3f}")


if __name__ == "__main__":
    main()
