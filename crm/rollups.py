"""Recompute the per-deal scoring rollups of the deals the triggers marked dirty (set-based, both backends).

`crm.models.rollups` describes the tables; migration 0006 creates the triggers (0007 narrows the PostgreSQL
opportunity trigger). `refresh` is run by the rescore job, after the demo seed and by `crm.db.migrate` after an
upgrade; until it runs, a dirty deal is scored from history, so a late refresh costs speed, never correctness.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

import numpy as np
from sqlalchemy import BigInteger, Connection, Table, and_, case, delete, func, insert, literal, select, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.functions import FunctionElement

from crm.models import (
    Account,
    Activity,
    Opportunity,
    Region,
    ScoringDealRollup,
    ScoringLabel,
    ScoringRollupDirty,
    StageHistory,
    Task,
    utcnow,
)

WINDOW_DAYS = 30  # `activities_30d`
CHUNK = 5_000  # deal ids per statement; each is bound 4 times (SQLite allows 32,766 parameters)


def to_epoch_us(t: datetime) -> int:
    """A naive datetime → integer microseconds since the epoch: what `epoch_us` computes in SQL."""
    return int(np.datetime64(t, "us").astype(np.int64))


class epoch_us(FunctionElement[int]):
    """A stored date or time → integer microseconds since the epoch (as numpy's datetime64[us] reads it)."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_us"


@compiles(epoch_us, "sqlite")
def _epoch_sqlite(element: epoch_us, compiler: Any, **kw: Any) -> str:
    x = compiler.process(element.clauses, **kw)  # SQLAlchemy's text: 'YYYY-MM-DD[ HH:MM:SS.ffffff]'
    # whole seconds from the text without its fraction: strftime rounds x.9995 s and later up to the next second
    return (f"(CAST(strftime('%s', substr({x}, 1, 19)) AS INTEGER) * 1000000 "
            f"+ CAST(substr({x}, 21, 6) AS INTEGER))")


@compiles(epoch_us, "postgresql")
def _epoch_pg(element: epoch_us, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) * 1000000 AS BIGINT)"


class greatest(FunctionElement[int]):
    type = BigInteger()
    inherit_cache = True
    name = "greatest"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "postgresql")
def _greatest_pg(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


def _compute(ids: list[int], since: datetime) -> Select[*tuple[Any, ...]]:
    """The rollup rows of the given deals that are open, in `ScoringDealRollup` column order; `since` starts
    the recent-activity window (now − 30 days)."""
    o, a, k, h = Opportunity, Activity, Task, StageHistory
    recent = a.occurred_at > since
    acts = (select(a.opportunity_id.label("id"), func.count().label("n"),
                   func.sum(case((a.type == "call", 1), else_=0)).label("calls"),
                   func.sum(case((a.type.in_(["visit", "meeting"]), 1), else_=0)).label("visits"),
                   func.max(a.occurred_at).label("last_at"), func.sum(case((recent, 1), else_=0)).label("recent"),
                   func.min(case((recent, a.occurred_at))).label("recent_min"))
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
    zero, none = literal(0), literal(-1)
    max_at = greatest(*[func.coalesce(epoch_us(x), none) for x in (acts.c.last_at, hist.c.last_at,
                                                                     tasks.c.created_last, tasks.c.done_last)])
    labels = [aliased(ScoringLabel) for _ in _texts()]
    q = (select(o.id, o.account_id, o.owner_id, o.amount, *[lab.id for lab in labels], epoch_us(o.expected_close),
                epoch_us(o.created_at), epoch_us(o.budget_confirmed_at), epoch_us(o.decision_maker_engaged_at),
                func.coalesce(acts.c.n, zero), func.coalesce(acts.c.calls, zero), func.coalesce(acts.c.visits, zero),
                epoch_us(acts.c.last_at), func.coalesce(tasks.c.n, zero) - func.coalesce(tasks.c.done, zero),
                func.coalesce(hist.c.n, zero),
                # the trailing run of the last recorded stage is the current stage's, if that is the deal's stage
                case((and_(hist.c.n > 0, hist.c.last_stage == o.stage), epoch_us(hist.c.run_start))),
                func.coalesce(hist.c.pushes, zero) + case((o.expected_close > hist.c.last_close, 1), else_=0),
                func.coalesce(hist.c.first_amount, o.amount), max_at,
                literal(to_epoch_us(since), BigInteger()),
                func.coalesce(acts.c.recent, zero), epoch_us(acts.c.recent_min))
         .join(Account, Account.id == o.account_id).outerjoin(Region, Region.id == Account.region_id)
         .outerjoin(acts, acts.c.id == o.id).outerjoin(tasks, tasks.c.id == o.id).outerjoin(hist, hist.c.id == o.id))
    for lab, text in zip(labels, _texts(), strict=True):
        q = q.outerjoin(lab, lab.text == text)
    return q.where(o.id.in_(ids), o.status == "open")


def _texts() -> tuple[Any, ...]:
    """The texts a rollup row refers to, in `ScoringDealRollup` *_label order."""
    return (Opportunity.stage, Account.industry, Opportunity.product_line, Opportunity.source, Account.size,
            Region.name)


def _add_labels(conn: Connection, ids: list[int]) -> None:
    """Give every text of these deals a `ScoringLabel` id."""
    o, L = Opportunity, ScoringLabel
    base = (select(*_texts()).join(Account, Account.id == o.account_id)
            .outerjoin(Region, Region.id == Account.region_id).where(o.id.in_(ids), o.status == "open").subquery())
    texts = union(*[select(c.label("text")).where(c.is_not(None)) for c in base.c]).subquery()
    new = select(texts.c.text).where(~select(L.id).where(L.text == texts.c.text).exists())
    _insert_missing(conn, cast(Table, L.__table__), "text", new)


def _insert_missing(conn: Connection, table: Table, column: str, rows: Select[Any]) -> None:
    """INSERT … SELECT, skipping rows whose key is already there (both backends)."""
    ins = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    conn.execute(ins.from_select([column], rows).on_conflict_do_nothing())


def labels(conn: Connection) -> dict[int, str]:
    return dict(conn.execute(select(ScoringLabel.id, ScoringLabel.text)).tuples().all())


def refresh(conn: Connection, now: datetime | None = None) -> int:
    """Recompute the rollup of every dirty deal, and of deals whose recent activities left the 30-day window
    since their row was computed (rows of deals no longer open are removed); returns how many.

    The dirty marks of a chunk are deleted before its rows are read, so a write committed meanwhile marks its
    deal again. On PostgreSQL a writer's trigger upsert locks the mark until it commits; refresh skips the marks
    so locked (the next refresh takes them) and never waits for a writer, which, when that writer went on to
    mark a deal refresh had already taken, was a deadlock (tests/crm/test_rollups_concurrency.py)."""
    R, D = cast(Table, ScoringDealRollup.__table__), cast(Table, ScoringRollupDirty.__table__)
    since = (now or utcnow()) - timedelta(days=WINDOW_DAYS)
    since_us = to_epoch_us(since)
    expired = select(R.c.opportunity_id).where(R.c.recent > 0, R.c.recent_min_us <= since_us)
    _insert_missing(conn, D, "opportunity_id", expired)
    ids = sorted(conn.scalars(select(D.c.opportunity_id)))
    cols = [c.name for c in R.columns]
    done = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if conn.dialect.name == "postgresql":
            chunk = sorted(conn.scalars(select(D.c.opportunity_id).where(D.c.opportunity_id.in_(chunk))
                                        .with_for_update(skip_locked=True)))
        done += len(chunk)
        conn.execute(delete(D).where(D.c.opportunity_id.in_(chunk)))
        conn.execute(delete(R).where(R.c.opportunity_id.in_(chunk)))
        _add_labels(conn, chunk)
        conn.execute(insert(R).from_select(cols, _compute(chunk, since)))
    return done

