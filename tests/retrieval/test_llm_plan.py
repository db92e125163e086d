"""The LLM QueryPlan path against a fake OpenAI-compatible server: validated, repaired at most twice, and only
used when the offline parser finds no metric."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.scope import Scope
from crm.settings import Settings
from retrieval.ask import ask
from tests.fakes.openai_server import FakeOpenAI
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")


def _settings(srv: FakeOpenAI, tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(llm_base_url=srv.base_url, llm_model="fake-model", data_dir=tmp_path / "var", env="test")


def test_llm_plan_is_validated_and_repaired(session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with FakeOpenAI() as srv:
        srv.add_tool_call("make_query_plan", {"metric": "win_rate", "filters": {"region": ["火星"]}})
        srv.add_tool_call("make_query_plan", {"metric": "win_rate", "filters": {"region": ["华东"]},
                                              "period_start": "2026-01-01", "period_end": "2027-01-01"})
        a = ask(session, ADMIN, "华东那边今年签单的把握有多大", today=TODAY, settings=_settings(srv, tmp_path))
        assert a.kind == "metric" and a.plan is not None and a.plan.source == "llm"
        assert a.plan.metric == "win_rate" and a.plan.filters[0].values == ["华东"]
        chats = srv.chat_requests
        assert len(chats) == 2 and "火星" in chats[1]["messages"][-1]["content"]
        offline = ask(session, ADMIN, "今年华东区的赢单率", today=TODAY)
        assert offline.value == a.value


def test_llm_gives_up_after_two_repairs_and_offline_first(session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with FakeOpenAI() as srv:
        for _ in range(3):
            srv.add_tool_call("make_query_plan", {"metric": "salary"})
        a = ask(session, ADMIN, "员工满意度怎么样", today=TODAY, settings=_settings(srv, tmp_path))
        assert a.kind == "refusal" and len(srv.chat_requests) == 3
        before = len(srv.chat_requests)
        ok = ask(session, ADMIN, "今年的成交额", today=TODAY, settings=_settings(srv, tmp_path))
        assert ok.plan is not None and ok.plan.source == "offline" and len(srv.chat_requests) == before
