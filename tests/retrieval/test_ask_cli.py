"""`dealwise ask "QUESTION" --user USERNAME [--json]`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.cli.main import app

runner = CliRunner()


def test_cli_json_and_text(demo_url: str) -> None:
    if not demo_url.startswith("sqlite"):
        return
    res = runner.invoke(app, ["ask", "上个月回款最多的前5个客户", "--user", "wangfang", "--today", "2026-11-23",
                              "--json", "--database-url", demo_url])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["kind"] == "metric" and len(data["result"]["rows"]) <= 5 and data["plan"]["scope"] == "your team's data"
    txt = runner.invoke(app, ["ask", "本季度华东区的赢单率是多少？", "--user", "admin", "--today", "2026-11-23",
                              "--database-url", demo_url])
    assert txt.exit_code == 0 and "赢单率" in txt.stdout


def test_cli_unknown_user_exits_2(demo_url: str) -> None:
    if not demo_url.startswith("sqlite"):
        return
    res = runner.invoke(app, ["ask", "成交额", "--user", "ghost", "--database-url", demo_url])
    assert res.exit_code == 2
