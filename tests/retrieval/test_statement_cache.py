"""Statements cached by plan shape: a re-run with other periods, filter values, dates or callers gives exactly
what a freshly built statement gives, and a caller never gets a statement built for someone else's scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval import compiler
from retrieval.compiler import STATEMENTS, execute
from retrieval.metrics_sql import Ctx
from retrieval.plan import Filter, QueryPlan
from retrieval.timeparse import Period
from tests.retrieval.conftest import TODAY

PERIODS = [Period(start=date(2026, 10, 1), end=date(2027, 1, 1), label="Q4", grain="quarter"),
           Period(start=date(2025, 1, 1), end=date(2026, 1, 1), label="2025", grain="year"),
           Period(start=date(2026, 11, 1), end=date(2026, 12, 1), label="11月", grain="month")]
SHAPES: list[dict[str, Any]] = [
    {"metric": "bookings"},
    {"metric": "win_rate", "filters": [Filter(dimension="region", values=["华东"])]},
    {"metric": "collections", "dimensions": ["account"], "order": "desc", "limit": 5},
    {"metric": "activity_count", "dimensions": ["rep"], "filters": [Filter(dimension="activity_type", values=["call"])]},
    {"metric": "conversion", "stages": ("方案报价", "谈判审批")},
    {"metric": "overdue_tasks", "dimensions": ["team"]},
    {"metric": "response_time", "dimensions": ["region"]},
    {"metric": "target_attainment", "dimensions": ["team"]},
    {"metric": "new_customers", "filters": [Filter(dimension="region", values=["华南", "华北"])]},
    {"metric": "bookings", "comparison": "share", "filters": [Filter(dimension="region", values=["华东"])]},
]


def run(session: Session, scope: Scope, plan: QueryPlan, today: date = TODAY) -> tuple[Any, ...]:
    comp = execute(Ctx(session, scope, today, session.get_bind().dialect.name), plan)
    return comp.columns, comp.rows, comp.value


def fresh(session: Session, scope: Scope, plan: QueryPlan, today: date = TODAY) -> tuple[Any, ...]:
    STATEMENTS.clear()
    return run(session, scope, plan, today)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s["metric"])
def test_cached_statement_equals_a_fresh_one(session: Session, scope_of, shape: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    scopes = [scope_of("admin"), scope_of("wangfang"), scope_of("liming")]
    cases = [(QueryPlan(**shape, period=p), s) for p in [*PERIODS, None] for s in scopes]
    want = [fresh(session, s, plan) for plan, s in cases]
    STATEMENTS.clear()
    got = [run(session, s, plan) for plan, s in cases]  # every case after the first per shape and caller is a hit
    assert got == want


def test_filter_values_and_today_are_parameters(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    admin = scope_of("admin")
    east = QueryPlan(metric="bookings", period=PERIODS[0], filters=[Filter(dimension="region", values=["华东"])])
    south = east.model_copy(update={"filters": [Filter(dimension="region", values=["华南", "华北"])]})
    STATEMENTS.clear()
    assert run(session, admin, south) == fresh(session, admin, south)
    run(session, admin, east)
    assert run(session, admin, south) == fresh(session, admin, south)
    overdue = QueryPlan(metric="overdue_tasks")
    run(session, admin, overdue)
    assert run(session, admin, overdue, date(2026, 6, 1)) == fresh(session, admin, overdue, date(2026, 6, 1))


def test_one_statement_per_shape_and_caller(session: Session, scope_of, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    built: list[str] = []
    real = compiler.ms.SIMPLE["bookings"]

    def counting(ctx: Ctx, plan: QueryPlan, period: Period | None) -> Any:
        built.append(ctx.scope.username)
        return real(ctx, plan, period)

    monkeypatch.setitem(compiler.ms.SIMPLE, "bookings", counting)
    STATEMENTS.clear()
    admin, rep = scope_of("admin"), scope_of("liming")
    for p in PERIODS:
        run(session, admin, QueryPlan(metric="bookings", period=p))
    assert built == ["admin"]
    mine = run(session, rep, QueryPlan(metric="bookings", period=PERIODS[1]))
    assert built == ["admin", "liming"]  # another caller's scope is never reused
    assert mine == fresh(session, rep, QueryPlan(metric="bookings", period=PERIODS[1]))
    assert mine != run(session, admin, QueryPlan(metric="bookings", period=PERIODS[1]))
