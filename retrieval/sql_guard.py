"""Run one untrusted SQL statement read-only, inside the caller's scope, with a time limit and a row cap.

The database enforces it, not a regex:
- SQLite: per-request TEMP views (`v_*` over randomly named inner views that apply the `Scope`), then
  `PRAGMA query_only=ON`, a progress handler (time limit) and an authorizer that allows only SELECT, functions
  and reads of those views (a base table only when the inner view built on it reads it); ATTACH, PRAGMA, writes,
  reads of `users`/`api_tokens`/`sqlite_master` are denied. `Cursor.execute` refuses a second statement.
- PostgreSQL: TEMP views granted to the least-privilege role `dealwise_reader` (created at first use), a
  READ ONLY transaction under `SET LOCAL ROLE dealwise_reader` and `SET LOCAL statement_timeout`; the statement
  runs as a subquery inside a temporary SECURITY DEFINER function owned by that role, so it must be one SELECT
  and cannot switch role back with `set_config('role', …)`. The transaction is rolled back.
The connection is discarded afterwards (nothing of this state returns to the pool).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from crm.scope import Scope
from retrieval.freeform_views import VIEW_NAMES, view_selects, view_tables

READER_ROLE = "dealwise_reader"
_ACTIONS = {getattr(sqlite3, f"SQLITE_{n}"): n for n in (
    "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER",
    "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE", "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX",
    "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA",
    "READ", "SELECT", "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE",
    "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE")}
_DENIED_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}
_ONLY_VIEWS = "only a single read-only SELECT over the v_* views may run"
_ready_roles: set[str] = set()


class GuardError(Exception):
    """The database refused or stopped the query; the message is one sentence fit to show and to repair with."""


@dataclass
class Rows:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


def run_readonly(engine: Engine, scope: Scope, sql: str, timeout_s: float, max_rows: int) -> Rows:
    sql = (sql or "").strip()
    if not sql:
        raise GuardError("the query is empty")
    if engine.dialect.name == "sqlite":
        return _run_sqlite(engine, scope, sql, timeout_s, max_rows)
    if engine.dialect.name == "postgresql":
        return _run_postgres(engine, scope, sql, timeout_s, max_rows)
    raise GuardError(f"free-form SQL is not supported on {engine.dialect.name}")


def _discard(conn: Connection, in_memory: bool) -> None:
    if not in_memory:
        conn.invalidate()  # close the DBAPI connection: temp views, pragmas, handlers go with it
    conn.close()


# --- SQLite ---------------------------------------------------------------------------------------
def _run_sqlite(engine: Engine, scope: Scope, sql: str, timeout_s: float, max_rows: int) -> Rows:
    in_memory = engine.url.database in (None, "", ":memory:")
    conn = engine.connect()
    raw: Any = conn.connection.dbapi_connection
    token = secrets.token_hex(8)
    inner = {name: f"dw_{token}_{name[2:]}" for name in VIEW_NAMES}
    temp_ok = set(VIEW_NAMES) | set(inner.values())
    base_ok = {(inner[name], table) for name, tables in view_tables(scope).items() for table in tables}
    denied: list[str] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None) -> int:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in _DENIED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            if db is None or (db == "temp" and arg1 in temp_ok) or (db == "main" and (source, arg1) in base_ok):
                return sqlite3.SQLITE_OK  # a CTE/subquery, one of our views, or a scoped inner view's own table
            denied.append(f"it may not read {arg1}")
        elif action == sqlite3.SQLITE_FUNCTION:
            denied.append(f"the function {arg2} is not allowed")
        else:
            denied.append(f"{_ACTIONS.get(action, action)} is not allowed")
        return sqlite3.SQLITE_DENY

    try:
        ddl = [f"CREATE TEMP VIEW {inner[name]} AS {select_sql};\n"
               f"CREATE TEMP VIEW {name} AS SELECT * FROM temp.{inner[name]};"
               for name, select_sql in view_selects(scope, engine.dialect).items()]
        raw.executescript("BEGIN;\n" + "\n".join(ddl) + "\nCOMMIT;")  # one transaction: one schema change
        raw.execute("PRAGMA query_only=ON")
        deadline = time.monotonic() + timeout_s
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        raw.set_authorizer(authorize)
        cur = raw.cursor()
        try:
            cur.execute(sql)
            if cur.description is None:
                raise GuardError(f"The database refused the query: {_ONLY_VIEWS}.")
            rows = [[_plain(x) for x in r] for r in cur.fetchmany(max_rows + 1)]
            columns = [d[0] for d in cur.description]
        except sqlite3.Warning as exc:  # pragma: no cover - older Pythons report several statements this way
            raise GuardError(f"The database refused the query: only one statement may run ({exc}).") from exc
        except sqlite3.ProgrammingError as exc:
            if "one statement" in str(exc):
                raise GuardError("The database refused the query: only one statement may run at a time.") from exc
            raise GuardError(f"The query failed: {exc}.") from exc
        except sqlite3.DatabaseError as exc:
            if "interrupted" in str(exc):
                raise GuardError(f"The database stopped the query after {timeout_s:g} s (time limit).") from exc
            if denied or "not authorized" in str(exc):
                why = denied[0] if denied else "not authorized"
                raise GuardError(f"The database refused the query: {why}; {_ONLY_VIEWS}.") from exc
            if "readonly" in str(exc) or "read-only" in str(exc):
                raise GuardError(f"The database refused the query: it is read-only; {_ONLY_VIEWS}.") from exc
            raise GuardError(f"The query failed: {exc}.") from exc
        finally:
            cur.close()
    finally:
        raw.set_authorizer(None)
        raw.set_progress_handler(None, 0)
        raw.rollback()
        if in_memory:  # the one shared connection stays: undo by hand (file databases just close it)
            raw.execute("PRAGMA query_only=OFF")
            for name in [*VIEW_NAMES, *inner.values()]:
                raw.execute(f"DROP VIEW IF EXISTS temp.{name}")
        _discard(conn, in_memory)
    return Rows(columns=columns, rows=rows[:max_rows], truncated=len(rows) > max_rows)


def _plain(x: Any) -> Any:
    """A JSON-friendly cell (SQLite blobs become a marker, not bytes)."""
    return f"<{len(x)} bytes>" if isinstance(x, bytes | bytearray | memoryview) else x


# --- PostgreSQL -----------------------------------------------------------------------------------
_PG_FUNCTION = f"""CREATE FUNCTION pg_temp.dw_freeform(q text, cap integer) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_temp, pg_catalog AS $dw$
BEGIN
  RETURN QUERY EXECUTE 'SELECT row_to_json(_dw)::text FROM (' || q || E'\\n) AS _dw LIMIT ' || cap;
END $dw$;
ALTER FUNCTION pg_temp.dw_freeform(text, integer) OWNER TO {READER_ROLE}"""
_PG_MESSAGES = {
    "42501": "The database refused the query: permission denied; " + _ONLY_VIEWS + " ({err}).",
    "25006": "The database refused the query: the transaction is read-only; " + _ONLY_VIEWS + ".",
    "57014": "The database stopped the query after {timeout:g} s (time limit).",
    "42P01": "The database refused the query: {err} for it; " + _ONLY_VIEWS + ".",
}


def _ensure_reader(engine: Engine) -> None:
    """Create the NOLOGIN role `dealwise_reader` (no privileges of its own) once, and let us SET ROLE to it."""
    key = engine.url.render_as_string(hide_password=True)
    if key in _ready_roles:
        return
    with engine.connect() as conn:
        try:
            conn.exec_driver_sql(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') "
                f"THEN CREATE ROLE {READER_ROLE} NOLOGIN NOINHERIT; END IF; END $$")
            conn.commit()
        except Exception:  # created concurrently by another process, or no CREATEROLE: checked below
            conn.rollback()
        exists = conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}'").scalar()
        if not exists:
            raise GuardError(f"Free-form SQL needs the database role {READER_ROLE}, which could not be created.")
        if not conn.exec_driver_sql(f"SELECT pg_has_role(current_user, '{READER_ROLE}', 'MEMBER')").scalar():
            try:
                conn.exec_driver_sql(f"GRANT {READER_ROLE} TO CURRENT_USER")
                conn.commit()
            except Exception as exc:
                conn.rollback()
                raise GuardError(f"Free-form SQL needs membership in the role {READER_ROLE}.") from exc
    _ready_roles.add(key)


def _run_postgres(engine: Engine, scope: Scope, sql: str, timeout_s: float, max_rows: int) -> Rows:
    _ensure_reader(engine)
    sql = sql.rstrip().rstrip(";").rstrip()  # a trailing semicolon is not a second statement
    conn = engine.connect()
    raw: Any = conn.connection.dbapi_connection
    try:
        with raw.cursor() as cur:
            for name, select_sql in view_selects(scope, engine.dialect).items():
                cur.execute(f"CREATE TEMP VIEW {name} AS {select_sql}")
            cur.execute(f"GRANT SELECT ON {', '.join(sorted(VIEW_NAMES))} TO {READER_ROLE}")
            cur.execute(_PG_FUNCTION)
            cur.execute("SET TRANSACTION READ ONLY")
            cur.execute(f"SET LOCAL ROLE {READER_ROLE}")
            cur.execute(f"SET LOCAL statement_timeout = {max(1, int(timeout_s * 1000))}")
            try:
                cur.execute("SELECT pg_temp.dw_freeform(%s, %s)", (sql, max_rows + 1))
                texts = [r[0] for r in cur.fetchall()]
            except Exception as exc:
                state = getattr(exc, "sqlstate", None) or ""
                err = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if state in _PG_MESSAGES:
                    raise GuardError(_PG_MESSAGES[state].format(err=err, timeout=timeout_s)) from exc
                if state == "42601" and ";" in sql:
                    raise GuardError("The database refused the query: only one statement may run at a time.") from exc
                if state == "42601":  # the statement runs as a subquery: anything but one SELECT does not parse
                    raise GuardError(f"The database refused the query: {err}; {_ONLY_VIEWS}.") from exc
                raise GuardError(f"The query failed: {err}.") from exc
    finally:
        try:
            raw.rollback()
        finally:
            _discard(conn, in_memory=False)
    pairs = [json.loads(t, object_pairs_hook=lambda p: p) for t in texts]
    columns = [k for k, _ in pairs[0]] if pairs else []
    rows = [[v for _, v in p] for p in pairs]
    return Rows(columns=columns, rows=rows[:max_rows], truncated=len(rows) > max_rows)
