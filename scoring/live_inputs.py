"""The inputs of the live features, per deal: read from the maintained rollups (`crm.models.rollups`, one row
per open deal) or from history (indexed SQL aggregates, built and compiled once), as numpy columns.

`scoring.fast.live_features` turns them into the feature matrix. A deal's rollup row is used only when the deal
is not dirty, nothing in it is after t and its 30-day window holds at t; `tests/crm/test_rollups.py` checks that
both readers give the same inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    String,
    func,
    select,
    type_coerce,
)

from crm.models import (
    Opportunity,
    ScoringRepRollup,
    ScoringRollupDirty,
)
from crm.rollups import labels as rollup_labels
from crm.rollups import to_epoch_us
from scoring.live_statements import Statements
from scoring.live_statements import statements as statements  # re-exported: callers read both from here


def _us(values: list[Any]) -> np.ndarray:
    """Datetimes / dates (None allowed) → float microseconds since the epoch (NaN for None)."""
    arr = np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[us]")
    out = arr.astype(np.int64).astype(float)
    out[np.isnat(arr)] = np.nan
    return out


def _f(values: Sequence[Any]) -> np.ndarray:
    """Numbers (None allowed) → floats (NaN for None)."""
    return np.array(values, dtype=float)


def _lookup(keys: np.ndarray, rows: Sequence[Any], width: int) -> np.ndarray:
    """Aggregate rows keyed by their first column → an n × width matrix aligned with `keys` (0 where absent)."""
    out = np.zeros((len(keys), width))
    if rows:
        arr = np.array(rows, dtype=float).reshape(len(rows), width + 1)  # None → NaN
        rk, vals = arr[:, 0].astype(np.int64), arr[:, 1:]
        order = np.argsort(rk, kind="stable")
        rk, vals = rk[order], vals[order]
        pos = np.searchsorted(rk, keys).clip(0, len(rk) - 1)
        ok = rk[pos] == keys
        out[ok] = vals[pos[ok]]
    return out


def _history(ids: np.ndarray, rows: Sequence[Any], cur_stage: list[str], cur_amount: np.ndarray,
             cur_close: np.ndarray, t_us: float) -> dict[str, np.ndarray]:
    """Stage changes, stage entry time, close pushes and amount change per deal, from its history rows ≤ t
    (sorted by deal and time) followed by its current row at t, as `features.build(live=True)` defines them."""
    n = len(ids)
    m = len(rows)
    opp = np.array([r[0] for r in rows], dtype=np.int64)
    row_deal = np.searchsorted(ids, opp)
    counts = np.bincount(row_deal, minlength=n).astype(float)
    stages = {s: i for i, s in enumerate(sorted(set(cur_stage) | {r[1] for r in rows}))}
    cur_code = np.array([stages[s] for s in cur_stage])
    code = np.array([stages[r[1]] for r in rows], dtype=np.int64)
    at = _us([r[2] for r in rows])
    amount = _f([r[3] for r in rows])
    close = _us([r[4] for r in rows])
    start = np.concatenate([[0], np.cumsum(counts).astype(np.int64)])[:n]
    last = start + counts.astype(np.int64) - 1  # index of the deal's last history row (start − 1 when none)
    has = counts > 0
    idx = np.arange(m)
    same = np.zeros(m, dtype=bool)
    same[1:] = row_deal[1:] == row_deal[:-1]
    # close pushes: consecutive records of one deal whose expected close moved later (both known)
    pushed = same & (close > np.roll(close, 1))
    pushes = np.bincount(row_deal[pushed], minlength=n).astype(float)
    prev_close = np.where(has, close[np.maximum(last, 0)] if m else np.nan, np.nan)
    pushes += (cur_close > prev_close)
    # stage entry: the first record of the trailing run of the current stage (t itself when the stage is new)
    differs = code != cur_code[row_deal]
    last_diff = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_diff, row_deal[differs], idx[differs])
    run_start = np.maximum(last_diff + 1, start)
    entered = np.full(n, t_us)
    in_run = has & (run_start <= last)
    entered[in_run] = at[run_start[in_run]]
    # amount change against the first known amount (history, then the current row)
    first_amount = cur_amount.copy()
    known = ~np.isnan(amount)
    first_known = np.full(n, m, dtype=np.int64)
    np.minimum.at(first_known, row_deal[known], idx[known])
    hk = first_known < m
    first_amount[hk] = amount[first_known[hk]]
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where((first_amount != 0) & ~np.isnan(first_amount) & ~np.isnan(cur_amount),
                          cur_amount / first_amount - 1, 0.0)
    return {"stage_changes": counts, "entered": entered, "close_pushes": pushes, "amount_change": change}


def _insight_sums(ids: np.ndarray, rows: Sequence[Any]) -> np.ndarray:
    out = np.zeros((len(ids), 4))
    for oid, doc in rows:
        d: dict[str, Any] = doc if isinstance(doc, dict) else {}
        i = int(np.searchsorted(ids, oid))
        if i >= len(ids) or ids[i] != oid:
            continue  # a deal read elsewhere (stale in the batch)
        out[i, 0] += float((d.get("budget") or {}).get("status") == "confirmed")
        out[i, 1] += float(any(x.get("role") == "decision_maker" for x in d.get("contacts") or []))
        out[i, 2] += float(bool(d.get("competitors")))
        out[i, 3] += {"positive": 1.0, "negative": -1.0}.get(d.get("sentiment", ""), 0.0)
    return out


@dataclass
class Deals:
    """Per-deal inputs of the feature definitions, aligned with `ids`; times in µs since the epoch (NaN: none)."""

    ids: np.ndarray
    labels: np.ndarray  # the texts `stage` and `cats` index (str objects; "" for none)
    stage: np.ndarray  # label index
    amount: np.ndarray
    close: np.ndarray
    created: np.ndarray
    budget: np.ndarray  # 1.0 when the budget was confirmed by t (field), else 0.0
    dm: np.ndarray  # 1.0 when the decision maker was engaged by t (field), else 0.0
    cats: np.ndarray  # n × 5 label indexes: industry, product line, source, account size, region
    hist: dict[str, np.ndarray]
    acts: np.ndarray  # n × 5: count, calls, visits, count in (t − 30 d, t], last time
    tasks: np.ndarray  # open tasks at t
    ins: np.ndarray  # n × 4 insight sums
    acc: np.ndarray  # n × 3: account won, lost, won amount
    rep: np.ndarray  # n × 2: rep won, lost

    def take(self, rows: np.ndarray) -> Deals:
        parts: dict[str, Any] = {k: ({n: c[rows] for n, c in v.items()} if isinstance(v, dict)
                                     else v if k == "labels" else v[rows]) for k, v in vars(self).items()}
        return Deals(**parts)


def _text(col: Sequence[Any]) -> np.ndarray:
    """Strings (None allowed) → an object array ("" for None)."""
    out = np.empty(len(col), dtype=object)
    out[:] = col
    out[pd.isna(out)] = ""
    return out


def rollups_valid(conn: Connection, t: datetime) -> bool:
    """The account and rep rollups hold every closed deal; they equal the history at t when all closed before t."""
    o = Opportunity
    last = [conn.scalar(select(func.max(type_coerce(o.closed_at, String))).where(o.status == s)) for s in ("won", "lost")]
    return all(x is None or np.datetime64(x, "us") < np.datetime64(t, "us") for x in last)


def from_history(conn: Connection, st: Statements, params: dict[str, Any], ids: list[int] | None,
                  t: datetime, acc_rep: bool) -> Deals | None:
    """The deals' inputs from history (`ids` or every open deal); account/rep counts from history or rollups."""
    if ids is not None:
        params = {**params, "ids": list(ids)}
    deals = conn.execute(st.deals, params).all()
    if not deals:
        return None
    did = np.array([d[0] for d in deals], dtype=np.int64)
    cols = list(zip(*deals, strict=True))
    t_us = float(to_epoch_us(t))
    stage, amount, close = _text(cols[4]), _f(cols[3]), _us(list(cols[5]))
    hist = _history(did, conn.execute(st.hist, params).all(), list(stage), amount, close, t_us)
    act_rows = conn.execute(st.acts, params).all()
    act_last = _us([r[4] for r in act_rows])
    acts = _lookup(did, [(r[0], r[1], r[2], r[3], r[1] - (r[5] or 0), act_last[i])
                         for i, r in enumerate(act_rows)], 5)
    tasks = _lookup(did, conn.execute(st.tasks, params).all(), 1)[:, 0]
    ins = _insight_sums(did, conn.execute(st.calls, params).tuples().all())
    acc_ids, rep_ids = np.array(cols[1], dtype=np.int64), np.array(cols[2], dtype=np.int64)
    acc_st, rep_st = (st.acc_roll, st.rep_roll) if acc_rep else (st.acc_hist, st.rep_hist)
    acc = np.nan_to_num(_lookup(acc_ids, conn.execute(acc_st, params).all(), 3))
    rep = np.nan_to_num(_lookup(rep_ids, conn.execute(rep_st, params).all(), 2))
    codes, labels = pd.factorize(np.concatenate([stage, *[_text(c) for c in cols[9:14]]]))
    codes = codes.reshape(6, len(did))
    budget = (_us(list(cols[7])) <= t_us).astype(float)
    dm = (_us(list(cols[8])) <= t_us).astype(float)
    return Deals(did, np.asarray(labels, dtype=object), codes[0], amount, close, _us(list(cols[6])), budget, dm,
                  codes[1:].T.copy(), hist, acts, tasks, ins, acc, rep)


def from_rollups(conn: Connection, st: Statements, params: dict[str, Any],
                  t: datetime) -> tuple[Deals | None, list[int]]:
    """The open deals whose rollup is clean and holds nothing after t, from one scan of the rollups; the ids
    of the other open deals (stale: dirty, or with rows after t). Only when no deal closed at or after t."""
    t_us = to_epoch_us(t)
    # the DBAPI cursor's plain tuples: Row objects cost more than the SQL for 100k rows × 27 values
    t30_us = to_epoch_us(params["t30"])
    rows = conn.execute(st.rolled, {**params, "t_us": t_us, "t30_us": t30_us}).cursor.fetchall()
    stale = [int(x) for x in conn.scalars(st.dirty_open)]
    if not rows:
        return None, stale
    cols = np.array(rows, dtype=float).T  # every column is a number (None → NaN); ids and µs times are exact
    did = cols[0].astype(np.int64)
    dirty = np.isin(did, np.array(list(conn.scalars(select(ScoringRollupDirty.opportunity_id))), dtype=np.int64))
    flags = cols[5].astype(np.int64)
    fresh = (flags & 8 > 0) & ~dirty
    stale = sorted(set(stale) | {int(x) for x in did[~fresh & ~dirty]})
    texts = rollup_labels(conn)
    labels = np.full(max(texts, default=0) + 2, "", dtype=object)  # the last one stands for none
    labels[list(texts)] = list(texts.values())
    codes = np.nan_to_num(cols[[2, 6, 7, 8, 9, 10]], nan=len(labels) - 1).astype(np.int64)
    amount, close, first_amount = cols[1], cols[3], cols[19]
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where((first_amount != 0) & ~np.isnan(first_amount) & ~np.isnan(amount),
                          amount / first_amount - 1, 0.0)
    hist = {"stage_changes": cols[16], "entered": np.where(np.isnan(cols[17]), float(t_us), cols[17]),
            "close_pushes": cols[18], "amount_change": change}
    acts = np.column_stack([cols[12], cols[13], cols[14], cols[23], cols[15]])
    acts[acts[:, 0] == 0, 4] = 0.0  # as `_lookup` leaves deals without activities
    acc = np.nan_to_num(cols[20:23].T)
    reps = select(ScoringRepRollup.owner_id, ScoringRepRollup.won, ScoringRepRollup.lost)
    rep = np.nan_to_num(_lookup(cols[11].astype(np.int64), conn.execute(reps).all(), 2))
    d = Deals(did, labels, codes[0], amount, close, cols[4], (flags & 1 > 0).astype(float),
               (flags & 2 > 0).astype(float), codes[1:].T.copy(), hist, acts, (flags & 4 > 0).astype(float),
               np.zeros((len(did), 4)), acc, rep)
    if not fresh.all():
        d = d.take(np.flatnonzero(fresh))
    d.ins = _insight_sums(d.ids, conn.execute(st.rolled_calls, params).tuples().all())
    return d, stale


def concat(parts: list[Deals]) -> Deals:
    """Several deal sets as one, ordered by id."""
    if len(parts) == 1:
        d = parts[0]
    else:
        offsets = np.cumsum([0] + [len(p.labels) for p in parts[:-1]])
        for p, off in zip(parts, offsets, strict=True):  # one label table: shift each part's indexes
            p.stage, p.cats = p.stage + off, p.cats + off
        joined: dict[str, Any] = {k: ({n: np.concatenate([vars(p)[k][n] for p in parts]) for n in v}
                                      if isinstance(v, dict) else np.concatenate([vars(p)[k] for p in parts]))
                                  for k, v in vars(parts[0]).items()}
        d = Deals(**joined)
    order = np.argsort(d.ids, kind="stable")
    return d if (order == np.arange(len(order))).all() else d.take(order)
