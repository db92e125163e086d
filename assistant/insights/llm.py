"""The LLM insight engine: any OpenAI-compatible endpoint through langchain-openai's ChatOpenAI.

JSON-schema structured output, validated by `CallInsights`; a reply that fails validation is sent back with
the error (at most twice). PII is masked before the text leaves and restored in the result; the answer is
then grounded by the rules (`checks.ground`): ungrounded budgets, dates and names are dropped.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from assistant.insights.checks import ground
from assistant.insights.pii import mask, unmask
from assistant.insights.types import CallInsights, CrmNames, OrgProfile
from crm.settings import Settings
from transcription.types import Transcript

MAX_RETRIES = 2
_WEEKDAYS = "一二三四五六日"


class LlmError(RuntimeError):
    """The LLM engine could not produce valid insights (transport error or invalid output after retries)."""


@lru_cache(maxsize=4)
def load_prompt(name: str = "insights") -> tuple[str, str]:
    """(version, template body) of `prompts/<name>.md`; the front matter carries the version."""
    raw = resources.files("prompts").joinpath(f"{name}.md").read_text(encoding="utf-8")
    version = "0"
    m = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
    if m:
        vm = re.search(r"^version:\s*(\S+)", m.group(1), re.M)
        version = vm.group(1) if vm else version
        raw = raw[m.end() :]
    return version, raw


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def build_prompt(tr: Transcript, org: OrgProfile, crm: CrmNames | None, call_time: datetime | date) -> str:
    crm = crm or CrmNames()
    day = call_time.date() if isinstance(call_time, datetime) else call_time
    lines = []
    for i, s in enumerate(tr.segments):
        who = {"rep": "销售", "customer": "客户"}.get(s.speaker, "未知")
        lines.append(f"[{i}] {who}：{s.text}")
    _version, template = load_prompt()
    return _fill(
        template,
        {
            "company": org.company,
            "aliases": "、".join(org.aliases) or "无",
            "products": "、".join(p.name for p in org.products) or "无",
            "competitors": "、".join(org.competitors) or "无",
            "call_time": call_time.isoformat(),
            "weekday": "星期" + _WEEKDAYS[day.weekday()],
            "accounts": json.dumps([a.model_dump() for a in crm.accounts], ensure_ascii=False)
            if crm.accounts
            else "无",
            "contacts": json.dumps([c.model_dump() for c in crm.contacts], ensure_ascii=False)
            if crm.contacts
            else "无",
            "transcript": "\n".join(lines),
        },
    )


def _chat(settings: Settings) -> Any:
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "",
        api_key=key,  # type: ignore[arg-type]
        timeout=settings.llm_timeout_s,
        max_retries=1,
        temperature=0,
    )


def _response_format() -> dict[str, Any]:
    schema = CallInsights.model_json_schema()
    schema["required"] = list(CallInsights.model_fields)  # every key, always (stable JSON)
    return {"type": "json_schema", "json_schema": {"name": "CallInsights", "schema": schema, "strict": False}}


def _json_text(content: Any) -> str:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    m = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    return m.group(1) if m else text


def extract_llm(
    transcript: Transcript,
    org: OrgProfile,
    crm: CrmNames | None,
    call_time: datetime | date | None,
    settings: Settings,
) -> CallInsights:
    """Insights from the configured LLM, validated, unmasked and grounded by the rules."""
    from langchain_core.messages import AIMessage, HumanMessage

    when: datetime | date = call_time or date.today()
    prompt = build_prompt(transcript, org, crm, when)
    mapping: dict[str, str] = {}
    if settings.pii_mask:
        prompt, mapping = mask(prompt)
    llm = _chat(settings).bind(response_format=_response_format())
    messages: list[Any] = [HumanMessage(content=prompt)]
    last_error = ""
    for _attempt in range(MAX_RETRIES + 1):
        try:
            reply = llm.invoke(messages)
        except Exception as exc:  # transport, HTTP and SDK errors all mean "no answer"
            raise LlmError(f"LLM request failed: {type(exc).__name__}: {exc}") from exc
        raw = _json_text(reply.content)
        try:
            data = unmask(json.loads(raw), mapping)
            missing = [k for k in CallInsights.model_fields if k not in data and k != "engine"]
            if missing:
                raise TypeError(f"missing required fields: {', '.join(missing)}")
            data["engine"] = "llm"
            ins = CallInsights.model_validate(data)
        except (json.JSONDecodeError, ValidationError, TypeError) as exc:
            last_error = str(exc)[:1500]
            messages += [
                AIMessage(content=raw),
                HumanMessage(
                    content=f"上面的输出没有通过校验：\n{last_error}\n请修正，只输出符合 JSON Schema 的 JSON 对象。"
                ),
            ]
            continue
        day = when.date() if isinstance(when, datetime) else when
        return ground(ins, transcript, org, crm, day)
    raise LlmError(f"LLM output still invalid after {MAX_RETRIES} retries: {last_error}")
