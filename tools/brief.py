"""daily_brief: my tasks due, deals at risk, and yesterday's numbers, all within scope."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.models import Activity, Opportunity, OpportunityScore, Task, Team
from crm.scope import Scope
from tools.base import Tool, ToolContext, ToolResult
from tools.opportunities import opportunity_data
from tools.tasks import task_data

STALE_DAYS = 14


class DailyBriefArgs(BaseModel):
    pass


def _at_risk(ctx: ToolContext, limit: int = 5) -> list[dict[str, object]]:
    return at_risk(ctx.session, ctx.scope, ctx.today, limit)


def at_risk(session: Session, scope: Scope, today: date, limit: int = 5) -> list[dict[str, object]]:
    """Open deals closing within 30 days (or past their date) with a warning sign, largest first."""
    opps = scope.apply(select(Opportunity), Opportunity).where(Opportunity.status == "open")
    last_act = (select(Activity.opportunity_id, func.max(Activity.occurred_at).label("last"))
                .group_by(Activity.opportunity_id).subquery())
    stale_before = datetime.combine(today - timedelta(days=STALE_DAYS), time())
    rows = session.execute(
        opps.add_columns(last_act.c.last).outerjoin(last_act, last_act.c.opportunity_id == Opportunity.id)
        .where(Opportunity.expected_close <= today + timedelta(days=30))
        .order_by(Opportunity.amount.desc()).limit(200)
    ).all()
    out: list[dict[str, object]] = []
    for opp, last in rows:
        reasons = []
        if opp.expected_close and opp.expected_close < today:
            reasons.append("past_close_date")
        if last is None or last < stale_before:
            reasons.append("no_recent_activity")
        score = session.scalars(select(OpportunityScore).where(OpportunityScore.opportunity_id == opp.id)
                                    .order_by(OpportunityScore.scored_at.desc())).first()
        if score is not None and score.band == "low":
            reasons.append("low_win_probability")
        if reasons:
            out.append({**opportunity_data(opp), "reasons": reasons})
        if len(out) >= limit:
            break
    return out


def daily_brief(ctx: ToolContext, _args: DailyBriefArgs) -> ToolResult:
    today = ctx.today
    tasks = list(ctx.session.scalars(
        select(Task).where(Task.owner_id == ctx.user.id, Task.status == "open", Task.due <= today)
        .order_by(Task.due, Task.id).limit(20)))
    y0, y1 = datetime.combine(today - timedelta(days=1), time()), datetime.combine(today, time())
    scoped = ctx.scope.apply(select(Opportunity), Opportunity).subquery()
    won = ctx.session.execute(select(func.count(), func.coalesce(func.sum(scoped.c.amount), 0)).where(
        scoped.c.status == "won", scoped.c.closed_at >= y0, scoped.c.closed_at < y1)).one()
    new_opps = ctx.session.scalar(select(func.count()).where(scoped.c.created_at >= y0, scoped.c.created_at < y1))
    acts = ctx.session.scalar(select(func.count()).select_from(
        ctx.scope.apply(select(Activity.id), Activity).where(Activity.occurred_at >= y0, Activity.occurred_at < y1)
        .subquery()))
    data = {
        "date": today.isoformat(), "scope": ctx.scope.description,
        "tasks_due": [task_data(t) for t in tasks],
        "at_risk": _at_risk(ctx),
        "yesterday": {"won_count": int(won[0]), "won_amount": float(won[1] or 0),
                      "new_opportunities": int(new_opps or 0), "activities": int(acts or 0)},
    }
    return ToolResult(data=data, summary=f"{len(tasks)} tasks due, {len(data['at_risk'])} deals at risk")


def team_digest(session: Session, team_id: int, start: date, end: date, today: date) -> dict[str, object]:
    """A team's numbers for [start, end) and its deals at risk (what the group-robot digest posts)."""
    team = session.get(Team, team_id)
    if team is None:
        from crm.errors import NotFound

        raise NotFound(f"team {team_id} not found")
    scope = Scope(user_id=0, role="manager", team_id=team_id)
    t0, t1 = datetime.combine(start, time()), datetime.combine(end, time())
    opps = scope.apply(select(Opportunity), Opportunity).subquery()
    won = session.execute(select(func.count(), func.coalesce(func.sum(opps.c.amount), 0)).where(
        opps.c.status == "won", opps.c.closed_at >= t0, opps.c.closed_at < t1)).one()
    lost = session.scalar(select(func.count()).where(opps.c.status == "lost", opps.c.closed_at >= t0,
                                                      opps.c.closed_at < t1)) or 0
    created = session.scalar(select(func.count()).where(opps.c.created_at >= t0, opps.c.created_at < t1)) or 0
    pipeline = session.execute(select(func.count(), func.coalesce(func.sum(opps.c.amount), 0))
                               .where(opps.c.status == "open")).one()
    acts = session.scalar(select(func.count()).select_from(
        scope.apply(select(Activity.id), Activity).where(Activity.occurred_at >= t0, Activity.occurred_at < t1)
        .subquery())) or 0
    decided = int(won[0]) + int(lost)
    return {"team": team.name, "start": start.isoformat(), "end": (end - timedelta(days=1)).isoformat(),
            "won_count": int(won[0]), "won_amount": float(won[1] or 0), "lost_count": int(lost),
            "win_rate": round(int(won[0]) / decided, 3) if decided else None, "new_opportunities": int(created),
            "activities": int(acts), "open_count": int(pipeline[0]), "open_amount": float(pipeline[1] or 0),
            "at_risk": at_risk(session, scope, today, limit=5)}


TOOLS = [Tool("daily_brief", "The user's day: tasks due, deals at risk, yesterday's numbers.", DailyBriefArgs, daily_brief)]
