"""Free-form SQL end to end (fake OpenAI-compatible server): off by default, scoped, repaired with the database's
error at most twice, shown as SQL to admins only; the prompt lists exactly the views the database exposes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from crm.settings import Settings
from retrieval.ask import ask
from retrieval.freeform import load_prompt
from retrieval.freeform_views import VIEWS
from tests.fakes.openai_server import FakeOpenAI
from tests.retrieval.conftest import TODAY

QUESTION = "员工满意度怎么样"  # no catalog metric fits: today a refusal


def settings(srv: FakeOpenAI, tmp_path: Path, enabled: bool = True) -> Settings:
    return Settings(llm_base_url=srv.base_url, llm_model="fake-model", data_dir=tmp_path / "var", env="test",
                    ask_freeform_sql=enabled)


def script(srv: FakeOpenAI, *sqls: str | None) -> None:
    srv.add_tool_call("make_query_plan", {"metric": None})  # the LLM plan path finds no metric first
    for sql in sqls:
        srv.add_tool_call("run_sql", {"sql": sql})


def sql_requests(srv: FakeOpenAI) -> list[dict]:  # type: ignore[type-arg]
    return [b for b in srv.chat_requests if b["tools"][0]["function"]["name"] == "run_sql"]


def test_disabled_by_default_refuses_as_today(session: Session, scope_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert Settings().ask_freeform_sql is False
    with FakeOpenAI() as srv:
        script(srv, "SELECT * FROM v_opportunities")
        a = ask(session, scope_of("admin"), QUESTION, today=TODAY, settings=settings(srv, tmp_path, enabled=False))
        assert a.kind == "refusal" and not sql_requests(srv)


def test_rep_gets_only_own_rows_and_no_sql(session: Session, scope_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    liming = scope_of("liming")
    with FakeOpenAI() as srv:
        script(srv, "SELECT * FROM v_opportunities")
        a = ask(session, liming, QUESTION, today=TODAY, settings=settings(srv, tmp_path))
    assert a.kind == "metric" and a.result is not None and a.plan is not None
    owner = a.result.columns.index("owner_id")
    assert a.result.rows and {r[owner] for r in a.result.rows} == {liming.user_id}
    mine = session.execute(text("SELECT COUNT(*) FROM opportunities WHERE owner_id = :u"), {"u": liming.user_id}).scalar()
    assert len(a.result.rows) == min(mine or 0, Settings().ask_freeform_max_rows)
    assert a.plan.source == "freeform" and a.plan.metric == "freeform_sql" and a.plan.sql is None
    assert "AI 生成的只读 SQL" in a.text and "仅统计你本人的数据" in a.text
    assert "SELECT" not in a.model_dump_json()  # the generated SQL never reaches a rep


def test_admin_sees_the_sql_and_a_single_value(session: Session, scope_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sql = "SELECT COUNT(*) AS n FROM v_opportunities WHERE status = 'won'"
    with FakeOpenAI() as srv:
        script(srv, sql)
        a = ask(session, scope_of("admin"), "how happy are our employees?", today=TODAY, settings=settings(srv, tmp_path))
        system = sql_requests(srv)[0]["messages"][0]["content"]
    won = session.execute(text("SELECT COUNT(*) FROM opportunities WHERE status = 'won'")).scalar()
    assert a.plan is not None and a.plan.sql == sql and a.value == won and a.language == "en"
    assert "AI-generated read-only SQL" in a.text and "v_opportunities" in system and str(TODAY) in system


def test_refusal_is_repaired_with_the_database_error(session: Session, scope_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = session.execute(text("SELECT COUNT(*), SUM(amount) FROM opportunities")).one()
    with FakeOpenAI() as srv:
        script(srv, "DELETE FROM opportunities", "SELECT COUNT(*) AS n FROM v_accounts")
        a = ask(session, scope_of("wangfang"), QUESTION, today=TODAY, settings=settings(srv, tmp_path))
        reqs = sql_requests(srv)
    assert a.kind == "metric" and a.value is not None and len(reqs) == 2
    assert "refused" in reqs[1]["messages"][-1]["content"]
    session.rollback()
    assert session.execute(text("SELECT COUNT(*), SUM(amount) FROM opportunities")).one() == before


def test_gives_up_after_two_repairs_and_null_sql_refuses(session: Session, scope_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with FakeOpenAI() as srv:
        script(srv, "SELECT * FROM users", "SELECT * FROM api_tokens", "SELECT 1; DELETE FROM users")
        a = ask(session, scope_of("liming"), QUESTION, today=TODAY, settings=settings(srv, tmp_path))
        assert a.kind == "refusal" and "生成的查询未能执行" in a.text and len(sql_requests(srv)) == 3
    with FakeOpenAI() as srv:
        script(srv, None)
        b = ask(session, scope_of("liming"), QUESTION, today=TODAY, settings=settings(srv, tmp_path))
        assert b.kind == "refusal" and len(sql_requests(srv)) == 1


def test_prompt_lists_exactly_the_views_and_columns() -> None:
    version, body = load_prompt()
    assert version == "1"
    listed = dict(re.findall(r"^- (v_\w+): (.*(?:\n  .*)*)", body, re.M))
    assert set(listed) == {v.name for v in VIEWS}
    for v in VIEWS:
        cols = re.findall(r"(?:^|, )(\w+)", re.sub(r"\([^)]*\)", "", listed[v.name].replace("\n  ", " ")))
        assert cols == v.column_names, v.name


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A fake LLM and the DEALWISE_* switches, set before the app (client_for) reads its settings."""
    with FakeOpenAI() as srv:
        for key, value in {"ASK_FREEFORM_SQL": "true", "LLM_BASE_URL": srv.base_url, "LLM_MODEL": "fake-model"}.items():
            monkeypatch.setenv(f"DEALWISE_{key}", value)
        yield srv


def test_http_env_switch_and_rep_json_has_no_sql(llm_env: FakeOpenAI, client_for) -> None:  # type: ignore[no-untyped-def]
    script(llm_env, "SELECT COUNT(*) AS n FROM v_tasks")
    body = client_for("liming").post("/api/v1/ask", json={"question": QUESTION, "show_sql": True}).json()
    assert body["plan"]["source"] == "freeform" and body["plan"]["sql"] is None and len(sql_requests(llm_env)) == 1
    script(llm_env, "SELECT COUNT(*) AS n FROM v_tasks")
    admin = client_for("admin").post("/api/v1/ask", json={"question": QUESTION}).json()
    assert admin["plan"]["sql"] == "SELECT COUNT(*) AS n FROM v_tasks" and admin["value"] >= body["value"]
