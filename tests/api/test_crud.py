"""Scoped CRUD over HTTP: envelopes, pagination, validation (422 with the field), and 404 outside scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account, Activity, Contact, Opportunity, StageHistory, Task, User

RESOURCES = {"accounts": Account, "contacts": Contact, "opportunities": Opportunity, "activities": Activity,
             "tasks": Task}


def _foreign_id(engine, model, owner_username: str) -> int:
    with Session(engine) as s:
        owner = s.scalar(select(User.id).where(User.username == owner_username))
        if model is Contact:
            stmt = select(Contact.id).join(Account).where(Account.owner_id == owner)
        else:
            stmt = select(model.id).where(model.owner_id == owner)
        found = s.scalar(stmt.limit(1))
        assert found is not None
        return found


def test_unauthenticated_and_bad_tokens_are_401(client_for) -> None:
    assert client_for(None).get("/api/v1/opportunities").status_code == 401
    bad = client_for(None)
    assert bad.get("/api/v1/opportunities", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_list_envelope_and_pagination(client_for) -> None:
    rep = client_for("liming")
    first = rep.get("/api/v1/opportunities", params={"limit": 5}).json()
    assert set(first) == {"items", "total", "next"} and len(first["items"]) == 5 and first["next"] == 5
    assert {"id", "account_id", "owner_id", "stage", "amount", "expected_close"} <= set(first["items"][0])
    last = rep.get("/api/v1/opportunities", params={"limit": 5, "offset": first["total"] - 1}).json()
    assert len(last["items"]) == 1 and last["next"] is None
    assert rep.get("/api/v1/opportunities", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize("path", sorted(RESOURCES))
def test_other_reps_objects_are_404_and_never_listed(client_for, demo_engine, path: str) -> None:
    foreign = _foreign_id(demo_engine, RESOURCES[path], "sunyue")
    rep = client_for("liming")
    resp = rep.get(f"/api/v1/{path}/{foreign}")
    assert resp.status_code == 404 and "not found" in resp.json()["detail"]
    assert rep.delete(f"/api/v1/{path}/{foreign}").status_code == 404
    listed = rep.get(f"/api/v1/{path}", params={"limit": 500}).json()["items"]
    assert foreign not in {item["id"] for item in listed}
    assert client_for("admin").get(f"/api/v1/{path}/{foreign}").status_code == 200


def test_manager_sees_team_not_other_teams(client_for, demo_engine) -> None:
    mate = _foreign_id(demo_engine, Opportunity, "zhaolei")
    stranger = _foreign_id(demo_engine, Opportunity, "sunyue")
    mgr = client_for("wangfang")
    assert mgr.get(f"/api/v1/opportunities/{mate}").status_code == 200
    assert mgr.get(f"/api/v1/opportunities/{stranger}").status_code == 404


def test_create_update_stage_change_and_history(client_for, demo_engine) -> None:
    rep = client_for("liming")
    acc = rep.post("/api/v1/accounts", json={"name": "宁波测试制造有限公司", "industry": "装备制造"}).json()
    opp = rep.post("/api/v1/opportunities", json={"name": "测试商机", "account_id": acc["id"], "amount": 300000,
                                                  "stage": "需求确认", "expected_close": "2026-12-31"})
    assert opp.status_code == 201, opp.text
    oid = opp.json()["id"]
    won = rep.patch(f"/api/v1/opportunities/{oid}", json={"stage": "赢单"}).json()
    assert won["status"] == "won" and won["closed_at"]
    history = rep.get(f"/api/v1/opportunities/{oid}/history").json()
    assert [h["to_stage"] for h in history] == ["需求确认", "赢单"]
    with Session(demo_engine) as s:
        assert s.scalar(select(StageHistory.from_stage).where(StageHistory.opportunity_id == oid,
                                                               StageHistory.to_stage == "赢单")) == "需求确认"


def test_validation_errors_name_the_field(client_for) -> None:
    rep = client_for("liming")
    resp = rep.post("/api/v1/opportunities", json={"name": "x", "account_id": 1, "amount": -5})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "amount"
    resp = rep.post("/api/v1/contacts", json={"account_id": 1, "name": "张三", "email": "not-an-email"})
    assert resp.status_code == 422 and "email" in resp.json()["detail"]
    resp = rep.post("/api/v1/tasks", json={"title": "x", "surprise": 1})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "surprise"


def test_unknown_stage_is_422_and_changes_nothing(client_for) -> None:
    rep = client_for("liming")
    opp = rep.get("/api/v1/opportunities", params={"status": "open", "limit": 1}).json()["items"][0]
    resp = rep.patch(f"/api/v1/opportunities/{opp['id']}", json={"stage": "差不多了", "amount": 1})
    assert resp.status_code == 422 and "unknown stage" in resp.json()["detail"]
    after = rep.get(f"/api/v1/opportunities/{opp['id']}").json()
    assert after["amount"] == opp["amount"] and after["stage"] == opp["stage"]


def test_cannot_create_in_someone_elses_name(client_for, demo_engine) -> None:
    with Session(demo_engine) as s:
        other = s.scalar(select(User.id).where(User.username == "sunyue"))
    rep = client_for("liming")
    assert rep.post("/api/v1/tasks", json={"title": "偷偷派活", "owner_id": other}).status_code == 403
    foreign_acc = _foreign_id(demo_engine, Account, "sunyue")
    assert rep.post("/api/v1/contacts", json={"account_id": foreign_acc, "name": "王五"}).status_code == 404


def test_task_lifecycle(client_for) -> None:
    rep = client_for("liming")
    task = rep.post("/api/v1/tasks", json={"title": "发送报价", "due": "2026-11-27"}).json()
    done = rep.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"}).json()
    assert done["status"] == "done" and done["completed_at"]
    open_ids = {t["id"] for t in rep.get("/api/v1/tasks", params={"status": "open", "limit": 500}).json()["items"]}
    assert task["id"] not in open_ids
