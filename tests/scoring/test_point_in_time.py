"""Point-in-time features: rows dated after the snapshot never change its features."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crm.models import (
    DEFAULT_STAGES,
    Account,
    Activity,
    Call,
    Opportunity,
    Region,
    Stage,
    StageHistory,
    Task,
    User,
)
from scoring import features as F

T0 = datetime(2026, 3, 1, 9)
SNAP = T0 + timedelta(days=20)


def _base(s: Session) -> None:
    s.add_all([Stage(name=n, order=i, kind=k, default_probability=p) for i, (n, k, p) in enumerate(DEFAULT_STAGES, 1)])
    s.add(Region(id=1, name="华东"))
    s.flush()
    s.add(User(id=1, username="rep", display_name="Rep", role="rep", region_id=1))
    s.flush()
    s.add(Account(id=1, name="客户A", industry="制造", size="中型", region_id=1, owner_id=1, created_at=T0))
    s.add(Opportunity(id=1, name="deal", account_id=1, owner_id=1, amount=100000, stage="需求确认", status="open",
                      expected_close=date(2026, 4, 30), created_at=T0, source="官网",
                      budget_confirmed_at=T0 + timedelta(days=10)))
    s.flush()
    s.add_all([
        StageHistory(opportunity_id=1, from_stage=None, to_stage="线索", changed_at=T0, amount=100000,
                     expected_close=date(2026, 4, 30)),
        StageHistory(opportunity_id=1, from_stage="线索", to_stage="需求确认", changed_at=T0 + timedelta(days=5),
                     amount=120000, expected_close=date(2026, 5, 15)),
        Activity(type="call", opportunity_id=1, account_id=1, owner_id=1, occurred_at=T0 + timedelta(days=3)),
        Activity(type="visit", opportunity_id=1, account_id=1, owner_id=1, occurred_at=T0 + timedelta(days=12)),
        Task(owner_id=1, title="报价", due=date(2026, 3, 25), status="open", opportunity_id=1,
             created_at=T0 + timedelta(days=12)),
        # an earlier deal of the same account, won before the snapshot
        Opportunity(id=2, name="old", account_id=1, owner_id=1, amount=50000, stage="赢单", status="won",
                    created_at=T0 - timedelta(days=90), closed_at=T0 - timedelta(days=10)),
    ])
    s.flush()


def _future(s: Session) -> None:
    after = SNAP + timedelta(hours=1)
    s.add(Opportunity(id=3, name="other", account_id=1, owner_id=1, amount=80000, stage="赢单", status="won",
                      created_at=T0, closed_at=after))
    s.flush()
    s.add_all([
        StageHistory(opportunity_id=1, from_stage="需求确认", to_stage="谈判审批", changed_at=after, amount=300000,
                     expected_close=date(2026, 8, 1)),
        Activity(type="meeting", opportunity_id=1, account_id=1, owner_id=1, occurred_at=after),
        Task(owner_id=1, title="合同", status="done", opportunity_id=1, created_at=after, completed_at=after),
        Call(owner_id=1, opportunity_id=1, account_id=1, audio_sha256="x", blob_key="k", dedupe_key="d",
             call_time=after, status="done",
             insights={"budget": {"status": "confirmed"}, "competitors": [{"name": "X"}], "sentiment": "negative",
                       "contacts": [{"name": "王总", "role": "decision_maker"}]}),
    ])
    s.flush()


def _features(s: Session) -> pd.Series:
    tables = F.load_tables(s)
    return F.build(tables, pd.DataFrame({"opportunity_id": [1], "t": [SNAP]})).iloc[0]


def test_future_rows_do_not_leak(engine: Engine) -> None:
    with Session(engine) as s:
        _base(s)
        before = _features(s)
        assert before["stage"] == "需求确认" and before["stage_order"] == 3
        assert abs(before["days_in_stage"] - 15) < 1e-6 and abs(before["age_days"] - 20) < 1e-6
        assert abs(before["amount_change"] - 0.2) < 1e-9 and before["close_pushes"] == 1
        assert before["activities"] == 2 and before["calls"] == 1 and before["visits"] == 1
        assert abs(before["days_since_activity"] - 8) < 1e-6
        assert before["next_step_open"] == 1 and before["budget_confirmed"] == 1 and before["dm_engaged"] == 0
        assert before["account_past_wins"] == 1 and before["rep_closed"] == 1
        _future(s)
        after = _features(s)
        pd.testing.assert_series_equal(before, after)
        # ... but a snapshot after those rows does see them
        later = F.build(F.load_tables(s), pd.DataFrame({"opportunity_id": [1], "t": [SNAP + timedelta(days=1)]})).iloc[0]
        assert later["stage"] == "谈判审批" and later["account_past_wins"] == 2 and later["competitor_named"] == 1
        assert later["budget_confirmed"] == 1 and later["dm_engaged"] == 1 and later["sentiment"] == -1
        assert later["next_step_open"] == 1  # the open 报价 task is still open


def test_training_snapshots_are_before_close(engine: Engine) -> None:
    with Session(engine) as s:
        _base(s)
        _future(s)
        s.add(StageHistory(opportunity_id=3, from_stage=None, to_stage="线索", changed_at=T0))
        s.flush()
        snaps = F.training_snapshots(F.load_tables(s))
        assert set(snaps["opportunity_id"]) == {2, 3}
        assert (snaps["t"] < snaps["closed_at"]).all() and (snaps["y"] == 1).all()
