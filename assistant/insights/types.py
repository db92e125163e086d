"""The typed input (organization profile, CRM names) and output (`CallInsights`) of the insight engines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["decision_maker", "influencer", "champion", "user", "unknown"]
BudgetStatus = Literal["confirmed", "estimated", "ceiling"]
Sentiment = Literal["positive", "neutral", "negative"]
Owner = Literal["rep", "customer"]
Engine = Literal["rules", "llm"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """Words really in the transcript: `quote` is a substring of segment `turn` (0-based), times in seconds."""

    quote: str
    turn: int
    start: float | None = None
    end: float | None = None


class Customer(_Strict):
    company: str | None = None
    account_id: int | None = None


class ContactInsight(_Strict):
    name: str
    title: str | None = None
    role: Role = "unknown"
    contact_id: int | None = None
    evidence: Evidence


class Budget(_Strict):
    amount_cny: float
    text: str
    status: BudgetStatus
    evidence: Evidence


class TextItem(_Strict):
    text: str
    evidence: Evidence


class NamedItem(_Strict):
    name: str
    evidence: Evidence


class NextStep(_Strict):
    action: str
    owner: Owner
    due: date | None = None
    evidence: Evidence


class CallInsights(_Strict):
    """The stable JSON shape of one call's insights (see docs/insights.md)."""

    summary: str = ""
    customer: Customer = Field(default_factory=Customer)
    contacts: list[ContactInsight] = Field(default_factory=list)
    budget: Budget | None = None
    decision_date: date | None = None
    needs: list[TextItem] = Field(default_factory=list)
    objections: list[TextItem] = Field(default_factory=list)
    competitors: list[NamedItem] = Field(default_factory=list)
    products: list[NamedItem] = Field(default_factory=list)
    sentiment: Sentiment = "neutral"
    next_steps: list[NextStep] = Field(default_factory=list)
    engine: Engine = "rules"


class ProductRef(BaseModel):
    name: str
    line: str | None = None


class OrgProfile(BaseModel):
    """The selling company (our side): never a customer, contact or competitor."""

    company: str
    aliases: list[str] = Field(default_factory=list)
    products: list[ProductRef] = Field(default_factory=list)
    competitors: list[str] = Field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> OrgProfile:
        return cls.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def own_names(self) -> list[str]:
        return [self.company, *self.aliases]


class AccountRef(BaseModel):
    id: int
    name: str


class ContactRef(BaseModel):
    id: int
    name: str
    title: str | None = None
    account_id: int | None = None


class CrmNames(BaseModel):
    """Names the CRM already knows, used as dictionaries and to attach ids."""

    accounts: list[AccountRef] = Field(default_factory=list)
    contacts: list[ContactRef] = Field(default_factory=list)
