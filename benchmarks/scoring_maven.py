"""Maven 'CRM Sales Opportunities' sample: honest AUC of the generic tabular model (published LR ≈ 0.544).

    .venv/bin/python benchmarks/scoring_maven.py [--dir ../shared/data/maven_crm]

Closed deals only (Won/Lost). Features: agent, manager, office, product, series, price, account sector,
revenue, employees, engage month. close_value and close_date are given to the model too: the leakage guard
must drop them (close_value is 0 for every lost deal). Split 80/20 at random (seed 42), one row per deal.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit

from scoring.calibration import metrics
from scoring.tabular import TrainingData, prepare_training
from scoring.trainer import train

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/maven_crm"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, default=DEFAULT)
    args = ap.parse_args()
    read = lambda name: pd.read_csv(args.dir / name, dtype=str, keep_default_na=False)  # noqa: E731
    pipe = read("sales_pipeline.csv")
    pipe["product"] = pipe["product"].replace({"GTXPro": "GTX Pro"})
    df = (pipe[pipe["deal_stage"].isin(["Won", "Lost"])]
          .merge(read("sales_teams.csv"), on="sales_agent", how="left")
          .merge(read("products.csv"), on="product", how="left")
          .merge(read("accounts.csv")[["account", "sector", "revenue", "employees"]], on="account", how="left"))
    df["engage_month"] = df["engage_date"].str[:7]
    df = df.drop(columns=["engage_date", "account"])  # the account name is an identifier-like label
    data = prepare_training(df, "deal_stage", "Won", id_column="opportunity_id")
    tr, te = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42).split(data.X, data.y, data.groups))
    sub = lambda idx: TrainingData(X=data.X.iloc[idx], y=data.y[idx], groups=data.groups[idx],  # noqa: E731
                                   ids=data.ids.iloc[idx], schema=data.schema)
    out = {"rows": len(df), "won_rate": round(float(np.mean(data.y)), 3)}
    for choice in ("auto", "naive_bayes"):
        trained = train(sub(tr), version="maven", target="deal_stage", positive="Won", choice=choice)  # type: ignore[arg-type]
        p = trained.model.predict_proba(data.X.iloc[te][trained.model.features])
        m = metrics(data.y[te], p)
        out[trained.card.kind] = {"auc": round(m.auc or 0, 4), "brier": round(m.brier, 4), "ece": round(m.ece, 4),
                                  "n_test": m.n, "dropped": [f.column for f in trained.card.dropped]}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
