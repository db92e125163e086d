"""Write-back of call insights: activity, tasks, suggestions; idempotent re-processing; scope over HTTP."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.insights.text import parse_plain
from assistant.insights.types import OrgProfile
from assistant.insights.writeback import load_org, process_call, save_org
from crm.errors import Forbidden
from crm.models import Activity, Call, Opportunity, Suggestion, Task, User
from crm.settings import Settings

CALLS = Path(__file__).resolve().parents[1] / "fixtures" / "calls"
SETTINGS = Settings(env="test")


def _make_call(
    engine: Engine, username: str = "liming", name: str = "dev01", with_opp: bool = True
) -> tuple[int, int]:
    """A finished call with the dev transcript, on one of the owner's open opportunities."""
    with Session(engine) as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        opp = s.scalars(
            select(Opportunity)
            .where(Opportunity.owner_id == uid, Opportunity.status == "open")
            .order_by(Opportunity.id)
        ).first()
        assert uid is not None and opp is not None
        opp.competitors = []
        opp.amount = 123.0
        tr = parse_plain((CALLS / f"{name}.txt").read_text(encoding="utf-8"))
        sha = hashlib.sha256(f"{name}{username}".encode()).hexdigest()
        call = Call(
            owner_id=uid,
            opportunity_id=opp.id if with_opp else None,
            account_id=opp.account_id,
            filename=f"{name}.wav",
            audio_sha256=sha,
            blob_key=sha,
            dedupe_key=f"{uid}:{sha}",
            status="done",
            call_time=datetime(2026, 11, 23, 10, 0),
            transcript=tr.model_dump(mode="json"),
        )
        s.add(call)
        s.commit()
        return call.id, opp.id


def test_process_call_writes_activity_tasks_and_suggestions_once(demo_engine: Engine) -> None:
    call_id, opp_id = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        first = process_call(s, call, settings=SETTINGS)
        s.commit()
        again = process_call(s, call, settings=SETTINGS)
        s.commit()
        assert (again.activity_id, again.task_ids, again.suggestion_ids) == (
            first.activity_id,
            first.task_ids,
            first.suggestion_ids,
        )
        acts = s.scalars(select(Activity).where(Activity.call_id == call_id)).all()
        assert (
            len(acts) == 1
            and acts[0].type == "call"
            and acts[0].opportunity_id == opp_id
            and "五十万" in acts[0].summary
        )
        tasks = s.scalars(select(Task).where(Task.source_activity_id == acts[0].id).order_by(Task.due)).all()
        assert [(t.title, t.due) for t in tasks] == [
            ("发送方案和报价单", date(2026, 11, 27)),
            ("安排产品演示", date(2026, 12, 2)),
        ]
        assert all(t.owner_id == call.owner_id and t.opportunity_id == opp_id for t in tasks)
        sugs = {x.field: x for x in s.scalars(select(Suggestion).where(Suggestion.call_id == call_id))}
        assert set(sugs) == {"amount", "expected_close", "competitors"}
        assert sugs["amount"].proposed_value == 500000 and sugs["amount"].current_value == 123.0
        assert sugs["amount"].evidence and "五十万" in sugs["amount"].evidence["quote"]
        assert sugs["expected_close"].proposed_value == "2026-12-31" and sugs[
            "competitors"
        ].proposed_value == ["销售易"]
        assert all(x.status == "pending" for x in sugs.values())
        assert call.insights and call.insights["engine"] == "rules"
        opp = s.get(Opportunity, opp_id)
        assert opp is not None and opp.amount == 123.0  # nothing applied without the setting


def test_auto_apply_updates_the_opportunity(demo_engine: Engine) -> None:
    call_id, opp_id = _make_call(demo_engine, name="dev02")
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        process_call(s, call, settings=Settings(env="test", insights_auto_apply=True))
        s.commit()
        opp = s.get(Opportunity, opp_id)
        assert opp is not None and opp.amount == 800000 and opp.expected_close == date(2027, 1, 15)
        assert opp.competitors == ["纷享销客"]
        assert {x.status for x in s.scalars(select(Suggestion).where(Suggestion.call_id == call_id))} == {
            "applied"
        }


def test_changed_transcript_cancels_stale_tasks(demo_engine: Engine) -> None:
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        first = process_call(s, call, settings=SETTINGS)
        call.transcript = parse_plain(
            "销售：王总您好。\n客户：你好。\n销售：那我明天把合同发给您。"
        ).model_dump(mode="json")
        second = process_call(s, call, settings=SETTINGS)
        s.commit()
        assert set(second.cancelled_task_ids) == set(first.task_ids) and len(second.task_ids) == 1
        statuses = {
            t.id: t.status
            for t in s.scalars(select(Task).where(Task.id.in_(first.task_ids + second.task_ids)))
        }
        assert [statuses[i] for i in first.task_ids] == ["cancelled", "cancelled"] and statuses[
            second.task_ids[0]
        ] == "open"


def test_org_profile_roundtrip(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        save_org(s, OrgProfile.load(CALLS / "org.json"))
        org = load_org(s)
        assert org.company == "云启科技" and {p.name for p in org.products} >= {"云启CRM", "服务通"}


def test_http_reprocess_and_suggestions_are_scoped(client_for, demo_engine: Engine) -> None:
    call_id, opp_id = _make_call(demo_engine)
    rep, other = client_for("liming"), client_for("sunyue")
    assert other.post(f"/api/v1/calls/{call_id}/reprocess").status_code == 404
    r = rep.post(f"/api/v1/calls/{call_id}/reprocess")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["insights"]["budget"]["amount_cny"] == 500000 and len(body["task_ids"]) == 2
    assert rep.post(f"/api/v1/calls/{call_id}/reprocess").json()["task_ids"] == body["task_ids"]

    assert other.get(f"/api/v1/opportunities/{opp_id}/suggestions").status_code == 404
    sugs = {x["field"]: x for x in rep.get(f"/api/v1/opportunities/{opp_id}/suggestions").json()}
    assert set(sugs) == {"amount", "expected_close", "competitors"}
    sid = sugs["amount"]["id"]
    assert other.post(f"/api/v1/opportunities/{opp_id}/suggestions/{sid}/accept").status_code == 404
    ok = rep.post(f"/api/v1/opportunities/{opp_id}/suggestions/{sid}/accept")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert rep.post(f"/api/v1/opportunities/{opp_id}/suggestions/{sid}/accept").status_code == 409
    rej = rep.post(f"/api/v1/opportunities/{opp_id}/suggestions/{sugs['competitors']['id']}/reject")
    assert rej.json()["status"] == "rejected"
    assert rep.post(f"/api/v1/opportunities/{opp_id}/suggestions/999999/accept").status_code == 404
    opp = rep.get(f"/api/v1/opportunities/{opp_id}").json()
    assert opp["amount"] == 500000 and opp["competitors"] == []
    pending = rep.get(f"/api/v1/opportunities/{opp_id}/suggestions", params={"status": "pending"}).json()
    assert [x["field"] for x in pending] == ["expected_close"]


def test_reprocess_without_transcript_is_409(client_for, demo_engine: Engine) -> None:
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        call.transcript = None
        s.commit()
    r = client_for("liming").post(f"/api/v1/calls/{call_id}/reprocess")
    assert r.status_code == 409 and "no transcript" in r.json()["detail"]


def test_owner_who_cannot_write_gets_nothing_written(demo_engine: Engine) -> None:
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        owner = s.get(User, call.owner_id)
        assert owner is not None
        owner.is_active = False
        s.flush()
        with pytest.raises(Forbidden, match="cannot write"):
            process_call(s, call, settings=SETTINGS)
        assert s.scalars(select(Activity).where(Activity.call_id == call_id)).all() == []
        assert s.scalars(select(Suggestion).where(Suggestion.call_id == call_id)).all() == []
