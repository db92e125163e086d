"""Pydantic request/response models for the CRM resources (the API's contract)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ActivityType = Literal["call", "visit", "meeting", "message", "note"]
TaskStatus = Literal["open", "done", "cancelled"]
DealRole = Literal["decision_maker", "influencer", "champion", "user", "unknown"]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AccountIn(_In):
    name: str = Field(min_length=1, max_length=200)
    industry: str | None = Field(default=None, max_length=50)
    size: str | None = Field(default=None, max_length=30)
    region_id: int | None = None
    city: str | None = Field(default=None, max_length=50)
    source: str | None = Field(default=None, max_length=50)
    owner_id: int | None = None


class AccountPatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    industry: str | None = None
    size: str | None = None
    region_id: int | None = None
    city: str | None = None
    source: str | None = None
    owner_id: int | None = None


class AccountOut(_Out):
    id: int
    name: str
    industry: str | None
    size: str | None
    region_id: int | None
    city: str | None
    source: str | None
    owner_id: int
    created_at: datetime


class ContactIn(_In):
    account_id: int
    name: str = Field(min_length=1, max_length=80)
    title: str | None = Field(default=None, max_length=80)
    role_in_deal: DealRole | None = None
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+\-() ]{3,40}$")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    wecom_id: str | None = Field(default=None, max_length=64)


class ContactPatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    title: str | None = None
    role_in_deal: DealRole | None = None
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+\-() ]{3,40}$")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    wecom_id: str | None = None


class ContactOut(_Out):
    id: int
    account_id: int
    name: str
    title: str | None
    role_in_deal: str | None
    phone: str | None
    email: str | None
    wecom_id: str | None


class OpportunityIn(_In):
    name: str = Field(min_length=1, max_length=200)
    account_id: int
    owner_id: int | None = None
    product_id: int | None = None
    product_line: str | None = None
    amount: float = Field(default=0, ge=0, le=1e12)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    stage: str = "线索"
    expected_close: date | None = None
    competitors: list[str] = Field(default_factory=list)
    source: str | None = None
    loss_reason: str | None = None


class OpportunityPatch(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    owner_id: int | None = None
    product_id: int | None = None
    product_line: str | None = None
    amount: float | None = Field(default=None, ge=0, le=1e12)
    stage: str | None = None
    expected_close: date | None = None
    competitors: list[str] | None = None
    source: str | None = None
    loss_reason: str | None = None


class OpportunityOut(_Out):
    id: int
    name: str
    account_id: int
    owner_id: int
    product_id: int | None
    product_line: str | None
    amount: float
    currency: str
    stage: str
    status: str
    expected_close: date | None
    created_at: datetime
    closed_at: datetime | None
    loss_reason: str | None
    competitors: list[str]
    source: str | None


class StageChangeOut(_Out):
    from_stage: str | None
    to_stage: str
    changed_at: datetime
    changed_by_id: int | None


class ActivityIn(_In):
    type: ActivityType
    opportunity_id: int | None = None
    account_id: int | None = None
    occurred_at: datetime | None = None
    participants: list[str] = Field(default_factory=list)
    summary: str = Field(default="", max_length=20000)


class ActivityOut(_Out):
    id: int
    type: str
    opportunity_id: int | None
    account_id: int | None
    owner_id: int
    occurred_at: datetime
    participants: list[str]
    summary: str
    call_id: int | None


class TaskIn(_In):
    title: str = Field(min_length=1, max_length=300)
    due: date | None = None
    owner_id: int | None = None
    opportunity_id: int | None = None
    account_id: int | None = None


class TaskPatch(_In):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    due: date | None = None
    status: TaskStatus | None = None
    owner_id: int | None = None


class TaskOut(_Out):
    id: int
    owner_id: int
    title: str
    due: date | None
    status: str
    opportunity_id: int | None
    account_id: int | None
    source_activity_id: int | None
    created_at: datetime
    completed_at: datetime | None


class UserOut(_Out):
    id: int
    username: str
    display_name: str
    role: str
    team_id: int | None
    region_id: int | None
