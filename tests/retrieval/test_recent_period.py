"""A bare 最近 / 近期 / 'lately' with no period named reads as the last N days (Settings.ask_recent_days), and
an answer over all history says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from crm.settings import Settings
from retrieval.ask import ask
from retrieval.parser import parse
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")
END = TODAY + timedelta(days=1)


@pytest.mark.parametrize("q", ["最近的赢单率是多少", "近期回款多少", "华东最近成交额", "这段时间输了几单",
                               "what is the win rate lately", "recent bookings", "bookings these days"])
def test_bare_recently_is_the_last_30_days(session: Session, q: str) -> None:
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None and plan.period is not None, q
    assert (plan.period.start, plan.period.end) == (END - timedelta(days=30), END)


@pytest.mark.parametrize("q", ["最近两个月成交额", "最近一个季度的赢单率", "last 90 days bookings"])
def test_a_named_window_wins(session: Session, q: str) -> None:
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None and plan.period is not None and plan.period.start < END - timedelta(days=31), q


@pytest.mark.parametrize("q", ["最近按月的成交额", "最近的逾期任务有多少", "最近赢单率环比", "最近一次拜访以来的拜访次数",
                               "most recent bookings"])
def test_not_read_as_a_window(session: Session, q: str) -> None:
    """A trend, a snapshot metric, a 环比 (which has its own default), 'the latest one', 'most recent'."""
    plan = parse(session, ADMIN, q, TODAY).plan
    assert plan is not None and plan.period is None, q


def test_window_is_a_setting(session: Session) -> None:
    plan = parse(session, ADMIN, "最近的成交额", TODAY, recent_days=90).plan
    assert plan is not None and plan.period is not None and plan.period.start == END - timedelta(days=90)
    a = ask(session, ADMIN, "最近的成交额", today=TODAY, settings=Settings(ask_recent_days=7))
    assert a.plan is not None and a.plan.period is not None and a.plan.period.start == END - timedelta(days=7)
    assert a.text.startswith("最近（近7天）")
    with pytest.raises(ValueError):
        Settings(ask_recent_days=0)


def test_all_history_is_said(session: Session) -> None:
    zh, en = ask(session, ADMIN, "成交额", today=TODAY), ask(session, ADMIN, "total bookings", today=TODAY)
    assert zh.plan is not None and zh.plan.period is None and "历史累计" in zh.text
    assert en.plan is not None and en.plan.period is None and "all time" in en.text
    dated = ask(session, ADMIN, "今年的成交额", today=TODAY)
    assert "历史累计" not in dated.text
    snapshot = ask(session, ADMIN, "逾期任务有多少", today=TODAY)  # a snapshot, not a sum over history
    assert snapshot.kind == "metric" and "历史累计" not in snapshot.text
