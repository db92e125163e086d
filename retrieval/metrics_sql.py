"""One SELECT per metric: grouped by the plan's dimensions, labelled k0..kn and `value`, inside the scope.

Simple metrics (sums, counts, averages, rates over one fact) are a single statement, so ordering and
limits run in the database. Ratios of two facts (attainment, coverage, forecast accuracy, CAC, CLV:CAC,
funnel steps) are two statements joined on their keys in `retrieval.compiler`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Float, and_, bindparam, case, cast, exists, func, select, true
from sqlalchemy.orm import Session

from crm.models import (
    Account,
    Activity,
    Collection,
    ForecastSubmission,
    Lead,
    MarketingSpend,
    Opportunity,
    Stage,
    Target,
    Task,
)
from crm.scope import Scope
from retrieval.plan import QueryPlan
from retrieval.sqlparts import (
    AccRegion,
    Builder,
    Fact,
    UnsupportedCut,
    days_between,
    filter_param,
    period_clause,
    period_end,
    where_filters,
)
from retrieval.timeparse import Period


@dataclass
class Ctx:
    session: Session
    scope: Scope
    today: date
    dialect: str


def _grouped(b: Builder, plan: QueryPlan, value: Any, where: list[Any]) -> Any:
    keys = [b.dim(d).label(f"k{i}") for i, d in enumerate(plan.dimensions)]
    where = where + where_filters(b, plan)
    stmt: Any = select(*keys, value.label("value")).select_from(b.fact.entity)
    stmt = b.apply(stmt).where(and_(true(), *where))
    if keys:
        stmt = stmt.group_by(*[k.element for k in keys])
    return stmt


def opp_fact(date_col: Any = None) -> Fact:
    return Fact(entity=Opportunity, owner=Opportunity.owner_id, account=Opportunity.account_id, opp=Opportunity,
                date_col=date_col)


def _won_closed(ctx: Ctx, period: Period | None) -> list[Any]:
    w = [Opportunity.status == "won", ctx.scope.owner_filter(Opportunity.owner_id)]
    return w + (period_clause(Opportunity.closed_at, period) if period else [])


# --- single-statement metrics ------------------------------------------------------------------------
def bookings(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.closed_at), ctx.dialect)
    return _grouped(b, plan, func.coalesce(func.sum(Opportunity.amount), 0.0), _won_closed(ctx, period))


def deals_won(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.closed_at), ctx.dialect)
    return _grouped(b, plan, func.count(Opportunity.id), _won_closed(ctx, period))


def deals_lost(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.closed_at), ctx.dialect)
    w = [Opportunity.status == "lost", ctx.scope.owner_filter(Opportunity.owner_id)]
    w += period_clause(Opportunity.closed_at, period) if period else []
    return _grouped(b, plan, func.count(Opportunity.id), w)


def deals_created(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.created_at), ctx.dialect)
    w = [ctx.scope.owner_filter(Opportunity.owner_id)]
    w += period_clause(Opportunity.created_at, period) if period else []
    return _grouped(b, plan, func.count(Opportunity.id), w)


def avg_deal_size(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.closed_at), ctx.dialect)
    return _grouped(b, plan, func.avg(Opportunity.amount), _won_closed(ctx, period))


def avg_sales_cycle(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.closed_at), ctx.dialect)
    days = days_between(Opportunity.closed_at, Opportunity.created_at, ctx.dialect)
    return _grouped(b, plan, func.avg(days), _won_closed(ctx, period))


def win_rate(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.closed_at), ctx.dialect)
    won = func.sum(case((Opportunity.status == "won", 1.0), else_=0.0))
    value = won / func.nullif(func.count(Opportunity.id), 0)
    w = [Opportunity.status.in_(["won", "lost"]), ctx.scope.owner_filter(Opportunity.owner_id)]
    w += period_clause(Opportunity.closed_at, period) if period else []
    return _grouped(b, plan, value, w)


def open_pipeline(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    b = Builder(opp_fact(Opportunity.expected_close), ctx.dialect)
    w = [Opportunity.status == "open", ctx.scope.owner_filter(Opportunity.owner_id)]
    w += period_clause(Opportunity.expected_close, period, col_is_date=True) if period else []
    return _grouped(b, plan, func.coalesce(func.sum(Opportunity.amount), 0.0), w)


def collections(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    fact = Fact(entity=Collection, owner=Collection.owner_id, account=Collection.account_id,
                opp_fk=Collection.opportunity_id, date_col=Collection.received_on)
    b = Builder(fact, ctx.dialect)
    w = [ctx.scope.owner_filter(Collection.owner_id)]
    w += period_clause(Collection.received_on, period, col_is_date=True) if period else []
    return _grouped(b, plan, func.coalesce(func.sum(Collection.amount), 0.0), w)


def activity_count(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    fact = Fact(entity=Activity, owner=Activity.owner_id, account=Activity.account_id,
                opp_fk=Activity.opportunity_id, date_col=Activity.occurred_at,
                extra={"activity_type": Activity.type})
    b = Builder(fact, ctx.dialect)
    w = [ctx.scope.owner_filter(Activity.owner_id)]
    w += period_clause(Activity.occurred_at, period) if period else []
    return _grouped(b, plan, func.count(Activity.id), w)


def overdue_tasks(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    fact = Fact(entity=Task, owner=Task.owner_id, account=Task.account_id, opp_fk=Task.opportunity_id,
                date_col=Task.due)
    b = Builder(fact, ctx.dialect)
    w = [Task.status == "open", Task.due < bindparam("today", ctx.today), ctx.scope.owner_filter(Task.owner_id)]
    w += period_clause(Task.due, period, col_is_date=True) if period else []
    return _grouped(b, plan, func.count(Task.id), w)


def response_time(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    """Days from creation to the first activity. The first activity's time is kept on the deal by triggers
    (migration 0008), so this reads one index over all history instead of grouping every activity; a deal without
    activities has none, and AVG skips it."""
    b = Builder(opp_fact(Opportunity.created_at), ctx.dialect)
    w = [ctx.scope.owner_filter(Opportunity.owner_id), Opportunity.first_activity_at.is_not(None)]
    w += period_clause(Opportunity.created_at, period) if period else []
    days = days_between(Opportunity.first_activity_at, Opportunity.created_at, ctx.dialect)
    return _grouped(b, plan, func.avg(days), w)


def first_wins(ctx: Ctx) -> Any:
    return (select(Opportunity.account_id.label("account_id"), func.min(Opportunity.closed_at).label("first_win"))
            .where(Opportunity.status == "won", ctx.scope.owner_filter(Opportunity.owner_id))
            .group_by(Opportunity.account_id).subquery("first_wins"))


def account_fact(account_col: Any, date_col: Any) -> Fact:
    return Fact(entity=Account, owner=Account.owner_id, account=account_col, date_col=date_col,
                region_via_account=True, extra={"lead_source": Account.source, "industry": Account.industry,
                                                "account": Account.name})


def new_customers(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    fw = first_wins(ctx)
    fact = account_fact(Account.id, fw.c.first_win)
    b = Builder(fact, ctx.dialect)
    keys = [b.dim(d).label(f"k{i}") for i, d in enumerate(plan.dimensions)]
    w = where_filters(b, plan) + (period_clause(fw.c.first_win, period) if period else [])
    stmt = select(*keys, func.count(Account.id).label("value")).select_from(fw).join(Account, Account.id == fw.c.account_id)
    stmt = b.apply(stmt).where(and_(true(), *w))
    return stmt.group_by(*[k.element for k in keys]) if keys else stmt


def clv(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    w = [Opportunity.status == "won", ctx.scope.owner_filter(Opportunity.owner_id)]
    if period:
        w.append(Opportunity.closed_at < period_end(period))
    per = (select(Opportunity.account_id.label("account_id"), func.sum(Opportunity.amount).label("ltv"))
           .where(*w).group_by(Opportunity.account_id).subquery("per_account"))
    b = Builder(account_fact(Account.id, None), ctx.dialect)
    keys = [b.dim(d).label(f"k{i}") for i, d in enumerate(plan.dimensions)]
    stmt = select(*keys, func.avg(per.c.ltv).label("value")).select_from(per).join(Account, Account.id == per.c.account_id)
    stmt = b.apply(stmt).where(and_(true(), *where_filters(b, plan)))
    return stmt.group_by(*[k.element for k in keys]) if keys else stmt


def penetration_parts(ctx: Ctx, plan: QueryPlan, period: Period | None) -> tuple[Any, Any]:
    """(accounts with a win in the period, all accounts) grouped by the account's region/industry."""
    won = [Opportunity.account_id == Account.id, Opportunity.status == "won",
           ctx.scope.owner_filter(Opportunity.owner_id)]
    won += period_clause(Opportunity.closed_at, period) if period else []
    has_win = exists(select(Opportunity.id).where(*won))
    parts = []
    for extra in (has_win, true()):
        b = Builder(account_fact(Account.id, None), ctx.dialect)
        keys = [b.dim(d).label(f"k{i}") for i, d in enumerate(plan.dimensions)]
        stmt = select(*keys, func.count(Account.id).label("value")).select_from(Account)
        stmt = b.apply(stmt).where(ctx.scope.owner_filter(Account.owner_id), extra, *where_filters(b, plan))
        parts.append(stmt.group_by(*[k.element for k in keys]) if keys else stmt)
    return parts[0], parts[1]


# --- targets, forecasts, spend -----------------------------------------------------------------------
def targets(ctx: Ctx, plan: QueryPlan, period: Period) -> Any:
    """User-level targets of the reps in scope whose period starts inside the period."""
    fact = Fact(entity=Target, owner=Target.user_id)
    b = Builder(fact, ctx.dialect)
    w = [Target.level == "user", ctx.scope.owner_filter(Target.user_id),
         *period_clause(Target.period_start, period, col_is_date=True)]
    return _grouped(b, plan, func.sum(Target.amount), w)


def forecasts(ctx: Ctx, plan: QueryPlan, period: Period) -> Any:
    fact = Fact(entity=ForecastSubmission, owner=ForecastSubmission.user_id)
    b = Builder(fact, ctx.dialect)
    w = [ctx.scope.owner_filter(ForecastSubmission.user_id),
         *period_clause(ForecastSubmission.period_start, period, col_is_date=True)]
    return _grouped(b, plan, func.sum(ForecastSubmission.amount), w)


def spend(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
    keys = []
    for i, d in enumerate(plan.dimensions):
        if d == "lead_source":
            keys.append(MarketingSpend.channel.label(f"k{i}"))
        elif d == "region":
            keys.append(AccRegion.name.label(f"k{i}"))
        else:
            raise UnsupportedCut(f"marketing spend cannot be cut by {d}")
    stmt = select(*keys, func.sum(MarketingSpend.amount).label("value")).select_from(MarketingSpend)
    if "region" in plan.dimensions or plan.filter_values("region"):
        stmt = stmt.join(AccRegion, AccRegion.id == MarketingSpend.region_id)
    for i, f in enumerate(plan.filters):
        if f.dimension == "region":
            stmt = stmt.where(AccRegion.name.in_(filter_param(plan, i)))
        elif f.dimension == "lead_source":
            stmt = stmt.where(MarketingSpend.channel.in_(filter_param(plan, i)))
    if period:
        stmt = stmt.where(*period_clause(MarketingSpend.month, period, col_is_date=True))
    return stmt.group_by(*[k.element for k in keys]) if keys else stmt


# --- the funnel ---------------------------------------------------------------------------------------
FUNNEL = ["线索", "商机", "报价", "成交"]
QUOTE_STAGE = "方案报价"


def stage_order(session: Session) -> list[tuple[str, int, str]]:
    return [(s.name, s.order, s.kind) for s in session.scalars(select(Stage).order_by(Stage.order))]


def stage_rank(session: Session, stage: str) -> int:
    """The order of `stage`. A deal reached it when it entered it or any later stage that is not lost, that is
    when its `reached_order` (the highest order of its non-lost stages, kept by triggers) is at least this."""
    order = next((o for n, o, _k in stage_order(session) if n == stage), None)
    if order is None:
        raise UnsupportedCut(f"unknown stage {stage}")
    return order


def funnel_rank(ctx: Ctx, level: str) -> int | None:
    """The stage order that counts as reaching a funnel level (None for 线索/商机/成交, counted otherwise)."""
    if level in ("线索", "商机", "成交", "赢单"):
        return None
    return stage_rank(ctx.session, QUOTE_STAGE if level == "报价" else level)


def funnel_count(ctx: Ctx, plan: QueryPlan, period: Period | None, level: str, rank: int | None = None) -> Any:
    """How many entities reached a funnel level (线索/商机/报价/成交) or a named stage, in the period's cohort."""
    if level == "线索":
        fact = Fact(entity=Lead, owner=Lead.owner_id, date_col=Lead.created_at,
                    extra={"lead_source": Lead.source, "industry": Lead.industry})
        b = Builder(fact, ctx.dialect)
        w = [ctx.scope.owner_filter(Lead.owner_id)]
        w += period_clause(Lead.created_at, period) if period else []
        return _grouped(b, plan, func.count(Lead.id), w)
    b = Builder(opp_fact(Opportunity.created_at), ctx.dialect)
    w = [ctx.scope.owner_filter(Opportunity.owner_id)]
    w += period_clause(Opportunity.created_at, period) if period else []
    if level in ("成交", "赢单"):
        w.append(Opportunity.status == "won")
    elif level != "商机":
        w.append(Opportunity.reached_order >= (funnel_rank(ctx, level) if rank is None else rank))
    return _grouped(b, plan, cast(func.count(Opportunity.id), Float), w)


SIMPLE = {
    "bookings": bookings, "deals_won": deals_won, "deals_lost": deals_lost, "deals_created": deals_created,
    "avg_deal_size": avg_deal_size, "avg_sales_cycle": avg_sales_cycle, "win_rate": win_rate,
    "open_pipeline": open_pipeline, "collections": collections, "activity_count": activity_count,
    "overdue_tasks": overdue_tasks, "response_time": response_time, "new_customers": new_customers, "clv": clv,
}
