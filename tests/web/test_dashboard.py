"""The dashboard's numbers: scoped, filtered, and equal to plain SQL over the same rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from api.web.dashboard import Filters, dashboard
from api.web.periods import period_for
from crm.models import Team, User
from crm.scope import scope_for
from tests.conftest import DEMO_AS_OF
from tests.web.conftest import visible

TODAY = DEMO_AS_OF.date()


def _data(engine: Engine, username: str, period: str = "this_year", **kw: int) -> dict:
    with Session(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return dashboard(s, scope_for(user), Filters(period_for(period, TODAY), **kw), TODAY)


def _won_sql(engine: Engine, start: date, end: date, team_id: int | None = None, owner: str | None = None) -> float:
    sql = ("SELECT COALESCE(SUM(o.amount), 0) FROM opportunities o JOIN users u ON u.id = o.owner_id "
           "WHERE o.status = 'won' AND o.closed_at >= :s AND o.closed_at < :e")
    params: dict = {"s": datetime.combine(start, datetime.min.time()), "e": datetime.combine(end, datetime.min.time())}
    if team_id is not None:
        sql += " AND u.team_id = :t"
        params["t"] = team_id
    if owner is not None:
        sql += " AND u.username = :u"
        params["u"] = owner
    with engine.connect() as conn:
        return float(conn.execute(text(sql), params).scalar_one())


def test_periods() -> None:
    d = date(2026, 11, 23)
    assert (period_for("this_quarter", d).start, period_for("this_quarter", d).end) == (date(2026, 10, 1), date(2027, 1, 1))
    assert period_for("last_quarter", d).start == date(2026, 7, 1)
    assert period_for("this_month", d).end == date(2026, 12, 1)
    assert period_for("this_year", d, fy_start_month=4).start == date(2026, 4, 1)
    assert len(period_for("this_year", d).quarter_starts()) == 4
    assert period_for("nonsense", d).key == "this_quarter"


def test_admin_totals_match_sql(demo_engine: Engine) -> None:
    d = _data(demo_engine, "admin")
    p = period_for("this_year", TODAY)
    assert abs(d["attainment"]["total"]["won"] - _won_sql(demo_engine, p.start, p.end)) < 0.01
    assert len(d["attainment"]["teams"]) > 1
    assert abs(sum(t["won"] for t in d["attainment"]["teams"]) - d["attainment"]["total"]["won"]) < 0.01
    with demo_engine.connect() as conn:
        target = conn.execute(text("SELECT SUM(amount) FROM targets WHERE level='team' AND period='quarter' "
                                   "AND period_start >= :s AND period_start < :e"), {"s": p.start, "e": p.end}).scalar_one()
    assert abs(d["attainment"]["total"]["target"] - float(target)) < 0.01


def test_manager_sees_only_the_team(demo_engine: Engine) -> None:
    d = _data(demo_engine, "wangfang")
    with Session(demo_engine) as s:
        mgr = s.scalar(select(User).where(User.username == "wangfang"))
        assert mgr is not None
        team_users = set(s.scalars(select(User.id).where(User.team_id == mgr.team_id)))
        team_names = set(s.scalars(select(User.display_name).where(User.team_id == mgr.team_id)))
        team_id = mgr.team_id
    assert len(d["attainment"]["teams"]) == 1
    assert {r["name"] for r in d["attainment"]["reps"]} <= team_names
    p = period_for("this_year", TODAY)
    assert abs(d["attainment"]["total"]["won"] - _won_sql(demo_engine, p.start, p.end, team_id=team_id)) < 0.01
    assert all(r["owner_id"] in team_users for r in d["at_risk"])


def test_rep_sees_only_own_numbers(demo_engine: Engine) -> None:
    d = _data(demo_engine, "liming")
    p = period_for("this_year", TODAY)
    assert d["attainment"]["teams"] == []
    assert [r["name"] for r in d["attainment"]["reps"]] == ["李明"]
    assert abs(d["attainment"]["total"]["won"] - _won_sql(demo_engine, p.start, p.end, owner="liming")) < 0.01


def test_team_filter_equals_that_team(demo_engine: Engine) -> None:
    whole = _data(demo_engine, "admin")
    team = whole["attainment"]["teams"][0]
    with Session(demo_engine) as s:
        team_id = s.scalar(select(Team.id).where(Team.name == team["name"]))
    one = _data(demo_engine, "admin", team_id=team_id)
    assert one["attainment"]["total"]["won"] == team["won"]
    assert [t["name"] for t in one["attainment"]["teams"]] == [team["name"]]


def test_funnel_pareto_forecast_shapes(demo_engine: Engine) -> None:
    d = _data(demo_engine, "admin")
    counts = [s["count"] for s in d["funnel"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    assert d["funnel"][0]["conversion"] is None and all(0 <= s["conversion"] <= 1 for s in d["funnel"][1:])
    cum = [p["cumulative"] for p in d["pareto"]]
    assert cum == sorted(cum) and abs(cum[-1] - 1) < 1e-9
    amounts = [p["amount"] for p in d["pareto"]]
    assert amounts == sorted(amounts, reverse=True)
    f = d["forecast"]
    assert f["low"] <= f["forecast"] <= f["high"] and abs(f["high"] - 1.15 * f["forecast"]) < 1
    assert f["forecast"] >= f["won"]


def test_at_risk_rules(demo_engine: Engine) -> None:
    for r in _data(demo_engine, "admin")["at_risk"]:
        assert r["probability"] < 0.3 or r["falling"]
        assert r["last_activity"] is None or r["last_activity"] < "2026-11-09"


def test_dashboard_page_renders_numbers_for_a_manager(browser_for) -> None:
    r = browser_for("wangfang").get("/dashboard?period=this_year")
    assert r.status_code == 200
    assert "经营仪表盘" in visible(r.text) and "显示你团队的数据" in visible(r.text) and 'id="chart-funnel"' in r.text
    assert "vendor/echarts/echarts.min.js" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert browser_for("admin").get("/dashboard?region=1&team=2&period=last_quarter").status_code == 200


def _ask(engine: Engine, username: str, question: str) -> dict:
    from retrieval.ask import ask

    with Session(engine) as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return ask(s, scope_for(user), question, today=TODAY).model_dump()


def test_numbers_equal_what_ask_answers(demo_engine: Engine) -> None:
    """The dashboard and /api/v1/ask agree: attainment, bookings by team, Pareto, stage conversion."""
    d = _data(demo_engine, "admin", period="this_quarter")
    a = _ask(demo_engine, "admin", "本季度各团队的目标达成率")
    by_team = {r[0]: r[-1] for r in a["result"]["rows"]}
    assert by_team and all(abs(by_team[t["name"]] - t["rate"]) < 1e-3 for t in d["attainment"]["teams"] if t["rate"])
    total = _ask(demo_engine, "admin", "本季度目标达成率")
    assert abs(total["value"] - d["attainment"]["total"]["rate"]) < 1e-3
    mgr = _data(demo_engine, "wangfang", period="this_quarter")
    reps = {r[0]: r[-1] for r in _ask(demo_engine, "wangfang", "本季度各销售的目标达成率")["result"]["rows"]}
    assert all(abs(reps[r["name"]] - r["rate"]) < 1e-3 for r in mgr["attainment"]["reps"] if r["rate"])


def test_funnel_equals_the_ask_engines_stage_counts(demo_engine: Engine) -> None:
    import retrieval.metrics_sql as ms
    from retrieval.plan import QueryPlan
    from retrieval.timeparse import Period as RPeriod

    for username in ("admin", "wangfang", "liming"):
        d = _data(demo_engine, username, period="this_year")
        p = period_for("this_year", TODAY)
        with Session(demo_engine) as s:
            user = s.scalar(select(User).where(User.username == username))
            assert user is not None
            ctx = ms.Ctx(session=s, scope=scope_for(user), today=TODAY, dialect="sqlite")
            plan = QueryPlan(metric="conversion", period=RPeriod(start=p.start, end=p.end, label="y"))
            for step in d["funnel"]:
                # the engine's level "线索" counts leads; every deal starts at the stage 线索, i.e. level "商机"
                level = {"赢单": "成交", "线索": "商机"}.get(step["stage"], step["stage"])
                assert s.execute(ms.funnel_count(ctx, plan, plan.period, level)).scalar() == step["count"], step
