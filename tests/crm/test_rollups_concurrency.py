"""`refresh` under concurrent writers (SQLite in WAL mode and PostgreSQL). Writer threads commit small random
transactions (test_rollups' write mix, on a hot set of 15 open deals, each held open 0–30 ms before its commit)
while a thread refreshes in a loop; after each round one final refresh, then every open deal's rollup equals its
recomputation from history and the account/rep rollups equal a recount. Writer deadlocks are counted, not
retried (the transaction rolls back whole); refresh must never fail. On PostgreSQL one scripted interleaving
checks that refresh skips a mark an open writer holds instead of waiting for it (it used to deadlock)."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, event, func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from crm.db import make_engine, session_scope
from crm.errors import NotFound
from crm.models import Opportunity, ScoringDealRollup, ScoringRollupDirty, utcnow
from crm.rollups import refresh
from tests.crm.test_rollups import KEPT, _check_counts, _check_deals, _random_writes

WRITERS = 3
ROUNDS = {"postgresql": 6, "sqlite": 3}  # each ends with a final refresh and the check (SQLite has one writer)
TRANSACTIONS = 10  # per writer and round, 1–3 writes each
HOT = 15  # open deals left open, so that writers and refreshes meet on the same deals
HOLD_MS = (0.0, 30.0)  # a writer keeps its transaction open this long after its writes (a request's other work)
REFRESH_PAUSE_S = 0.02
JOIN_TIMEOUT_S = 120.0
_held = threading.local()


@dataclass
class Log:
    """What the threads did; `errors` counts failed transactions by kind (all rolled back)."""

    writes: int = 0
    commits: int = 0
    refreshes: int = 0
    refreshed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    unexpected: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _kind(e: BaseException) -> str:
    """Which failure this is: a deal deleted by another writer meanwhile ("gone") is the application's ordinary
    answer to that race; deadlocks and serialization failures are reported; anything else fails the test."""
    if isinstance(e, NotFound):
        return "gone"
    if isinstance(e, DBAPIError):
        code = getattr(e.orig, "sqlstate", None)
        if code in ("40P01", "40001"):
            return {"40P01": "deadlock", "40001": "serialization"}[code]
        if code == "23503" or "FOREIGN KEY constraint failed" in str(e.orig):
            return "gone"
    return "other"


def _failed(log: Log, who: str, e: BaseException) -> None:
    kind = _kind(e)
    with log.lock:
        log.errors[f"{who} {kind}"] += 1
        if kind == "other":
            log.unexpected.append(e)


def _hold(_session: Session) -> None:
    time.sleep(getattr(_held, "s", 0.0))


def _writer(engine: Engine, seed: int, log: Log) -> None:
    rng, hold = random.Random(seed), random.Random(seed + 1000)
    for _ in range(TRANSACTIONS):
        n = rng.randint(1, 3)
        _held.s = hold.uniform(*HOLD_MS) / 1000
        try:
            _random_writes(engine, rng, n)  # one transaction
        except Exception as e:
            _failed(log, "writer", e)
            continue
        with log.lock:
            log.writes += n
            log.commits += 1


def _refresher(engine: Engine, stop: threading.Event, log: Log) -> None:
    while not stop.is_set():
        try:
            with engine.begin() as conn:
                n = refresh(conn)
        except Exception as e:
            _failed(log, "refresh", e)
            continue
        with log.lock:
            log.refreshes += 1
            log.refreshed += n
        stop.wait(REFRESH_PAUSE_S)


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as s:
        rows = s.execute(select(ScoringDealRollup).order_by(ScoringDealRollup.opportunity_id)).scalars().all()
        return [tuple(getattr(r, c) for c in KEPT) for r in rows]


def _close_all_but(engine: Engine, hot: int) -> None:
    """Close all open deals but `hot` (the writers pick open deals 80 % of the time), and refresh."""
    o = Opportunity
    with session_scope(engine) as s:
        keep = select(o.id).where(o.status == "open").order_by(o.id).limit(hot).scalar_subquery()
        s.execute(update(o).where(o.status == "open", o.id.not_in(keep)).values(status="lost", closed_at=utcnow()))
        refresh(s.connection())


def _round(engine: Engine, seeds: range, log: Log) -> None:
    """Writers with these seeds against one refresher until they stop, then one final refresh."""
    stop = threading.Event()
    writers = [threading.Thread(target=_writer, args=(engine, seed, log), daemon=True) for seed in seeds]
    refresher = threading.Thread(target=_refresher, args=(engine, stop, log), daemon=True)
    refresher.start()
    event.listen(Session, "before_commit", _hold)
    try:
        for t in writers:
            t.start()
        for t in writers:
            t.join(JOIN_TIMEOUT_S)
    finally:
        event.remove(Session, "before_commit", _hold)
        stop.set()
    refresher.join(JOIN_TIMEOUT_S)
    assert not any(t.is_alive() for t in [*writers, refresher]), "a thread hung (lock wait?)"
    with session_scope(engine) as s:
        refresh(s.connection())


def test_refresh_under_concurrent_writers(demo_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    _close_all_but(demo_engine, HOT)
    started, log, rounds = time.perf_counter(), Log(), ROUNDS[demo_engine.dialect.name]
    for r in range(rounds):
        _round(demo_engine, range(r * WRITERS, (r + 1) * WRITERS), log)
        assert not log.unexpected, log.unexpected[:3]
        with Session(demo_engine) as s:
            assert s.scalar(select(func.count()).select_from(ScoringRollupDirty)) == 0
            _check_counts(s)
            _check_deals(s, expect_fresh=True)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n[{demo_engine.dialect.name}] {log.commits} transactions, {log.writes} writes, {log.refreshes} "
              f"refreshes ({log.refreshed} deals), failed: {dict(log.errors)}, {elapsed:.1f} s")
    assert not [k for k in log.errors if k.startswith("refresh")]  # refresh takes no lock a writer holds
    assert log.refreshes >= 3 * rounds and log.refreshed > 0 and log.commits > WRITERS * TRANSACTIONS * rounds // 2
    before = _rows(demo_engine)  # the rows equal a refresh of every deal from scratch
    with session_scope(demo_engine) as s:
        s.execute(insert(ScoringRollupDirty).from_select(["opportunity_id"], select(Opportunity.id)))
        refresh(s.connection())
    assert _rows(demo_engine) == before


@pytest.mark.postgres
def test_refresh_skips_marks_held_by_an_open_writer(pg_demo_url: str) -> None:
    """A writer holds deal x's mark (its upsert locks it) and, after refresh took deal y, writes y: refresh must
    not wait for it (it used to, and the writer's write of y then deadlocked with it), both deals stay dirty,
    and the next refresh rolls up the writer's values."""
    engine = make_engine(pg_demo_url)
    o, D = Opportunity, ScoringRollupDirty
    try:
        with session_scope(engine) as s:
            y, x = s.scalars(select(o.id).where(o.status == "open").order_by(o.id).limit(2)).all()
            s.execute(update(o).where(o.id.in_([x, y])).values(amount=o.amount + 1))  # both dirty
        writer = Session(engine)
        writer.execute(update(o).where(o.id == x).values(amount=123_000))  # holds x's mark
        done: list[int] = []
        refresher = threading.Thread(target=lambda: done.append(_refresh_once(engine)), daemon=True)
        refresher.start()
        refresher.join(10)
        waited = refresher.is_alive()
        writer.execute(update(o).where(o.id == y).values(amount=456_000))
        writer.commit()
        writer.close()
        refresher.join(JOIN_TIMEOUT_S)
        assert not waited, "refresh waited for a writer's lock"
        assert done and done[0] >= 1
        with Session(engine) as s:
            assert set(s.scalars(select(D.opportunity_id).where(D.opportunity_id.in_([x, y])))) == {x, y}
        _refresh_once(engine)
        with Session(engine) as s:
            rolled = dict(s.execute(select(ScoringDealRollup.opportunity_id, ScoringDealRollup.amount)
                                    .where(ScoringDealRollup.opportunity_id.in_([x, y]))).tuples().all())
            assert rolled == {x: 123_000, y: 456_000}
            _check_deals(s, expect_fresh=True)
    finally:
        engine.dispose()


def _refresh_once(engine: Engine) -> int:
    with engine.begin() as conn:
        return refresh(conn)
