"""IBM Sales Win-Loss: training cost vs. accuracy of calibrated-LightGBM variants (folds, refits, bins, bagging).

    OMP_WAIT_POLICY=passive .venv/bin/python benchmarks/scoring_ibm_profiles.py [--csv FILE] [--only NAME ...]

Same grouped 80/20 split as benchmarks/scoring_ibm.py (all columns, no leakage guard); each variant is
`scoring.gbm.GBMModel.train` with the accurate profile's parameters; prints one JSON line per variant with test
AUC / Brier / ECE and training CPU and wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from sklearn.model_selection import GroupShuffleSplit

from scoring.calibration import metrics
from scoring.gbm import GBMModel, Profile
from scoring.tabular import prepare_training, read_csv

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/winloss/ibm_sales_win_loss.csv"
VARIANTS: dict[str, dict[str, Any]] = {
    "3 folds, 2 refits": {"k": 3, "n_full": 2},
    "3 folds, 1 refit": {"k": 3, "n_full": 1},
    "3 folds, 1 refit, max_bin 255": {"k": 3, "n_full": 1, "params": {"max_bin": 255}},
    "3 folds, 1 refit + fold boosters": {"k": 3, "n_full": 1, "bag": True},
    "2 folds, 1 refit (accurate profile)": {"k": 2, "n_full": 1},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path, default=DEFAULT)
    ap.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    args = ap.parse_args()
    d = prepare_training(read_csv(args.csv), "Opportunity Result", "Won", id_column="Opportunity Number")
    tr, te = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42).split(d.X, d.y, d.groups))
    for name, v in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        c, w = time.process_time(), time.perf_counter()
        model, _ = GBMModel.train(d.X.iloc[tr], d.y[tr], d.groups[tr], d.schema, k=v["k"], params=v.get("params"),
                                  n_full=v["n_full"], profile=Profile("variant", bag_folds=v.get("bag", False)))
        cpu, wall = time.process_time() - c, time.perf_counter() - w
        m = metrics(d.y[te], model.predict_proba(d.X.iloc[te]))
        print(json.dumps({"variant": name, "auc": round(m.auc or 0, 4), "brier": round(m.brier, 4),
                          "ece": round(m.ece, 4), "train_cpu_s": round(cpu, 1), "train_wall_s": round(wall, 1),
                          "trees": [b.num_trees() for b in model.boosters],
                          "load_average": round(os.getloadavg()[0], 1)}), flush=True)


if __name__ == "__main__":
    main()
