"""Scope as SQL: a rep sees their own, a manager their team's, an admin everything; deny by default."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import Forbidden, NotFound
from crm.models import Account, Activity, Call, Contact, Opportunity, Suggestion, Task, User
from crm.scope import Scope, scope_for


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _count(s: Session, scope: Scope, model: type) -> int:
    return s.scalar(select(func.count()).select_from(scope.apply(select(model), model).subquery())) or 0


def test_rep_sees_only_own_rows(demo_engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        scope = scope_for(rep)
        owners = set(s.scalars(scope.apply(select(Opportunity.owner_id), Opportunity)))
        assert owners == {rep.id}
        for model in (Account, Opportunity, Activity, Task):
            assert 0 < _count(s, scope, model) < s.scalar(select(func.count()).select_from(model))


def test_manager_sees_team_and_admin_sees_all(demo_engine) -> None:
    with Session(demo_engine) as s:
        mgr = _user(s, "wangfang")
        team_ids = set(s.scalars(select(User.id).where(User.team_id == mgr.team_id)))
        owners = set(s.scalars(scope_for(mgr).apply(select(Opportunity.owner_id).distinct(), Opportunity)))
        assert owners and owners <= team_ids
        admin = scope_for(_user(s, "admin"))
        assert _count(s, admin, Opportunity) == s.scalar(select(func.count()).select_from(Opportunity))


@pytest.mark.parametrize("scope", [
    Scope(user_id=2, role="rep", active=False),
    Scope(user_id=2, role="manager", team_id=None),
    Scope(user_id=2, role="auditor"),
])
def test_deny_by_default(demo_engine, scope: Scope) -> None:
    with Session(demo_engine) as s:
        for model in (Account, Contact, Opportunity, Activity, Task, Call, Suggestion):
            assert _count(s, scope, model) == 0
        assert _count(s, scope, User) == 0 or scope.active


def test_unknown_model_is_denied() -> None:
    class Unscoped:  # a model the scope was never taught
        pass

    assert str(Scope(user_id=1, role="admin").clause_for(Unscoped)) == "false"


def test_get_outside_scope_is_not_found(demo_engine) -> None:
    with Session(demo_engine) as s:
        rep, other = _user(s, "liming"), _user(s, "sunyue")
        foreign = s.scalar(select(Opportunity.id).where(Opportunity.owner_id == other.id).limit(1))
        assert foreign is not None
        with pytest.raises(NotFound):
            scope_for(rep).get(s, Opportunity, foreign)
        with pytest.raises(NotFound):
            scope_for(rep).get(s, Opportunity, 10**9)
        assert scope_for(_user(s, "admin")).get(s, Opportunity, foreign).id == foreign


def test_write_owner_rules(demo_engine) -> None:
    with Session(demo_engine) as s:
        rep, mate, stranger = _user(s, "liming"), _user(s, "zhaolei"), _user(s, "sunyue")
        mgr = _user(s, "wangfang")
        assert scope_for(rep).can_write_owner(s, rep.id)
        assert not scope_for(rep).can_write_owner(s, mate.id)
        assert scope_for(mgr).can_write_owner(s, mate.id)
        assert not scope_for(mgr).can_write_owner(s, stranger.id)
        with pytest.raises(Forbidden):
            scope_for(rep).require_write_owner(s, stranger.id)
