"""Fast live scoring: the features of open deals at one as-of time as a numpy matrix, then one LightGBM call.

A batch (`ids=None`: every open deal) reads the maintained rollups, one row per deal, and history only for the
deals whose rollup is stale; one deal (`ids=[id]`) reads its history with indexed statements
(`scoring.live_inputs`). The features follow `scoring.features.build(..., live=True)` definition by definition;
`tests/scoring/test_fast_path.py` checks that both give the same features, probabilities and points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from crm.models import Opportunity, Stage
from crm.rollups import to_epoch_us
from scoring.explain import Labeler, plain_label, points_from_contributions
from scoring.gbm import GBMModel
from scoring.live_inputs import Deals, concat, from_history, from_rollups, rollups_valid, statements
from scoring.tabular import Schema
from scoring.types import Factor

_US_PER_DAY = 86_400_000_000.0
_CATS = ("industry", "product_line", "source", "account_size", "region")
STALE_MAX = 0.25  # batch: more stale rollups than this share of the clean ones → history for every deal


@dataclass
class LiveFeatures:
    ids: list[int]
    X: np.ndarray  # n × f in schema order, categoricals as category codes (NaN = unseen)
    schema: Schema

    def value(self, i: int, name: str) -> object:
        """The feature's value for labels: the number, or the category string (NaN when unseen)."""
        j = self.schema.names.index(name)
        x = float(self.X[i, j])
        col = self.schema.columns[j]
        if col.kind == "categorical":
            return x if math.isnan(x) else (col.categories or [])[int(x)]
        return x


def live_features(session: Session, schema: Schema, t: datetime, ids: list[int] | None = None,
                  prior: float | None = None, rollups: bool = True) -> LiveFeatures:
    """Features of the given deals (or every open deal) as of t, treating t as "now" (live snapshot).

    Every open deal (`ids=None`) reads the maintained rollups (`crm.models.rollups`) for deals whose rollup is
    clean and holds nothing after t, and history for the others (all of them for a past t). One deal reads
    its history; account and rep counts come from their rollups whenever no deal closed at or after t.
    `prior` is the won share of closed deals (smoothing the rep win rate); None counts it in the database.
    `rollups=False` reads only history (benchmarks compare both)."""
    t = t.replace(tzinfo=None)
    conn = session.connection()
    params: dict[str, Any] = {"t": t, "t30": t - timedelta(days=30)}
    acc_rep = rollups and rollups_valid(conn, t)
    d: Deals | None = None
    if ids is not None:
        d = from_history(conn, statements(False), params, ids, t, acc_rep)
    elif acc_rep:
        d, stale = from_rollups(conn, statements(True), params, t)
        if d is not None and len(stale) <= STALE_MAX * len(d.ids):
            parts = [d] + [x for start in range(0, len(stale), 5_000) if (x := from_history(
                conn, statements(False), params, stale[start : start + 5_000], t, acc_rep)) is not None]
            d = concat(parts)
        else:
            d = None
    if ids is None and d is None:
        d = from_history(conn, statements(True), params, None, t, acc_rep)
    if d is None:
        return LiveFeatures(ids=[], X=np.zeros((0, len(schema.names))), schema=schema)
    if prior is None:
        o = Opportunity
        n_closed, n_won = conn.execute(select(func.count(), func.sum(case((o.status == "won", 1), else_=0)))
                                       .where(o.status.in_(["won", "lost"]))).one()
        prior = float(n_won or 0) / n_closed if n_closed else 0.3
    order = dict(conn.execute(select(Stage.name, Stage.order)).tuples().all())
    return LiveFeatures(ids=d.ids.tolist(), X=_assemble(d, schema, order, prior, t), schema=schema)


def _assemble(d: Deals, schema: Schema, order: dict[str, int], prior: float, t: datetime) -> np.ndarray:
    """The feature matrix (schema order, categoricals as codes) from the deals' inputs."""
    hist, acts, acc, rep = d.hist, d.acts, d.acc, d.rep
    t_us = float(to_epoch_us(t))
    v: dict[str, Any] = {}
    v["stage"] = d.stage  # label indexes, here and for the other categoricals
    v["stage_order"] = np.array([order.get(x, np.nan) for x in d.labels], dtype=float)[d.stage]
    v["age_days"] = (t_us - d.created) / _US_PER_DAY
    entered = np.where(np.isnan(hist["entered"]), d.created, hist["entered"])
    v["days_in_stage"] = (t_us - entered) / _US_PER_DAY
    v["stage_changes"] = hist["stage_changes"]
    v["amount_log"] = np.log1p(np.maximum(d.amount, 0.0))
    v["amount_change"] = hist["amount_change"]
    v["close_pushes"] = hist["close_pushes"]
    v["days_to_close"] = (d.close - t_us) / _US_PER_DAY
    for j, name in enumerate(_CATS):
        v[name] = d.cats[:, j]
    v["activities"], v["calls"], v["visits"] = acts[:, 0], np.nan_to_num(acts[:, 1]), np.nan_to_num(acts[:, 2])
    v["activities_30d"] = acts[:, 3]
    last_at = np.where(acts[:, 0] > 0, acts[:, 4], np.nan)
    since = (t_us - last_at) / _US_PER_DAY
    v["days_since_activity"] = np.where(np.isnan(since), v["age_days"], since)
    v["next_step_open"] = (d.tasks > 0).astype(float)
    v["account_past_wins"], v["account_past_losses"] = acc[:, 0], acc[:, 1]
    v["account_past_revenue_log"] = np.log1p(acc[:, 2])
    n_rep = rep[:, 0] + rep[:, 1]
    v["rep_win_rate"] = (rep[:, 0] + 10 * prior) / (n_rep + 10)
    v["rep_closed"] = n_rep
    ins = d.ins
    v["budget_confirmed"] = ((d.budget > 0) | (ins[:, 0] > 0)).astype(float)
    v["dm_engaged"] = ((d.dm > 0) | (ins[:, 1] > 0)).astype(float)
    v["competitor_named"] = (ins[:, 2] > 0).astype(float)
    v["sentiment"] = np.sign(ins[:, 3])

    XT = np.empty((len(schema.columns), len(d.ids)))  # filled a feature (row) at a time
    for j, spec in enumerate(schema.columns):
        if spec.kind == "categorical":
            of_label = pd.Index(spec.categories or []).get_indexer(d.labels).astype(float)
            of_label[of_label < 0] = np.nan
            XT[j] = of_label[v[spec.name]]
        else:
            XT[j] = v[spec.name]
    return np.ascontiguousarray(XT.T)


def predict(model: GBMModel, X: np.ndarray, contrib: bool = True,
            num_threads: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(probability n, base probability n, points n × f or None) from a numpy matrix, one call per booster.

    Points as in `scoring.explain.points_from_contributions`."""
    if not contrib:
        m = np.mean([b.predict(X, num_iteration=b.best_iteration, raw_score=True, num_threads=num_threads)
                     for b in model.boosters], axis=0)
        return model.link(m), np.full(len(X), np.nan), None
    cb = np.mean([b.predict(X, num_iteration=b.best_iteration, pred_contrib=True, num_threads=num_threads)
                  for b in model.boosters], axis=0)
    return points_from_contributions(cb[:, :-1], cb[:, -1], model.link)


def top_factors_batch(pts: np.ndarray, lf: LiveFeatures, labeler: Labeler = plain_label, k_pos: int = 3,
                      k_neg: int = 3, min_points: float = 0.005) -> list[list[Factor]]:
    """`scoring.explain.top_factors` for every row: one argsort of the matrix, labels only for the kept factors."""
    features = lf.schema.names
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
                bucket.append(Factor(feature=name, label=labeler(name, lf.value(i, name)), points=round(val, 4)))
            if len(pos) >= k_pos and len(neg) >= k_neg:
                break
        out.append(sorted(pos + neg, key=lambda f: -abs(f.points)))
    return out
