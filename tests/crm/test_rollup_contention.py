"""Migration 0007 on PostgreSQL: an update of a deal locks its account's and rep's rollup rows only when its
won/lost contribution can change. Edits of different open deals of one rep and account no longer wait for each
other (a short lock_timeout turns a wait into LockNotAvailable); contribution changes keep the rollups exact;
the downgrade restores 0006's trigger function, on which the same edits wait again."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Executable, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import crm.migrations
from crm.db import alembic_config, make_engine, migrate, session_scope
from crm.models import Opportunity, ScoringAccountRollup, ScoringRepRollup, utcnow
from tests.crm.test_rollups import _check_counts

pytestmark = pytest.mark.postgres
o = Opportunity
LOCK_TIMEOUT = "2s"
EDITS: dict[str, dict[str, Any]] = {  # edits of an open deal that leave its contribution alone (0 before and after)
    "amount": {"amount": o.amount + 1000},
    "stage": {"stage": "negotiation"},
    "expected_close": {"expected_close": o.expected_close + timedelta(days=7)},
}


@pytest.fixture
def pg(pg_demo_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_demo_url)
    yield engine
    engine.dispose()


def _waits(engine: Engine, first: list[Executable], second: list[Executable]) -> bool:
    """Whether `second`, in its own transaction while `first`'s is open, waits for a lock (both roll back)."""
    with engine.connect() as c1, engine.connect() as c2:
        for stmt in first:
            c1.execute(stmt)
        c2.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        try:
            for stmt in second:
                c2.execute(stmt)
        except OperationalError as e:
            if getattr(e.orig, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            return True
        finally:
            c2.rollback()
            c1.rollback()
    return False


def _edit(deal: int, values: dict[str, Any]) -> Executable:
    return update(o).where(o.id == deal).values(**values)


def _same_rep_and_account(engine: Engine, status: str = "open") -> tuple[int, int]:
    """Two deals with this status (closed ones with closed_at) of one rep on one account."""
    with Session(engine) as s:
        q = select(o.owner_id, o.account_id).where(o.status == status)
        if status != "open":
            q = q.where(o.closed_at.is_not(None))
        pair = s.execute(q.group_by(o.owner_id, o.account_id).having(func.count() >= 2).limit(1)).one()
        a, b = s.scalars(select(o.id).where(o.status == status, o.owner_id == pair[0], o.account_id == pair[1])
                         .order_by(o.id).limit(2)).all()
    return a, b


def _function_source(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.scalar(text("SELECT prosrc FROM pg_proc WHERE proname = 'scoring_rollup_opportunity'")))


def _revision(name: str) -> Any:
    """A revision module, loaded from its file (the versions folder is no package)."""
    path = next((Path(crm.migrations.__file__).parent / "versions").glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"_rev_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edits_of_two_open_deals_of_one_rep_and_account_do_not_wait(pg: Engine, edit: str) -> None:
    a, b = _same_rep_and_account(pg)
    assert not _waits(pg, [_edit(a, EDITS[edit])], [_edit(b, EDITS[edit])]), f"{edit} edit waited for a lock"


def test_opposite_rep_order_edits_of_four_open_deals_do_not_wait(pg: Engine) -> None:
    """Writer 1 edits a (rep P) then c (rep Q), writer 2 edits b (Q) then d (P): on 0006 the second half of each
    waited for the other's rep row (a deadlock when run concurrently); now nothing waits."""
    with Session(pg) as s:
        reps = s.execute(select(o.owner_id).where(o.status == "open").group_by(o.owner_id)
                         .having(func.count() >= 2).order_by(o.owner_id).limit(2)).scalars().all()
        (a, d), (b, c) = [s.scalars(select(o.id).where(o.status == "open", o.owner_id == rep).order_by(o.id)
                                    .limit(2)).all() for rep in reps]
    amount = EDITS["amount"]
    with pg.connect() as w1, pg.connect() as w2:
        for w in (w1, w2):
            w.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        try:
            w1.execute(_edit(a, amount))
            w2.execute(_edit(b, amount))
            w1.execute(_edit(c, amount))
            w2.execute(_edit(d, amount))
        except OperationalError as e:
            pytest.fail(f"an edit waited for a lock: {e.orig}")
        w1.commit()
        w2.commit()
    with Session(pg) as s:
        _check_counts(s)


def test_won_deal_amount_edit_updates_won_amount_exactly(pg: Engine) -> None:
    a, b = _same_rep_and_account(pg, "won")

    def rollups(s: Session) -> tuple[Any, ...]:
        deal = s.get_one(Opportunity, a)
        acc = s.get_one(ScoringAccountRollup, deal.account_id)
        rep = s.get_one(ScoringRepRollup, deal.owner_id)
        return deal.amount, acc.won, acc.lost, acc.won_amount, rep.won, rep.lost

    with Session(pg) as s:
        amount, *before = rollups(s)
    with session_scope(pg) as s:
        s.execute(_edit(a, {"amount": o.amount + 1234.56}))
    with Session(pg) as s:
        new_amount, won, lost, won_amount, rep_won, rep_lost = rollups(s)
        assert new_amount == pytest.approx(amount + 1234.56)
        assert (won, lost, rep_won, rep_lost) == (before[0], before[1], before[3], before[4])
        assert won_amount == pytest.approx(before[2] + 1234.56, abs=0.001)
        _check_counts(s)
    # the upserts still run (and lock) for won deals' amounts: a second writer on the same account waits
    assert _waits(pg, [_edit(a, {"amount": o.amount + 1})], [_edit(b, {"amount": o.amount + 1})])


def test_contribution_changes_keep_rollups_exact(pg: Engine) -> None:
    """Each column that decides the contribution, changed alone, moves the account/rep rollups to a recount."""
    with Session(pg) as s:
        won = s.scalars(select(o.id).where(o.status == "won", o.closed_at.is_not(None)).order_by(o.id)).first()
        lost = s.scalars(select(o.id).where(o.status == "lost", o.closed_at.is_not(None)).order_by(o.id)).first()
        opened = s.scalars(select(o.id).where(o.status == "open").order_by(o.id)).first()
        other_rep, other_account = s.execute(select(o.owner_id, o.account_id).where(o.id == lost)).one()
    assert won and lost and opened
    steps: list[tuple[int, dict[str, Any]]] = [
        (opened, {"status": "won", "closed_at": utcnow()}),  # open → won
        (opened, {"amount": o.amount + 10}),  # a won deal's amount
        (won, {"closed_at": None}),  # won, no longer closed
        (won, {"closed_at": utcnow()}),  # closed again
        (won, {"owner_id": other_rep}),
        (won, {"account_id": other_account}),
        (lost, {"status": "won"}),  # lost → won, closed_at kept
        (opened, {"status": "open", "closed_at": None}),  # reopened
    ]
    for deal, values in steps:
        with session_scope(pg) as s:
            s.execute(_edit(deal, values))
        with Session(pg) as s:
            _check_counts(s)


def test_downgrade_restores_the_0006_function(pg: Engine) -> None:
    """Downgrading to 0006 puts back 0006's function body exactly, and the open-deal edits wait again there
    (so the checks above can see the contention); upgrading installs 0007's body again."""
    from alembic import command

    ddl_0006 = _revision("0006")._pg_triggers()[1]
    ddl_0007 = _revision("0007").OPP_0007
    body = lambda ddl: ddl.split("$$")[1]  # noqa: E731
    assert _function_source(pg) == body(ddl_0007)
    cfg = alembic_config(pg.url.render_as_string(hide_password=False))
    with pg.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    assert _function_source(pg) == body(ddl_0006)
    a, b = _same_rep_and_account(pg)
    assert _waits(pg, [_edit(a, EDITS["amount"])], [_edit(b, EDITS["amount"])])
    migrate(pg)
    assert _function_source(pg) == body(ddl_0007)
    assert not _waits(pg, [_edit(a, EDITS["amount"])], [_edit(b, EDITS["amount"])])
