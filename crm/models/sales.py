"""Customers and the pipeline: accounts, contacts, leads, opportunities and their stage history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.models.base import Base, Money, utcnow


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str | None] = mapped_column(String(50), index=True)
    size: Mapped[str | None] = mapped_column(String(30))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    city: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str | None] = mapped_column(String(50))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contacts: Mapped[list[Contact]] = relationship(back_populates="account", cascade="all, delete-orphan")


class Contact(Base):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(String(80))
    role_in_deal: Mapped[str | None] = mapped_column(String(30))  # decision_maker|influencer|champion|user
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    wecom_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="contacts")


class Lead(Base):
    __tablename__ = "leads"
    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(80))
    industry: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str | None] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new|working|converted|disqualified
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    converted_at: Mapped[datetime | None]
    converted_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    converted_opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", use_alter=True))


class Opportunity(Base):
    """A deal. `stage` names a row of `stages`; `status` (open|won|lost) is that stage's kind."""

    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_owner_status", "owner_id", "status"),
        Index("ix_opportunities_status_closed", "status", "closed_at"),
        Index("ix_opportunities_status_account", "status", "account_id", "closed_at", "amount"),  # metrics (0002)
        Index("ix_opportunities_closed_cover", "status", "closed_at", "owner_id", "source", "product_line",
              "account_id", "amount", "created_at"),  # closed-deal metrics read the index only (0004)
        Index("ix_opportunities_owner_closed", "owner_id", "status", "closed_at"),  # rep win history (0005)
        Index("ix_opportunities_first_activity", "owner_id", "first_activity_at", "created_at"),  # response time (0008)
        Index("ix_opportunities_line_status", "product_line", "status", "owner_id", "amount"),  # grouped (0009)
        Index("ix_opportunities_source_status", "source", "status", "owner_id", "amount"),  # grouped (0009)
        Index("ix_opportunities_reached", "owner_id", "reached_order", "created_at"),  # funnel (0010)
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    product_line: Mapped[str | None] = mapped_column(String(100))  # indexed by ix_opportunities_line_status (0011)
    amount: Mapped[float] = mapped_column(Money, default=0)
    currency: Mapped[str] = mapped_column(String(8), default="CNY")
    stage: Mapped[str] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    expected_close: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]
    loss_reason: Mapped[str | None] = mapped_column(String(200))
    competitors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(50))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    budget_confirmed_at: Mapped[datetime | None]
    decision_maker_engaged_at: Mapped[datetime | None]
    description: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # the earliest activity's time; kept by triggers on activities (migration 0008), never written by the ORM
    first_activity_at: Mapped[datetime | None]
    # the highest stages.order among the non-lost stages in its history; kept by triggers (migration 0010)
    reached_order: Mapped[int | None]

    account: Mapped[Account] = relationship()
    history: Mapped[list[StageHistory]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="StageHistory.changed_at"
    )


class StageHistory(Base):
    """Every stage change, so any metric or feature can be computed as of a past date."""

    __tablename__ = "opportunity_stage_history"
    __table_args__ = (Index("ix_stage_history_to_stage", "to_stage", "opportunity_id"),)  # funnel metrics (0002)
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(50))
    to_stage: Mapped[str] = mapped_column(String(50))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[float | None] = mapped_column(Money)
    expected_close: Mapped[date | None]

    opportunity: Mapped[Opportunity] = relationship(back_populates="history")
