"""The SQL live scoring reads, built once per shape (`statements(batch)`): the deals, their stage history,
activities, tasks, calls, and the account and rep records, from history or from the rollups."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    String,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Executable

from crm.models import (
    Account,
    Activity,
    Call,
    Opportunity,
    Region,
    ScoringAccountRollup,
    ScoringDealRollup,
    ScoringRepRollup,
    ScoringRollupDirty,
    StageHistory,
    Task,
)


@dataclass(frozen=True)
class Statements:
    deals: Executable
    hist: Executable
    acts: Executable
    tasks: Executable
    calls: Executable
    acc_hist: Executable
    rep_hist: Executable
    acc_roll: Executable
    rep_roll: Executable
    rolled: Executable
    rolled_calls: Executable
    dirty_open: Executable


def _raw(col: Any) -> Any:
    """A date/time column as the driver returns it (ISO text on SQLite: numpy parses it, SQLAlchemy is slower)."""
    return type_coerce(col, String)


@cache
def statements(batch: bool) -> Statements:
    """The queries, with bound parameters :t, :t30 and (one deal or a list) :ids; SQLAlchemy compiles each once."""
    o, h, a, k, c = Opportunity, StageHistory, Activity, Task, Call
    R, D, AR, RR = ScoringDealRollup, ScoringRollupDirty, ScoringAccountRollup, ScoringRepRollup
    t, t30 = bindparam("t", type_=DateTime()), bindparam("t30", type_=DateTime())
    t_us, t30_us = bindparam("t_us", type_=BigInteger()), bindparam("t30_us", type_=BigInteger())
    deal_filter = o.status == "open" if batch else o.id.in_(bindparam("ids", expanding=True))
    mine = select(o.id).where(deal_filter).scalar_subquery()
    o2 = aliased(Opportunity)
    mine_acc = select(o2.account_id).where(o2.status == "open" if batch else o2.id.in_(bindparam("ids", expanding=True)))
    mine_rep = select(o2.owner_id).where(o2.status == "open" if batch else o2.id.in_(bindparam("ids", expanding=True)))
    closed = and_(o.status.in_(["won", "lost"]), o.closed_at.is_not(None), o.closed_at < t)
    won = case((o.status == "won", 1), else_=0)
    lost = case((o.status == "lost", 1), else_=0)
    deal_cols = (o.id, o.account_id, o.owner_id, o.amount, o.stage, _raw(o.expected_close), _raw(o.created_at),
                 _raw(o.budget_confirmed_at), _raw(o.decision_maker_engaged_at), Account.industry, o.product_line,
                 o.source, Account.size, Region.name)
    return Statements(
        deals=select(*deal_cols)
        .join(Account, Account.id == o.account_id).outerjoin(Region, Region.id == Account.region_id)
        .where(deal_filter).order_by(o.id),
        # history ≤ t in time order (ties in insertion order); later rows never change a live snapshot
        hist=select(h.opportunity_id, h.to_stage, _raw(h.changed_at), h.amount, _raw(h.expected_close))
        .where(h.opportunity_id.in_(mine), h.changed_at <= t).order_by(h.opportunity_id, h.changed_at, h.id),
        acts=select(a.opportunity_id, func.count(), func.sum(case((a.type == "call", 1), else_=0)),
                    func.sum(case((a.type.in_(["visit", "meeting"]), 1), else_=0)), _raw(func.max(a.occurred_at)),
                    func.sum(case((a.occurred_at <= t30, 1), else_=0)))
        .where(a.opportunity_id.in_(mine), a.occurred_at <= t).group_by(a.opportunity_id),
        tasks=select(k.opportunity_id,
                     func.sum(case((k.created_at <= t, 1), else_=0)) - func.sum(case((k.completed_at <= t, 1), else_=0)))
        .where(k.opportunity_id.in_(mine), k.status != "cancelled").group_by(k.opportunity_id),
        calls=select(c.opportunity_id, c.insights)
        .where(c.opportunity_id.in_(mine), c.insights.is_not(None), func.coalesce(c.call_time, c.created_at) <= t),
        acc_hist=select(o.account_id, func.sum(won), func.sum(lost), func.sum(case((o.status == "won", o.amount), else_=0)))
        .where(closed, o.account_id.in_(mine_acc)).group_by(o.account_id),
        rep_hist=select(o.owner_id, func.sum(won), func.sum(lost))
        .where(closed, o.owner_id.in_(mine_rep)).group_by(o.owner_id),
        acc_roll=select(AR.account_id, AR.won, AR.lost, AR.won_amount).where(AR.account_id.in_(mine_acc)),
        rep_roll=select(RR.owner_id, RR.won, RR.lost).where(RR.owner_id.in_(mine_rep)),
        # every rolled-up deal (= open deals, less dirty ones): what the features need at t, in one scan
        rolled=select(R.opportunity_id, R.amount, R.stage_label, R.expected_close_us, R.created_us,
                      # flags as bits: 1 budget confirmed by t, 2 decision maker engaged by t, 4 a task open,
                      # 8 the row is valid at t: nothing aggregated after t, and its recent activities
                      # (`recent`) are exactly those in (t − 30 d, t]
                      case((R.budget_confirmed_us <= t_us, 1), else_=0) + case((R.dm_engaged_us <= t_us, 2), else_=0)
                      + case((R.tasks_open > 0, 4), else_=0)
                      + case((and_(R.max_at_us <= t_us, R.recent_from_us <= t30_us,
                                   or_(R.recent == 0, R.recent_min_us > t30_us)), 8), else_=0),
                      R.industry_label, R.product_line_label, R.source_label, R.account_size_label, R.region_label,
                      R.owner_id, R.activities, R.calls, R.visits, R.activity_last_us, R.stage_changes, R.entered_us,
                      R.close_pushes, R.first_amount, AR.won, AR.lost, AR.won_amount, R.recent)
        .outerjoin(AR, AR.account_id == R.account_id).order_by(R.opportunity_id),  # free on SQLite (rowid order)
        rolled_calls=select(c.opportunity_id, c.insights).join(R, R.opportunity_id == c.opportunity_id)
        .where(c.insights.is_not(None), func.coalesce(c.call_time, c.created_at) <= t),
        dirty_open=select(o.id).where(o.id.in_(select(D.opportunity_id)), o.status == "open"),
    )
