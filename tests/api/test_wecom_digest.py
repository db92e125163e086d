"""The group-robot digest: team numbers, markdown within limits, the 20-a-minute robot limit, the
admin-managed team → webhook mapping, the schedule (exactly once per team and period), the CLI."""

from datetime import UTC, date, datetime

import httpx
import pytest
from typer.testing import CliRunner

from api.wecom.digest import (
    RobotLimiter,
    check_webhook_url,
    period_bounds,
    post_markdown,
    render_markdown,
    webhook_url,
)
from api.wecom.schedule import is_due, run_due_digests
from crm.models import InboundEvent, Team
from crm.settings import Settings
from tests.fakes.wecom_server import FakeWeCom
from tests.tools.world import TODAY, make_world
from tools.brief import team_digest

NINE_AM_SHANGHAI = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # Friday 09:00 in Asia/Shanghai


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
        n = post_markdown(webhook_url(fake.base_url, "k1"), "风险商机\n" + "一条很长的风险说明。\n" * 600, http=http, limiter=limiter)
        assert n >= 2 and len(fake.webhook_posts) == n
        assert all(len(p["markdown"]["content"].encode()) <= 4096 for p in fake.webhook_posts)
        for _ in range(20):
            post_markdown(webhook_url(fake.base_url, "k2"), "x", http=http, limiter=limiter)
        assert slept == []
        post_markdown(webhook_url(fake.base_url, "k2"), "x", http=http, limiter=limiter)
        assert len(slept) == 1 and 0 < slept[0] <= 60


def test_webhook_urls_are_checked():
    assert check_webhook_url(" https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc ").endswith("key=abc")
    for bad in ("qyapi.weixin.qq.com/send?key=a", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "ftp://x/?key=a"):
        with pytest.raises(ValueError):
            check_webhook_url(bad)


def test_due_times():
    s = Settings(env="test", wecom_digest_time="08:30", wecom_digest_weekday=0)
    friday_0829, friday_0831 = datetime(2026, 11, 27, 8, 29), datetime(2026, 11, 27, 8, 31)
    assert not is_due("daily", friday_0829, s) and is_due("daily", friday_0831, s)
    assert not is_due("weekly", friday_0831, s) and is_due("weekly", datetime(2026, 11, 30, 9, 0), s)


def _teams_with_robots(world, fake):
    with world.session() as s:
        t1 = s.query(Team).filter_by(name="华东一组").one()
        t2 = s.query(Team).filter(Team.name != "华东一组").first()
        t1.wecom_webhook_url, t1.wecom_digest = webhook_url(fake.base_url, "team1"), "daily"
        t2.wecom_webhook_url, t2.wecom_digest = webhook_url(fake.base_url, "team2"), "weekly"
        s.commit()
        return t2.name


def test_schedule_posts_each_due_digest_exactly_once(tmp_path):
    world = make_world(tmp_path)
    settings = Settings(data_dir=tmp_path / "var", env="test")
    with FakeWeCom() as fake:
        _teams_with_robots(world, fake)
        early = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # 08:00 local: not yet
        assert run_due_digests(world.engine, settings, early) == []
        assert run_due_digests(world.engine, settings, NINE_AM_SHANGHAI) == ["华东一组"]  # weekly: Mondays only
        assert run_due_digests(world.engine, settings, NINE_AM_SHANGHAI) == []  # the next minute: already posted
        [post] = fake.webhook_posts
        assert post["key"] == "team1" and post["markdown"]["content"].startswith("## 华东一组 销售日报（2026-11-26）")
        assert len(post["markdown"]["content"].encode()) <= 4096


def test_a_failed_post_is_retried_the_next_minute(tmp_path):
    world = make_world(tmp_path)
    settings = Settings(data_dir=tmp_path / "var", env="test", wecom_digest_weekday=4)
    with FakeWeCom() as fake:
        other = _teams_with_robots(world, fake)
        fake.fail_next.append(500)
        posted = run_due_digests(world.engine, settings, NINE_AM_SHANGHAI)
        assert len(posted) == 1  # one of the two robots failed
        with world.session() as s:
            assert s.query(InboundEvent).filter(InboundEvent.source == "digest").count() == 1
        assert len(run_due_digests(world.engine, settings, NINE_AM_SHANGHAI)) == 1
        assert sorted(p["key"] for p in fake.webhook_posts) == ["team1", "team2"]
        weekly = next(p for p in fake.webhook_posts if p["key"] == "team2")["markdown"]["content"]
        assert weekly.startswith(f"## {other} 销售周报（2026-11-16 ~ 2026-11-22）")


def test_cli_webhook_and_digest(tmp_path, monkeypatch):
    world = make_world(tmp_path)
    monkeypatch.setenv("DEALWISE_DATABASE_URL", str(world.engine.url))
    from crm.settings import get_settings

    get_settings.cache_clear()
    from api.cli.main import app

    cli = CliRunner()
    with FakeWeCom() as fake:
        url = webhook_url(fake.base_url, "secretkey123")
        r = cli.invoke(app, ["wecom", "digest", "--team", "华东一组"])
        assert r.exit_code == 2  # no robot yet
        assert cli.invoke(app, ["wecom", "webhook", "set", "--team", "华东一组", "--url", "not a url"]).exit_code == 2
        assert cli.invoke(app, ["wecom", "webhook", "set", "--team", "没有这个组", "--url", url]).exit_code == 2
        r = cli.invoke(app, ["wecom", "webhook", "set", "--team", "华东一组", "--url", url, "--digest", "weekly"])
        assert r.exit_code == 0, r.output
        r = cli.invoke(app, ["wecom", "webhook", "list"])
        assert "华东一组" in r.stdout and "weekly" in r.stdout and "secretkey123" not in r.stdout
        r = cli.invoke(app, ["wecom", "digest", "--team", "华东一组"])
        assert r.exit_code == 0, r.output
        [post] = fake.webhook_posts
        assert post["key"] == "secretkey123" and "销售周报" in post["markdown"]["content"]
        assert cli.invoke(app, ["wecom", "webhook", "remove", "--team", "华东一组"]).exit_code == 0
        with world.session() as s:
            assert s.query(Team).filter_by(name="华东一组").one().wecom_webhook_url is None
    get_settings.cache_clear()


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
