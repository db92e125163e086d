"""Cached statements run as compiled SQL on the driver connection: same rows as SQLAlchemy's own execution,
for every shape, period, caller and number of filter values, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from retrieval import compiled_sql
from retrieval.compiler import STATEMENTS
from retrieval.plan import Filter, QueryPlan
from tests.retrieval.test_statement_cache import PERIODS, SHAPES, run


def _prepared() -> list[compiled_sql.Prepared]:
    return [v for v in STATEMENTS._items.values() if isinstance(v, compiled_sql.Prepared)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s["metric"])
def test_compiled_sql_equals_sqlalchemy_execution(session: Session, scope_of, monkeypatch,  # type: ignore[no-untyped-def]
                                                  shape: dict[str, Any]) -> None:
    scopes = [scope_of("admin"), scope_of("wangfang"), scope_of("liming")]
    cases = [(QueryPlan(**shape, period=p), s) for p in [*PERIODS, None] for s in scopes]
    STATEMENTS.clear()
    got = [run(session, s, plan) for plan, s in cases]
    assert _prepared(), "the compiled-SQL path was not used"
    monkeypatch.setattr(compiled_sql, "supported", lambda _dialect: False)
    STATEMENTS.clear()
    want = [run(session, s, plan) for plan, s in cases]
    assert got == want


def test_filter_value_counts_get_their_own_sql(session: Session, scope_of, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    admin = scope_of("admin")
    plans = [QueryPlan(metric="bookings", period=PERIODS[1], dimensions=["region"],
                       filters=[Filter(dimension="region", values=vals)])
             for vals in (["华东"], ["华南", "华北"], ["华东", "华南", "华北"], ["华北"])]
    STATEMENTS.clear()
    got = [run(session, admin, p) for p in plans]
    assert len(_prepared()) == 3  # one per number of values
    monkeypatch.setattr(compiled_sql, "supported", lambda _dialect: False)
    want = [run(session, admin, p) for p in plans]
    assert got == want
    assert [len(rows) for _c, rows, _v in got] == [1, 2, 3, 1]


def test_a_statement_whose_values_would_be_rendered_into_the_sql_is_not_prepared(session: Session) -> None:
    from sqlalchemy import Integer, bindparam, literal_column, select

    stmt: Any = select(literal_column("1")).where(bindparam("p_start", type_=Integer, literal_execute=True) > 0)
    assert compiled_sql.prepare(stmt, session.get_bind().dialect, {"p_start": 1}) is None


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s["metric"])
def test_same_sql_and_parameters_as_sqlalchemy_sends(session: Session, scope_of, monkeypatch,  # type: ignore[no-untyped-def]
                                                     shape: dict[str, Any]) -> None:
    """The driver gets the very statement and parameter values (bind processors applied) SQLAlchemy gives it."""
    from sqlalchemy import event

    engine = session.get_bind()
    cases = [(QueryPlan(**shape, period=p), s) for p in [PERIODS[0], None]
             for s in (scope_of("admin"), scope_of("wangfang"), scope_of("liming"))]
    sent: list[tuple[str, Any]] = []
    real_run = compiled_sql.run

    def recording_run(sess: Session, prep: compiled_sql.Prepared, values: dict[str, Any], filters: Any) -> Any:
        sent.append((prep.sql, prep.parameters(values, filters)))
        return real_run(sess, prep, values, filters)

    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, list(parameters) if isinstance(parameters, tuple | list) else dict(parameters)))

    monkeypatch.setattr(compiled_sql, "run", recording_run)
    event.listen(engine, "before_cursor_execute", capture)
    try:
        STATEMENTS.clear()
        got = [run(session, s, plan) for plan, s in cases]
        other = list(seen)  # what still goes through SQLAlchemy (e.g. the stage names of a funnel)
        seen.clear()
        monkeypatch.setattr(compiled_sql, "supported", lambda _dialect: False)
        STATEMENTS.clear()
        want = [run(session, s, plan) for plan, s in cases]
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert got == want
    assert sent, "the compiled-SQL path was not used"
    for item in other:
        seen.remove(item)
    assert sent == seen
