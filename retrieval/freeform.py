"""Free-form SQL (off by default; `DEALWISE_ASK_FREEFORM_SQL=true` turns it on): for a question no catalog
metric fits, the configured OpenAI-compatible LLM writes one SELECT over the scoped `v_*` views; the database runs
it read-only with a time limit and a row cap (`retrieval.sql_guard`); a refused or failed query goes back to the
model with the database's message, at most twice. The rows become a normal `Answer`; the SQL is shown to
admins only, everyone else is told a generated query was used.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from crm.scope import Scope
from crm.settings import Settings
from retrieval import answer as A
from retrieval.plan import Answer, PlanDisclosure, Result
from retrieval.sql_guard import GuardError, Rows, run_readonly

log = logging.getLogger(__name__)
MAX_REPAIRS = 2
PROMPT = "ask_freeform_sql.v1.md"
TOOL = {"type": "function", "function": {
    "name": "run_sql", "description": "One read-only SELECT over the v_* views that answers the question.",
    "parameters": {"type": "object", "properties": {
        "sql": {"type": ["string", "null"], "description": "the SELECT statement, or null when the views cannot answer"}},
        "required": ["sql"]}}}


@lru_cache(maxsize=2)
def load_prompt(name: str = PROMPT) -> tuple[str, str]:
    """(version, body) of the prompt template; the front matter carries the version."""
    raw = resources.files("prompts").joinpath(name).read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
    if not m:
        return "0", raw
    vm = re.search(r"^version:\s*(\S+)", m.group(1), re.M)
    return (vm.group(1) if vm else "0"), raw[m.end():]


def system_prompt(dialect: str, today: date) -> str:
    _version, body = load_prompt()
    names = {"dialect": "SQLite" if dialect == "sqlite" else "PostgreSQL", "today": today.isoformat()}
    return re.sub(r"\{(\w+)\}", lambda m: names.get(m.group(1), m.group(0)), body)


def _client(settings: Settings) -> Any:
    from openai import OpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
    return OpenAI(base_url=settings.llm_base_url, api_key=key, timeout=settings.llm_timeout_s, max_retries=1)


def _sql_of(msg: Any) -> tuple[str | None, str, str]:
    """(sql or None, raw arguments, tool call id) from a reply: a run_sql call, JSON text or a ```sql block."""
    calls = msg.tool_calls or []
    text = calls[0].function.arguments if calls else (msg.content or "")
    call_id = calls[0].id if calls else "c0"
    try:
        obj = json.loads(text)
        sql = obj.get("sql") if isinstance(obj, dict) else None
    except json.JSONDecodeError:
        fenced = re.search(r"```(?:sql)?\s*(.*?)```", text, re.S | re.I)
        sql = fenced.group(1) if fenced else text
    sql = sql.strip() if isinstance(sql, str) else None
    return (sql or None), text, call_id


def answer_freeform(session: Session, scope: Scope, question: str, lang: str, today: date, settings: Settings,
                    client: Any | None = None) -> Answer:
    """Let the LLM write one scoped read-only query for `question`; a refusal when it cannot or the DB refuses."""
    engine = session.get_bind().engine
    api: Any = client or _client(settings)
    messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(engine.dialect.name, today)},
                                      {"role": "user", "content": question}]
    error = ""
    for _attempt in range(1 + MAX_REPAIRS):
        try:
            resp = api.chat.completions.create(model=settings.llm_model or "default", messages=messages, tools=[TOOL],
                                               tool_choice={"type": "function", "function": {"name": "run_sql"}})
        except Exception as exc:
            log.warning("free-form SQL: LLM call failed: %s", exc)
            return A.refusal(lang)
        sql, args, call_id = _sql_of(resp.choices[0].message)
        if sql is None:
            return A.refusal(lang)
        try:
            rows = run_readonly(engine, scope, sql, settings.ask_freeform_timeout_s, settings.ask_freeform_max_rows)
        except GuardError as exc:
            error = str(exc)
            log.info("free-form SQL refused/failed (%s): %s", scope.role, error)
            messages.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": "run_sql", "arguments": args}}]})
            messages.append({"role": "tool", "tool_call_id": call_id,
                             "content": f"{error} Call run_sql again with a corrected query."})
            continue
        return rows_answer(rows, sql, scope, lang)
    reason = (f"生成的查询未能执行：{error}" if lang == "zh" else f"The generated query could not run: {error}")
    return A.refusal(lang, reason)


def rows_answer(rows: Rows, sql: str, scope: Scope, lang: str) -> Answer:
    """The rows as an Answer: a table, the value when it is one number, a note that a generated query was used."""
    zh = lang == "zh"
    value = None
    if len(rows.rows) == 1 and len(rows.rows[0]) == 1 and isinstance(rows.rows[0][0], int | float) \
            and not isinstance(rows.rows[0][0], bool):
        value = float(rows.rows[0][0])
    n = len(rows.rows)
    if value is not None:
        head = f"查询结果为 {value:,.6g}。" if zh else f"The result is {value:,.6g}."
    elif n == 0:
        head = "查询没有返回数据。" if zh else "The query returned no rows."
    else:
        head = f"查询返回 {n} 行。" if zh else f"The query returned {n} row{'s' if n != 1 else ''}."
    if rows.truncated:
        head += f"（结果过多，只显示前 {n} 行）" if zh else f" (Too many rows: only the first {n} are shown.)"
    note = ("（此结果来自 AI 生成的只读 SQL 查询，不是预定义指标，请核对。）" if zh
            else " (This answer comes from an AI-generated read-only SQL query, not a catalog metric; check it.)")
    text = head + A.scope_note(scope, lang) + note
    plan = PlanDisclosure(
        metric="freeform_sql", metric_label="自由查询（AI 生成 SQL）" if zh else "free-form query (AI-generated SQL)",
        definition=("AI 根据问题生成的一条只读 SQL，在数据库中以只读方式、限时限行，只对你数据范围内的视图执行。" if zh
                    else "One read-only SQL statement written by the AI for this question, run by the database "
                         "read-only, with a time limit and a row cap, over views limited to your data."),
        scope=scope.description, sql=sql if scope.is_company_wide else None, source="freeform")
    return Answer(kind="metric", text=text, result=Result(columns=rows.columns, rows=rows.rows), value=value,
                  plan=plan, language="zh" if zh else "en")
