"""Expected bookings (Σ probability × amount over open deals closing in a period) per rep, team or region,
the reps' own commits beside it, and a backtest of the forecast on past periods."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.models import ForecastSubmission, Opportunity, OpportunityScore, Region, Stage, Team, User
from crm.scope import Scope
from scoring import features as F
from scoring.types import ScoringInputError

GroupBy = Literal["rep", "team", "region"]
COMMIT_TOLERANCE = 0.15


class ForecastRow(BaseModel):
    key: str
    deals: int
    pipeline: float
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
        select(Opportunity.id, Opportunity.owner_id, Opportunity.amount, OpportunityScore.probability,
               Stage.default_probability, User.display_name, User.username, Team.name.label("team"),
               Region.name.label("region"))
        .join(User, User.id == Opportunity.owner_id)
        .outerjoin(Team, Team.id == User.team_id)
        .outerjoin(Region, Region.id == User.region_id)
        .outerjoin(Stage, Stage.name == Opportunity.stage)
        .outerjoin(latest, latest.c.opportunity_id == Opportunity.id)
        .outerjoin(OpportunityScore, OpportunityScore.id == latest.c.sid)
        .where(Opportunity.status == "open", Opportunity.expected_close >= start, Opportunity.expected_close < end)
    )
    stmt = scope.apply(query, Opportunity)
    df = pd.DataFrame(session.execute(stmt).all(), columns=[
        "id", "owner_id", "amount", "probability", "stage_p", "display_name", "username", "team", "region"])
    scored = int(df["probability"].notna().sum())
    df["p"] = df["probability"].fillna(df["stage_p"]).fillna(0.0).astype(float)
    df["expected"] = df["p"] * df["amount"].astype(float)
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
        rows.append(ForecastRow(key=str(key), deals=len(g), pipeline=round(float(g["amount"].sum()), 2),
                                expected=round(exp, 2), commit=commit, commit_gap=None if gap is None else round(gap, 4),
                                flagged=gap is not None and abs(gap) > COMMIT_TOLERANCE))
    rows.sort(key=lambda r: -r.expected)
    return Forecast(period=label, start=start, end=end, group_by=group_by, rows=rows,
                    expected_total=round(float(df["expected"].sum()), 2), scored_deals=scored,
                    stage_default_deals=len(df) - scored)


class BacktestPeriod(BaseModel):
    start: date
    end: date
    deals: int
    forecast: float
    actual: float
    accuracy: float


def backtest(tables: F.Tables, predict: object, periods: list[tuple[datetime, datetime]]) -> list[BacktestPeriod]:
    """Forecast made at each period's start from deals open then (point-in-time features) vs. what those
    deals really booked in the period. `predict(raw_feature_frame) -> probabilities`."""
    opps = tables.opps
    out = []
    for t0, t1 in periods:
        t0s, t1s = pd.Timestamp(t0), pd.Timestamp(t1)
        open_then = opps[(opps["created_at"] <= t0s) & (opps["closed_at"].isna() | (opps["closed_at"] > t0s))]
        snaps = pd.DataFrame({"opportunity_id": open_then["id"].to_numpy(), "t": t0s})
        raw = F.build(tables, snaps)
        close_day = t0s + pd.to_timedelta(raw["days_to_close"].fillna(1e4), unit="D")
        in_period = ((close_day >= t0s) & (close_day < t1s)).to_numpy()
        amount = np.expm1(raw["amount_log"].to_numpy())
        p = np.asarray(predict(raw))  # type: ignore[operator]
        forecast = float((p * amount)[in_period].sum())
        won = open_then[(open_then["status"] == "won") & (open_then["closed_at"] >= t0s) & (open_then["closed_at"] < t1s)]
        actual = float(won["amount"].sum())
        acc = 1 - abs(actual - forecast) / actual if actual else 0.0
        out.append(BacktestPeriod(start=t0.date(), end=t1.date(), deals=int(in_period.sum()), forecast=round(forecast),
                                  actual=round(actual), accuracy=round(acc, 4)))
    return out
