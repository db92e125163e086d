"""`dealwise demo seed`: build the deterministic demo workspace with bulk inserts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, Table, func, select, text

from crm import models as m
from crm.auth import hash_token
from crm.demo import vocab
from crm.demo.finance import build_finance
from crm.demo.people import build_org
from crm.demo.pipeline import account_weights, build_accounts, build_pipeline, build_unconverted_leads, chunks
from crm.errors import Conflict
from crm.rollups import refresh as refresh_rollups

# Demo users whose tokens are printed; their tokens are fixed so the README tour can use them.
BATCH = 50000
SHOWN_USERS = ["admin", "wangfang", "liming", "zhaolei", "sunyue", "mgr03"]


@dataclass
class SeedResult:
    users: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    as_of: str = ""


def demo_token(username: str) -> str:
    return f"dw_demo_{username}"


def _dt(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat(" ", "microseconds")


def _d(v: date | None) -> str | None:
    return None if v is None else v.isoformat()


def _js(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


def _converter(column: Any) -> Callable[[Any], Any] | None:
    """What SQLAlchemy's SQLite types would store, computed directly (10× faster for bulk rows)."""
    kind = type(column.type).__name__
    if kind in ("UTCDateTime", "DateTime"):
        return _dt
    if kind == "Date":
        return _d
    if kind == "JSON":
        return _js
    return None


def _insert(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        for part in chunks(rows):
            conn.execute(table.insert(), part)
        return
    cols = list(rows[0])
    convs = [_converter(table.c[c]) for c in cols]
    conv = [(i, f) for i, f in enumerate(convs) if f is not None]
    names = ", ".join(f'"{c}"' for c in cols)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(cols))})'
    cursor = conn.connection.driver_connection.cursor()
    for part in chunks(rows):
        batch = []
        for r in part:
            vals = [r.get(c) for c in cols]
            for i, f in conv:
                vals[i] = f(vals[i])
            batch.append(vals)
        cursor.executemany(sql, batch)
    cursor.close()


def _write_reference(conn: Any, t: dict[str, Table], org: Any, as_of: datetime) -> None:
    """Org profile, products, stages, regions, teams, users and the demo users' tokens."""
    conn.execute(t["org_profile"].insert(), [{"id": 1, "name": vocab.COMPANY, "aliases": vocab.ALIASES,
                                               "competitors": vocab.COMPETITORS, "currency": "CNY",
                                               "fiscal_year_start_month": 1}])
    conn.execute(t["products"].insert(), [
        {"id": i, "name": n, "product_line": line, "list_price": price, "aliases": []}
        for i, (n, line, price, _r) in enumerate(vocab.PRODUCTS, start=1)])
    conn.execute(t["stages"].insert(), [
        {"id": i, "name": n, "order": i, "kind": k, "default_probability": p}
        for i, (n, k, p) in enumerate(m.DEFAULT_STAGES, start=1)])
    _insert(conn, t["regions"], org.regions)
    _insert(conn, t["teams"], [{**tm, "manager_id": None} for tm in org.teams])
    _insert(conn, t["users"], [{
        "id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
        "team_id": u.team_id, "region_id": u.region_id, "wecom_userid": u.username, "email": None,
        "is_active": True, "created_at": as_of} for u in org.users])
    for tm in org.teams:
        conn.execute(t["teams"].update().where(t["teams"].c.id == tm["id"]).values(manager_id=tm["manager_id"]))
    _insert(conn, t["api_tokens"], [
        {"user_id": u.id, "token_hash": hash_token(demo_token(u.username)), "prefix": demo_token(u.username)[:8],
         "name": "demo", "created_at": as_of} for u in org.users if u.username in SHOWN_USERS])


def seed_demo(
    engine: Engine, opportunities: int = 20000, accounts: int | None = None, seed: int = 7,
    as_of: datetime | None = None, progress: Callable[[str, float], None] | None = None,
) -> SeedResult:
    """Fill an empty, migrated database. Raises Conflict when it already holds users."""
    t0 = time.perf_counter()
    step = progress or (lambda _msg, _frac: None)
    as_of = (as_of or datetime.now()).replace(microsecond=0)
    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(m.User)):
            raise Conflict("the database already has users; seed an empty database (or use a new --database-url)")
    rng = np.random.default_rng(seed)
    org = build_org(rng)
    n_acc = accounts or max(2400, opportunities // 8)
    step("accounts", 0.05)
    accts, contacts, mult = build_accounts(rng, org, n_acc)
    weights = account_weights(rng, len(accts))
    t = dict(m.Base.metadata.tables)
    counts = {"opportunities": 0, "activities": 0, "tasks": 0, "leads": 0}
    compact: list[dict[str, Any]] = []  # what the finance builder needs of each deal
    keep = ("id", "owner_id", "account_id", "status", "amount", "closed_at", "expected_close")
    bulk_tables = [t[name] for name in ("leads", "opportunities", "opportunity_stage_history", "activities", "tasks")]
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB page cache for the bulk load
        # secondary indexes are rebuilt once at the end: sorting beats millions of random B-tree inserts
        dropped = [ix for tbl in bulk_tables for ix in tbl.indexes if not ix.unique]
        for ix in dropped:
            ix.drop(conn)
        _write_reference(conn, t, org, as_of)
        _insert(conn, t["accounts"], accts)
        _insert(conn, t["contacts"], contacts)
        done = 0
        while done < opportunities:
            n = min(BATCH, opportunities - done)
            pipe = build_pipeline(rng, org, accts, mult, weights, n, as_of, first_id=done + 1,
                                  first_lead_id=counts["leads"] + 1)
            _insert(conn, t["leads"], pipe["leads"])
            _insert(conn, t["opportunities"], pipe["opportunities"])
            _insert(conn, t["opportunity_stage_history"], pipe["history"])
            _insert(conn, t["activities"], pipe["activities"])
            _insert(conn, t["tasks"], pipe["tasks"])
            for key in counts:
                counts[key] += len(pipe[key])
            compact.extend({k: o[k] for k in keep} for o in pipe["opportunities"])
            done += n
            step("opportunities", 0.1 + 0.75 * done / opportunities)
        leads = build_unconverted_leads(rng, accts, int(opportunities * 0.7), as_of, counts["leads"] + 1)
        _insert(conn, t["leads"], leads)
        counts["leads"] += len(leads)
        step("finance", 0.9)
        fin = build_finance(rng, org, compact, as_of)
        _insert(conn, t["orders"], fin["orders"])
        _insert(conn, t["collections"], fin["collections"])
        _insert(conn, t["marketing_spend"], fin["spend"])
        _insert(conn, t["targets"], fin["targets"])
        _insert(conn, t["forecast_submissions"], fin["forecasts"])
        step("indexes", 0.95)
        for ix in dropped:
            ix.create(conn)
        refresh_rollups(conn)  # the scoring rollups of the deals the triggers marked
        if conn.dialect.name == "postgresql":
            for name in ("regions", "teams", "users", "products", "stages", "accounts", "contacts", "leads",
                         "opportunities", "orders", "org_profile"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"COALESCE((SELECT MAX(id) FROM {name}), 1))"))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    step("done", 1.0)
    by_name = {u.username: u for u in org.users}
    teams = {tm["id"]: tm["name"] for tm in org.teams}
    result = SeedResult(seconds=round(time.perf_counter() - t0, 2), as_of=as_of.isoformat())
    for uname in SHOWN_USERS:
        u = by_name[uname]
        result.users.append({"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                             "team": teams.get(u.team_id or 0), "token": demo_token(u.username)})
    result.counts = {"users": len(org.users), "accounts": len(accts), "contacts": len(contacts), **counts,
                     "orders": len(fin["orders"]), "collections": len(fin["collections"])}
    return result
