"""Question → QueryPlan offline, Chinese and English: metrics, entities, periods, cuts, ranking, comparisons,
clarifications and refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.parser import parse
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")


def plan_of(session: Session, q: str, scope: Scope = ADMIN):  # type: ignore[no-untyped-def]
    parsed = parse(session, scope, q, TODAY)
    assert parsed.plan is not None, (q, parsed)
    return parsed.plan


def filters(plan) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {f.dimension: f.values for f in plan.filters}


def test_issue_examples(session: Session) -> None:
    p = plan_of(session, "本季度华东区的赢单率是多少？")
    assert p.metric == "win_rate" and filters(p) == {"region": ["华东"]}
    assert p.period is not None and p.period.start == date(2026, 10, 1)
    p = plan_of(session, "哪个销售的商机到成交转化率最低？")
    assert (p.metric, p.dimensions, p.order, p.limit, p.stages) == ("conversion", ["rep"], "asc", 1, ("商机", "成交"))
    p = plan_of(session, "上个月回款最多的前5个客户")
    assert (p.metric, p.dimensions, p.order, p.limit) == ("collections", ["account"], "desc", 5)
    assert p.period is not None and p.period.start == date(2026, 10, 1)


@pytest.mark.parametrize(("q", "metric", "dims", "flt"), [
    ("李明今年的成交额", "bookings", [], {"rep": ["李明"]}),
    ("华东一组上个月的回款", "collections", [], {"team": ["华东一组"]}),
    ("王芳团队的赢单率", "win_rate", [], {"team": ["华东一组"]}),
    ("云帆物流的成交额", "bookings", [], {"account": ["杭州云帆物流科技有限公司"]}),
    ("各产品线的成交额", "bookings", ["product_line"], {}),
    ("按月的成交额趋势", "bookings", ["time:month"], {}),
    ("近30天的拜访次数", "activity_count", [], {"activity_type": ["visit"]}),
    ("医疗行业的平均客单价", "avg_deal_size", [], {"industry": ["医疗健康"]}),
    ("华东和华南的成交额对比", "bookings", ["region"], {"region": ["华东", "华南"]}),
    ("win rate by region this quarter", "win_rate", ["region"], {}),
    ("top 3 reps by bookings last quarter", "bookings", ["rep"], {}),
    ("average sales cycle for 云启CRM", "avg_sales_cycle", [], {"product": ["云启CRM"]}),
    ("how many overdue tasks does each team have", "overdue_tasks", ["team"], {}),
])
def test_plans(session: Session, q: str, metric: str, dims: list[str], flt: dict[str, list[str]]) -> None:
    p = plan_of(session, q)
    assert (p.metric, p.dimensions, filters(p)) == (metric, dims, flt)


def test_comparisons(session: Session) -> None:
    assert plan_of(session, "本季度成交额同比").comparison == "yoy"
    assert plan_of(session, "本月回款环比").comparison == "pop"
    assert plan_of(session, "华东区成交额占全公司的比例").comparison == "share"
    assert plan_of(session, "bookings this quarter vs the same period last year").comparison == "yoy"
    funnel = plan_of(session, "销售漏斗：线索→商机→报价→成交")
    assert funnel.metric == "conversion" and funnel.stages is None


def test_ambiguity_asks_back(session: Session) -> None:
    parsed = parse(session, ADMIN, "华东组的业绩怎么样", TODAY)
    assert parsed.plan is None and parsed.clarification is not None
    assert set(parsed.clarification.options) == {"华东一组", "华东二组"}
    parsed = parse(session, ADMIN, "制造业客户的赢单率", TODAY)
    assert parsed.clarification is not None and set(parsed.clarification.options) == {"装备制造", "电子制造"}


def test_out_of_scope_and_retrieval(session: Session) -> None:
    assert parse(session, ADMIN, "今天天气怎么样", TODAY).refusal
    assert parse(session, ADMIN, "帮我写一封跟进邮件", TODAY).refusal
    assert parse(session, ADMIN, "哪些客户提到预算不足", TODAY).retrieval
    assert parse(session, ADMIN, "what did 云帆物流 say about data security", TODAY).retrieval
    assert parse(session, ADMIN, "how many bookings", TODAY).language == "en"
    assert parse(session, ADMIN, "成交额", TODAY).language == "zh"
