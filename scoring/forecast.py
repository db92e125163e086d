"""Expected bookings per rep, team or region: Σ over open deals p(win) × P(close lands in the period | win) ×
amount, the close timing learned from deals won before today (scoring.forecast_timing); the reps' own commits
beside it, and a backtest of the forecast on past periods."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from crm.models import (
    ForecastSubmission,
    Opportunity,
    OpportunityScore,
    Region,
    Stage,
    StageHistory,
    Team,
    User,
)
from crm.scope import Scope
from scoring import features as F
from scoring import forecast_timing as timing
from scoring.types import ScoringInputError

GroupBy = Literal["rep", "team", "region"]
COMMIT_TOLERANCE = 0.15


class ForecastRow(BaseModel):
    key: str
    deals: int  # open deals whose expected close is in the period
    pipeline: float  # their amount
    expected: float
    commit: float | None = None
    commit_gap: float | None = None  # (commit − expected) / expected
    flagged: bool = False


class Forecast(BaseModel):
    period: str
    start: date
    end: date
    group_by: GroupBy
    rows: list[ForecastRow]
    expected_total: float
    scored_deals: int
    stage_default_deals: int
    timing_snapshots: int = 0  # won-deal snapshots the close-timing distribution was learned from


def parse_period(period: str | None, today: date | None = None) -> tuple[str, date, date]:
    """'2026-Q4', '2026-11' or None (this quarter) → (label, start, end exclusive)."""
    today = today or date.today()
    if not period:
        period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    p = period.strip().upper()
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", p):
        y, q = int(m[1]), int(m[2])
        start = date(y, 3 * q - 2, 1)
        end = date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        return f"{y}-Q{q}", start, end
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", p):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return f"{y}-{mo:02d}", date(y, mo, 1), date(y + (mo == 12), 1 if mo == 12 else mo + 1, 1)
    raise ScoringInputError(f"Period {period!r} is not understood; use e.g. 2026-Q4 or 2026-11.")


def expected_bookings(session: Session, scope: Scope, period: str | None = None, group_by: GroupBy = "rep",
                      today: date | None = None) -> Forecast:
    label, start, end = parse_period(period, today)
    latest = (select(OpportunityScore.opportunity_id, func.max(OpportunityScore.id).label("sid"))
              .group_by(OpportunityScore.opportunity_id).subquery())
    query: Any = (
        select(Opportunity.id, Opportunity.owner_id, Opportunity.amount, Opportunity.expected_close,
               OpportunityScore.probability,
               Stage.default_probability, User.display_name, User.username, Team.name.label("team"),
               Region.name.label("region"))
        .join(User, User.id == Opportunity.owner_id)
        .outerjoin(Team, Team.id == User.team_id)
        .outerjoin(Region, Region.id == User.region_id)
        .outerjoin(Stage, Stage.name == Opportunity.stage)
        .outerjoin(latest, latest.c.opportunity_id == Opportunity.id)
        .outerjoin(OpportunityScore, OpportunityScore.id == latest.c.sid)
        .where(Opportunity.status == "open")
    )
    stmt = scope.apply(query, Opportunity)
    df = pd.DataFrame(session.execute(stmt).all(), columns=[
        "id", "owner_id", "amount", "expected_close", "probability", "stage_p", "display_name", "username", "team",
        "region"])
    now = today or date.today()
    close_timing = learn_timing(session, datetime(now.year, now.month, now.day))
    this_month = timing.month_index(now)
    k = (timing.month_indices(df["expected_close"]) - this_month).to_numpy(dtype=float)
    w = close_timing.prob(k, timing.month_index(start) - this_month, timing.month_index(end) - this_month)
    close = pd.to_datetime(df["expected_close"])
    df["in_period"] = (close >= pd.Timestamp(start)) & (close < pd.Timestamp(end))
    df["p"] = df["probability"].fillna(df["stage_p"]).fillna(0.0).astype(float)
    df["expected"] = df["p"] * w * df["amount"].astype(float)
    df = df[df["in_period"] | (df["expected"] > 0)]
    scored = int(df["probability"].notna().sum())
    df["key"] = {"rep": df["display_name"].where(df["display_name"] != "", df["username"]),
                 "team": df["team"], "region": df["region"]}[group_by].fillna("—")
    commits = pd.DataFrame(session.execute(
        select(ForecastSubmission.user_id, func.sum(ForecastSubmission.amount))
        .where(ForecastSubmission.period_start == start, scope.owner_filter(ForecastSubmission.user_id))
        .group_by(ForecastSubmission.user_id)).all(), columns=["owner_id", "commit"])
    owner_key = df.drop_duplicates("owner_id").set_index("owner_id")["key"]
    commits["key"] = commits["owner_id"].map(owner_key)
    commit_by_key = commits.dropna(subset=["key"]).groupby("key")["commit"].sum()
    rows = []
    for key, g in df.groupby("key", sort=True):
        exp = float(g["expected"].sum())
        commit = float(commit_by_key[key]) if key in commit_by_key.index else None
        gap = (commit - exp) / exp if commit is not None and exp > 0 else None
        inp = g[g["in_period"]]
        rows.append(ForecastRow(key=str(key), deals=len(inp), pipeline=round(float(inp["amount"].sum()), 2),
                                expected=round(exp, 2), commit=commit, commit_gap=None if gap is None else round(gap, 4),
                                flagged=gap is not None and abs(gap) > COMMIT_TOLERANCE))
    rows.sort(key=lambda r: -r.expected)
    return Forecast(period=label, start=start, end=end, group_by=group_by, rows=rows,
                    expected_total=round(float(df["expected"].sum()), 2), scored_deals=scored,
                    stage_default_deals=len(df) - scored, timing_snapshots=close_timing.snapshots)


_TIMING_CACHE: OrderedDict[tuple[object, ...], tuple[float, timing.CloseTiming]] = OrderedDict()
_TIMING_LOCK = threading.Lock()
TIMING_TTL_S = 600.0  # a new win changes the key at once; edits to old won deals' history show within this


def learn_timing(session: Session, as_of: datetime) -> timing.CloseTiming:
    """Close timing learned from deals won before `as_of`, cached per database, as-of time and won-deal fingerprint.

    Learning reads every won deal's history (≈ 1 s CPU on 20k deals); the fingerprint is one indexed aggregate."""
    won = and_(Opportunity.status == "won", Opportunity.closed_at < as_of)
    fingerprint = tuple(session.execute(select(func.count(), func.max(Opportunity.id), func.max(Opportunity.closed_at),
                                               func.min(Opportunity.closed_at)).where(won)).one())
    bind = session.get_bind()
    key = (str(bind.engine.url), as_of, *fingerprint)
    now = time.monotonic()
    with _TIMING_LOCK:
        hit = _TIMING_CACHE.get(key)
        if hit is not None and now - hit[0] < TIMING_TTL_S:
            _TIMING_CACHE.move_to_end(key)
            return hit[1]
    learned = _learn_timing(session, as_of)
    with _TIMING_LOCK:
        _TIMING_CACHE[key] = (now, learned)
        while len(_TIMING_CACHE) > 16:
            _TIMING_CACHE.popitem(last=False)
    return learned


def _learn_timing(session: Session, as_of: datetime) -> timing.CloseTiming:
    """Close timing from the whole workspace's deals won before `as_of` (an aggregate: no deal is exposed)."""
    opps = pd.DataFrame(session.execute(select(
        Opportunity.id, Opportunity.status, Opportunity.created_at, Opportunity.closed_at)
        .where(Opportunity.status == "won", Opportunity.closed_at < as_of)).all(),
        columns=["id", "status", "created_at", "closed_at"])
    hist = pd.DataFrame(session.execute(select(
        StageHistory.opportunity_id, StageHistory.changed_at, StageHistory.expected_close)
        .where(StageHistory.opportunity_id.in_(select(Opportunity.id).where(
            Opportunity.status == "won", Opportunity.closed_at < as_of)), StageHistory.changed_at < as_of)).all(),
        columns=["opportunity_id", "changed_at", "expected_close"])
    hist["expected_close"] = pd.to_datetime(hist["expected_close"])
    return timing.learn(opps, hist, as_of)


class BacktestPeriod(BaseModel):
    start: date
    end: date
    deals: int
    forecast: float
    actual: float
    accuracy: float


def backtest(tables: F.Tables, predict: object, periods: list[tuple[datetime, datetime]],
             method: Literal["timing", "expected_close"] = "timing") -> list[BacktestPeriod]:
    """Forecast made at each period's start from deals open then (point-in-time features) vs. what those
    deals really booked in the period. `predict(raw_feature_frame) -> probabilities`. method "timing": weight
    by the close timing learned from deals won before the period; "expected_close": the old count of deals
    whose expected close is in the period."""
    opps = tables.opps
    out = []
    for t0, t1 in periods:
        t0s, t1s = pd.Timestamp(t0), pd.Timestamp(t1)
        open_then = opps[(opps["created_at"] <= t0s) & (opps["closed_at"].isna() | (opps["closed_at"] > t0s))]
        snaps = pd.DataFrame({"opportunity_id": open_then["id"].to_numpy(), "t": t0s})
        raw = F.build(tables, snaps)
        close_day = t0s + pd.to_timedelta(raw["days_to_close"].fillna(1e4), unit="D")
        in_period = ((close_day >= t0s) & (close_day < t1s)).to_numpy()
        if method == "timing":
            ct = timing.learn(opps, tables.history, t0)
            m0 = timing.month_index(t0s)
            k = (timing.month_indices(t0s + pd.to_timedelta(raw["days_to_close"], unit="D")) - m0).to_numpy(dtype=float)
            weight = ct.prob(k, 0, timing.month_index(t1s) - m0)
        else:
            weight = in_period.astype(float)
        amount = np.expm1(raw["amount_log"].to_numpy())
        p = np.asarray(predict(raw))  # type: ignore[operator]
        forecast = float((p * weight * amount).sum())
        won = open_then[(open_then["status"] == "won") & (open_then["closed_at"] >= t0s) & (open_then["closed_at"] < t1s)]
        actual = float(won["amount"].sum())
        acc = 1 - abs(actual - forecast) / actual if actual else 0.0
        out.append(BacktestPeriod(start=t0.date(), end=t1.date(), deals=int(in_period.sum()), forecast=round(forecast),
                                  actual=round(actual), accuracy=round(acc, 4)))
    return out
