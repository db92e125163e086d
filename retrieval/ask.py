"""Ask Dealwise: question → plan (offline parser, or the LLM when configured) → scoped query → Answer.

`ask(session, scope, question, today=...)` is the one entry point (HTTP, CLI and the assistant's
`ask_metrics` tool all call it). Numbers only ever come from the compiled queries.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Opportunity
from crm.scope import Scope
from crm.settings import Settings, get_settings
from retrieval import answer as A
from retrieval.compiler import CompanyOnly, execute
from retrieval.entities import url_key
from retrieval.metrics_sql import Ctx
from retrieval.parse_memo import parse_memo
from retrieval.parser import Parsed
from retrieval.plan import Answer, QueryPlan
from retrieval.scope_check import outside_scope, outside_text
from retrieval.sqlparts import UnsupportedCut

log = logging.getLogger(__name__)
MAX_QUESTION = 500
_CURRENCY: dict[str, str] = {}


def today_for(settings: Settings) -> date:
    try:
        return datetime.now(ZoneInfo(settings.timezone)).date()
    except Exception:
        return date.today()


def currency_of(session: Session) -> str:
    key = url_key(session)
    if key not in _CURRENCY:
        _CURRENCY[key] = session.scalar(select(Opportunity.currency).limit(1)) or "CNY"
    return _CURRENCY[key]


def run_plan(session: Session, scope: Scope, plan: QueryPlan, lang: str, today: date,
             source: str = "offline", show_sql: bool = False) -> Answer:
    if not (hidden := outside_scope(session, scope, plan)):
        return _computed(session, scope, plan, lang, today, source, show_sql)
    kept = [f.model_copy(update={"values": [v for v in f.values if v not in hidden]}) for f in plan.filters]
    note = outside_text(hidden, scope, lang)
    if any(not f.values for f in kept):  # '华东二组的业绩' asked by 华东一组's manager: say so, not ¥0
        return Answer(kind="refusal", text=note, language="zh" if lang == "zh" else "en")
    # her team's figure, with a note about the other
    answer = _computed(session, scope, plan.model_copy(update={"filters": kept}), lang, today, source, show_sql)
    return answer.model_copy(update={"text": f"{answer.text} {note}"})


def _computed(session: Session, scope: Scope, plan: QueryPlan, lang: str, today: date, source: str,
              show_sql: bool) -> Answer:
    ctx = Ctx(session=session, scope=scope, today=today, dialect=session.get_bind().dialect.name)
    try:
        comp = execute(ctx, plan, keep_sql=show_sql and scope.is_company_wide)
    except CompanyOnly:
        msg = ("获客成本基于公司层面的市场投入，只有管理员可以查看。" if lang == "zh"
               else "Acquisition cost uses company-level marketing spend; only admins can see it.")
        return A.refusal(lang, msg)
    except UnsupportedCut as exc:
        return A.refusal(lang, ("这个切分方式不适用于该指标：" if lang == "zh" else "That cut does not apply: ") + str(exc))
    return A.metric_answer(plan, comp, scope, lang, currency_of(session), source)


def ask(session: Session, scope: Scope, question: str, today: date | None = None,
        settings: Settings | None = None, llm: Any | None = None, show_sql: bool = False) -> Answer:
    """Answer a metrics (or call-retrieval) question within `scope`; `show_sql` (admins only) adds the SQL."""
    settings = settings or get_settings()
    today = today or today_for(settings)
    question = (question or "").strip()
    if not question:
        return A.refusal("zh", "请输入一个问题。")
    question = question[:MAX_QUESTION]
    parsed: Parsed = parse_memo(session, scope, question, today, settings.ask_recent_days, settings.ask_parse_memo)
    source = "offline"
    if parsed.plan is None and parsed.refusal and (llm is not None or settings.llm_enabled):
        from retrieval.llm_plan import plan_with_llm

        plan = plan_with_llm(session, scope, question, today, settings, client=llm)
        if plan is not None:
            parsed.plan, parsed.refusal, source = plan, None, "llm"
    lang = parsed.language
    if parsed.retrieval:
        return _retrieval(session, scope, question, lang, settings)
    if parsed.clarification is not None:
        return A.clarification_answer(parsed.clarification, lang)
    if parsed.plan is None:
        if parsed.refusal and settings.ask_freeform_sql and (llm is not None or settings.llm_enabled):
            from retrieval.freeform import answer_freeform  # admin opt-in: LLM-written read-only SQL

            return answer_freeform(session, scope, question, lang, today, settings, client=llm)
        return A.refusal(lang)
    return run_plan(session, scope, parsed.plan, lang, today, source, show_sql)


def _retrieval(session: Session, scope: Scope, question: str, lang: str, settings: Settings) -> Answer:
    try:
        from retrieval.search import answer_from_calls
    except ImportError:
        return A.refusal(lang, "通话检索尚不可用。" if lang == "zh" else "Call search is not available yet.")
    return answer_from_calls(session, scope, question, lang, settings)
