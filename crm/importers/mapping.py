"""`dealwise import csv --mapping MAPPING.yaml FILE`: any CRM export, through a column mapping.

Mapping file (YAML):

    entity: opportunities          # or: accounts
    columns:                       # source column -> Dealwise field
      Opportunity Name: name
      Account Name: account        # an account name; created (owned by the deal's owner) when missing
      Owner: owner                 # a Dealwise username
      Amount: amount
      Stage: stage
      Close Date: expected_close
      Created Date: created_at
    values:                        # optional value translation per field
      stage: {Closed Won: 赢单, Closed Lost: 输单, Prospecting: 线索}
    defaults: {currency: CNY}
"""

from __future__ import annotations

import csv
from datetime import datetime, time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.importers import common as c
from crm.models import Account, Opportunity, Stage, StageHistory, User

FIELDS = {
    "opportunities": {"name", "account", "owner", "amount", "stage", "expected_close", "created_at", "closed_at",
                      "currency", "product_line", "source", "loss_reason", "external_id"},
    "accounts": {"name", "industry", "size", "city", "source", "owner"},
}
REQUIRED = {"opportunities": {"name", "account", "owner", "stage"}, "accounts": {"name", "owner"}}


class Mapping(BaseModel):
    entity: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = {}
    defaults: dict[str, Any] = {}

    @field_validator("entity")
    @classmethod
    def _entity(cls, v: str) -> str:
        if v not in FIELDS:
            raise ValueError(f"entity must be one of {', '.join(FIELDS)}")
        return v


def load_mapping(path: Path) -> Mapping:
    try:
        mapping = Mapping.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "mapping"
        raise c.InvalidInput(f"mapping {path.name} is not valid: {where}: {first['msg']}") from exc
    except (yaml.YAMLError, OSError) as exc:
        raise c.InvalidInput(f"mapping {path.name} cannot be read: {str(exc).splitlines()[0]}") from exc
    unknown = set(mapping.columns.values()) - FIELDS[mapping.entity]
    if unknown:
        raise c.InvalidInput(f"mapping names unknown field(s): {', '.join(sorted(unknown))}")
    missing = REQUIRED[mapping.entity] - set(mapping.columns.values()) - set(mapping.defaults)
    if missing:
        raise c.InvalidInput(f"mapping lacks required field(s): {', '.join(sorted(missing))}")
    return mapping


def import_csv(session: Session, mapping: Mapping, path: Path) -> c.ImportReport:
    """Validate every row, then write all of them or none (the caller commits)."""
    c.ensure_reference_data(session)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            absent = set(mapping.columns) - set(reader.fieldnames or [])
            if absent:
                raise c.InvalidInput(f"{path.name} lacks column(s): {', '.join(sorted(absent))}")
            raw = list(reader)
    except UnicodeDecodeError as exc:
        raise c.InvalidInput(f"{path.name} is not UTF-8 text") from exc
    users = {u.username: u for u in session.scalars(select(User))}
    stages = {s.name: s for s in session.scalars(select(Stage))}
    errors: list[c.RowError] = []
    rows: list[dict[str, Any]] = []
    for i, r in enumerate(raw, start=2):
        row: dict[str, Any] = dict(mapping.defaults)
        for col, fld in mapping.columns.items():
            value = (r.get(col) or "").strip()
            value = mapping.values.get(fld, {}).get(value, value)
            if value:
                row[fld] = value
        try:
            for fld in REQUIRED[mapping.entity]:
                if not row.get(fld):
                    raise ValueError(f"{fld} is empty")
            if row["owner"] not in users:
                raise ValueError(f"owner {row['owner']!r} is not a Dealwise user")
            if "amount" in row:
                row["amount"] = c.parse_amount(str(row["amount"]))
            for fld in ("expected_close",):
                if fld in row:
                    row[fld] = c.parse_date(str(row[fld]))
            for fld in ("created_at", "closed_at"):
                if fld in row:
                    row[fld] = datetime.combine(c.parse_date(str(row[fld])), time(9))
            if mapping.entity == "opportunities" and row["stage"] not in stages:
                raise ValueError(f"stage {row['stage']!r} is not a Dealwise stage (map it under values.stage)")
        except ValueError as exc:
            errors.append(c.RowError(path.name, i, str(exc)))
            continue
        rows.append(row)
    if errors:
        raise c.ImportFailed(errors)
    report = c.ImportReport(f"csv:{mapping.entity}")
    accounts = {a.name: a for a in session.scalars(select(Account))}
    for row in rows:
        owner = users[row.pop("owner")]
        if mapping.entity == "accounts":
            session.add(Account(**row, owner_id=owner.id, region_id=owner.region_id))
            report.add("accounts")
            continue
        acc_name = row.pop("account")
        if acc_name not in accounts:
            accounts[acc_name] = Account(name=acc_name, owner_id=owner.id, region_id=owner.region_id, source="import")
            session.add(accounts[acc_name])
            report.add("accounts")
        stage = stages[row["stage"]]
        created = row.pop("created_at", None) or datetime.now()
        closed = row.pop("closed_at", None) or (created if stage.kind != "open" else None)
        opp = Opportunity(**row, account=accounts[acc_name], owner_id=owner.id, status=stage.kind,
                          created_at=created, closed_at=closed, competitors=[])
        opp.history.append(StageHistory(to_stage=stage.name, changed_at=closed or created, amount=opp.amount))
        session.add(opp)
        report.add("opportunities")
    session.flush()
    return report
