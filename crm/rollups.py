"""Recompute the per-deal scoring rollups of the deals the triggers marked dirty (set-based, both backends).

`crm.models.rollups` describes the tables; migration 0006 creates the triggers. `refresh` is run by the
rescore job, after the demo seed and by the migration; until it runs, a dirty deal is scored from history,
so a late refresh costs speed, never correctness.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, case, delete, func, insert, literal, select
from sqlalchemy.sql import Select

from crm.models import Activity, Opportunity, ScoringDealRollup, ScoringRollupDirty, StageHistory, Task

CHUNK = 5_000  # deal ids per statement; each is bound 4 times (SQLite allows 32,766 parameters)


def _compute(ids: list[int]) -> Select[tuple[object, ...]]:
    """The rollup rows of the given deals that are open, in `ScoringDealRollup` column order."""
    o, a, k, h = Opportunity, Activity, Task, StageHistory
    acts = (select(a.opportunity_id.label("id"), func.count().label("n"),
                   func.sum(case((a.type == "call", 1), else_=0)).label("calls"),
                   func.sum(case((a.type.in_(["visit", "meeting"]), 1), else_=0)).label("visits"),
                   func.max(a.occurred_at).label("last_at"))
            .where(a.opportunity_id.in_(ids)).group_by(a.opportunity_id).subquery())
    tasks = (select(k.opportunity_id.label("id"), func.count().label("n"), func.count(k.completed_at).label("done"),
                    func.max(k.created_at).label("created_last"), func.max(k.completed_at).label("done_last"))
             .where(k.opportunity_id.in_(ids), k.status != "cancelled").group_by(k.opportunity_id).subquery())
    part, order = h.opportunity_id, (h.changed_at, h.id)
    h1 = select(h.opportunity_id, h.to_stage, h.changed_at, h.amount, h.expected_close,
                func.row_number().over(partition_by=part, order_by=order).label("rn"),
                func.lag(h.expected_close).over(partition_by=part, order_by=order).label("prev_close"),
                func.last_value(h.to_stage).over(partition_by=part, order_by=order, rows=(None, None))
                .label("last_stage")).where(h.opportunity_id.in_(ids)).subquery()
    h2 = select(h1, func.count().over(partition_by=h1.c.opportunity_id).label("n"),
                func.max(case((h1.c.to_stage != h1.c.last_stage, h1.c.rn))).over(partition_by=h1.c.opportunity_id)
                .label("last_diff"),
                func.min(case((h1.c.amount.is_not(None), h1.c.rn))).over(partition_by=h1.c.opportunity_id)
                .label("first_amount_rn")).subquery()
    hist = (select(h2.c.opportunity_id.label("id"), func.max(h2.c.n).label("n"),
                   func.max(h2.c.changed_at).label("last_at"), func.max(h2.c.last_stage).label("last_stage"),
                   func.min(case((h2.c.rn > func.coalesce(h2.c.last_diff, 0), h2.c.changed_at))).label("run_start"),
                   func.max(case((h2.c.rn == h2.c.n, h2.c.expected_close))).label("last_close"),
                   func.sum(case((h2.c.expected_close > h2.c.prev_close, 1), else_=0)).label("pushes"),
                   func.max(case((h2.c.rn == h2.c.first_amount_rn, h2.c.amount))).label("first_amount"))
            .group_by(h2.c.opportunity_id).subquery())
    zero = literal(0)
    return (select(o.id, func.coalesce(acts.c.n, zero), func.coalesce(acts.c.calls, zero),
                   func.coalesce(acts.c.visits, zero), acts.c.last_at,
                   func.coalesce(tasks.c.n, zero), func.coalesce(tasks.c.done, zero), tasks.c.created_last,
                   tasks.c.done_last, func.coalesce(hist.c.n, zero), hist.c.last_at, hist.c.last_stage,
                   hist.c.run_start, hist.c.last_close, func.coalesce(hist.c.pushes, zero), hist.c.first_amount)
            .outerjoin(acts, acts.c.id == o.id).outerjoin(tasks, tasks.c.id == o.id).outerjoin(hist, hist.c.id == o.id)
            .where(o.id.in_(ids), o.status == "open"))


def refresh(conn: Connection) -> int:
    """Recompute the rollup of every dirty deal (rows of deals no longer open are removed); returns how many.

    The dirty marks of a chunk are deleted before its rows are read, so a write committed meanwhile marks its
    deal again (on PostgreSQL the trigger's upsert locks the mark, so the delete waits for that write)."""
    R, D = cast(Table, ScoringDealRollup.__table__), cast(Table, ScoringRollupDirty.__table__)
    ids = sorted(conn.scalars(select(D.c.opportunity_id)))
    cols = [c.name for c in R.columns]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(delete(D).where(D.c.opportunity_id.in_(chunk)))
        conn.execute(delete(R).where(R.c.opportunity_id.in_(chunk)))
        conn.execute(insert(R).from_select(cols, _compute(chunk)))
    return len(ids)

