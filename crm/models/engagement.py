"""What reps do: activities, tasks, call recordings and the suggested updates calls produce."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models.base import Base, utcnow

ACTIVITY_TYPES = ("call", "visit", "meeting", "message", "note")


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_opp_time", "opportunity_id", "occurred_at"),
        Index("ix_activities_time_type_owner", "occurred_at", "type", "owner_id"),  # activity counts (0004)
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    participants: Mapped[list[Any]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Task(Base):
    """A next step. `origin_key` makes write-back idempotent (e.g. 'call:12:step:0')."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_owner_status_due", "owner_id", "status", "due"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|done|cancelled
    source_activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="SET NULL"))
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    origin_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class Call(Base):
    """An uploaded call recording and its processing state (the job's durable truth)."""

    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id", ondelete="SET NULL"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str | None] = mapped_column(String(100))
    audio_sha256: Mapped[str] = mapped_column(String(64), index=True)
    blob_key: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(default=0)
    duration_s: Mapped[float | None]
    call_time: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    transcript: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    insights: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Suggestion(Base):
    """A field update proposed from a call, with its evidence; a rep accepts or rejects it."""

    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    current_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    proposed_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|accepted|rejected|applied
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
