"""Our own company: profile, product catalog, sales stages, regions and teams."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, Money

DEFAULT_STAGES: list[tuple[str, str, float]] = [
    ("线索", "open", 0.05),
    ("初步接洽", "open", 0.10),
    ("需求确认", "open", 0.25),
    ("方案报价", "open", 0.45),
    ("谈判审批", "open", 0.70),
    ("赢单", "won", 1.0),
    ("输单", "lost", 0.0),
]
DEFAULT_REGIONS = ["华东", "华南", "华北", "华中", "西南", "西北"]


class OrgProfile(Base):
    """The selling organization (one row): who 'we' are, so we are never the customer."""

    __tablename__ = "org_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    competitors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    currency: Mapped[str] = mapped_column(String(8), default="CNY")
    fiscal_year_start_month: Mapped[int] = mapped_column(default=1)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    product_line: Mapped[str] = mapped_column(String(100), index=True)
    list_price: Mapped[float] = mapped_column(Money, default=0)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Stage(Base):
    """A sales stage; `kind` is open, won or lost; `order` sorts the funnel."""

    __tablename__ = "stages"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    order: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(8), default="open")
    default_probability: Mapped[float] = mapped_column(default=0.0)


class Region(Base):
    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True), index=True)
    # the team's WeCom group robot (admin-managed): webhook URL and digest cadence (daily/weekly; None = off)
    wecom_webhook_url: Mapped[str | None] = mapped_column(String(500), default=None)
    wecom_digest: Mapped[str | None] = mapped_column(String(10), default=None)
