"""Every tool answers within the caller's scope; objects outside it are 'not found'."""

import pytest

from tests.tools.world import TODAY, make_world
from tools.base import ToolContext
from tools.registry import build_toolbox


@pytest.fixture()
def world(tmp_path):
    return make_world(tmp_path)


def box(world, session, who):
    return build_toolbox(ToolContext.for_user(session, world.user(session, who), today=TODAY))


def test_search_accounts_is_scoped(world):
    with world.session() as s:
        rep = box(world, s, "zhaolei").call("search_accounts", {})
        assert {a["name"] for a in rep.data["accounts"]} == {"杭州云帆物流科技有限公司", "Acme Robotics"}
        mgr = box(world, s, "wangfang").call("search_accounts", {})
        assert mgr.data["total"] == 3  # team 1: zhaolei + liming
        adm = box(world, s, "admin").call("search_accounts", {"query": "医疗"})
        assert [a["name"] for a in adm.data["accounts"]] == ["上海博瑞医疗器械有限公司"]


def test_get_account_by_spoken_name(world):
    with world.session() as s:
        b = box(world, s, "zhaolei")
        for mention in ["云帆物流", "云帆", "杭州云帆物流科技有限公司", "acme"]:
            r = b.call("get_account", {"account": mention})
            assert r.ok, (mention, r.error)
        r = b.call("get_account", {"account": "云帆物流"})
        assert [c["name"] for c in r.data["contacts"]] == ["李娜", "陈刚"]
        assert r.data["opportunities"][0]["stage"] == "方案报价"


def test_out_of_scope_is_not_found(world):
    with world.session() as s:
        b = box(world, s, "zhaolei")
        r = b.call("get_account", {"account": "博瑞医疗"})
        assert not r.ok and "no customer" in (r.error or "")
        r = b.call("get_opportunity", {"opportunity_id": world.ids["opp_borui"]})
        assert not r.ok and "not found" in (r.error or "")
        r = b.call("score_opportunity", {"account": "恒信"})
        assert not r.ok


def test_manager_sees_team_deals(world):
    with world.session() as s:
        r = box(world, s, "wangfang").call("get_opportunity", {"account": "恒信精密"})
        assert r.ok and r.data["amount"] == 1200000


def test_list_my_opportunities_and_tasks(world):
    with world.session() as s:
        b = box(world, s, "zhaolei")
        r = b.call("list_my_opportunities", {})
        assert [o["name"] for o in r.data["opportunities"]] == ["云帆物流 TMS 升级"]
        assert [t["title"] for t in b.call("list_tasks", {"when": "today"}).data["tasks"]] == ["回访陈刚", "给云帆物流发报价方案"]
        assert [t["title"] for t in b.call("list_tasks", {"when": "overdue"}).data["tasks"]] == ["回访陈刚"]
        assert b.call("list_tasks", {"when": "all"}).data["count"] == 3
        assert not b.call("list_tasks", {"when": "someday"}).ok


def test_score_falls_back_to_stage_default(world):
    with world.session() as s:
        r = box(world, s, "zhaolei").call("score_opportunity", {"account": "云帆物流"})
        assert r.ok and r.data["score"]["probability"] == pytest.approx(0.45)


def test_daily_brief(world):
    with world.session() as s:
        r = box(world, s, "zhaolei").call("daily_brief", {})
        assert len(r.data["tasks_due"]) == 2
        assert r.data["yesterday"]["won_count"] == 1 and r.data["yesterday"]["won_amount"] == 150000
        mgr = box(world, s, "wangfang").call("daily_brief", {})
        assert any(o["name"] == "恒信 MES 项目" and "past_close_date" in o["reasons"] for o in mgr.data["at_risk"])


def test_unknown_tool_and_bad_args(world):
    with world.session() as s:
        b = box(world, s, "zhaolei")
        assert not b.call("drop_tables", {}).ok
        assert not b.call("create_task", {"title": ""}).ok
