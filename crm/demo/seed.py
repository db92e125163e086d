"""`dealwise demo seed`: build the deterministic demo workspace with bulk inserts."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, Table, func, select, text

from crm import models as m
from crm.auth import hash_token
from crm.demo import vocab
from crm.demo.finance import build_finance
from crm.demo.people import build_org
from crm.demo.pipeline import build_accounts, build_pipeline, chunks
from crm.errors import Conflict

# Demo users whose tokens are printed; their tokens are fixed so the README tour can use them.
SHOWN_USERS = ["admin", "wangfang", "liming", "zhaolei", "sunyue", "mgr03"]


@dataclass
class SeedResult:
    users: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    as_of: str = ""


def demo_token(username: str) -> str:
    return f"dw_demo_{username}"


def _insert(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    for part in chunks(rows):
        conn.execute(table.insert(), part)


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
    step("opportunities", 0.15)
    pipe = build_pipeline(rng, org, accts, mult, opportunities, as_of)
    step("finance", 0.55)
    fin = build_finance(rng, org, pipe["opportunities"], as_of)
    step("writing", 0.65)
    t = {name: tbl for name, tbl in m.Base.metadata.tables.items()}
    with engine.begin() as conn:
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
        _insert(conn, t["accounts"], accts)
        _insert(conn, t["contacts"], contacts)
        _insert(conn, t["leads"], pipe["leads"])
        step("opportunities", 0.75)
        _insert(conn, t["opportunities"], pipe["opportunities"])
        _insert(conn, t["opportunity_stage_history"], pipe["history"])
        step("activities", 0.85)
        _insert(conn, t["activities"], pipe["activities"])
        _insert(conn, t["tasks"], pipe["tasks"])
        _insert(conn, t["orders"], fin["orders"])
        _insert(conn, t["collections"], fin["collections"])
        _insert(conn, t["marketing_spend"], fin["spend"])
        _insert(conn, t["targets"], fin["targets"])
        _insert(conn, t["forecast_submissions"], fin["forecasts"])
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
    result.counts = {"users": len(org.users), "accounts": len(accts), "contacts": len(contacts),
                     "opportunities": len(pipe["opportunities"]), "activities": len(pipe["activities"]),
                     "tasks": len(pipe["tasks"]), "leads": len(pipe["leads"]), "orders": len(fin["orders"]),
                     "collections": len(fin["collections"])}
    return result
