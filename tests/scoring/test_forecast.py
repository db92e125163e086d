"""The forecast: close timing learned point-in-time, expected bookings with commit flags, scope over HTTP."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import ForecastSubmission, Opportunity, User
from crm.scope import scope_for
from scoring import features as F
from scoring import forecast_timing as timing
from scoring.forecast import expected_bookings, learn_timing, parse_period

AS_OF = datetime(2026, 7, 1)


def _won(n: int, created: str, expected: str, closed: str, start: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = np.arange(start, start + n)
    opps = pd.DataFrame({"id": ids, "status": "won", "created_at": pd.Timestamp(created),
                         "closed_at": pd.Timestamp(closed)})
    hist = pd.DataFrame({"opportunity_id": ids, "changed_at": pd.Timestamp(created),
                         "expected_close": pd.Timestamp(expected)})
    return opps, hist


def test_timing_learns_the_slip() -> None:
    # won deals that expected to close in the snapshot month but closed one month later
    opps, hist = _won(200, "2025-01-10", "2025-03-15", "2025-04-20")
    ct = timing.learn(opps, hist, AS_OF, alpha=1.0)
    assert np.allclose(ct.table.sum(axis=1), 1.0)
    # snapshot 2025-03-01 (k=0 → landed at offset 1) and 2025-02-01 (k=1 → offset 2)
    assert ct.prob(np.array([0.0]), 1, 2)[0] > 0.9 and ct.prob(np.array([0.0]), 0, 1)[0] < 0.05
    assert ct.prob(np.array([1.0]), 2, 3)[0] > 0.9
    # an unseen bucket (k=5) and an unknown close date fall back to the pooled distribution
    assert ct.prob(np.array([5.0]), 0, 7)[0] == pytest.approx(1.0)
    # (pooled: snapshots Feb, Mar, Apr landed at offsets 2, 1, 0 — a third each)
    assert ct.prob(np.array([np.nan]), 1, 3)[0] == pytest.approx(2 / 3)
    assert ct.prob(np.array([0.0]), -2, 0)[0] == 0.0  # the past cannot be forecast


def test_timing_does_not_peek_at_the_future() -> None:
    opps, hist = _won(100, "2025-01-10", "2025-03-15", "2025-04-20")
    base = timing.learn(opps, hist, AS_OF)
    # deals won on or after the as-of date, and close dates re-entered later, must change nothing
    late_o, late_h = _won(100, "2025-01-10", "2025-03-15", "2026-07-05", start=1000)
    moved = hist.assign(changed_at=pd.Timestamp("2026-07-02"), expected_close=pd.Timestamp("2027-01-01"))
    more = timing.learn(pd.concat([opps, late_o]), pd.concat([hist, late_h, moved]), AS_OF)
    assert np.array_equal(base.table, more.table) and base.snapshots == more.snapshots


def test_timing_on_the_demo_workspace_matches_a_truncated_copy(demo_engine) -> None:
    """Learned at a past date from the full database = learned from what was known then."""
    cut = datetime(2026, 10, 1)
    with Session(demo_engine) as s:
        tables = F.load_tables(s)
        from_db = learn_timing(s, cut)
    o = tables.opps.copy()
    later = o["closed_at"] >= pd.Timestamp(cut)
    o.loc[later, "status"], o.loc[later, "closed_at"] = "open", pd.NaT
    h = tables.history[tables.history["changed_at"] < pd.Timestamp(cut)]
    known = timing.learn(o, h, cut)
    full = timing.learn(tables.opps, tables.history, cut)
    assert known.snapshots > 0 and np.allclose(known.table, full.table) and np.allclose(known.table, from_db.table)


def test_forecast_counts_slipping_deals_and_flags_commits(client_for, demo_engine) -> None:
    today = date.today()
    label, start, _end = parse_period(f"{today.year}-{today.month}")
    with Session(demo_engine) as s:
        uid = s.scalar(select(User.id).where(User.username == "liming"))
        assert uid is not None
        fc = expected_bookings(s, scope_for(s.get(User, uid)), label, "rep")
        assert len(fc.rows) == 1 and fc.rows[0].expected > 0 and fc.timing_snapshots > 0
        # deals expected to close later (or overdue) still carry part of their value into this month
        assert fc.scored_deals + fc.stage_default_deals > fc.rows[0].deals
        assert fc.rows[0].expected < sum(o.amount for o in s.scalars(
            select(Opportunity).where(Opportunity.owner_id == uid, Opportunity.status == "open")))
        s.add(ForecastSubmission(user_id=uid, period="month", period_start=start, amount=fc.rows[0].expected * 2))
        s.commit()
    body = client_for("liming").get("/api/v1/forecast", params={"period": label}).json()
    assert [r["key"] for r in body["rows"]] == [fc.rows[0].key]
    assert body["rows"][0]["flagged"] is True and body["rows"][0]["commit_gap"] == pytest.approx(1.0, abs=1e-3)
    mgr = client_for("wangfang").get("/api/v1/forecast", params={"period": label, "group_by": "team"}).json()
    assert len(mgr["rows"]) == 1
    admin = client_for("admin").get("/api/v1/forecast", params={"period": label, "group_by": "region"}).json()
    assert admin["expected_total"] > mgr["expected_total"] > body["expected_total"]
    assert client_for("liming").get("/api/v1/forecast", params={"period": "soon"}).status_code == 422


def test_a_past_period_expects_nothing_more(demo_engine) -> None:
    with Session(demo_engine) as s:
        admin = s.scalars(select(User).where(User.role == "admin")).first()
        assert admin is not None
        assert expected_bookings(s, scope_for(admin), "2020-01", "team").expected_total == 0.0


def test_parse_period() -> None:
    assert parse_period("2026-Q4")[1:] == (date(2026, 10, 1), date(2027, 1, 1))
    assert parse_period("2026-12")[1:] == (date(2026, 12, 1), date(2027, 1, 1))
    assert parse_period(None, today=date(2026, 5, 3))[0] == "2026-Q2"



def test_close_timing_is_cached_until_a_deal_is_won(demo_engine, monkeypatch) -> None:
    """Learned once per database, as-of time and won-deal fingerprint; a new win relearns it."""
    from scoring import forecast

    calls: list[datetime] = []
    real = forecast._learn_timing
    monkeypatch.setattr(forecast, "_learn_timing", lambda s, t: calls.append(t) or real(s, t))
    monkeypatch.setattr(forecast, "_TIMING_CACHE", type(forecast._TIMING_CACHE)())
    cut = datetime(2026, 10, 1, 0, 0, 1)
    with Session(demo_engine) as s:
        first = forecast.learn_timing(s, cut)
        assert forecast.learn_timing(s, cut) is first and len(calls) == 1
        opp = s.scalars(select(Opportunity).where(Opportunity.status == "open").order_by(Opportunity.id)).first()
        opp.status, opp.closed_at = "won", datetime(2026, 9, 30, 12)
        s.flush()  # seen by this session only; rolled back below
        assert forecast.learn_timing(s, cut) is not first and len(calls) == 2
        s.rollback()
