"""Point-in-time CRM features, computed set-wise for many (opportunity, as-of time) snapshots at once.

Every feature of a snapshot at time t reads only rows dated ≤ t (stage history, activities, tasks, calls)
or strictly < t (other deals' outcomes for account and rep history), through `pandas.merge_asof` on
cumulative counts, so training never sees the future. The deal's current row (stage, amount, expected
close) is used only for "live" snapshots taken now, appended as the newest history record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import select, true
from sqlalchemy.orm import Session

from crm.models import Account, Activity, Call, Opportunity, Region, Stage, StageHistory, Task

CATEGORICAL = ["stage", "industry", "region", "product_line", "source", "account_size"]
NUMERIC = [
    "stage_order", "days_in_stage", "age_days", "stage_changes", "amount_log", "amount_change",
    "close_pushes", "days_to_close", "days_since_activity", "activities_30d", "calls", "visits",
    "activities", "next_step_open", "account_past_wins", "account_past_revenue_log", "account_past_losses",
    "rep_win_rate", "rep_closed", "budget_confirmed", "dm_engaged", "competitor_named", "sentiment",
]
FEATURES = NUMERIC[:2] + CATEGORICAL + NUMERIC[2:]
_NS_PER_DAY = 86_400 * 1e9


@dataclass
class Tables:
    """The CRM rows features need, loaded once (set-wise) as DataFrames."""

    opps: pd.DataFrame
    history: pd.DataFrame
    activities: pd.DataFrame
    tasks: pd.DataFrame
    calls: pd.DataFrame
    stage_order: dict[str, int]


def _frame(session: Session, stmt: object) -> pd.DataFrame:
    return pd.read_sql(stmt, session.connection())  # type: ignore[call-overload]


def load_tables(session: Session, opportunity_ids: list[int] | None = None) -> Tables:
    """Load what features need. `opportunity_ids` limits the per-deal tables to those deals, and the deals
    table to them plus the closed deals of their accounts and owners (for account and rep history)."""
    o = Opportunity
    opp_filter = None
    if opportunity_ids is not None:
        mine = select(o.account_id, o.owner_id).where(o.id.in_(opportunity_ids)).subquery()
        opp_filter = o.id.in_(opportunity_ids) | (
            o.status.in_(["won", "lost"])
            & (o.account_id.in_(select(mine.c.account_id)) | o.owner_id.in_(select(mine.c.owner_id)))
        )
    opps = _frame(session, select(
        o.id, o.account_id, o.owner_id, o.product_line, o.amount, o.stage, o.status, o.expected_close,
        o.created_at, o.closed_at, o.source, o.budget_confirmed_at, o.decision_maker_engaged_at,
        Account.industry, Account.size.label("account_size"), Region.name.label("region"),
    ).join(Account, Account.id == o.account_id).outerjoin(Region, Region.id == Account.region_id)
    .where(opp_filter if opp_filter is not None else true()))
    flt = (lambda col: col.in_(opportunity_ids)) if opportunity_ids is not None else (lambda col: true())
    h = StageHistory
    history = _frame(session, select(h.opportunity_id, h.to_stage, h.changed_at, h.amount, h.expected_close)
                     .where(flt(h.opportunity_id)))
    a = Activity
    acts = _frame(session, select(a.opportunity_id, a.type, a.occurred_at)
                  .where(a.opportunity_id.is_not(None), flt(a.opportunity_id)))
    t = Task
    tasks = _frame(session, select(t.opportunity_id, t.created_at, t.completed_at, t.status)
                   .where(t.opportunity_id.is_not(None), t.status != "cancelled", flt(t.opportunity_id)))
    c = Call
    calls = _frame(session, select(c.opportunity_id, c.call_time, c.created_at, c.insights)
                   .where(c.opportunity_id.is_not(None), c.insights.is_not(None), flt(c.opportunity_id)))
    order = {name: k for name, k in session.execute(select(Stage.name, Stage.order)).all()}
    for df, cols in [(opps, ["created_at", "closed_at", "budget_confirmed_at", "decision_maker_engaged_at"]),
                     (history, ["changed_at"]), (acts, ["occurred_at"]), (tasks, ["created_at", "completed_at"]),
                     (calls, ["call_time", "created_at"])]:
        for col in cols:
            df[col] = pd.to_datetime(df[col])
    for df in (opps, history):
        df["expected_close"] = pd.to_datetime(df["expected_close"])
    return Tables(opps, history, acts, tasks, calls, order)


def _asof(snaps: pd.DataFrame, events: pd.DataFrame, key: str, on: str, cols: list[str],
          strict: bool = False, shift: pd.Timedelta | None = None) -> pd.DataFrame:
    """For each snapshot, the newest event row of the same key dated ≤ t (or < t when strict)."""
    left = snaps[["_row", key, "t"]].copy()
    if shift is not None:
        left["t"] = left["t"] - shift
    left["t"] = pd.to_datetime(left["t"]).astype("datetime64[ns]")
    left = left.sort_values("t")
    right = events[[key, on, *cols]].dropna(subset=[on]).copy()
    right[on] = pd.to_datetime(right[on]).astype("datetime64[ns]")
    right = right.sort_values(on)
    right[key] = right[key].astype(left[key].dtype)
    merged = pd.merge_asof(left, right, left_on="t", right_on=on, by=key, allow_exact_matches=not strict)
    return merged.set_index("_row").reindex(snaps["_row"])[cols].reset_index(drop=True)


def _cum(events: pd.DataFrame, key: str, on: str, values: dict[str, pd.Series]) -> pd.DataFrame:
    ev = events[[key, on]].copy()
    for name, v in values.items():
        ev[name] = v.to_numpy(dtype=float)
    ev = ev.dropna(subset=[on]).sort_values([key, on])
    for name in values:
        ev[name] = ev.groupby(key)[name].cumsum()
    # events sharing a timestamp: keep only the last running total, so an as-of lookup counts all of them
    # (merge_asof would otherwise pick any one of the tied rows)
    return ev.drop_duplicates(subset=[key, on], keep="last")


def _insight_flags(calls: pd.DataFrame) -> pd.DataFrame:
    out = calls[["opportunity_id"]].copy()
    out["t"] = calls["call_time"].fillna(calls["created_at"])
    ins = calls["insights"].map(lambda v: v if isinstance(v, dict) else {})
    out["budget"] = ins.map(lambda d: float((d.get("budget") or {}).get("status") == "confirmed"))
    out["dm"] = ins.map(lambda d: float(any(c.get("role") == "decision_maker" for c in d.get("contacts") or [])))
    out["comp"] = ins.map(lambda d: float(bool(d.get("competitors"))))
    out["sent"] = ins.map(lambda d: {"positive": 1.0, "negative": -1.0}.get(d.get("sentiment", ""), 0.0))
    return out


def build(tables: Tables, snaps: pd.DataFrame, live: bool = False) -> pd.DataFrame:
    """Feature frame for snapshots (columns opportunity_id, t), in snapshot order.

    live=True: snapshots are "now", so the deal's current row counts as its newest history record."""
    s = snaps[["opportunity_id", "t"]].reset_index(drop=True).copy()
    s["t"] = pd.to_datetime(s["t"])
    s["_row"] = np.arange(len(s))
    opps = tables.opps.set_index("id")
    o = opps.reindex(s["opportunity_id"]).reset_index(drop=True)
    hist = tables.history
    if live:
        cur = tables.opps[tables.opps["id"].isin(s["opportunity_id"])]
        when = s.groupby("opportunity_id")["t"].max()
        extra = pd.DataFrame({"opportunity_id": cur["id"], "to_stage": cur["stage"],
                              "changed_at": cur["id"].map(when), "amount": cur["amount"],
                              "expected_close": cur["expected_close"]})
        hist = pd.concat([hist, extra], ignore_index=True)
    days = lambda td: td / np.timedelta64(1, "D")  # noqa: E731
    f = pd.DataFrame(index=s.index)

    # stage, time in stage, amount and close-date changes, from stage history ≤ t
    h = hist.sort_values(["opportunity_id", "changed_at"]).copy()
    h["stage_changes"] = h.groupby("opportunity_id").cumcount()
    first_amount = h.groupby("opportunity_id")["amount"].transform("first")
    h["amount_change"] = (h["amount"] / first_amount.replace(0, np.nan) - 1).fillna(0.0)
    prev_close = h.groupby("opportunity_id")["expected_close"].shift()
    h["close_pushes"] = (h["expected_close"] > prev_close).astype(float).groupby(h["opportunity_id"]).cumsum()
    # the newest record per timestamp carries the stage entry time: entry time = when to_stage first appeared
    h["entered"] = h["changed_at"].where(h["to_stage"] != h.groupby("opportunity_id")["to_stage"].shift())
    h["entered"] = h.groupby("opportunity_id")["entered"].ffill()
    cols = ["to_stage", "entered", "amount", "expected_close", "stage_changes", "amount_change", "close_pushes"]
    last = _asof(s, h, "opportunity_id", "changed_at", cols)
    f["stage"] = last["to_stage"].fillna("")
    f["stage_order"] = f["stage"].map(tables.stage_order).astype(float)
    f["days_in_stage"] = days(s["t"] - last["entered"].fillna(o["created_at"]))
    f["age_days"] = days(s["t"] - o["created_at"])
    f["stage_changes"] = last["stage_changes"].fillna(0.0)
    amount = last["amount"].fillna(o["amount"]).astype(float)
    f["amount_log"] = np.log1p(amount.clip(lower=0))
    f["amount_change"] = last["amount_change"].fillna(0.0)
    f["close_pushes"] = last["close_pushes"].fillna(0.0)
    f["days_to_close"] = days(last["expected_close"] - s["t"])

    for name in ("industry", "product_line", "source", "account_size", "region"):
        f[name] = o[name].fillna("").astype(str)

    # activities ≤ t
    acts = tables.activities
    ev = _cum(acts, "opportunity_id", "occurred_at", {
        "n": pd.Series(np.ones(len(acts))), "calls": (acts["type"] == "call"),
        "visits": acts["type"].isin(["visit", "meeting"]),
    })
    ev["last_at"] = ev["occurred_at"]
    now = _asof(s, ev, "opportunity_id", "occurred_at", ["n", "calls", "visits", "last_at"])
    before = _asof(s, ev, "opportunity_id", "occurred_at", ["n"], shift=pd.Timedelta(days=30))
    f["activities"] = now["n"].fillna(0.0)
    f["calls"] = now["calls"].fillna(0.0)
    f["visits"] = now["visits"].fillna(0.0)
    f["activities_30d"] = f["activities"] - before["n"].fillna(0.0)
    f["days_since_activity"] = days(s["t"] - now["last_at"]).fillna(f["age_days"])

    # an open next step at t: tasks created ≤ t minus tasks completed ≤ t
    tk = tables.tasks
    made = _asof(s, _cum(tk, "opportunity_id", "created_at", {"k": pd.Series(np.ones(len(tk)))}),
                 "opportunity_id", "created_at", ["k"])
    done = _asof(s, _cum(tk, "opportunity_id", "completed_at", {"k": pd.Series(np.ones(len(tk)))}),
                 "opportunity_id", "completed_at", ["k"])
    f["next_step_open"] = ((made["k"].fillna(0) - done["k"].fillna(0)) > 0).astype(float)

    # account and rep history: other deals closed strictly before t
    closed = tables.opps[tables.opps["status"].isin(["won", "lost"])]
    won = (closed["status"] == "won")
    acc = _cum(closed, "account_id", "closed_at", {"w": won, "l": ~won, "rev": closed["amount"].where(won, 0.0)})
    s2 = s.assign(account_id=o["account_id"].to_numpy(), owner_id=o["owner_id"].to_numpy())
    a = _asof(s2, acc, "account_id", "closed_at", ["w", "l", "rev"], strict=True)
    f["account_past_wins"] = a["w"].fillna(0.0)
    f["account_past_losses"] = a["l"].fillna(0.0)
    f["account_past_revenue_log"] = np.log1p(a["rev"].fillna(0.0))
    rep = _asof(s2, _cum(closed, "owner_id", "closed_at", {"w": won, "l": ~won}), "owner_id", "closed_at",
                ["w", "l"], strict=True)
    w, n = rep["w"].fillna(0.0), rep["w"].fillna(0.0) + rep["l"].fillna(0.0)
    prior = float(won.mean()) if len(closed) else 0.3
    f["rep_win_rate"] = (w + 10 * prior) / (n + 10)
    f["rep_closed"] = n

    # qualification: CRM fields dated ≤ t, or call insights from calls ≤ t
    f["budget_confirmed"] = (o["budget_confirmed_at"] <= s["t"]).astype(float)
    f["dm_engaged"] = (o["decision_maker_engaged_at"] <= s["t"]).astype(float)
    ins = _insight_flags(tables.calls)
    ci = _asof(s, _cum(ins, "opportunity_id", "t", {"b": ins["budget"], "d": ins["dm"], "c": ins["comp"],
                                                   "s": ins["sent"]}), "opportunity_id", "t", ["b", "d", "c", "s"])
    f["budget_confirmed"] = np.maximum(f["budget_confirmed"], (ci["b"].fillna(0) > 0).astype(float))
    f["dm_engaged"] = np.maximum(f["dm_engaged"], (ci["d"].fillna(0) > 0).astype(float))
    f["competitor_named"] = (ci["c"].fillna(0) > 0).astype(float)
    f["sentiment"] = np.sign(ci["s"].fillna(0.0))
    return f[FEATURES]


def training_snapshots(tables: Tables, start: datetime | None = None, end: datetime | None = None) -> pd.DataFrame:
    """Closed deals sampled at creation, every stage entry before close and halfway through each stage."""
    opps = tables.opps[tables.opps["status"].isin(["won", "lost"]) & tables.opps["closed_at"].notna()]
    if start is not None:
        opps = opps[opps["closed_at"] >= pd.Timestamp(start)]
    if end is not None:
        opps = opps[opps["closed_at"] < pd.Timestamp(end)]
    h = tables.history.merge(opps[["id", "closed_at"]], left_on="opportunity_id", right_on="id")
    h = h[h["changed_at"] < h["closed_at"]]
    entries = pd.concat([
        pd.DataFrame({"opportunity_id": opps["id"], "t": opps["created_at"]}),
        pd.DataFrame({"opportunity_id": h["opportunity_id"], "t": h["changed_at"]}),
    ]).drop_duplicates().sort_values(["opportunity_id", "t"])
    # and halfway through each stage, so time-in-stage and recency look like those of live deals
    nxt = entries.groupby("opportunity_id")["t"].shift(-1)
    nxt = nxt.fillna(entries["opportunity_id"].map(opps.set_index("id")["closed_at"]))
    mids = pd.DataFrame({"opportunity_id": entries["opportunity_id"], "t": entries["t"] + (nxt - entries["t"]) / 2})
    snaps = pd.concat([entries, mids]).drop_duplicates().sort_values(["opportunity_id", "t"]).reset_index(drop=True)
    status = opps.set_index("id")["status"]
    snaps["y"] = (snaps["opportunity_id"].map(status) == "won").astype(int)
    snaps["closed_at"] = snaps["opportunity_id"].map(opps.set_index("id")["closed_at"])
    return snaps
