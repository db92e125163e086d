"""Leakage guard on the real leaky Salesforce export (reported 0.998 accuracy from post-close fields).

    .venv/bin/python benchmarks/scoring_leaky.py [--csv ../shared/data/winloss/salesforce_export_leaky.csv]

Prints the guard's flags and the 3-fold AUC of a small LightGBM with all columns vs. with the guard applied.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import lightgbm as lgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from scoring.leakage import check_leakage
from scoring.tabular import prepare_training, read_csv

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/winloss/salesforce_export_leaky.csv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path, default=DEFAULT)
    args = ap.parse_args()
    data = prepare_training(read_csv(args.csv), "IsWon", "1", id_column="Id")
    t = time.perf_counter()
    flags = check_leakage(data.X, data.y)
    guard_s = time.perf_counter() - t
    cv = StratifiedKFold(3, shuffle=True, random_state=42)

    def auc(cols: list[str]) -> float:
        clf = lgb.LGBMClassifier(n_estimators=200, verbose=-1, n_jobs=1, random_state=42)
        p = cross_val_predict(clf, data.X[cols], data.y, cv=cv, method="predict_proba")[:, 1]
        return round(float(roc_auc_score(data.y, p)), 4)

    kept = [c for c in data.X.columns if c not in {f.column for f in flags}]
    print(json.dumps({"rows": len(data.y), "guard_seconds": round(guard_s, 2),
                      "flags": [f.model_dump() for f in flags],
                      "auc_all_columns": auc(list(data.X.columns)), "auc_guarded": auc(kept)}, indent=2))


if __name__ == "__main__":
    main()
