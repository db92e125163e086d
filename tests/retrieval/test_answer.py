"""The Answer: narrative in the question's language, value, unit, ECharts option per shape, plan disclosure."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.ask import ask
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")


def test_single_number(session: Session) -> None:
    a = ask(session, ADMIN, "今年的赢单率", today=TODAY)
    assert a.kind == "metric" and a.unit == "percent" and a.chart is None and a.language == "zh"
    assert a.value is not None and f"{a.value * 100:.1f}%" in a.text
    assert a.plan is not None and a.plan.period is not None and a.plan.definition.startswith("期间关闭")
    en = ask(session, ADMIN, "win rate this year", today=TODAY)
    assert en.language == "en" and en.text.startswith("Win rate") and en.value == a.value


def test_chart_shapes(session: Session) -> None:
    funnel = ask(session, ADMIN, "销售漏斗", today=TODAY)
    assert funnel.chart is not None and funnel.chart["series"][0]["type"] == "funnel"
    ranking = ask(session, ADMIN, "成交额最高的前5个销售", today=TODAY)
    assert ranking.chart is not None and ranking.chart["series"][0]["type"] == "bar"
    assert ranking.result is not None and len(ranking.result.rows) == 5 and ranking.unit == "CNY"
    trend = ask(session, ADMIN, "今年按月的成交额", today=TODAY)
    assert trend.chart is not None and trend.chart["series"][0]["type"] == "line"
    pareto = ask(session, ADMIN, "客户贡献的帕累托分析", today=TODAY)
    assert pareto.chart is not None and [s["type"] for s in pareto.chart["series"]] == ["bar", "line"]
    assert pareto.value is not None and "20%" in pareto.text


def test_clarification_and_refusal_shapes(session: Session) -> None:
    c = ask(session, ADMIN, "华东组的业绩怎么样", today=TODAY)
    assert c.kind == "clarification" and c.clarification is not None and len(c.clarification.options) == 2
    r = ask(session, ADMIN, "今天天气怎么样", today=TODAY)
    assert r.kind == "refusal" and "赢单率" in r.text and r.value is None
    empty = ask(session, ADMIN, "   ", today=TODAY)
    assert empty.kind == "refusal"


def test_answer_json_is_stable(session: Session) -> None:
    a = ask(session, ADMIN, "本季度各区域的回款", today=TODAY)
    data = a.model_dump(mode="json")
    assert set(data) == {"kind", "text", "result", "value", "unit", "chart", "plan", "citations", "clarification",
                         "language"}
    assert data["result"]["columns"] == ["region", "value"]
    assert data["plan"]["period"]["start"] == "2026-10-01"
