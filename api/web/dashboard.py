"""The manager dashboard's numbers, as scoped SQLAlchemy queries (every opportunity query goes through Scope).

Definitions (also in docs/web.md):
- won amount: opportunities with status 'won' whose `closed_at` falls in the period;
- target: the sum of quarterly `targets` rows (user level for reps, team level for teams) inside the period;
- funnel: opportunities created in the period, counted at every stage they reached (stage history);
- pipeline: open opportunities by the month of `expected_close`;
- forecast: won amount + Σ amount × probability over open deals expected to close in the period, where the
  probability is the deal's latest stored score, or its stage's default probability when it has none;
- at risk: open deals in the top quarter by amount, no activity for 14 days, and a probability under 30 % or
  falling since the previous score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from api.web.periods import Period
from crm.models import Activity, Opportunity, OpportunityScore, Stage, StageHistory, Target, Team, User
from crm.scope import Scope

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


def attainment(session: Session, scope: Scope, f: Filters) -> dict[str, Any]:
    """Target attainment by team and by rep, and the total."""
    quarters = f.period.quarter_starts()
    users = list(session.execute(select(User.id, User.display_name, User.username, User.team_id)
                                 .where(_visible_users(scope, f)).order_by(User.id)))
    won_by_user = dict(session.execute(
        _opps(scope, f, Opportunity.owner_id, func.sum(Opportunity.amount)).where(_won_in(f))
        .group_by(Opportunity.owner_id)).tuples().all())
    user_targets = dict(session.execute(
        select(Target.user_id, func.sum(Target.amount))
        .where(Target.level == "user", Target.period == "quarter", Target.period_start.in_(quarters),
               Target.user_id.in_([u.id for u in users]))
        .group_by(Target.user_id)).tuples().all())
    reps = [{"id": u.id, "name": u.display_name or u.username, "team_id": u.team_id,
             "won": float(won_by_user.get(u.id) or 0), "target": float(user_targets.get(u.id) or 0)}
            for u in users if u.id in user_targets or u.id in won_by_user]
    for r in reps:
        r["rate"] = _rate(r["won"], r["target"])
    reps.sort(key=lambda r: (-(r["rate"] or 0), -r["won"]))

    team_clause = true() if scope.is_company_wide else Team.id == (scope.team_id if scope.role == "manager" else -1)
    if f.team_id is not None:
        team_clause = and_(team_clause, Team.id == f.team_id)
    if f.region_id is not None:
        team_clause = and_(team_clause, Team.region_id == f.region_id)
    teams_rows = list(session.execute(select(Team.id, Team.name).where(team_clause).order_by(Team.id)))
    team_targets = dict(session.execute(
        select(Target.team_id, func.sum(Target.amount))
        .where(Target.level == "team", Target.period == "quarter", Target.period_start.in_(quarters))
        .group_by(Target.team_id)).tuples().all())
    won_by_team: dict[int, float] = defaultdict(float)
    team_of = {u.id: u.team_id for u in users}
    for uid, amount in won_by_user.items():
        if team_of.get(uid) is not None:
            won_by_team[team_of[uid]] += float(amount or 0)
    teams = [{"id": t.id, "name": t.name, "won": won_by_team.get(t.id, 0.0),
              "target": float(team_targets.get(t.id) or 0)} for t in teams_rows]
    for t in teams:
        t["rate"] = _rate(t["won"], t["target"])
    teams.sort(key=lambda t: (-(t["rate"] or 0), -t["won"]))

    won_total = float(sum(float(v or 0) for v in won_by_user.values()))
    target_total = sum(t["target"] for t in teams) if teams else sum(r["target"] for r in reps)
    return {"teams": teams, "reps": reps,
            "total": {"won": won_total, "target": target_total, "rate": _rate(won_total, target_total)}}


def funnel(session: Session, scope: Scope, f: Filters) -> list[dict[str, Any]]:
    """Opportunities created in the period, counted at each stage they reached, with step conversion."""
    stages = list(session.scalars(select(Stage).order_by(Stage.order)))
    open_stages = [s for s in stages if s.kind == "open"]
    won = next((s for s in stages if s.kind == "won"), None)
    order_of = {s.name: s.order for s in stages}
    p = f.period
    cohort = _opps(scope, f, Opportunity.id).where(
        Opportunity.created_at >= datetime.combine(p.start, datetime.min.time()),
        Opportunity.created_at < datetime.combine(p.end, datetime.min.time()))
    rows = session.execute(
        select(StageHistory.opportunity_id, StageHistory.to_stage).where(StageHistory.opportunity_id.in_(cohort)))
    reached: dict[int, int] = defaultdict(int)
    lost_order = max((s.order for s in stages), default=0) + 1
    for opp_id, to_stage in rows:
        o = order_of.get(to_stage, 0)
        kind = next((s.kind for s in stages if s.name == to_stage), "open")
        if kind == "lost":
            o = 0
        reached[opp_id] = max(reached[opp_id], o if kind != "won" else lost_order)
    amounts = dict(session.execute(_opps(scope, f, Opportunity.id, Opportunity.amount)
                                   .where(Opportunity.id.in_(cohort))).tuples().all())
    steps = [*open_stages, *([won] if won else [])]
    out: list[dict[str, Any]] = []
    for s in steps:
        threshold = lost_order if s.kind == "won" else s.order
        ids = [i for i, o in reached.items() if o >= threshold]
        out.append({"stage": s.name, "count": len(ids), "amount": float(sum(float(amounts.get(i) or 0) for i in ids))})
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


def pareto(session: Session, scope: Scope, f: Filters) -> list[dict[str, Any]]:
    rows = session.execute(_opps(scope, f, Opportunity.product_line, func.sum(Opportunity.amount))
                           .where(_won_in(f)).group_by(Opportunity.product_line)).tuples().all()
    items = sorted(((line or "—", float(amount or 0)) for line, amount in rows), key=lambda x: -x[1])
    total = sum(a for _, a in items)
    out, running = [], 0.0
    for line, amount in items:
        running += amount
        out.append({"product_line": line, "amount": amount, "cumulative": _rate(running, total)})
    return out


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
    att = attainment(session, scope, f)
    deals = open_deals(session, scope, f)
    stages = [s for s in session.scalars(select(Stage.name).where(Stage.kind == "open").order_by(Stage.order))]
    return {
        "period": {"key": f.period.key, "start": f.period.start.isoformat(), "end": f.period.end.isoformat(),
                   "label": f.period.label},
        "attainment": att,
        "funnel": funnel(session, scope, f),
        "pipeline": pipeline_by_month(deals, stages),
        "forecast": forecast(att["total"]["won"], att["total"]["target"], deals, f.period),
        "pareto": pareto(session, scope, f),
        "at_risk": at_risk(session, scope, deals, today),
    }
