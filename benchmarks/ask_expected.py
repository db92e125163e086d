"""Expected answers for the Ask Dealwise question set, computed independently of `retrieval/` with pandas.

Demo workspace: the raw tables of the seeded SQLite file (read with pandas, no ORM, no compiler).
Maven: the four source CSVs in ../shared/data/maven_crm, mapped the way the documented importer maps
them (agent → rep, manager → team '<manager> team', regional_office → region, engage/close dates, close
value or the product's list price for open deals). Each spec names a metric and its filters, period,
grouping, order and limit; definitions follow docs/metrics.md.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

STAGE_ORDER = ["线索", "初步接洽", "需求确认", "方案报价", "谈判审批", "赢单"]


@dataclass
class World:
    opps: pd.DataFrame
    users: pd.DataFrame  # username, display, role, team
    today: pd.Timestamp
    coll: pd.DataFrame | None = None
    acts: pd.DataFrame | None = None
    tasks: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    fc: pd.DataFrame | None = None
    spend: pd.DataFrame | None = None
    leads: pd.DataFrame | None = None
    hist: pd.DataFrame | None = None
    accounts: pd.DataFrame | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def demo_world(db: Path, today: str) -> World:
    con = sqlite3.connect(db)
    q = lambda sql: pd.read_sql_query(sql, con)  # noqa: E731
    users = q("SELECT u.id, u.username, u.display_name AS display, u.role, t.name AS team, r.name AS region "
              "FROM users u LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN regions r ON r.id = u.region_id")
    acc = q("SELECT a.id, a.name AS account, a.industry, a.source AS acc_source, a.owner_id AS acc_owner, "
            "r.name AS acc_region FROM accounts a LEFT JOIN regions r ON r.id = a.region_id")
    prods = q("SELECT id AS product_id, name AS product FROM products")
    o = q("SELECT id, account_id, owner_id, product_id, product_line, amount, status, stage, created_at, closed_at, "
          "expected_close, source AS lead_source FROM opportunities")
    o = o.merge(acc, left_on="account_id", right_on="id", suffixes=("", "_a")).merge(prods, on="product_id", how="left")
    o = _owner(o, users, "owner_id")
    for c in ("created_at", "closed_at"):
        o[c] = pd.to_datetime(o[c], format="ISO8601")
    o["expected_close"] = pd.to_datetime(o["expected_close"])
    w = World(opps=o, users=users, today=pd.Timestamp(today), accounts=_owner(acc.rename(columns={"acc_owner": "owner_id"}), users, "owner_id"))
    opp_dims = o[["id", "product", "product_line", "lead_source"]].rename(columns={"id": "opportunity_id"})
    coll = q("SELECT opportunity_id, account_id, owner_id, amount, received_on FROM collections")
    coll = _owner(coll.merge(acc[["id", "account", "industry"]], left_on="account_id", right_on="id").merge(opp_dims, on="opportunity_id"), users, "owner_id")
    coll["date"] = pd.to_datetime(coll["received_on"])
    w.coll = coll
    acts = q("SELECT id, type AS activity_type, opportunity_id, account_id, owner_id, occurred_at FROM activities")
    acts = _owner(acts.merge(acc[["id", "account", "industry"]].rename(columns={"id": "aid"}), left_on="account_id", right_on="aid", how="left"), users, "owner_id")
    acts["date"] = pd.to_datetime(acts["occurred_at"], format="ISO8601")
    w.acts = acts
    tasks = _owner(q("SELECT owner_id, status, due FROM tasks"), users, "owner_id")
    tasks["due"] = pd.to_datetime(tasks["due"])
    w.tasks = tasks
    t = _owner(q("SELECT user_id AS owner_id, amount, period_start FROM targets WHERE level = 'user'"), users, "owner_id")
    t["date"] = pd.to_datetime(t["period_start"])
    w.targets = t
    fc = _owner(q("SELECT user_id AS owner_id, amount, period_start FROM forecast_submissions"), users, "owner_id")
    fc["date"] = pd.to_datetime(fc["period_start"])
    w.fc = fc
    sp = q("SELECT s.channel AS lead_source, r.name AS region, s.month, s.amount FROM marketing_spend s "
           "LEFT JOIN regions r ON r.id = s.region_id")
    sp["date"] = pd.to_datetime(sp["month"])
    w.spend = sp
    leads = _owner(q("SELECT id, owner_id, source AS lead_source, industry, created_at FROM leads"), users, "owner_id")
    leads["date"] = pd.to_datetime(leads["created_at"], format="ISO8601")
    w.leads = leads
    h = q("SELECT opportunity_id, to_stage FROM opportunity_stage_history")
    w.hist = h
    first = q("SELECT opportunity_id, MIN(occurred_at) AS first_act FROM activities GROUP BY opportunity_id")
    first["first_act"] = pd.to_datetime(first["first_act"], format="ISO8601")
    w.opps = w.opps.merge(first, left_on="id", right_on="opportunity_id", how="left")
    con.close()
    return w


def _owner(df: pd.DataFrame, users: pd.DataFrame, col: str) -> pd.DataFrame:
    u = users[["id", "username", "display", "team", "region"]].rename(
        columns={"id": col, "display": "rep", "username": "owner_username"})
    return df.merge(u, on=col, how="left")


def maven_world(folder: Path, today: str) -> World:
    acc = pd.read_csv(folder / "accounts.csv")
    prods = pd.read_csv(folder / "products.csv")
    teams = pd.read_csv(folder / "sales_teams.csv")
    p = pd.read_csv(folder / "sales_pipeline.csv", dtype={"account": str})
    prods["key"] = prods["product"].str.replace(" ", "").str.lower()
    p["key"] = p["product"].str.replace(" ", "").str.lower()
    p = p.drop(columns=["product"]).merge(prods.rename(columns={"series": "product_line"}), on="key")
    p = p.merge(teams, on="sales_agent")
    p = p.merge(acc[["account", "sector"]], on="account", how="left")
    engage = pd.to_datetime(p["engage_date"])
    close = pd.to_datetime(p["close_date"])
    latest = pd.concat([close, engage]).max()
    o = pd.DataFrame({
        "id": p["opportunity_id"], "rep": p["sales_agent"], "team": p["manager"] + " team", "region": p["regional_office"],
        "product": p["product"], "product_line": p["product_line"], "industry": p["sector"],
        "account": p["account"].fillna("(未填写客户)"), "lead_source": "maven",
        "amount": p["close_value"].where(p["close_value"].notna(), p["sales_price"]).astype(float),
        "status": p["deal_stage"].map({"Won": "won", "Lost": "lost"}).fillna("open"),
        "created_at": engage.fillna(latest) + pd.Timedelta(hours=9),
        "closed_at": (close + pd.Timedelta(hours=18)).where(p["deal_stage"].isin(["Won", "Lost"])),
        "expected_close": close,
        "owner_username": p["sales_agent"].str.lower().str.replace(r"[^0-9a-z]+", ".", regex=True).str.strip("."),
    })
    users = pd.concat([
        pd.DataFrame({"username": o["owner_username"].unique()}).merge(
            o[["owner_username", "team"]].drop_duplicates(), left_on="username", right_on="owner_username")[["username", "team"]].assign(role="rep"),
        pd.DataFrame({"username": (teams["manager"].str.lower().str.replace(" ", ".")).unique(),
                      "team": (teams["manager"] + " team").unique(), "role": "manager"}),
    ])
    return World(opps=o, users=users, today=pd.Timestamp(today))


# --- evaluation -----------------------------------------------------------------------------------
def _scope(df: pd.DataFrame, w: World, user: str | None) -> pd.DataFrame:
    if not user:
        return df
    u = w.users[w.users["username"] == user].iloc[0]
    if u["role"] == "rep":
        return df[df["owner_username"] == user]
    members = w.users[(w.users["team"] == u["team"]) & (w.users["role"] == "rep")]["username"]
    return df[df["owner_username"].isin(members)]


def _filter(df: pd.DataFrame, f: dict[str, list[str]], skip: str | None = None) -> pd.DataFrame:
    for dim, vals in f.items():
        if dim == "activity_type" and dim not in df.columns:
            continue
        if dim != skip:
            df = df[df[dim].isin(vals)]
    return df


def _in(df: pd.DataFrame, col: str, p: list[str] | None) -> pd.DataFrame:
    if not p:
        return df
    return df[(df[col] >= pd.Timestamp(p[0])) & (df[col] < pd.Timestamp(p[1]))]


def _bucket(s: pd.Series, grain: str) -> pd.Series:
    if grain == "month":
        return s.dt.strftime("%Y-%m")
    if grain == "quarter":
        return s.dt.year.astype(str) + "-Q" + ((s.dt.month + 2) // 3).astype(str)
    if grain == "year":
        return s.dt.strftime("%Y")
    raise ValueError(grain)


def _agg(df: pd.DataFrame, by: str | None, fn: Any, date_col: str | None = None) -> dict[Any, float]:
    if by is None:
        return {(): fn(df)} if len(df) else {}
    keys = _bucket(df[date_col], by.split(":")[1]) if by.startswith("time:") else df[by]
    return {k: fn(g) for k, g in df.groupby(keys)}


def compute(w: World, e: dict[str, Any], user: str | None, period: list[str] | None = None) -> dict[Any, float | None]:
    """Keyed values (key () when ungrouped) for a spec; `period` overrides e['p'] (comparisons)."""
    m, by, f = e["m"], e.get("by"), e.get("f", {})
    p = period if period is not None else e.get("p")
    o = _filter(_scope(w.opps, w, user), f)
    won = o[o["status"] == "won"]
    if m == "bookings":
        return _agg(_in(won, "closed_at", p), by, lambda g: g["amount"].sum(), "closed_at") or {(): 0.0}
    if m == "deals_won":
        return _agg(_in(won, "closed_at", p), by, len, "closed_at") or {(): 0}
    if m == "deals_lost":
        return _agg(_in(o[o["status"] == "lost"], "closed_at", p), by, len, "closed_at") or {(): 0}
    if m == "deals_created":
        return _agg(_in(o, "created_at", p), by, len, "created_at") or {(): 0}
    if m == "avg_deal_size":
        return _agg(_in(won, "closed_at", p), by, lambda g: g["amount"].mean(), "closed_at")
    if m == "avg_sales_cycle":
        return _agg(_in(won, "closed_at", p), by,
                    lambda g: ((g["closed_at"] - g["created_at"]).dt.total_seconds() / 86400).mean(), "closed_at")
    if m == "win_rate":
        c = _in(o[o["status"].isin(["won", "lost"])], "closed_at", p)
        return _agg(c, by, lambda g: (g["status"] == "won").mean(), "closed_at")
    if m == "open_pipeline":
        op = o[o["status"] == "open"]
        return _agg(_in(op, "expected_close", p), by, lambda g: g["amount"].sum()) or {(): 0.0}
    if m == "conversion":
        a, b = e["stages"]
        num, den = _reached(w, o, p, b, by), _reached(w, o, p, a, by)
        return {k: (num.get(k, 0) / d if d else None) for k, d in den.items()}
    if m == "funnel":
        leads = _in(_filter(_scope(w.leads, w, user), f), "date", p)
        wins = _in(o, "created_at", p)
        return {(): (wins["status"] == "won").sum() / len(leads)}
    if m == "collections":
        c = _in(_filter(_scope(w.coll, w, user), f), "date", p)
        return _agg(c, by, lambda g: g["amount"].sum(), "date") or {(): 0.0}
    if m == "activity_count":
        a = _in(_filter(_scope(w.acts, w, user), f), "date", p)
        return _agg(a, by, len, "date") or {(): 0}
    if m == "overdue_tasks":
        t = _scope(w.tasks, w, user)
        t = _filter(t[(t["status"] == "open") & (t["due"] < w.today)], f)
        return _agg(t, by, len) or {(): 0}
    if m in ("target_attainment", "pipeline_coverage", "forecast_accuracy"):
        tg = _agg(_in(_filter(_scope(w.targets, w, user), f), "date", p), by, lambda g: g["amount"].sum())
        if m == "target_attainment":
            bk = compute(w, {**e, "m": "bookings"}, user, p)
            return {k: bk.get(k, 0.0) / v for k, v in tg.items() if v}
        if m == "pipeline_coverage":
            pl = compute(w, {**e, "m": "open_pipeline"}, user, p)
            return {k: pl.get(k, 0.0) / v for k, v in tg.items() if v}
        fc = _agg(_in(_filter(_scope(w.fc, w, user), f), "date", p), by, lambda g: g["amount"].sum())
        bk = compute(w, {**e, "m": "bookings"}, user, p)
        return {k: 1 - abs(fc[k] - a) / a for k, a in bk.items() if k in fc and a}
    if m == "new_customers":
        first = won.groupby("account_id" if "account_id" in won else "account")["closed_at"].min()
        acc = w.accounts if w.accounts is not None else None
        if acc is not None:
            df = acc.merge(first.rename("first_win"), left_on="id", right_index=True)
            df = df.rename(columns={"acc_region": "region_acc"})
        else:
            df = first.rename("first_win").reset_index()
        return _agg(_in(df, "first_win", p), by, len, "first_win") or {(): 0}
    if m == "clv":
        per = won[won["closed_at"] < pd.Timestamp(p[1])] if p else won
        return {(): per.groupby("account_id")["amount"].sum().mean()}
    if m == "cac":
        sp = _in(w.spend, "date", p)
        first = won.groupby("account_id")["closed_at"].min()
        df = w.accounts.merge(first.rename("first_win"), left_on="id", right_index=True)
        df = _in(df, "first_win", p).rename(columns={"acc_source": "lead_source_acc"})
        if by == "lead_source":
            n = df.groupby("lead_source_acc").size()
            s = sp.groupby("lead_source")["amount"].sum()
            return {k: s[k] / n[k] for k in n.index if k in s.index and n[k]}
        return {(): sp["amount"].sum() / len(df)}
    if m == "contribution":
        v = _in(won, "closed_at", p).groupby(by)["amount"].sum().sort_values(ascending=False)
        top = max(1, math.ceil(0.2 * len(v)))
        return {(): v.iloc[:top].sum() / v.sum()}
    if m == "penetration":
        acc = _scope(w.accounts, w, user)
        hit = set(_in(won, "closed_at", p)["account_id"])
        acc = acc.assign(hit=acc["id"].isin(hit))
        return {k: g["hit"].mean() for k, g in acc.groupby("acc_region")}
    if m == "response_time":
        c = _in(o, "created_at", p).dropna(subset=["first_act"])
        return {(): ((c["first_act"] - c["created_at"]).dt.total_seconds() / 86400).mean()}
    raise ValueError(f"no expectation for {m}")


def _reached(w: World, o: pd.DataFrame, p: list[str] | None, level: str, by: str | None) -> dict[Any, float]:
    c = _in(o, "created_at", p)
    if level == "线索":
        return _agg(_in(w.leads, "date", p), by, len)
    if level == "商机":
        return _agg(c, by, len)
    if level == "成交":
        return {k: v for k, v in _agg(c, by, lambda g: (g["status"] == "won").sum()).items()}
    stage = "方案报价" if level == "报价" else level
    later = set(STAGE_ORDER[STAGE_ORDER.index(stage):])
    if w.hist is not None:
        ids = set(w.hist[w.hist["to_stage"].isin(later)]["opportunity_id"])
    else:
        ids = set(c[c["status"] == "won"]["id"])
    return _agg(c, by, lambda g: g["id"].isin(ids).sum())


def _prev(p: list[str], kind: str) -> list[str]:
    s, e = pd.Timestamp(p[0]), pd.Timestamp(p[1])
    if kind == "yoy":
        return [str((s - pd.DateOffset(years=1)).date()), str((e - pd.DateOffset(years=1)).date())]
    months = (e.year - s.year) * 12 + e.month - s.month
    return [str((s - pd.DateOffset(months=months)).date()), p[0]]


def expected(w: World, e: dict[str, Any], user: str | None) -> dict[str, Any]:
    """The expected answer: {'kind': 'value'|'table'|'clarify'|'refuse', ...}."""
    kind = e.get("kind")
    if kind in ("clarify", "refuse"):
        return {"kind": kind, "options": e.get("options", [])}
    user = e.get("scope") or user
    vals = compute(w, e, user)
    if e["m"] in ("contribution", "funnel"):
        return {"kind": "value", "value": vals[()]}
    cmp = e.get("cmp")
    if cmp in ("yoy", "pop"):
        prev = compute(w, e, user, _prev(e["p"], cmp))
        return {"kind": "value", "value": vals.get(()), "previous": prev.get(())}
    if cmp == "share":
        dim = list(e["f"])[-1]
        whole = compute(w, {**e, "f": {k: v for k, v in e["f"].items() if k != dim}}, user)
        return {"kind": "value", "value": vals[()], "share": vals[()] / whole[()]}
    if not e.get("by"):
        return {"kind": "value", "value": vals.get(())}
    rows = [(k, v) for k, v in vals.items()]
    if e.get("order"):
        rows.sort(key=lambda kv: (-(kv[1] or 0) if e["order"] == "desc" else (kv[1] or 0), str(kv[0])))
        if e.get("limit"):
            rows = rows[: e["limit"]]
    return {"kind": "table", "rows": rows, "ordered": bool(e.get("order"))}
