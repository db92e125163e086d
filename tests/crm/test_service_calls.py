"""Scope on the call write-back primitives of crm.service: upserts of a call's activity and tasks,
cancelling by origin-key prefix, applying a suggested deal field."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm import service
from crm.errors import Forbidden, InvalidInput, NotFound
from crm.models import Activity, Call, Opportunity, Task, User
from crm.scope import Scope, scope_for

WHEN = datetime(2026, 11, 23, 10, 0)


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _team(s: Session, rep: User) -> tuple[User, User, User]:
    """`rep`'s manager, another rep of the same team, and a manager of another team."""
    mgr = s.scalars(select(User).where(User.role == "manager", User.team_id == rep.team_id)).first()
    mate = s.scalars(select(User).where(User.role == "rep", User.team_id == rep.team_id, User.id != rep.id,
                                        User.is_active).order_by(User.id)).first()
    outsider = s.scalars(select(User).where(User.role == "manager", User.team_id != rep.team_id)
                         .order_by(User.id)).first()
    assert mgr is not None and mate is not None and outsider is not None
    return mgr, mate, outsider


def _opp(s: Session, owner: User) -> Opportunity:
    opp = s.scalars(select(Opportunity).where(Opportunity.owner_id == owner.id, Opportunity.status == "open")
                    .order_by(Opportunity.id)).first()
    assert opp is not None
    return opp


def _call(s: Session, owner: User, opp: Opportunity | None = None) -> Call:
    call = Call(owner_id=owner.id, opportunity_id=opp.id if opp else None, audio_sha256="0" * 64,
                blob_key=f"t:{owner.id}", dedupe_key=f"test:{owner.id}:{opp.id if opp else 0}", status="done")
    s.add(call)
    s.flush()
    return call


def _upsert(s: Session, scope: Scope, key: str, title: str = "跟进", owner_id: int | None = None,
            opportunity_id: int | None = None, account_id: int | None = None) -> Task:
    return service.upsert_task(s, scope, key, title=title, due=date(2026, 12, 1), owner_id=owner_id,
                               opportunity_id=opportunity_id, account_id=account_id)


def _activity(s: Session, scope: Scope, call_id: int, opportunity_id: int | None = None,
              account_id: int | None = None) -> Activity:
    return service.upsert_call_activity(s, scope, call_id, opportunity_id=opportunity_id, account_id=account_id,
                                        occurred_at=WHEN, summary="s", participants=[])


def test_call_activity_is_one_row_in_scope(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        mgr, mate, outsider = _team(s, rep)
        call = _call(s, rep)
        scope = scope_for(rep)
        first = _activity(s, scope, call.id)
        assert first.account_id is None and first.opportunity_id is None and first.owner_id == rep.id
        opp = _opp(s, rep)
        again = _activity(s, scope_for(mgr), call.id, opp.id, opp.account_id)
        assert again.id == first.id and again.opportunity_id == opp.id and again.owner_id == rep.id
        for other in (mate, outsider):  # another rep, another team's manager: the call is not theirs to see
            with pytest.raises(NotFound):
                _activity(s, scope_for(other), call.id)
        with pytest.raises(NotFound):  # the deal must be in scope too
            _activity(s, scope, call.id, _opp(s, mate).id)
        assert s.scalars(select(Activity.id).where(Activity.call_id == call.id)).all() == [first.id]


def test_rep_cannot_upsert_a_task_of_another_rep(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        _mgr, mate, _outsider = _team(s, rep)
        with pytest.raises(Forbidden):
            _upsert(s, scope_for(rep), "t:1", owner_id=mate.id)
        theirs = _upsert(s, scope_for(mate), "t:2", title="theirs")
        with pytest.raises(Forbidden):  # the existing task under that key belongs to someone else
            _upsert(s, scope_for(rep), "t:2", title="mine now")
        with pytest.raises(NotFound):  # a deal outside scope
            _upsert(s, scope_for(rep), "t:3", opportunity_id=_opp(s, mate).id)
        s.refresh(theirs)
        assert theirs.title == "theirs" and theirs.owner_id == mate.id
        assert s.scalars(select(Task).where(Task.origin_key.in_(["t:1", "t:3"]))).all() == []


def test_task_upsert_is_idempotent_and_managers_work_within_team(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        mgr, _mate, outsider = _team(s, rep)
        opp = _opp(s, rep)
        task = _upsert(s, scope_for(mgr), "t:m", owner_id=rep.id, opportunity_id=opp.id, account_id=opp.account_id)
        assert task.owner_id == rep.id and task.status == "open"
        task.status = "done"
        again = _upsert(s, scope_for(rep), "t:m", title="改过", opportunity_id=opp.id)
        assert (again.id, again.title, again.status, again.account_id) == (task.id, "改过", "done", None)
        with pytest.raises(Forbidden):
            _upsert(s, scope_for(outsider), "t:o", owner_id=rep.id)
        with pytest.raises(NotFound):
            _upsert(s, scope_for(outsider), "t:o", opportunity_id=opp.id)


def test_cancel_by_prefix_is_scoped_and_exact(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        mgr, mate, _outsider = _team(s, rep)
        mine = [_upsert(s, scope_for(rep), f"x:1:step:{i}") for i in range(3)]
        _upsert(s, scope_for(rep), "x:10:step:0")  # a longer id, not under the prefix
        _upsert(s, scope_for(rep), "x_1:step:0")  # '_' is not a wildcard
        with pytest.raises(InvalidInput):
            service.cancel_open_tasks(s, scope_for(rep), "")
        assert service.cancel_open_tasks(s, scope_for(rep), "x:1:step:", keep={"x:1:step:0"}) == [
            mine[1].id, mine[2].id]
        assert service.cancel_open_tasks(s, scope_for(rep), "x:1:step:", keep={"x:1:step:0"}) == []
        _upsert(s, scope_for(mate), "x:2:step:0")
        with pytest.raises(Forbidden):  # someone else's open task under the prefix: nothing is cancelled
            service.cancel_open_tasks(s, scope_for(rep), "x:2:step:")
        assert len(service.cancel_open_tasks(s, scope_for(mgr), "x:")) == 3
        assert {t.origin_key: t.status for t in s.scalars(select(Task).where(Task.origin_key.like("x%")))} == {
            "x:1:step:0": "cancelled", "x:1:step:1": "cancelled", "x:1:step:2": "cancelled",
            "x:10:step:0": "cancelled", "x_1:step:0": "open", "x:2:step:0": "cancelled"}


def test_suggested_field_needs_the_deal_in_scope(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        mgr, mate, outsider = _team(s, rep)
        opp = _opp(s, rep)
        opp.competitors = ["A"]
        with pytest.raises(NotFound):
            service.apply_suggested_field(s, scope_for(mate), opp.id, "amount", 1.0)
        with pytest.raises(NotFound):
            service.apply_suggested_field(s, scope_for(outsider), opp.id, "amount", 1.0)
        with pytest.raises(InvalidInput):
            service.apply_suggested_field(s, scope_for(rep), opp.id, "stage", "赢单")
        service.apply_suggested_field(s, scope_for(rep), opp.id, "amount", 500000)
        service.apply_suggested_field(s, scope_for(mgr), opp.id, "expected_close", "2026-12-31")
        service.apply_suggested_field(s, scope_for(mgr), opp.id, "competitors", ["B", "A"])
        assert (float(opp.amount), opp.expected_close, opp.competitors) == (500000.0, date(2026, 12, 31), ["A", "B"])


def test_inactive_owner_cannot_be_written_for(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        rep = _user(s, "liming")
        mgr, _mate, _outsider = _team(s, rep)
        opp = _opp(s, rep)
        rep.is_active = False
        s.flush()
        with pytest.raises(Forbidden):  # the manager still sees the deal but may not change it
            service.apply_suggested_field(s, scope_for(mgr), opp.id, "amount", 1.0)
        with pytest.raises(Forbidden):
            _upsert(s, scope_for(mgr), "t:i", owner_id=rep.id)
