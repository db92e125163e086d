"""Write tools only ever touch the caller's own rows; every call is audit-logged."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.models import Activity, AuditLog, Task
from tests.tools.world import TODAY, make_world
from tools.base import ToolContext
from tools.registry import WRITE_TOOLS, build_toolbox


@pytest.fixture()
def world(tmp_path):
    return make_world(tmp_path)


def box(world, session, who):
    return build_toolbox(ToolContext.for_user(session, world.user(session, who), today=TODAY))


def test_write_tools_take_no_owner_argument():
    from tools.registry import ALL_TOOLS

    for tool in ALL_TOOLS:
        fields = set(tool.args_model.model_fields)
        assert not fields & {"owner_id", "user_id", "owner", "user", "scope"}, tool.name
    assert {"create_task", "complete_task", "log_note"} == WRITE_TOOLS


def test_create_task_is_owned_by_caller_and_linked(world):
    with world.session() as s:
        r = box(world, s, "zhaolei").call("create_task", {"title": "给李娜发报价", "due": "2026-12-02", "account": "云帆物流",
                                                          "owner_id": world.ids["liming"]})
        assert r.ok
        t = s.get(Task, r.data["id"])
        assert t.owner_id == world.ids["zhaolei"] and t.due == date(2026, 12, 2)
        assert t.opportunity_id == world.ids["opp_yunfan"]


def test_create_task_on_out_of_scope_account_fails_and_stores_nothing(world):
    with world.session() as s:
        before = s.scalar(select(Task.id).order_by(Task.id.desc()))
        r = box(world, s, "zhaolei").call("create_task", {"title": "x", "account": "博瑞医疗"})
        assert not r.ok
        assert s.scalar(select(Task.id).order_by(Task.id.desc())) == before


def test_manager_cannot_complete_a_reps_task(world):
    with world.session() as s:
        r = box(world, s, "wangfang").call("complete_task", {"task_id": world.ids["task_quote"]})
        assert not r.ok
        assert s.get(Task, world.ids["task_quote"]).status == "open"


def test_complete_task_by_words(world):
    with world.session() as s:
        r = box(world, s, "zhaolei").call("complete_task", {"query": "报价"})
        assert r.ok and r.data["id"] == world.ids["task_quote"]
        assert s.get(Task, world.ids["task_quote"]).status == "done"
        assert not box(world, s, "zhaolei").call("complete_task", {"query": "恒信样品寄送"}).ok  # liming's task


def test_log_note(world):
    with world.session() as s:
        r = box(world, s, "zhaolei").call("log_note", {"text": "李娜说预算下个月批", "account": "云帆"})
        a = s.get(Activity, r.data["id"])
        assert a.owner_id == world.ids["zhaolei"] and a.account_id == world.ids["acc_yunfan"] and a.type == "note"


def test_every_call_is_audited(world):
    with world.session() as s:
        b = box(world, s, "zhaolei")
        b.call("list_tasks", {"when": "today"})
        b.call("get_account", {"account": "不存在的公司"})
        rows = list(s.scalars(select(AuditLog).order_by(AuditLog.id)))
        assert [r.action for r in rows] == ["tool:list_tasks", "tool:get_account"]
        assert rows[0].user_id == world.ids["zhaolei"] and rows[0].arguments == {"when": "today"}
        assert rows[0].result_size > 0
