"""The database, not a regex, keeps free-form SQL read-only and inside scope (SQLite and PostgreSQL): writes,
ATTACH, PRAGMA, base tables, a second statement and a runaway query are refused or stopped, nothing changes,
and the pooled connections come back clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.freeform_views import VIEWS
from retrieval.sql_guard import GuardError, Rows, run_readonly

ADMIN = Scope(user_id=1, role="admin")


def run(session: Session, scope: Scope, sql: str, timeout_s: float = 2.0, max_rows: int = 100_000) -> Rows:
    return run_readonly(session.get_bind().engine, scope, sql, timeout_s, max_rows)


def snapshot(session: Session) -> tuple[object, ...]:
    session.rollback()
    return tuple(session.execute(text(q)).scalar() for q in (
        "SELECT COUNT(*) FROM opportunities", "SELECT SUM(amount) FROM opportunities", "SELECT COUNT(*) FROM users",
        "SELECT COUNT(*) FROM api_tokens", "SELECT MIN(role) FROM users"))


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def test_rep_sees_only_own_rows_manager_team_admin_all(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    liming, wangfang = scope_of("liming"), scope_of("wangfang")
    mine = run(session, liming, "SELECT * FROM v_opportunities")
    assert mine.columns == VIEWS[0].column_names and not mine.truncated
    owner = mine.columns.index("owner_id")
    assert {r[owner] for r in mine.rows} == {liming.user_id}
    assert len(mine.rows) == session.execute(text("SELECT COUNT(*) FROM opportunities WHERE owner_id = :u"),
                                             {"u": liming.user_id}).scalar()
    team = run(session, wangfang, "SELECT COUNT(*) AS n FROM v_opportunities")
    expected = session.execute(text("SELECT COUNT(*) FROM opportunities o JOIN users u ON u.id = o.owner_id "
                                    "WHERE u.team_id = :t"), {"t": wangfang.team_id}).scalar()
    assert team.rows == [[expected]]
    everyone = run(session, ADMIN, "SELECT COUNT(*) AS n FROM v_opportunities")
    assert everyone.rows == [[session.execute(text("SELECT COUNT(*) FROM opportunities")).scalar()]]
    users = run(session, liming, "SELECT id, display_name FROM v_users")
    assert [r[0] for r in users.rows] == [liming.user_id]
    assert run(session, liming, "SELECT COUNT(*) FROM v_marketing_spend").rows == [[0]]


@pytest.mark.parametrize("sql", [
    "DELETE FROM opportunities",
    "DELETE FROM v_opportunities",
    "UPDATE opportunities SET amount = 0",
    "INSERT INTO users (username) VALUES ('x')",
    "DROP TABLE api_tokens",
    "SELECT * FROM users",
    "SELECT * FROM api_tokens",
    "WITH v_opportunities AS (SELECT * FROM opportunities) SELECT * FROM v_opportunities",
    "SELECT 1; DELETE FROM opportunities",
    "SELECT * FROM v_opportunities; UPDATE users SET role = 'admin'",
])
def test_writes_base_tables_and_second_statements_are_refused(session: Session, scope_of, sql: str) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(session)
    with pytest.raises(GuardError, match=r"refused|failed") as err:
        run(session, scope_of("liming"), sql)
    assert "." in str(err.value) and len(str(err.value)) < 400
    assert snapshot(session) == before


def test_sqlite_attach_pragma_and_schema_reads_are_refused(session: Session, scope_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not is_sqlite(session):
        pytest.skip("SQLite authorizer")
    before = snapshot(session)
    target = tmp_path / "stolen.db"
    for sql, why in [(f"ATTACH DATABASE '{target}' AS stolen", "ATTACH"),
                     ("PRAGMA writable_schema = ON", "PRAGMA"), ("PRAGMA query_only = OFF", "PRAGMA"),
                     ("SELECT * FROM main.users", "users"), ("SELECT sql FROM sqlite_master", "sqlite_master"),
                     ("SELECT * FROM sqlite_temp_master", "sqlite_temp_master"),
                     ("SELECT load_extension('x')", "load_extension")]:
        with pytest.raises(GuardError, match=why):
            run(session, scope_of("liming"), sql)
    assert not target.exists() and snapshot(session) == before


def test_sqlite_inner_view_name_grants_only_its_own_tables(session: Session, scope_of, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if not is_sqlite(session):
        pytest.skip("SQLite authorizer")
    monkeypatch.setattr("retrieval.sql_guard.secrets.token_hex", lambda n: "leaked")  # as if the name leaked
    for table in ("api_tokens", "users"):
        with pytest.raises(GuardError, match=f"may not read {table}"):
            run(session, scope_of("liming"), f"WITH dw_leaked_opportunities AS (SELECT * FROM {table}) "
                                             "SELECT * FROM dw_leaked_opportunities")


def test_pg_role_cannot_be_switched_back(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    if is_sqlite(session):
        pytest.skip("PostgreSQL role")
    before = snapshot(session)
    who = run(session, scope_of("liming"), "SELECT current_user AS u, current_setting('transaction_read_only') AS ro")
    assert who.rows == [["dealwise_reader", "on"]]
    with pytest.raises(GuardError, match="read-only"):  # a SELECT that would lock rows: the READ ONLY transaction
        run(session, scope_of("liming"), "SELECT id FROM v_accounts FOR UPDATE")
    with pytest.raises(GuardError, match="permission denied"):  # the role's privileges: no base tables
        run(session, scope_of("liming"), "SELECT * FROM public.api_tokens")
    for sql in ["SELECT set_config('role', session_user, true), query_to_xml('SELECT * FROM public.api_tokens', true, false, '')",
                "SELECT * FROM public.users", "SET ROLE NONE", "SELECT set_config('session_authorization', session_user, true)"]:
        with pytest.raises(GuardError):
            run(session, scope_of("liming"), sql)
    with pytest.raises(GuardError, match="stopped"):  # the timeout is armed before the statement starts
        run(session, scope_of("liming"), "SELECT set_config('statement_timeout', '0', false), pg_sleep(5)", timeout_s=0.3)
    assert snapshot(session) == before


def test_runaway_recursive_cte_is_stopped(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    import time

    t0 = time.monotonic()
    with pytest.raises(GuardError, match=r"stopped the query after 0\.3 s"):
        run(session, scope_of("liming"), "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                                         "SELECT COUNT(*) FROM r", timeout_s=0.3)
    assert time.monotonic() - t0 < 5


def test_row_cap_truncates_and_says_so(session: Session) -> None:
    capped = run(session, ADMIN, "SELECT id FROM v_opportunities ORDER BY id", max_rows=5)
    assert len(capped.rows) == 5 and capped.truncated
    assert not run(session, ADMIN, "SELECT 1 AS one;", max_rows=5).truncated


def test_connections_come_back_clean(session: Session, scope_of) -> None:  # type: ignore[no-untyped-def]
    engine = session.get_bind().engine
    for _ in range(3):
        with pytest.raises(GuardError):
            run(session, scope_of("liming"), "DELETE FROM opportunities")
        run(session, scope_of("liming"), "SELECT COUNT(*) FROM v_accounts")
    with engine.begin() as conn:  # the pool hands out writable connections without our views or handlers
        conn.execute(text("UPDATE opportunities SET name = name WHERE id = 1"))
        leaked = conn.execute(text("SELECT COUNT(*) FROM sqlite_temp_master") if engine.dialect.name == "sqlite"
                              else text("SELECT COUNT(*) FROM pg_class WHERE relname = 'v_opportunities'")).scalar()
        assert leaked == 0


def test_in_memory_sqlite_is_cleaned_up_by_hand() -> None:
    from sqlalchemy.pool import StaticPool

    from crm.db import make_engine, migrate

    engine = make_engine("sqlite://", poolclass=StaticPool)  # one shared connection: it cannot be discarded
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, display_name, role, is_active, created_at) "
                          "VALUES (1, 'a', 'A', 'admin', 1, '2026-01-01'), (2, 'r', 'R', 'rep', 1, '2026-01-01')"))
    rep = Scope(user_id=2, role="rep")
    assert run_readonly(engine, rep, "SELECT id FROM v_users", 1.0, 10).rows == [[2]]
    with pytest.raises(GuardError, match="DELETE"):
        run_readonly(engine, rep, "DELETE FROM users", 1.0, 10)
    with engine.begin() as conn:  # writable again, no views left behind
        conn.execute(text("UPDATE users SET display_name = 'B' WHERE id = 1"))
        assert conn.execute(text("SELECT COUNT(*) FROM sqlite_temp_master")).scalar() == 0
    engine.dispose()
