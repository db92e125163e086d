"""The manager dashboard's numbers. Everything the ask engine (retrieval/) defines is computed by it, so the
dashboard and /api/v1/ask agree to the yuan; the rest are scoped SQLAlchemy queries through `crm.scope.Scope`.

- attainment: `bookings` (won amount dated by closed_at) ÷ quarterly user-level `targets`, by team and by rep;
- funnel: deals created in the period that reached each stage or later (the engine's stage conversion);
- Pareto: the engine's `contribution` by product line;
- pipeline (ours): open deals by the month of `expected_close`, stacked by stage;
- forecast (ours): bookings + Σ amount × probability over open deals expected to close in the period, the
  probability being the deal's latest stored score, or its stage's default when unscored; band ±15 %;
- at risk (ours): open deals in the top quarter by amount, no activity for 14 days, probability under 30 % or
  falling since the previous score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

import retrieval.metrics_sql as ms
from api.web.periods import Period
from crm.models import Activity, Opportunity, OpportunityScore, Region, Stage, StageHistory, Team, User
from crm.scope import Scope
from retrieval.compiler import execute
from retrieval.metrics_sql import Ctx
from retrieval.plan import Filter as RFilter
from retrieval.plan import QueryPlan
from retrieval.timeparse import Period as RPeriod

FORECAST_BAND = 0.15
RISK_IDLE_DAYS = 14
RISK_PROBABILITY = 0.30


@dataclass(frozen=True)
class Filters:
    period: Period
    region_id: int | None = None
    team_id: int | None = None


def _visible_users(scope: Scope, f: Filters) -> ColumnElement[bool]:
    clause = scope.user_filter()
    if f.team_id is not None:
        clause = and_(clause, User.team_id == f.team_id)
    if f.region_id is not None:
        clause = and_(clause, User.region_id == f.region_id)
    return clause


def _opps(scope: Scope, f: Filters, *cols: Any) -> Any:
    """SELECT cols FROM opportunities within scope and the region/team filters (by the owner's team)."""
    stmt = scope.apply(select(*cols), Opportunity)
    if f.team_id is not None or f.region_id is not None:
        stmt = stmt.where(Opportunity.owner_id.in_(select(User.id).where(_visible_users(scope, f))))
    return stmt


def _won_in(f: Filters) -> ColumnElement[bool]:
    p = f.period
    return and_(Opportunity.status == "won", Opportunity.closed_at >= datetime.combine(p.start, datetime.min.time()),
                Opportunity.closed_at < datetime.combine(p.end, datetime.min.time()))


def _rate(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _ctx(session: Session, scope: Scope, today: date) -> Ctx:
    return Ctx(session=session, scope=scope, today=today, dialect=session.get_bind().dialect.name)


def _plan(session: Session, f: Filters, metric: str, dims: list[str] | None = None,
          stages: tuple[str, str] | None = None) -> QueryPlan:
    """The QueryPlan /api/v1/ask would build for this panel, with the region/team filters by name."""
    filters = []
    if f.team_id is not None:
        filters.append(RFilter(dimension="team", values=[session.get(Team, f.team_id).name]))  # type: ignore[union-attr]
    if f.region_id is not None:
        filters.append(RFilter(dimension="region", values=[session.get(Region, f.region_id).name]))  # type: ignore[union-attr]
    p = f.period
    return QueryPlan(metric=metric, dimensions=dims or [], filters=filters, stages=stages,
                     period=RPeriod(start=p.start, end=p.end, label=p.label, grain="custom"))


def _by_key(rows: list[list[Any]]) -> dict[Any, float]:
    return {(r[0] if len(r) > 1 else None): float(r[-1] or 0) for r in rows}


def attainment(session: Session, scope: Scope, f: Filters, today: date) -> dict[str, Any]:
    """Target attainment by team and by rep, and the total: bookings ÷ targets, as the ask engine computes them."""
    ctx = _ctx(session, scope, today)
    out: dict[str, Any] = {}
    for dim in ("team", "rep"):
        plan = _plan(session, f, "bookings", [dim])
        won = _by_key(execute(ctx, plan).rows)
        target = _by_key([list(r) for r in session.execute(ms.targets(ctx, plan, plan.period))])  # type: ignore[arg-type]
        rows = [{"name": k, "won": won.get(k, 0.0), "target": target.get(k, 0.0),
                 "rate": _rate(won.get(k, 0.0), target.get(k, 0.0))}
                for k in sorted(set(won) | set(target), key=str) if k is not None]
        rows.sort(key=lambda r: (-(r["rate"] or 0), -r["won"]))
        out["teams" if dim == "team" else "reps"] = rows
    if not scope.is_company_wide and scope.role != "manager":
        out["teams"] = []
    plan = _plan(session, f, "bookings")
    won_total = float(execute(ctx, plan).value or 0)
    target_total = sum(_by_key([list(r) for r in session.execute(ms.targets(ctx, plan, plan.period))]).values())  # type: ignore[arg-type]
    out["total"] = {"won": won_total, "target": target_total, "rate": _rate(won_total, target_total)}
    return out


def funnel(session: Session, scope: Scope, f: Filters, today: date) -> list[dict[str, Any]]:
    """Deals created in the period that reached each stage or later (entered it or any later, non-lost stage:
    the ask engine's definition of stage conversion), with step conversion; one grouped query."""
    p = f.period
    cohort = _opps(scope, f, Opportunity.id).where(
        Opportunity.created_at >= datetime.combine(p.start, datetime.min.time()),
        Opportunity.created_at < datetime.combine(p.end, datetime.min.time()))
    furthest = (select(func.max(Stage.order).label("o"))
                .select_from(StageHistory).join(Stage, Stage.name == StageHistory.to_stage)
                .where(Stage.kind != "lost", StageHistory.opportunity_id.in_(cohort))
                .group_by(StageHistory.opportunity_id).subquery())
    reached: dict[int | None, int] = dict(session.execute(select(furthest.c.o, func.count()).group_by(furthest.c.o)).tuples().all())
    stages = list(session.execute(select(Stage.name, Stage.order).where(Stage.kind != "lost").order_by(Stage.order)))
    out: list[dict[str, Any]] = []
    for name, order in stages:
        out.append({"stage": name, "count": int(sum(n for o, n in reached.items() if o is not None and o >= order))})
    for i, step in enumerate(out):
        step["conversion"] = _rate(step["count"], out[i - 1]["count"]) if i else None
    return out


def _probabilities(session: Session, opp_ids: list[int]) -> dict[int, tuple[float, float | None, str]]:
    """Latest stored score, previous score, source ('model' or 'stage') for each opportunity."""
    out: dict[int, tuple[float, float | None, str]] = {}
    if not opp_ids:
        return out
    scores: dict[int, list[float]] = defaultdict(list)
    for chunk in (opp_ids[i:i + 900] for i in range(0, len(opp_ids), 900)):
        for oid, prob in session.execute(
                select(OpportunityScore.opportunity_id, OpportunityScore.probability)
                .where(OpportunityScore.opportunity_id.in_(chunk))
                .order_by(OpportunityScore.opportunity_id, OpportunityScore.scored_at.desc(),
                          OpportunityScore.id.desc())):
            if len(scores[oid]) < 2:
                scores[oid].append(float(prob))
    for oid, probs in scores.items():
        out[oid] = (probs[0], probs[1] if len(probs) > 1 else None, "model")
    return out


def _stage_defaults(session: Session) -> dict[str, float]:
    return {s.name: float(s.default_probability) for s in session.scalars(select(Stage))}


def open_deals(session: Session, scope: Scope, f: Filters) -> list[dict[str, Any]]:
    rows = session.execute(_opps(scope, f, Opportunity.id, Opportunity.name, Opportunity.owner_id,
                                 Opportunity.amount, Opportunity.stage, Opportunity.expected_close)
                           .where(Opportunity.status == "open"))
    deals = [dict(r._mapping) for r in rows]
    scored = _probabilities(session, [d["id"] for d in deals])
    defaults = _stage_defaults(session)
    for d in deals:
        d["amount"] = float(d["amount"] or 0)
        if d["id"] in scored:
            d["probability"], d["previous"], d["source"] = scored[d["id"]]
        else:
            d["probability"], d["previous"], d["source"] = defaults.get(d["stage"], 0.0), None, "stage"
    return deals


def pipeline_by_month(deals: list[dict[str, Any]], stages: list[str]) -> dict[str, Any]:
    """Open amount by expected close month, one series per stage."""
    months = sorted({d["expected_close"].strftime("%Y-%m") for d in deals if d["expected_close"]})
    series = {s: [0.0] * len(months) for s in stages}
    idx = {m: i for i, m in enumerate(months)}
    for d in deals:
        if d["expected_close"] and d["stage"] in series:
            series[d["stage"]][idx[d["expected_close"].strftime("%Y-%m")]] += d["amount"]
    return {"months": months, "series": [{"stage": s, "amounts": v} for s, v in series.items() if any(v)]}


def forecast(won_total: float, target_total: float, deals: list[dict[str, Any]], period: Period) -> dict[str, Any]:
    in_period = [d for d in deals if d["expected_close"] and period.start <= d["expected_close"] < period.end]
    weighted = sum(d["amount"] * d["probability"] for d in in_period)
    value = won_total + weighted
    return {"won": won_total, "weighted_open": round(weighted, 2), "forecast": round(value, 2),
            "low": round(value * (1 - FORECAST_BAND), 2), "high": round(value * (1 + FORECAST_BAND), 2),
            "target": target_total, "open_deals": len(in_period),
            "scored": sum(1 for d in in_period if d["source"] == "model")}


def pareto(session: Session, scope: Scope, f: Filters, today: date) -> list[dict[str, Any]]:
    """Bookings by product line, largest first, with the cumulative share (the ask engine's `contribution`)."""
    comp = execute(_ctx(session, scope, today), _plan(session, f, "contribution", ["product_line"]))
    return [{"product_line": r[0] or "—", "amount": float(r[1] or 0), "cumulative": r[3]} for r in comp.rows]


def at_risk(session: Session, scope: Scope, deals: list[dict[str, Any]], today: date, limit: int = 10
            ) -> list[dict[str, Any]]:
    if not deals:
        return []
    amounts = sorted(d["amount"] for d in deals)
    p75 = amounts[int(0.75 * (len(amounts) - 1))]
    big = [d for d in deals if d["amount"] >= p75]
    last_q: Any = select(Activity.opportunity_id, func.max(Activity.occurred_at))
    last: dict[int, datetime] = dict(session.execute(
        scope.apply(last_q, Activity)
        .where(Activity.opportunity_id.in_([d["id"] for d in big])).group_by(Activity.opportunity_id)).tuples().all())
    cutoff = datetime.combine(today - timedelta(days=RISK_IDLE_DAYS), datetime.min.time())
    owners = dict(session.execute(select(User.id, User.display_name)).tuples().all())
    out = []
    for d in big:
        seen = last.get(d["id"])
        falling = d["previous"] is not None and d["probability"] < d["previous"]
        if (seen is None or seen < cutoff) and (d["probability"] < RISK_PROBABILITY or falling):
            out.append({**d, "expected_close": d["expected_close"].isoformat() if d["expected_close"] else None,
                        "owner": owners.get(d["owner_id"], ""), "falling": falling,
                        "last_activity": seen.date().isoformat() if seen else None})
    out.sort(key=lambda d: -d["amount"])
    return out[:limit]


def dashboard(session: Session, scope: Scope, f: Filters, today: date) -> dict[str, Any]:
    """Everything the dashboard page shows, as plain JSON-able data."""
    att = attainment(session, scope, f, today)
    deals = open_deals(session, scope, f)
    stages = [s for s in session.scalars(select(Stage.name).where(Stage.kind == "open").order_by(Stage.order))]
    return {
        "period": {"key": f.period.key, "start": f.period.start.isoformat(), "end": f.period.end.isoformat(),
                   "label": f.period.label},
        "attainment": att,
        "funnel": funnel(session, scope, f, today),
        "pipeline": pipeline_by_month(deals, stages),
        "forecast": forecast(att["total"]["won"], att["total"]["target"], deals, f.period),
        "pareto": pareto(session, scope, f, today),
        "at_risk": at_risk(session, scope, deals, today),
    }
