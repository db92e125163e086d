"""Fast live scoring: point-in-time features of open deals at one as-of time from a few indexed SQL
aggregate queries (no pandas), one numpy matrix, one LightGBM call per booster.

The same function serves one deal (`ids=[id]`, indexed lookups) and a batch (`ids=None`: every open deal,
GROUP BY queries), so single and batch scores are the same computation. The features follow
`scoring.features.build(..., live=True)` definition by definition; `tests/scoring/test_fast_path.py` checks
that both give the same probabilities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from crm.models import Account, Activity, Call, Opportunity, Region, Stage, StageHistory, Task
from scoring.explain import Labeler, plain_label
from scoring.gbm import GBMModel
from scoring.tabular import Schema
from scoring.types import Factor

_DAY = 86_400.0


def _dt(v: Any) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    return datetime.fromisoformat(str(v)).replace(tzinfo=None)


def _days(a: datetime | None, b: datetime | None) -> float:
    """(a − b) in days, NaN when either is missing."""
    if a is None or b is None:
        return math.nan
    d = a - b
    return (d.days * 86_400_000_000 + d.seconds * 1_000_000 + d.microseconds) / 86_400_000_000


def _f(v: Any) -> float:
    return math.nan if v is None else float(v)


@dataclass
class LiveFeatures:
    ids: list[int]
    raw: list[dict[str, Any]]  # feature name → value (strings for categoricals), for labels
    X: np.ndarray  # n × f in schema order, categoricals as category codes (NaN = unseen)


def _in(col: Any, ids: list[int] | None) -> ColumnElement[bool]:
    return col.in_(ids) if ids is not None else col.in_(select(Opportunity.id).where(Opportunity.status == "open"))


def live_features(session: Session, schema: Schema, t: datetime, ids: list[int] | None = None) -> LiveFeatures:
    """Features of the given deals (or every open deal) as of t, treating t as "now" (live snapshot)."""
    t = t.replace(tzinfo=None)
    o = Opportunity
    deal_filter = o.id.in_(ids) if ids is not None else o.status == "open"
    deals = session.execute(
        select(o.id, o.account_id, o.owner_id, o.product_line, o.amount, o.stage, o.expected_close, o.created_at,
               o.source, o.budget_confirmed_at, o.decision_maker_engaged_at, Account.industry, Account.size,
               Region.name)
        .join(Account, Account.id == o.account_id).outerjoin(Region, Region.id == Account.region_id)
        .where(deal_filter).order_by(o.id)
    ).all()
    order = dict(session.execute(select(Stage.name, Stage.order)).tuples().all())

    h = StageHistory
    hist: dict[int, list[tuple[Any, ...]]] = {}
    for row in session.execute(
        select(h.opportunity_id, h.to_stage, h.changed_at, h.amount, h.expected_close)
        .where(_in(h.opportunity_id, ids)).order_by(h.opportunity_id, h.id)
    ).tuples():
        hist.setdefault(row[0], []).append(row[1:])

    a = Activity
    t30 = t - timedelta(days=30)
    acts = {r[0]: r[1:] for r in session.execute(
        select(a.opportunity_id, func.count(),
               func.sum(case((a.type == "call", 1), else_=0)),
               func.sum(case((a.type.in_(["visit", "meeting"]), 1), else_=0)),
               func.max(a.occurred_at),
               func.sum(case((a.occurred_at <= t30, 1), else_=0)))
        .where(_in(a.opportunity_id, ids), a.occurred_at <= t).group_by(a.opportunity_id)
    ).tuples()}

    k = Task
    tasks = {r[0]: r[1] for r in session.execute(
        select(k.opportunity_id,
               func.sum(case((k.created_at <= t, 1), else_=0)) - func.sum(case((k.completed_at <= t, 1), else_=0)))
        .where(_in(k.opportunity_id, ids), k.status != "cancelled").group_by(k.opportunity_id)
    ).tuples()}

    c = Call
    ins: dict[int, list[float]] = {}
    for oid, insights in session.execute(
        select(c.opportunity_id, c.insights)
        .where(_in(c.opportunity_id, ids), c.insights.is_not(None),
               func.coalesce(c.call_time, c.created_at) <= t)
    ).tuples():
        doc: dict[str, Any] = insights if isinstance(insights, dict) else {}
        acc = ins.setdefault(oid, [0.0, 0.0, 0.0, 0.0])
        acc[0] += float((doc.get("budget") or {}).get("status") == "confirmed")
        acc[1] += float(any(x.get("role") == "decision_maker" for x in doc.get("contacts") or []))
        acc[2] += float(bool(doc.get("competitors")))
        acc[3] += {"positive": 1.0, "negative": -1.0}.get(doc.get("sentiment", ""), 0.0)

    # account and rep history: other deals closed strictly before t
    closed = and_(o.status.in_(["won", "lost"]), o.closed_at.is_not(None), o.closed_at < t)
    won = case((o.status == "won", 1), else_=0)
    lost = case((o.status == "lost", 1), else_=0)
    acc_ids = sorted({d.account_id for d in deals})
    rep_ids = sorted({d.owner_id for d in deals})
    acc_hist = {r[0]: r[1:] for r in session.execute(
        select(o.account_id, func.sum(won), func.sum(lost), func.sum(case((o.status == "won", o.amount), else_=0)))
        .where(closed, o.account_id.in_(acc_ids)).group_by(o.account_id)).tuples()}
    rep_hist = {r[0]: r[1:] for r in session.execute(
        select(o.owner_id, func.sum(won), func.sum(lost))
        .where(closed, o.owner_id.in_(rep_ids)).group_by(o.owner_id)).tuples()}
    n_closed, n_won = session.execute(
        select(func.count(), func.sum(won)).where(o.status.in_(["won", "lost"]))).one()
    prior = float(n_won or 0) / n_closed if n_closed else 0.3

    names = schema.names
    cats = {col.name: {v: float(j) for j, v in enumerate(col.categories or [])}
            for col in schema.columns if col.kind == "categorical"}
    X = np.full((len(deals), len(names)), np.nan)
    raw: list[dict[str, Any]] = []
    for i, d in enumerate(deals):
        created = _dt(d.created_at)
        # stage history ≤ t, with the deal's current row as the newest record (at t)
        recs = [(r[0], _dt(r[1]), r[2], _dt(r[3])) for r in hist.get(d.id, [])]
        recs.append((d.stage, t, d.amount, _dt(d.expected_close)))
        recs.sort(key=lambda r: (r[1] is None, r[1] or t))
        first_amount = next((float(r[2]) for r in recs if r[2] is not None), None)
        pushes = 0.0
        last: tuple[Any, ...] | None = None
        entered: datetime | None = None
        prev_stage: Any = None
        prev_close: datetime | None = None
        for j, (stage, at, amount, close) in enumerate(recs):
            if j == 0 or stage != prev_stage:
                entered = at
            if j > 0 and close is not None and prev_close is not None and close > prev_close:
                pushes += 1
            prev_stage, prev_close = stage, close
            if at is not None and at <= t:
                change = 0.0
                if amount is not None and first_amount:
                    change = float(amount) / first_amount - 1
                last = (stage, entered, amount, close, float(j), change, pushes)
        v: dict[str, Any] = {}
        stage = last[0] if last else ""
        v["stage"] = stage or ""
        v["stage_order"] = _f(order.get(v["stage"]))
        v["days_in_stage"] = _days(t, (last[1] if last else None) or created)
        v["age_days"] = _days(t, created)
        v["stage_changes"] = last[4] if last else 0.0
        amount = last[2] if last and last[2] is not None else d.amount
        v["amount_log"] = math.log1p(max(_f(amount), 0.0)) if amount is not None else math.nan
        v["amount_change"] = last[5] if last else 0.0
        v["close_pushes"] = last[6] if last else 0.0
        v["days_to_close"] = _days(last[3] if last else None, t)
        v["industry"] = "" if d.industry is None else str(d.industry)
        v["product_line"] = "" if d.product_line is None else str(d.product_line)
        v["source"] = "" if d.source is None else str(d.source)
        v["account_size"] = "" if d.size is None else str(d.size)
        v["region"] = "" if d.name is None else str(d.name)
        n_act, n_calls, n_visits, last_at, n_before = acts.get(d.id, (0, 0, 0, None, 0))
        v["activities"] = float(n_act)
        v["calls"] = float(n_calls or 0)
        v["visits"] = float(n_visits or 0)
        v["activities_30d"] = float(n_act) - float(n_before or 0)
        since = _days(t, _dt(last_at))
        v["days_since_activity"] = v["age_days"] if math.isnan(since) else since
        v["next_step_open"] = float((tasks.get(d.id) or 0) > 0)
        aw, al, arev = acc_hist.get(d.account_id, (0, 0, 0.0))
        v["account_past_wins"] = float(aw or 0)
        v["account_past_losses"] = float(al or 0)
        v["account_past_revenue_log"] = math.log1p(float(arev or 0.0))
        rw, rl = rep_hist.get(d.owner_id, (0, 0))
        n = float(rw or 0) + float(rl or 0)
        v["rep_win_rate"] = (float(rw or 0) + 10 * prior) / (n + 10)
        v["rep_closed"] = n
        b, dm, comp, sent = ins.get(d.id, (0.0, 0.0, 0.0, 0.0))
        bc, de = _dt(d.budget_confirmed_at), _dt(d.decision_maker_engaged_at)
        v["budget_confirmed"] = float((bc is not None and bc <= t) or b > 0)
        v["dm_engaged"] = float((de is not None and de <= t) or dm > 0)
        v["competitor_named"] = float(comp > 0)
        v["sentiment"] = float(np.sign(sent))
        for j, name in enumerate(names):
            x = v[name]
            if name in cats:
                X[i, j] = cats[name].get(str(x), math.nan)
                if math.isnan(X[i, j]):
                    v[name] = math.nan  # unseen category: blank, as in the typed frame
            else:
                X[i, j] = x
        raw.append(v)
    return LiveFeatures(ids=[d.id for d in deals], raw=raw, X=X)


def predict(model: GBMModel, X: np.ndarray, contrib: bool = True,
            num_threads: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(probability n, base probability n, points n × f or None) from a numpy matrix, one call per booster.

    Points follow `scoring.explain.points`: contributions × (p − p₀)/(m − m₀)."""
    if not contrib:
        m = np.mean([b.predict(X, num_iteration=b.best_iteration, raw_score=True, num_threads=num_threads)
                     for b in model.boosters], axis=0)
        return model.link(m), np.full(len(X), np.nan), None
    cb = np.mean([b.predict(X, num_iteration=b.best_iteration, pred_contrib=True, num_threads=num_threads)
                  for b in model.boosters], axis=0)
    contrib_, base = cb[:, :-1], cb[:, -1]
    margin = base + contrib_.sum(axis=1)
    p, p0 = model.link(margin), model.link(base)
    dm = margin - base
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(np.abs(dm) > 1e-9, (p - p0) / dm, p * (1 - p))
    flat = (slope <= 0) | ~np.isfinite(slope)
    slope = np.where(flat, p * (1 - p), slope)
    return p, p0, contrib_ * slope[:, None]


def top_factors_batch(pts: np.ndarray, raw: list[dict[str, Any]], features: list[str],
                      labeler: Labeler = plain_label, k_pos: int = 3, k_neg: int = 3,
                      min_points: float = 0.005) -> list[list[Factor]]:
    """`scoring.explain.top_factors` for every row: one argsort of the matrix, labels only for the kept factors."""
    order = np.argsort(-np.abs(pts), axis=1)
    out: list[list[Factor]] = []
    for i in range(len(pts)):
        pos: list[Factor] = []
        neg: list[Factor] = []
        row = pts[i]
        for j in order[i]:
            val = float(row[j])
            if abs(val) < min_points:
                break
            bucket = pos if val > 0 else neg
            if len(bucket) < (k_pos if val > 0 else k_neg):
                name = features[j]
                bucket.append(Factor(feature=name, label=labeler(name, raw[i][name]), points=round(val, 4)))
            if len(pos) >= k_pos and len(neg) >= k_neg:
                break
        out.append(sorted(pos + neg, key=lambda f: -abs(f.points)))
    return out

