"""The demo workspace: deterministic, realistic in size, with the planted patterns analytics need."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from crm.db import make_engine, migrate
from crm.demo.seed import seed_demo
from crm.errors import Conflict
from crm.models import Account, Opportunity, Region, Team, User

AS_OF = datetime(2026, 11, 23, 18, 0)


def _fingerprint(url: str) -> tuple:
    eng = make_engine(url)
    with Session(eng) as s:
        fp = (s.scalar(select(func.sum(Opportunity.amount))), s.scalar(select(func.count()).select_from(Account)),
              tuple(s.scalars(select(Opportunity.stage).order_by(Opportunity.id).limit(50))))
    eng.dispose()
    return fp


def test_same_seed_same_workspace(tmp_path) -> None:
    fps = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        eng = make_engine(url)
        migrate(eng)
        seed_demo(eng, opportunities=400, as_of=AS_OF)
        eng.dispose()
        fps.append(_fingerprint(url))
    assert fps[0] == fps[1]


def test_shape_of_the_workspace(demo_engine) -> None:
    with Session(demo_engine) as s:
        assert s.scalar(select(func.count()).select_from(Region)) == 6
        assert s.scalar(select(func.count()).where(User.role == "rep")) >= 40
        teams = list(s.scalars(select(Team)))
        assert teams and all(t.manager_id for t in teams)
        assert s.scalar(select(func.count()).where(User.role == "admin")) == 1
        assert s.scalar(select(func.count()).select_from(Account)) >= 2000
        statuses = dict(s.execute(select(Opportunity.status, func.count()).group_by(Opportunity.status)).all())
        assert set(statuses) == {"open", "won", "lost"}


def test_planted_patterns(demo_engine) -> None:
    with Session(demo_engine) as s:
        closed = select(Opportunity).where(Opportunity.status != "open").subquery()
        rates = dict(s.execute(
            select(closed.c.budget_confirmed_at.is_not(None), func.avg(case((closed.c.status == "won", 1.0), else_=0.0)))
            .group_by(closed.c.budget_confirmed_at.is_not(None))).all())
        assert rates[True] > rates[False] + 0.15
        revenue = sorted(s.scalars(select(func.sum(Opportunity.amount)).where(Opportunity.status == "won")
                                   .group_by(Opportunity.account_id)), reverse=True)
        top = sum(revenue[: len(revenue) // 5]) / sum(revenue)
        assert 0.45 < top < 0.8


def test_seed_refuses_a_database_with_users(demo_engine) -> None:
    with pytest.raises(Conflict):
        seed_demo(demo_engine, opportunities=200, as_of=AS_OF)
