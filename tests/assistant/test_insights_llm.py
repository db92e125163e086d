"""The LLM insight engine against the fake OpenAI-compatible server: schema, retries, grounding, PII."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.insights import OrgProfile, extract_insights
from assistant.insights.llm import LlmError, extract_llm, load_prompt
from assistant.insights.pii import mask, unmask
from assistant.insights.text import parse_plain
from crm.settings import Settings
from tests.fakes.openai_server import FakeOpenAI

CALLS = Path(__file__).resolve().parents[1] / "fixtures" / "calls"
ORG = OrgProfile.load(CALLS / "org.json")
CALL = parse_plain((CALLS / "dev01.txt").read_text(encoding="utf-8"))
MON = date(2026, 11, 23)


def _ev(turn: int, quote: str) -> dict[str, Any]:
    return {"quote": quote, "turn": turn, "start": None, "end": None}


def good_answer() -> dict[str, Any]:
    return {
        "summary": "王总预算五十万，下个月底决定。",
        "customer": {"company": None, "account_id": None},
        "contacts": [
            {
                "name": "王总",
                "title": "总经理",
                "role": "decision_maker",
                "contact_id": None,
                "evidence": _ev(0, "王总您好"),
            }
        ],
        "budget": {
            "amount_cny": 500000,
            "text": "五十万",
            "status": "estimated",
            "evidence": _ev(1, "今年这个项目的预算大概是五十万"),
        },
        "decision_date": "2026-12-31",
        "needs": [{"text": "客户管理和数据分析", "evidence": _ev(3, "主要是客户管理和数据分析")}],
        "objections": [],
        "competitors": [{"name": "销售易", "evidence": _ev(3, "我们也在看销售易的产品")}],
        "products": [{"name": "云启CRM", "evidence": _ev(3, "客户管理")}],
        "sentiment": "neutral",
        "next_steps": [
            {
                "action": "产品演示",
                "owner": "rep",
                "due": "2026-12-02",
                "evidence": _ev(6, "我下周三给您安排一次产品演示"),
            }
        ],
        "engine": "llm",
    }


def _settings(srv: FakeOpenAI, **kw: Any) -> Settings:
    return Settings(llm_base_url=srv.base_url, llm_model="fake-model", llm_api_key="test-key", **kw)  # type: ignore[arg-type]


def test_valid_answer_is_validated_and_grounded() -> None:
    with FakeOpenAI() as srv:
        srv.add_json(good_answer())
        ins = extract_insights(CALL, ORG, call_time=MON, settings=_settings(srv))
        body = srv.chat_requests[0]
    assert ins.engine == "llm" and ins.budget is not None and ins.budget.amount_cny == 500000
    assert ins.decision_date == date(2026, 12, 31) and ins.next_steps[0].due == date(2026, 12, 2)
    assert body["model"] == "fake-model" and body["response_format"]["type"] == "json_schema"
    assert "next_steps" in json.dumps(body["response_format"]["json_schema"]["schema"])
    prompt = body["messages"][0]["content"]
    assert "[6] 销售：" in prompt and "2026-11-23" in prompt and "星期一" in prompt and "云启科技" in prompt


def test_invalid_answer_is_retried_with_the_validation_error() -> None:
    bad = good_answer() | {"sentiment": "ecstatic"}
    with FakeOpenAI() as srv:
        srv.add_json(bad).add_text("not json at all").add_json(good_answer())
        ins = extract_llm(CALL, ORG, None, MON, _settings(srv))
        reqs = srv.chat_requests
    assert ins.sentiment == "neutral" and len(reqs) == 3
    assert (
        "sentiment" in reqs[1]["messages"][-1]["content"] and reqs[1]["messages"][-2]["role"] == "assistant"
    )


def test_gives_up_after_two_retries_and_auto_falls_back_to_rules() -> None:
    with FakeOpenAI(repeat_last=True) as srv:
        srv.add_text("{}")
        with pytest.raises(LlmError):
            extract_llm(CALL, ORG, None, MON, _settings(srv))
        assert len(srv.chat_requests) == 3
        ins = extract_insights(CALL, ORG, call_time=MON, settings=_settings(srv))
    assert ins.engine == "rules" and ins.budget is not None


def test_http_error_falls_back_to_rules() -> None:
    with FakeOpenAI() as srv:
        srv.add_error(500).add_error(500)
        ins = extract_insights(CALL, ORG, call_time=MON, settings=_settings(srv))
    assert ins.engine == "rules"


def test_rule_checks_reject_ungrounded_and_own_side_answers() -> None:
    ans = good_answer()
    ans["customer"] = {"company": "云启科技", "account_id": 99}
    ans["budget"] = {
        "amount_cny": 900000,
        "text": "九十万",
        "status": "confirmed",
        "evidence": _ev(1, "九十万"),
    }
    ans["decision_date"] = "2027-06-30"
    ans["competitors"].append({"name": "云启BI", "evidence": _ev(3, "数据分析")})
    ans["contacts"].append(
        {"name": "李明", "title": None, "role": "unknown", "contact_id": 5, "evidence": _ev(0, "李明")}
    )
    ans["next_steps"][0]["due"] = "2027-01-09"
    ans["needs"].append({"text": "invented", "evidence": _ev(2, "完全没说过的话")})
    with FakeOpenAI() as srv:
        srv.add_json(ans)
        ins = extract_llm(CALL, ORG, None, MON, _settings(srv))
    assert ins.customer.company is None and ins.customer.account_id is None
    assert ins.budget is None and ins.decision_date is None
    assert [c.name for c in ins.competitors] == ["销售易"] and [c.name for c in ins.contacts] == ["王总"]
    assert ins.next_steps[0].due is None and len(ins.needs) == 1


def test_pii_is_masked_on_the_way_out_and_restored_in_the_result() -> None:
    call = parse_plain("客户：我的手机是13812345678，邮箱 wang@example.com，预算五十万。")
    ans = good_answer() | {
        "contacts": [],
        "competitors": [],
        "products": [],
        "next_steps": [],
        "needs": [],
        "decision_date": None,
    }
    ans["budget"] = {
        "amount_cny": 500000,
        "text": "五十万",
        "status": "estimated",
        "evidence": _ev(0, "我的手机是[手机1]，邮箱 [邮箱1]，预算五十万"),
    }
    with FakeOpenAI() as srv:
        srv.add_json(ans)
        ins = extract_llm(call, ORG, None, MON, _settings(srv))
        sent = json.dumps(srv.chat_requests[0], ensure_ascii=False)
    assert "13812345678" not in sent and "wang@example.com" not in sent and "[手机1]" in sent
    assert ins.budget is not None and "13812345678" in ins.budget.evidence.quote


def test_pii_mask_can_be_switched_off() -> None:
    call = parse_plain("客户：我的手机是13812345678。")
    with FakeOpenAI() as srv:
        srv.add_json(
            good_answer()
            | {
                "contacts": [],
                "budget": None,
                "competitors": [],
                "products": [],
                "next_steps": [],
                "needs": [],
            }
        )
        extract_llm(call, ORG, None, MON, _settings(srv, pii_mask=False))
        assert "13812345678" in json.dumps(srv.chat_requests[0], ensure_ascii=False)


def test_mask_kinds_and_roundtrip() -> None:
    text = "电话 0571-88886666，手机 139 1234 5678，身份证 330102199001011234，卡号 6222 0212 3456 7890 123，a.b@c.cn"
    masked, mapping = mask(text)
    for raw in (
        "0571-88886666",
        "139 1234 5678",
        "330102199001011234",
        "6222 0212 3456 7890 123",
        "a.b@c.cn",
    ):
        assert raw not in masked
    assert unmask(masked, mapping) == text
    assert mask("预算五十万，2026年12月8日")[1] == {}


def test_prompt_template_is_versioned() -> None:
    version, body = load_prompt()
    assert int(version) >= 1 and "{transcript}" in body


def test_fake_server_streams_and_tool_calls() -> None:
    import openai

    with FakeOpenAI() as srv:
        srv.add_text("你好，世界，这是流式回复").add_tool_call("ask_metrics", {"question": "本月赢单"})
        client = openai.OpenAI(base_url=srv.base_url, api_key="k")
        chunks = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        text = "".join((c.choices[0].delta.content or "") for c in chunks if c.choices)
        r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert text == "你好，世界，这是流式回复"
    tc = r.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert tc.function.name == "ask_metrics" and json.loads(tc.function.arguments) == {"question": "本月赢单"}
