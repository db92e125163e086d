"""`dealwise import maven DIR`: the Maven Analytics "CRM Sales Opportunities" sample.

Agents become reps, managers their team's manager, regional offices regions; deal_stage maps to our
stages (Prospecting → 初步接洽, Engaging → 需求确认, Won → 赢单, Lost → 输单); engage_date/close_date/close_value
become created, closed and amount. Deals without an account get the agent's placeholder account
"(未填写客户)"; open deals without close_value take the product's list price as amount. 'GTXPro' in
sales_pipeline.csv is matched to 'GTX Pro' in products.csv (names compared without spaces).
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.importers import common as c
from crm.models import Account, Opportunity, StageHistory, User

FILES = ("accounts.csv", "products.csv", "sales_teams.csv", "sales_pipeline.csv")
STAGE_MAP = {"Prospecting": ("初步接洽", "open"), "Engaging": ("需求确认", "open"),
             "Won": ("赢单", "won"), "Lost": ("输单", "lost")}
PLACEHOLDER_ACCOUNT = "(未填写客户)"


def _key(name: str) -> str:
    return "".join(name.split()).lower()


def _read(path: Path, required: set[str], errors: list[c.RowError]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            missing = required - set(reader.fieldnames or [])
            if missing:
                errors.append(c.RowError(path.name, 1, f"missing column(s): {', '.join(sorted(missing))}"))
                return []
            return list(reader)
    except UnicodeDecodeError:
        errors.append(c.RowError(path.name, 1, "not UTF-8 text"))
        return []


def import_maven(session: Session, directory: Path) -> c.ImportReport:
    """Validate all four files first; write only when every row is good (the caller commits)."""
    missing = [f for f in FILES if not (directory / f).is_file()]
    if missing:
        raise c.InvalidInput(f"{directory} lacks {', '.join(missing)}")
    errors: list[c.RowError] = []
    accounts = _read(directory / "accounts.csv", {"account", "sector", "employees"}, errors)
    products = _read(directory / "products.csv", {"product", "series", "sales_price"}, errors)
    teams = _read(directory / "sales_teams.csv", {"sales_agent", "manager", "regional_office"}, errors)
    pipeline = _read(directory / "sales_pipeline.csv", {"opportunity_id", "sales_agent", "product", "account",
                                                        "deal_stage", "engage_date", "close_date", "close_value"}, errors)
    prices: dict[str, tuple[str, str, float]] = {}
    for i, r in enumerate(products, start=2):
        try:
            prices[_key(r["product"])] = (r["product"].strip(), r["series"].strip(), c.parse_amount(r["sales_price"]))
        except ValueError as exc:
            errors.append(c.RowError("products.csv", i, str(exc)))
    agents = {r["sales_agent"].strip(): r for r in teams}
    account_names = {r["account"].strip() for r in accounts}
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, r in enumerate(pipeline, start=2):
        def bad(reason: str, line: int = i) -> None:
            errors.append(c.RowError("sales_pipeline.csv", line, reason))
        oid, agent, stage = r["opportunity_id"].strip(), r["sales_agent"].strip(), r["deal_stage"].strip()
        if not oid or oid in seen:
            bad(f"missing or duplicate opportunity_id {oid!r}")
        seen.add(oid)
        if agent not in agents:
            bad(f"sales_agent {agent!r} is not in sales_teams.csv")
        if _key(r["product"]) not in prices:
            bad(f"product {r['product']!r} is not in products.csv")
        if r["account"].strip() and r["account"].strip() not in account_names:
            bad(f"account {r['account']!r} is not in accounts.csv")
        if stage not in STAGE_MAP:
            bad(f"deal_stage {stage!r} is not one of {', '.join(STAGE_MAP)}")
        try:
            engage = c.parse_date(r["engage_date"]) if r["engage_date"].strip() else None
            close = c.parse_date(r["close_date"]) if r["close_date"].strip() else None
            value = c.parse_amount(r["close_value"]) if r["close_value"].strip() else None
        except ValueError as exc:
            bad(str(exc))
            continue
        if stage in ("Won", "Lost") and (close is None or engage is None):
            bad(f"a {stage} deal needs engage_date and close_date")
        if engage and close and close < engage:
            bad("close_date is before engage_date")
        parsed.append({"oid": oid, "agent": agent, "product": _key(r["product"]), "account": r["account"].strip(),
                       "stage": stage, "engage": engage, "close": close, "value": value})
    if errors:
        raise c.ImportFailed(errors)
    if session.scalar(select(Opportunity.id).where(Opportunity.external_id.in_(list(seen)[:500])).limit(1)):
        raise c.InvalidInput("these opportunities were imported already (same opportunity_id); nothing imported")
    return _write(session, accounts, prices, teams, parsed)


def _write(session: Session, accounts: list[dict[str, str]], prices: dict[str, tuple[str, str, float]],
           teams: list[dict[str, str]], parsed: list[dict[str, Any]]) -> c.ImportReport:
    report = c.ImportReport("maven")
    c.ensure_reference_data(session)
    users: dict[str, User] = {}
    for r in teams:
        region = c.region(session, r["regional_office"].strip())
        team = c.team(session, f"{r['manager'].strip()} team", region.id)
        if r["manager"].strip() not in users:
            users[r["manager"].strip()] = c.user(session, r["manager"].strip(), "manager", team)
            team.manager_id = users[r["manager"].strip()].id
        users[r["sales_agent"].strip()] = c.user(session, r["sales_agent"].strip(), "rep", team)
    report.add("users", len(users))
    products = {k: c.product(session, name, line, price) for k, (name, line, price) in prices.items()}
    report.add("products", len(products))
    first_agent: dict[str, str] = {}
    for p in parsed:
        first_agent.setdefault(p["account"], p["agent"])
    acc_rows: dict[str, Account] = {}
    for r in accounts:
        name = r["account"].strip()
        emp = int(float(r["employees"] or 0))
        owner = users[first_agent.get(name, next(iter(users)))]
        acc = Account(name=name, industry=r["sector"].strip() or None, owner_id=owner.id, region_id=owner.region_id,
                      size="大型" if emp >= 5000 else "中型" if emp >= 1000 else "小型", city=r.get("office_location"),
                      source="maven")
        session.add(acc)
        acc_rows[name] = acc
    session.flush()
    placeholders: dict[str, Account] = {}
    latest = max((p["close"] or p["engage"] for p in parsed if p["close"] or p["engage"]), default=date.today())
    for p in parsed:
        owner = users[p["agent"]]
        if p["account"]:
            acc = acc_rows[p["account"]]
        else:
            if p["agent"] not in placeholders:
                placeholders[p["agent"]] = Account(name=PLACEHOLDER_ACCOUNT, owner_id=owner.id, region_id=owner.region_id,
                                                   source="maven")
                session.add(placeholders[p["agent"]])
            acc = placeholders[p["agent"]]
        prod = products[p["product"]]
        stage, status = STAGE_MAP[p["stage"]]
        created = datetime.combine(p["engage"] or latest, time(9))
        closed = datetime.combine(p["close"], time(18)) if p["close"] and status != "open" else None
        amount = p["value"] if p["value"] is not None else prod.list_price
        opp = Opportunity(name=f"{acc.name} {prod.name}", account=acc, owner_id=owner.id, product_id=prod.id,
                          product_line=prod.product_line, amount=amount, currency="USD", stage=stage, status=status,
                          expected_close=p["close"], created_at=created, closed_at=closed, competitors=[],
                          source="maven", external_id=p["oid"])
        opp.history.append(StageHistory(from_stage=None, to_stage="初步接洽", changed_at=created, amount=amount))
        if stage != "初步接洽":
            opp.history.append(StageHistory(from_stage="初步接洽", to_stage=stage, changed_at=closed or created,
                                            amount=amount))
        session.add(opp)
    session.flush()
    report.add("accounts", len(acc_rows) + len(placeholders))
    report.add("opportunities", len(parsed))
    return report
