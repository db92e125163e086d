"""Shared importer plumbing: row errors, reference data, get-or-create helpers, bulk writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput
from crm.models import DEFAULT_STAGES, OrgProfile, Product, Region, Stage, Team, User


@dataclass
class RowError:
    file: str
    row: int  # line number in the file, the header being line 1
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.reason}"


class ImportFailed(InvalidInput):
    """Raised with every bad row; nothing was imported."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad row(s), nothing imported: {shown}{more}")


@dataclass
class ImportReport:
    source: str
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n


def slug(name: str) -> str:
    s = re.sub(r"[^0-9a-zA-Z]+", ".", name.strip().lower()).strip(".")
    return s or "user"


def parse_date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d/%m/%Y", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def parse_amount(value: str) -> float:
    cleaned = value.replace(",", "").replace("¥", "").replace("￥", "").replace("$", "").strip()
    amount = float(cleaned)
    if amount < 0:
        raise ValueError(f"negative amount: {value!r}")
    return amount


def ensure_reference_data(session: Session) -> None:
    """The default stages (and an org profile row) exist before any import."""
    if session.scalar(select(Stage.id).limit(1)) is None:
        for i, (name, kind, p) in enumerate(DEFAULT_STAGES, start=1):
            session.add(Stage(name=name, order=i, kind=kind, default_probability=p))
    if session.scalar(select(OrgProfile.id).limit(1)) is None:
        session.add(OrgProfile(name="Dealwise", aliases=[], competitors=[]))
    session.flush()


def region(session: Session, name: str) -> Region:
    row = session.scalar(select(Region).where(Region.name == name))
    if row is None:
        row = Region(name=name)
        session.add(row)
        session.flush()
    return row


def team(session: Session, name: str, region_id: int | None) -> Team:
    row = session.scalar(select(Team).where(Team.name == name))
    if row is None:
        row = Team(name=name, region_id=region_id)
        session.add(row)
        session.flush()
    return row


def user(session: Session, display_name: str, role: str, team_row: Team | None) -> User:
    username = slug(display_name)
    row = session.scalar(select(User).where(User.username == username))
    if row is None:
        row = User(username=username, display_name=display_name, role=role,
                   team_id=team_row.id if team_row else None, region_id=team_row.region_id if team_row else None)
        session.add(row)
        session.flush()
    return row


def product(session: Session, name: str, line: str, price: float) -> Product:
    row = session.scalar(select(Product).where(Product.name == name))
    if row is None:
        row = Product(name=name, product_line=line, list_price=price, aliases=[])
        session.add(row)
        session.flush()
    return row


def bulk(session: Session, model: type[Any], rows: list[dict[str, Any]], chunk: int = 5000) -> None:
    table = model.__table__
    for i in range(0, len(rows), chunk):
        session.execute(table.insert(), rows[i : i + chunk])
