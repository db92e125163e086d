"""QueryPlan → scoped SQL: every figure equals a hand-written query over the same demo data."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.compiler import execute
from retrieval.metrics_sql import Ctx
from retrieval.plan import Filter, QueryPlan
from retrieval.timeparse import Period
from tests.retrieval.conftest import TODAY

Q4 = Period(start=date(2026, 10, 1), end=date(2027, 1, 1), label="2026年Q4", grain="quarter")
Y2026 = Period(start=date(2026, 1, 1), end=date(2027, 1, 1), label="2026年", grain="year")
ADMIN = Scope(user_id=1, role="admin")


def run(session: Session, plan: QueryPlan, scope: Scope = ADMIN):  # type: ignore[no-untyped-def]
    return execute(Ctx(session, scope, TODAY, session.get_bind().dialect.name), plan)


def scalar(session: Session, sql: str, **params: object) -> float:
    return float(session.execute(text(sql), params).scalar() or 0)


def bounds(p: Period) -> dict[str, datetime]:
    return {"s": datetime.combine(p.start, datetime.min.time()), "e": datetime.combine(p.end, datetime.min.time())}


def test_bookings_and_win_rate_match_hand_sql(session: Session) -> None:
    got = run(session, QueryPlan(metric="bookings", period=Y2026)).value
    want = scalar(session, "SELECT SUM(amount) FROM opportunities WHERE status='won' AND closed_at >= :s AND closed_at < :e",
                  **bounds(Y2026))
    assert got == pytest.approx(want)
    wr = run(session, QueryPlan(metric="win_rate", period=Y2026, filters=[Filter(dimension="region", values=["华东"])])).value
    won = scalar(session, "SELECT COUNT(*) FROM opportunities o JOIN users u ON u.id=o.owner_id JOIN regions r ON r.id=u.region_id "
                 "WHERE r.name='华东' AND o.status='won' AND o.closed_at >= :s AND o.closed_at < :e", **bounds(Y2026))
    closed = scalar(session, "SELECT COUNT(*) FROM opportunities o JOIN users u ON u.id=o.owner_id JOIN regions r ON r.id=u.region_id "
                    "WHERE r.name='华东' AND o.status IN ('won','lost') AND o.closed_at >= :s AND o.closed_at < :e", **bounds(Y2026))
    assert wr == pytest.approx(won / closed)


def test_grouped_ranking_top_n(session: Session) -> None:
    comp = run(session, QueryPlan(metric="collections", dimensions=["account"], order="desc", limit=3, period=Y2026))
    rows = session.execute(text(
        "SELECT a.name, SUM(c.amount) AS v FROM collections c JOIN accounts a ON a.id=c.account_id "
        "WHERE c.received_on >= :s AND c.received_on < :e GROUP BY a.name ORDER BY v DESC, a.name LIMIT 3"),
        {"s": Y2026.start, "e": Y2026.end}).all()
    assert [(r[0], pytest.approx(float(r[1]))) for r in rows] == [(r[0], r[1]) for r in comp.rows]
    assert comp.columns == ["account", "value"]


def test_time_buckets_and_yoy(session: Session) -> None:
    comp = run(session, QueryPlan(metric="deals_won", dimensions=["time:quarter"], period=Y2026))
    assert [r[0] for r in comp.rows] == sorted(r[0] for r in comp.rows)
    assert all(str(r[0]).startswith("2026-Q") for r in comp.rows)
    total = sum(r[1] for r in comp.rows)
    assert total == run(session, QueryPlan(metric="deals_won", period=Y2026)).value
    yoy = run(session, QueryPlan(metric="bookings", period=Q4, comparison="yoy"))
    assert yoy.columns == ["value", "previous", "change"]
    assert yoy.comparison_period is not None and yoy.comparison_period.start == date(2025, 10, 1)


def test_funnel_and_stage_conversion(session: Session) -> None:
    funnel = run(session, QueryPlan(metric="conversion"))
    levels = [r[0] for r in funnel.rows]
    assert levels == ["线索", "商机", "报价", "成交"]
    counts = {r[0]: r[1] for r in funnel.rows}
    assert counts["商机"] == scalar(session, "SELECT COUNT(*) FROM opportunities")
    assert counts["成交"] == scalar(session, "SELECT COUNT(*) FROM opportunities WHERE status='won'")
    assert counts["报价"] == scalar(session, "SELECT COUNT(DISTINCT opportunity_id) FROM opportunity_stage_history "
                                           "WHERE to_stage IN ('方案报价','谈判审批','赢单')")
    assert funnel.value == pytest.approx(counts["成交"] / counts["线索"])
    step = run(session, QueryPlan(metric="conversion", stages=("方案报价", "谈判审批"))).value
    assert step == pytest.approx(
        scalar(session, "SELECT COUNT(DISTINCT opportunity_id) FROM opportunity_stage_history WHERE to_stage IN ('谈判审批','赢单')")
        / counts["报价"])


def test_pareto_share_and_attainment(session: Session) -> None:
    pareto = run(session, QueryPlan(metric="contribution", dimensions=["account"]))
    shares = [r[2] for r in pareto.rows]
    assert shares == sorted(shares, reverse=True) and len(pareto.rows) <= 50 < pareto.extra["items"]
    top_n = pareto.extra["top_n"]
    assert pareto.rows[min(top_n, 50) - 1][3] == pytest.approx(sum(shares[: min(top_n, 50)]))
    lines = run(session, QueryPlan(metric="contribution"))
    assert lines.rows[-1][3] == pytest.approx(1.0) and lines.value == pytest.approx(lines.rows[0][2])
    share = run(session, QueryPlan(metric="bookings", comparison="share", filters=[Filter(dimension="region", values=["华东"])]))
    assert 0 < share.rows[0][1] < 1
    att = run(session, QueryPlan(metric="target_attainment", dimensions=["team"], period=Q4))
    assert att.rows and all(r[1] is None or r[1] >= 0 for r in att.rows)


def test_pareto_orders_only_the_shown_rows_yet_equals_a_full_sort() -> None:
    """The Pareto table is the head of the full (value desc, name) order, with running shares over all items;
    the top-20 % share sums the largest values. Ties and a limit included; no database needed."""
    import random

    from retrieval import compiler

    rng = random.Random(7)
    values = {(f"客户{i:03d}",): float(rng.choice([0, 5, 10, 10, 20, 35, 35, 80])) for i in range(137)}

    class FakeRun:
        sql: list[str] = []

        def values(self, plan: QueryPlan, period: Period | None) -> dict[tuple[str], float]:
            return values

    for limit in (None, 3, 200):
        got = compiler._contribution(FakeRun(), QueryPlan(metric="contribution", dimensions=["account"],  # type: ignore[arg-type]
                                                          limit=limit), None)
        order = sorted(((k[0], v) for k, v in values.items()), key=lambda kv: (-kv[1], kv[0]))
        total = sum(v for _k, v in order)
        cums = [sum(v for _k, v in order[: i + 1]) / total for i in range(len(order))]
        want = [[k, v, v / total, c] for (k, v), c in zip(order, cums, strict=True)][: limit or compiler.PARETO_ROWS]
        assert [r[:3] for r in got.rows] == [r[:3] for r in want]
        assert [r[3] for r in got.rows] == pytest.approx([r[3] for r in want])
        top_n = math.ceil(0.2 * len(order))
        assert got.extra["top_n"] == top_n and got.value == pytest.approx(sum(v for _k, v in order[:top_n]) / total)


def test_other_metrics_run(session: Session) -> None:
    for name in ("collections", "deals_created", "deals_lost", "open_pipeline", "pipeline_coverage", "avg_deal_size",
                 "avg_sales_cycle", "new_customers", "clv", "cac", "clv_cac", "penetration", "forecast_accuracy",
                 "activity_count", "response_time", "overdue_tasks"):
        comp = run(session, QueryPlan(metric=name))
        assert comp.rows, name
    overdue = run(session, QueryPlan(metric="overdue_tasks")).value
    assert overdue == scalar(session, "SELECT COUNT(*) FROM tasks WHERE status='open' AND due < :t", t=TODAY)


def test_plan_validation() -> None:
    with pytest.raises(ValueError):
        QueryPlan(metric="nonsense")
    with pytest.raises(ValueError):
        QueryPlan(metric="overdue_tasks", dimensions=["product"])
    with pytest.raises(ValueError):
        Filter(dimension="salary", values=["x"])


def test_share_without_a_part_is_refused_not_a_crash(session: Session) -> None:
    """'Central's share of total bookings' where no region Central exists: no filter, no grouping."""
    from retrieval.ask import run_plan

    plan = QueryPlan(metric="bookings", comparison="share", period=Q4)
    answer = run_plan(session, ADMIN, plan, "en", TODAY)
    assert answer.kind == "refusal" and "share of the total needs a part" in answer.text
