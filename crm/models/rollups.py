"""Rollups for live win-probability scoring, so scoring *now* reads one row per open deal instead of history.

- `ScoringDealRollup`: per open deal, its fields and its activity, task and stage-history aggregates.
  Database triggers on activities, tasks, stage history, opportunities, accounts and regions put the touched
  deals into `ScoringRollupDirty`; `crm.rollups.refresh` recomputes the dirty deals set-based. A dirty or missing row
  is never read: live scoring computes such deals from history (`scoring.fast`).
- `ScoringAccountRollup` / `ScoringRepRollup`: won and lost counts (and won amount) of closed deals per
  account and per owner, kept exact by triggers on opportunities on every write.

Triggers are created by migration 0006 (SQLite and PostgreSQL; 0007 narrows the PostgreSQL one); every write
path (service, importers, seed, bulk SQL) goes through them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, Money


class ScoringDealRollup(Base):
    """One open deal as live scoring reads it: its fields, its account's, and aggregates over all its activity,
    task and stage-history rows. Texts are `ScoringLabel` ids; times are integer microseconds since the epoch
    (UTC). Valid for scoring at t when the deal is not dirty and `max_at_us` ≤ t."""

    __tablename__ = "scoring_deal_rollups"
    opportunity_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    account_id: Mapped[int]
    owner_id: Mapped[int]
    amount: Mapped[float] = mapped_column(Money)
    stage_label: Mapped[int | None]
    industry_label: Mapped[int | None]
    product_line_label: Mapped[int | None]
    source_label: Mapped[int | None]
    account_size_label: Mapped[int | None]
    region_label: Mapped[int | None]
    expected_close_us: Mapped[int | None] = mapped_column(BigInteger)
    created_us: Mapped[int] = mapped_column(BigInteger)
    budget_confirmed_us: Mapped[int | None] = mapped_column(BigInteger)
    dm_engaged_us: Mapped[int | None] = mapped_column(BigInteger)
    activities: Mapped[int] = mapped_column(default=0)
    calls: Mapped[int] = mapped_column(default=0)
    visits: Mapped[int] = mapped_column(default=0)  # visit or meeting
    activity_last_us: Mapped[int | None] = mapped_column(BigInteger)
    tasks_open: Mapped[int] = mapped_column(default=0)  # not cancelled: created − completed
    stage_changes: Mapped[int] = mapped_column(default=0)  # stage-history records
    entered_us: Mapped[int | None] = mapped_column(BigInteger)  # entry into the current stage (NULL: "now")
    close_pushes: Mapped[int] = mapped_column(default=0)  # expected close moved later (records, then the deal)
    first_amount: Mapped[float] = mapped_column(Money)  # first known amount (history, else the deal's)
    max_at_us: Mapped[int] = mapped_column(BigInteger)  # latest time of any row aggregated here (−1: none)
    # the 30-day activity window: activities after `recent_from_us` (the row's computation time − 30 days)
    # and the earliest of them; they are the deal's `activities_30d` at any t from then on until it leaves
    recent_from_us: Mapped[int] = mapped_column(BigInteger)
    recent: Mapped[int] = mapped_column(default=0)
    recent_min_us: Mapped[int | None] = mapped_column(BigInteger)


class ScoringLabel(Base):
    """The texts the deal rollups refer to (stages, industries, product lines, sources, sizes, regions)."""

    __tablename__ = "scoring_labels"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(100), unique=True)


class ScoringRollupDirty(Base):
    """Deals whose rows changed since their rollup was computed (written by triggers)."""

    __tablename__ = "scoring_rollup_dirty"
    opportunity_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class ScoringAccountRollup(Base):
    """Closed deals (won/lost with closed_at) of one account."""

    __tablename__ = "scoring_account_rollups"
    account_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    won: Mapped[int] = mapped_column(default=0)
    lost: Mapped[int] = mapped_column(default=0)
    won_amount: Mapped[float] = mapped_column(Money, default=0)


class ScoringRepRollup(Base):
    """Closed deals (won/lost with closed_at) of one owner."""

    __tablename__ = "scoring_rep_rollups"
    owner_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    won: Mapped[int] = mapped_column(default=0)
    lost: Mapped[int] = mapped_column(default=0)
