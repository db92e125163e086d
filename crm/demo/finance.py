"""Demo targets, orders, collections (回款), marketing spend and reps' forecast commits."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from crm.demo import vocab
from crm.demo.people import DemoOrg
from crm.demo.pipeline import quarter_start


def _quarters(first: date, last: date) -> list[date]:
    q, out = quarter_start(first), []
    while q <= last:
        out.append(q)
        q = date(q.year + (q.month + 3 > 12), (q.month + 2) % 12 + 1, 1)
    return out


def build_finance(
    rng: np.random.Generator, org: DemoOrg, opps: list[dict[str, Any]], as_of: datetime
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("orders", "collections", "spend", "targets", "forecasts")}
    won_by_rep_q: dict[tuple[int, date], float] = defaultdict(float)
    open_by_rep_q: dict[tuple[int, date], float] = defaultdict(float)
    for o in opps:
        if o["status"] == "won":
            closed: datetime = o["closed_at"]
            won_by_rep_q[(o["owner_id"], quarter_start(closed.date()))] += o["amount"]
            order_id = len(out["orders"]) + 1
            out["orders"].append({"id": order_id, "opportunity_id": o["id"], "account_id": o["account_id"],
                                  "owner_id": o["owner_id"], "amount": o["amount"], "order_date": closed.date()})
            first = round(o["amount"] * 0.5, 2)
            for part, lo, hi in ((first, 10, 45), (round(o["amount"] - first, 2), 60, 150)):
                when = closed + timedelta(days=float(rng.uniform(lo, hi)))
                if when <= as_of and rng.random() < 0.93:
                    out["collections"].append({"order_id": order_id, "opportunity_id": o["id"],
                                               "account_id": o["account_id"], "owner_id": o["owner_id"],
                                               "amount": part, "received_on": when.date()})
        elif o["status"] == "open" and o["expected_close"]:
            open_by_rep_q[(o["owner_id"], quarter_start(o["expected_close"]))] += o["amount"] * 0.45
    quarters = _quarters((as_of - timedelta(days=730)).date(), as_of.date())
    current_q = quarter_start(as_of.date())
    team_region = {t["id"]: t["region_id"] for t in org.teams}
    for u in org.reps():
        history = [won_by_rep_q.get((u.id, q), 0.0) for q in quarters[:-1]]
        base = float(np.mean(history)) if history else 0.0
        for q in quarters:
            target = round(max(base, 100000.0) * float(rng.uniform(1.0, 1.3)), -4)
            out["targets"].append({"level": "user", "user_id": u.id, "team_id": u.team_id, "region_id": u.region_id,
                                   "period": "quarter", "period_start": q, "amount": target})
            actual = won_by_rep_q.get((u.id, q), 0.0) if q != current_q else open_by_rep_q.get((u.id, q), 0.0)
            commit = actual * (1 + u.forecast_bias + float(rng.normal(0, 0.04)))
            out["forecasts"].append({"user_id": u.id, "period": "quarter", "period_start": q,
                                     "amount": round(max(commit, 0.0), -3),
                                     "submitted_at": datetime.combine(q, datetime.min.time()) + timedelta(days=10)})
    sums: dict[tuple[str, int | None, date], float] = defaultdict(float)
    for t in out["targets"]:
        sums[("team", t["team_id"], t["period_start"])] += t["amount"]
        sums[("region", t["region_id"], t["period_start"])] += t["amount"]
        sums[("company", None, t["period_start"])] += t["amount"]
    for (level, key, q), amount in sums.items():
        out["targets"].append({
            "level": level, "user_id": None, "team_id": key if level == "team" else None,
            "region_id": key if level == "region" else (team_region.get(key) if level == "team" and key else None),
            "period": "quarter", "period_start": q, "amount": amount,
        })
    month = date(quarters[0].year, quarters[0].month, 1)
    while month <= as_of.date():
        for ch, spend in zip(vocab.SOURCES, vocab.CHANNEL_MONTHLY_SPEND, strict=True):
            for rid, share in enumerate([0.3, 0.2, 0.18, 0.12, 0.12, 0.08], start=1):
                out["spend"].append({"channel": ch, "region_id": rid, "month": month,
                                     "amount": round(spend * share * float(rng.uniform(0.8, 1.2)), 2)})
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return out
