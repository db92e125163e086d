"""Scope: a rep asking about the company gets their own numbers and is told so; a manager sees the team."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from retrieval.ask import ask
from tests.retrieval.conftest import TODAY


def total(session: Session, where: str = "", **params: object) -> float:
    sql = "SELECT COALESCE(SUM(o.amount), 0) FROM opportunities o JOIN users u ON u.id = o.owner_id WHERE o.status='won' " + where
    return float(session.execute(text(sql), params).scalar() or 0)


def test_rep_gets_own_numbers_and_is_told(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    liming = scope_of("liming")
    a = ask(session, liming, "全公司的成交额是多少", today=TODAY, show_sql=True)
    assert a.kind == "metric" and a.value == pytest.approx(total(session, "AND u.username = 'liming'"))
    assert "仅统计你本人的数据" in a.text and a.plan is not None and a.plan.scope == "your own data"
    assert a.plan.sql is None  # generated SQL is for admins only
    en = ask(session, liming, "company-wide bookings", today=TODAY)
    assert "your own data only" in en.text


def test_manager_sees_team_admin_sees_all(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    team = ask(session, scope_of("wangfang"), "成交额", today=TODAY)
    assert team.value == pytest.approx(total(session, "AND u.team_id = (SELECT team_id FROM users WHERE username='wangfang')"))
    assert "团队" in team.text
    every = ask(session, scope_of("admin"), "成交额", today=TODAY, show_sql=True)
    assert every.value == pytest.approx(total(session))
    assert every.plan is not None and every.plan.sql and "opportunities" in every.plan.sql


def test_rankings_never_leak_other_reps(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    a = ask(session, scope_of("liming"), "各销售的成交额排名", today=TODAY)
    assert a.result is not None and [r[0] for r in a.result.rows] == ["李明"]
    m = ask(session, scope_of("wangfang"), "哪个团队的赢单率最高", today=TODAY)
    assert m.result is not None and {r[0] for r in m.result.rows} <= {"华东一组"}


def test_accounts_outside_scope_are_not_linked(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    # 上海博瑞医疗 belongs to sunyue (华东二组): for liming it is not a known customer
    a = ask(session, scope_of("liming"), "博瑞医疗的成交额", today=TODAY)
    assert a.plan is None or all(f.dimension != "account" for f in a.plan.filters)
    assert a.value in (None, pytest.approx(total(session, "AND u.username = 'liming'")))


def test_company_only_metric_refused_for_reps(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    assert ask(session, scope_of("liming"), "获客成本是多少", today=TODAY).kind == "refusal"
    assert ask(session, scope_of("admin"), "获客成本是多少", today=TODAY).kind == "metric"


def test_another_team_is_named_as_outside_scope_not_answered_zero(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    """王芳 manages 华东一组: 华东二组's figures are not hers to see, and ¥0 would read as a fact about that team."""
    wangfang = scope_of("wangfang")
    a = ask(session, wangfang, "华东二组的销售表现如何", today=TODAY)
    assert a.kind == "refusal" and "华东二组不在你的数据范围内" in a.text and a.value is None
    assert ask(session, wangfang, "孙悦今年的成交额", today=TODAY).kind == "refusal"  # a rep of 华东二组
    en = ask(session, wangfang, "bookings of 华东二组 this year", today=TODAY)
    assert en.kind == "refusal" and "outside the data you can see" in en.text
    # comparing her team with another: her team's figure, and a note about the other
    both = ask(session, wangfang, "华东一组和华东二组的成交额对比", today=TODAY)
    assert both.kind == "metric" and both.result is not None and [r[0] for r in both.result.rows] == ["华东一组"]
    assert "华东二组不在你的数据范围内" in both.text
    # her own team, and an admin asking about any team: answered
    assert ask(session, wangfang, "华东一组本季度成交额", today=TODAY).kind == "metric"
    assert ask(session, scope_of("admin"), "华东二组的销售表现如何", today=TODAY).kind == "metric"


def test_a_rep_asking_about_a_colleague_is_told(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    liming = scope_of("liming")
    a = ask(session, liming, "孙悦今年的成交额", today=TODAY)
    assert a.kind == "refusal" and "孙悦" in a.text and a.value is None
    own_team = ask(session, liming, "我们组本季度的成交额", today=TODAY)  # his own deals in his team, said so
    assert own_team.kind == "metric" and "仅统计你本人的数据" in own_team.text
