"""Money over time: targets, orders, collections (回款), marketing spend and reps' forecast commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, Money, utcnow


class Target(Base):
    """A sales target for one user, team, region or the company, for a month or quarter."""

    __tablename__ = "targets"
    __table_args__ = (Index("ix_targets_level_period", "level", "period", "period_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(10))  # user|team|region|company
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    period: Mapped[str] = mapped_column(String(8), default="quarter")  # month|quarter
    period_start: Mapped[date]
    amount: Mapped[float] = mapped_column(Money)


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[float] = mapped_column(Money)
    order_date: Mapped[date] = mapped_column(index=True)


class Collection(Base):
    """Cash received against an order (回款)."""

    __tablename__ = "collections"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[float] = mapped_column(Money)
    received_on: Mapped[date] = mapped_column(index=True)


class MarketingSpend(Base):
    """Spend per channel (= lead source) and month, optionally per region, for CAC."""

    __tablename__ = "marketing_spend"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(50), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    month: Mapped[date] = mapped_column(index=True)
    amount: Mapped[float] = mapped_column(Money)


class ForecastSubmission(Base):
    """A rep's own commit for a period, to compare with the model's forecast."""

    __tablename__ = "forecast_submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    period: Mapped[str] = mapped_column(String(8), default="quarter")
    period_start: Mapped[date]
    amount: Mapped[float] = mapped_column(Money)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
