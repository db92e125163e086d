"""Deals for the web pages: the scoped, sortable, filterable list (with the latest score and its trend) and
one deal's page data (score factors, activity timeline, tasks, suggestions, calls)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.models import Account, Activity, Call, Opportunity, OpportunityScore, Suggestion, Task, User
from crm.scope import Scope

PAGE_SIZE = 50
SORTS = ("-amount", "amount", "expected_close", "-expected_close", "-probability", "probability", "name", "-id")
TREND_EPS = 0.02


@dataclass(frozen=True)
class DealQuery:
    q: str = ""
    status: str = ""
    stage: str = ""
    band: str = ""
    sort: str = "-amount"
    page: int = 1


def _ranked_scores(rank: int) -> Any:
    ranked = select(OpportunityScore.opportunity_id.label("oid"), OpportunityScore.probability.label("p"),
                    OpportunityScore.band.label("band"), OpportunityScore.factors.label("factors"),
                    OpportunityScore.model_version.label("version"), OpportunityScore.scored_at.label("at"),
                    func.row_number().over(partition_by=OpportunityScore.opportunity_id,
                                           order_by=(OpportunityScore.scored_at.desc(),
                                                     OpportunityScore.id.desc())).label("rn")).subquery()
    return select(ranked).where(ranked.c.rn == rank).subquery(f"score{rank}")


def trend(current: float | None, previous: float | None) -> str | None:
    if current is None or previous is None:
        return None
    if current > previous + TREND_EPS:
        return "up"
    if current < previous - TREND_EPS:
        return "down"
    return "flat"


def list_deals(session: Session, scope: Scope, dq: DealQuery) -> tuple[list[dict[str, Any]], int]:
    cur, prev = _ranked_scores(1), _ranked_scores(2)
    stmt: Select[Any] = (
        select(Opportunity.id, Opportunity.name, Opportunity.amount, Opportunity.stage, Opportunity.status,
               Opportunity.expected_close, Account.name.label("account"), User.display_name.label("owner"),
               cur.c.p.label("probability"), cur.c.band.label("band"), prev.c.p.label("previous"))
        .join(Account, Account.id == Opportunity.account_id)
        .join(User, User.id == Opportunity.owner_id)
        .outerjoin(cur, cur.c.oid == Opportunity.id)
        .outerjoin(prev, prev.c.oid == Opportunity.id))
    stmt = scope.apply(stmt, Opportunity)
    if dq.q:
        stmt = stmt.where(Opportunity.name.contains(dq.q) | Account.name.contains(dq.q))
    if dq.status in ("open", "won", "lost"):
        stmt = stmt.where(Opportunity.status == dq.status)
    if dq.stage:
        stmt = stmt.where(Opportunity.stage == dq.stage)
    if dq.band in ("high", "medium", "low"):
        stmt = stmt.where(cur.c.band == dq.band)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    sort = dq.sort if dq.sort in SORTS else "-amount"
    col = {"amount": Opportunity.amount, "expected_close": Opportunity.expected_close, "probability": cur.c.p,
           "name": Opportunity.name, "id": Opportunity.id}[sort.lstrip("-")]
    order = col.desc().nulls_last() if sort.startswith("-") else col.asc().nulls_last()
    page = max(1, dq.page)
    rows = session.execute(stmt.order_by(order, Opportunity.id.desc())
                           .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    out = []
    for r in rows:
        d = dict(r._mapping)
        d["trend"] = trend(d["probability"], d["previous"])
        out.append(d)
    return out, int(total)


def deal_page(session: Session, scope: Scope, opp_id: int) -> dict[str, Any]:
    """Everything the deal page shows; raises NotFound outside scope."""
    opp = scope.get(session, Opportunity, opp_id)
    cur, prev = _ranked_scores(1), _ranked_scores(2)
    score = session.execute(select(cur).where(cur.c.oid == opp.id)).first()
    previous = session.scalar(select(prev.c.p).where(prev.c.oid == opp.id))
    owner = session.get(User, opp.owner_id)
    activities = list(session.scalars(scope.apply(select(Activity), Activity)
                                      .where(Activity.opportunity_id == opp.id)
                                      .order_by(Activity.occurred_at.desc()).limit(100)))
    tasks = list(session.scalars(scope.apply(select(Task), Task).where(Task.opportunity_id == opp.id)
                                 .order_by(Task.status, Task.due.asc().nulls_last())))
    suggestions = list(session.scalars(scope.apply(select(Suggestion), Suggestion)
                                       .where(Suggestion.opportunity_id == opp.id)
                                       .order_by(Suggestion.created_at.desc(), Suggestion.id.desc())))
    calls = list(session.scalars(scope.apply(select(Call), Call).where(Call.opportunity_id == opp.id)
                                 .order_by(Call.created_at.desc())))
    factors = list(score.factors or []) if score else []
    return {
        "opp": opp, "account": opp.account, "owner": owner,
        "score": ({"probability": score.p, "band": score.band, "version": score.version, "at": score.at,
                   "previous": previous, "trend": trend(score.p, previous)} if score else None),
        "factors": factors[:5], "activities": activities, "tasks": tasks, "suggestions": suggestions,
        "calls": calls,
    }
