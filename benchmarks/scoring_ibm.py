"""IBM Sales Win-Loss benchmark: calibrated LightGBM vs plain LightGBM, naive Bayes and logistic regression.

    OMP_WAIT_POLICY=passive .venv/bin/python benchmarks/scoring_ibm.py [--csv ../shared/data/winloss/ibm_sales_win_loss.csv] [--json]

Split: 80/20 grouped by 'Opportunity Number' (GroupShuffleSplit, seed 42); every model sees the same rows.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from scoring.calibration import metrics
from scoring.tabular import TrainingData, prepare_training, read_csv
from scoring.trainer import train

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/winloss/ibm_sales_win_loss.csv"


def subset(d: TrainingData, idx: np.ndarray) -> TrainingData:
    return TrainingData(X=d.X.iloc[idx], y=d.y[idx], groups=d.groups[idx], ids=d.ids.iloc[idx], schema=d.schema)


def row(name: str, y: np.ndarray, p: np.ndarray, seconds: float) -> dict[str, object]:
    m = metrics(y, p)
    return {"model": name, "auc": round(m.auc or 0, 4), "brier": round(m.brier, 4), "ece": round(m.ece, 4),
            "accuracy": round(m.accuracy, 4), "n_test": m.n, "train_s": round(seconds, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", type=Path, default=DEFAULT)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    df = read_csv(args.csv)
    d = prepare_training(df, "Opportunity Result", "Won", id_column="Opportunity Number")
    tr, te = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42).split(d.X, d.y, d.groups))
    dtr, dte = subset(d, tr), subset(d, te)
    results = []

    t, c = time.perf_counter(), time.process_time()
    plain = lgb.LGBMClassifier(verbose=-1, n_jobs=1, random_state=42).fit(dtr.X, dtr.y)
    results.append(row("plain LightGBM (defaults)", dte.y, np.asarray(plain.predict_proba(dte.X))[:, 1],
                       time.perf_counter() - t))
    results[-1]["cpu_s"] = round(time.process_time() - c, 1)

    num = [c.name for c in d.schema.columns if c.kind == "numeric"]
    cat = [c.name for c in d.schema.columns if c.kind == "categorical"]
    t = time.perf_counter()
    lr = make_pipeline(make_column_transformer((StandardScaler(), num), (OneHotEncoder(handle_unknown="ignore"), cat)),
                       LogisticRegression(max_iter=2000))
    lr.fit(dtr.X.astype({c: str for c in cat}), dtr.y)
    p_lr = lr.predict_proba(dte.X.astype({c: str for c in cat}))[:, 1]
    results.append(row("logistic regression", dte.y, p_lr, time.perf_counter() - t))

    for name, leakage, choice in [
        ("Dealwise calibrated LightGBM, all columns (--keep-leaky)", "warn", "lightgbm"),
        ("Dealwise naive Bayes fallback, all columns", "warn", "naive_bayes"),
        ("Dealwise calibrated LightGBM, leakage guard on (columns measured at close dropped)", "drop", "lightgbm"),
    ]:
        t, c = time.perf_counter(), time.process_time()
        trained = train(dtr, version="bench", target="Opportunity Result", positive="Won",
                        leakage=leakage, choice=choice)  # type: ignore[arg-type]
        secs = time.perf_counter() - t
        p = trained.model.predict_proba(dte.X[trained.model.features])
        r = row(name, dte.y, p, secs)
        r["cpu_s"] = round(time.process_time() - c, 1)
        r["dropped"] = [f.column for f in trained.card.dropped]
        results.append(r)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print("| model | AUC | Brier | ECE | acc@0.5 | n test | train wall s | train CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['model']} | {r['auc']} | {r['brier']} | {r['ece']} | {r['accuracy']} | {r['n_test']} | {r['train_s']} | {r.get('cpu_s', '')} |")
    for r in results:
        if r.get("dropped"):
            print(f"\ndropped by the guard in '{r['model']}': {', '.join(r['dropped'])}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
