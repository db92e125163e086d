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


def test_metric_answers_built_without_validation_equal_their_validated_copy(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    """`metric_answer` uses `model_construct`: every answer of the demo question set (admin and a rep) serialises
    exactly as the same answer validated field by field."""
    import json
    from pathlib import Path

    from retrieval.plan import Answer

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "ask_questions_demo.jsonl"
    questions = [json.loads(line)["q"] for line in path.read_text().splitlines() if line.strip()]
    checked = 0
    for scope in (scope_of("admin"), scope_of("liming")):
        for q in questions:
            a = ask(session, scope, q, today=TODAY)
            if a.kind != "metric":
                continue
            assert a.model_dump_json() == Answer.model_validate(a.model_dump()).model_dump_json(), q
            checked += 1
    assert checked > 80
