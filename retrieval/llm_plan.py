"""The LLM path (when configured): the model fills the `make_query_plan` tool; we validate the arguments as a
`QueryPlan` (metric, dimensions, filters whose values must exist in the CRM, period) and send the error back
for a repair, at most twice. The model never produces numbers: the plan is compiled and run like any other.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from crm.scope import Scope
from crm.settings import Settings
from retrieval.catalog import DIMENSIONS, METRICS
from retrieval.entities import vocab_for
from retrieval.plan import Filter, QueryPlan
from retrieval.timeparse import Period

log = logging.getLogger(__name__)
MAX_REPAIRS = 2


class LlmPlan(BaseModel):
    """What the model fills in (dates as ISO strings; end exclusive)."""

    metric: str | None = Field(None, description="a metric name from the catalog, or null when none fits")
    dimensions: list[str] = Field(default_factory=list)
    filters: dict[str, list[str]] = Field(default_factory=dict)
    period_start: date | None = None
    period_end: date | None = None
    comparison: str | None = None
    order: str | None = None
    limit: int | None = None
    stages: list[str] | None = None


def _system(today: date) -> str:
    metrics = "\n".join(f"- {m.name}: {m.label_zh} / {m.label_en}. {m.definition_en} Dimensions: {', '.join(m.dimensions)}"
                        for m in METRICS)
    return (f"You turn a sales manager's question into a query plan by calling make_query_plan. Today is {today}. "
            "Use only these metrics and their dimensions; filters map a dimension to values exactly as the CRM "
            "spells them; periods are [period_start, period_end) ISO dates; comparison is yoy, pop, share or vs; "
            "order is desc or asc; stages are two of 线索, 商机, 报价, 成交 or stage names. If no metric fits, "
            f"call it with metric null. Never answer with numbers.\nMetrics:\n{metrics}\n"
            f"Dimensions: {', '.join(DIMENSIONS)}")


TOOL = {"type": "function", "function": {
    "name": "make_query_plan", "description": "The query plan for the question.",
    "parameters": LlmPlan.model_json_schema()}}


def to_plan(raw: LlmPlan, session: Session) -> QueryPlan | None:
    """Validate the model's plan against the catalog and the CRM's own values (raises ValueError)."""
    if raw.metric is None:
        return None
    vocab = vocab_for(session)
    known = {(d, v) for opts in vocab.terms.values() for d, v in opts}
    known |= {("activity_type", t) for t in ("visit", "call", "meeting", "message")}
    filters = []
    for dim, values in raw.filters.items():
        for v in values:
            if dim == "account":
                if v not in vocab.account_name.values():
                    raise ValueError(f"no account named {v!r}")
            elif (dim, v) not in known:
                raise ValueError(f"{dim} has no value {v!r}")
        filters.append(Filter(dimension=dim, values=values))
    period = None
    if raw.period_start and raw.period_end:
        if raw.period_end <= raw.period_start:
            raise ValueError("period_end must be after period_start")
        period = Period(start=raw.period_start, end=raw.period_end,
                        label=f"{raw.period_start.isoformat()}–{raw.period_end.isoformat()}")
    stages = (raw.stages[0], raw.stages[1]) if raw.stages and len(raw.stages) == 2 else None
    return QueryPlan.model_validate({"metric": raw.metric, "dimensions": raw.dimensions, "filters": filters,
                                     "period": period, "comparison": raw.comparison, "order": raw.order,
                                     "limit": raw.limit, "stages": stages})


def plan_with_llm(session: Session, scope: Scope, question: str, today: date, settings: Settings,
                  client: Any | None = None) -> QueryPlan | None:
    """A validated plan from the configured LLM, or None (no metric fits, or the model failed)."""
    if client is None:
        from openai import OpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
        client = OpenAI(base_url=settings.llm_base_url, api_key=key, timeout=settings.llm_timeout_s, max_retries=1)
    messages: list[dict[str, Any]] = [{"role": "system", "content": _system(today)},
                                      {"role": "user", "content": question}]
    for _attempt in range(1 + MAX_REPAIRS):
        try:
            api: Any = client
            resp = api.chat.completions.create(model=settings.llm_model or "default", messages=messages,
                                                  tools=[TOOL], tool_choice={"type": "function", "function": {"name": "make_query_plan"}})
        except Exception as exc:
            log.warning("LLM plan failed: %s", exc)
            return None
        msg = resp.choices[0].message
        calls = msg.tool_calls or []
        args_text = calls[0].function.arguments if calls else (msg.content or "")
        try:
            raw = LlmPlan.model_validate(json.loads(args_text))
            return to_plan(raw, session)
        except (ValueError, ValidationError, json.JSONDecodeError) as exc:
            error = str(exc).splitlines()[0][:300]
            messages.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": calls[0].id if calls else "c0", "type": "function",
                 "function": {"name": "make_query_plan", "arguments": args_text}}]})
            messages.append({"role": "tool", "tool_call_id": calls[0].id if calls else "c0",
                             "content": f"invalid plan: {error}. Call make_query_plan again with a corrected plan."})
    return None
