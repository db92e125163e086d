"""Forecast backtest on the demo workspace: the old count (deals whose expected close is in the month) vs. the
close-timing forecast (scoring.forecast_timing), month by month.

    OMP_WAIT_POLICY=passive .venv/bin/python benchmarks/forecast_backtest.py --db /tmp/fc/demo.db

Same protocol as benchmarks/scoring_demo.py: the served model is trained on snapshots of deals closed before
as_of − 180 days (2026-05-31); each month is forecast at its first day from the deals open then (point-in-time
features; the timing is learned from deals won before that day). Actual = won bookings in the month from those
deals; `all_won` adds deals created and won within the month (a manager's "bookings this month").
Jan–Jun 2026 were used to choose the timing settings (their win probabilities are partly in-sample);
Jul–Oct 2026 are held out.
"""

from __future__ import annotations

import argparse
import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from crm.db import make_engine, session_scope
from scoring import features as F
from scoring import service
from scoring.forecast import backtest
from scoring.service import typed
from scoring.trainer import train

AS_OF = datetime(2026, 11, 27, 9)
MONTHS = [datetime(2026, m, 1) for m in range(1, 12)]
HELD_OUT = datetime(2026, 7, 1)


def summary(rows: list[dict[str, object]]) -> dict[str, object]:
    acc = [float(r["accuracy"]) for r in rows]  # type: ignore[arg-type]
    return {"mean_accuracy": round(sum(acc) / len(acc), 4), "within_15pct": f"{sum(a >= 0.85 for a in acc)}/{len(acc)}"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--cutoff-days", type=int, default=180)
    args = ap.parse_args()
    engine = make_engine(f"sqlite:///{args.db}")
    cutoff = AS_OF - timedelta(days=args.cutoff_days)
    with session_scope(engine) as session:
        tables = F.load_tables(session)
        train_data, _ = service.training_data(session, end=cutoff, tables=tables)
    model = train(train_data, version="bench", target="status", positive="won", name_check=False,
                  choice="lightgbm", profile="served").model
    predict = lambda raw: model.predict_proba(typed(model.schema, raw))  # noqa: E731
    periods = list(itertools.pairwise(MONTHS))
    old = backtest(tables, predict, periods, method="expected_close")
    new = backtest(tables, predict, periods, method="timing")
    o = tables.opps
    out: dict[str, object] = {"cutoff": cutoff.isoformat(), "months": []}
    rows: list[dict[str, object]] = []
    for a, b in zip(old, new, strict=True):
        won = o[(o["status"] == "won") & (o["closed_at"] >= pd.Timestamp(a.start)) & (o["closed_at"] < pd.Timestamp(a.end))]
        all_won = float(won["amount"].sum())
        rows.append({"month": a.start.isoformat()[:7], "held_out": a.start >= HELD_OUT.date(), "actual": a.actual,
                     "all_won": round(all_won), "old_forecast": a.forecast, "old_accuracy": a.accuracy,
                     "forecast": b.forecast, "accuracy": b.accuracy,
                     "accuracy_vs_all_won": round(1 - abs(all_won - b.forecast) / all_won, 4)})
    out["months"] = rows
    for name, sel in (("tuning Jan–Jun", [r for r in rows if not r["held_out"]]),
                      ("held-out Jul–Oct", [r for r in rows if r["held_out"]])):
        out[name] = {"old": summary([{"accuracy": r["old_accuracy"]} for r in sel]), "timing": summary(sel),
                     "timing_vs_all_won": summary([{"accuracy": r["accuracy_vs_all_won"]} for r in sel])}
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
