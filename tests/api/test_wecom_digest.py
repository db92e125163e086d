"""The group-robot digest: team numbers, markdown within limits, the 20-a-minute robot limit."""

from datetime import date

import httpx
from typer.testing import CliRunner

from api.wecom.digest import RobotLimiter, period_bounds, post_markdown, render_markdown
from tests.fakes.wecom_server import FakeWeCom
from tests.tools.world import TODAY, make_world
from tools.brief import team_digest


def test_period_bounds():
    assert period_bounds("daily", date(2026, 11, 27)) == (date(2026, 11, 26), date(2026, 11, 27))
    assert period_bounds("weekly", date(2026, 11, 27)) == (date(2026, 11, 16), date(2026, 11, 23))


def test_team_digest_is_the_teams_numbers(tmp_path):
    world = make_world(tmp_path)
    with world.session() as s:
        from crm.models import Team

        t1 = s.query(Team).filter_by(name="华东一组").one()
        d = team_digest(s, t1.id, *period_bounds("daily", TODAY), TODAY)
        assert d["won_count"] == 1 and d["won_amount"] == 150000
        assert d["open_count"] == 2  # zhaolei's 云帆 + liming's 恒信, not sunyue's 博瑞 (team 2)
        assert [o["name"] for o in d["at_risk"]] == ["恒信 MES 项目"]  # 云帆 had activity a week ago
        md = render_markdown(d, "daily")
        assert md.startswith("## 华东一组 销售日报") and "博瑞" not in md and len(md.encode()) <= 4096


def test_post_splits_and_respects_robot_limit():
    now = [0.0]
    slept: list[float] = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limiter = RobotLimiter(per_minute=20, clock=lambda: now[0], sleep=sleep)
    with FakeWeCom() as fake:
        http = httpx.Client()
        n = post_markdown(fake.base_url, "k1", "风险商机\n" + "一条很长的风险说明。\n" * 600, http=http, limiter=limiter)
        assert n >= 2 and len(fake.webhook_posts) == n
        assert all(len(p["markdown"]["content"].encode()) <= 4096 for p in fake.webhook_posts)
        for _ in range(20):
            post_markdown(fake.base_url, "k2", "x", http=http, limiter=limiter)
        assert slept == []
        post_markdown(fake.base_url, "k2", "x", http=http, limiter=limiter)
        assert len(slept) == 1 and 0 < slept[0] <= 60


def test_cli_digest_dry_run_and_chat(tmp_path, monkeypatch):
    world = make_world(tmp_path)
    monkeypatch.setenv("DEALWISE_DATABASE_URL", str(world.engine.url))
    from crm.settings import get_settings

    get_settings.cache_clear()
    from api.cli.main import app

    r = CliRunner().invoke(app, ["wecom", "digest", "--team", "华东一组", "--key", "k", "--dry-run"])
    assert r.exit_code == 0 and "华东一组" in r.stdout
    r = CliRunner().invoke(app, ["wecom", "digest", "--team", "没有这个组", "--key", "k", "--dry-run"])
    assert r.exit_code == 2
    r = CliRunner().invoke(app, ["chat", "我今天有哪些待办", "--user", "zhaolei"])
    assert r.exit_code == 0 and "给云帆物流发报价方案" in r.stdout
    r = CliRunner().invoke(app, ["chat", "hi", "--user", "nobody"])
    assert r.exit_code == 2
