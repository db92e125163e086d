"""Rollups for live win-probability scoring, so scoring *now* reads one row per open deal instead of history.

- `ScoringDealRollup`: per open deal, its activity, task and stage-history aggregates over all its rows.
  Database triggers on activities, tasks, stage history and opportunities put the touched deal into
  `ScoringRollupDirty`; `scoring.rollups.refresh` recomputes the dirty deals set-based. A dirty or missing
  row is never read: live scoring computes such deals from history (`scoring.fast`).
- `ScoringAccountRollup` / `ScoringRepRollup`: won and lost counts (and won amount) of closed deals per
  account and per owner, kept exact by triggers on opportunities on every write.

Triggers are created by migration 0006 (SQLite and PostgreSQL); every write path (service, importers, seed,
bulk SQL) goes through them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, Money


class ScoringDealRollup(Base):
    """One open deal's aggregates over all its rows (valid for scoring at t when every *_last_at ≤ t)."""

    __tablename__ = "scoring_deal_rollups"
    opportunity_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    activities: Mapped[int] = mapped_column(default=0)
    calls: Mapped[int] = mapped_column(default=0)
    visits: Mapped[int] = mapped_column(default=0)  # visit or meeting
    activity_last_at: Mapped[datetime | None]
    tasks_created: Mapped[int] = mapped_column(default=0)  # tasks not cancelled
    tasks_completed: Mapped[int] = mapped_column(default=0)  # of those, with completed_at
    task_created_last_at: Mapped[datetime | None]
    task_completed_last_at: Mapped[datetime | None]
    hist_count: Mapped[int] = mapped_column(default=0)
    hist_last_at: Mapped[datetime | None]
    hist_last_stage: Mapped[str | None] = mapped_column(String(50))
    hist_run_start_at: Mapped[datetime | None]  # first record of the trailing run of the last stage
    hist_last_close: Mapped[date | None]
    hist_pushes: Mapped[int] = mapped_column(default=0)  # consecutive records whose expected close moved later
    hist_first_amount: Mapped[float | None] = mapped_column(Money)


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
