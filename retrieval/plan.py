"""Typed shapes: the `QueryPlan` a question becomes, and the `Answer` it gets (stable JSON; see docs/metrics.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from retrieval.catalog import BY_NAME, DIMENSIONS
from retrieval.timeparse import Period

Comparison = Literal["yoy", "pop", "share", "vs"]


class Filter(BaseModel):
    """Keep rows whose `dimension` is one of `values` (values are the CRM's own names)."""

    dimension: str
    values: list[str] = Field(min_length=1)

    @field_validator("dimension")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in DIMENSIONS or v.startswith("time:"):
            raise ValueError(f"unknown filter dimension {v!r}")
        return v


class QueryPlan(BaseModel):
    metric: str
    dimensions: list[str] = Field(default_factory=list, max_length=2)
    filters: list[Filter] = Field(default_factory=list)
    period: Period | None = None
    comparison: Comparison | None = None
    order: Literal["desc", "asc"] | None = None
    limit: int | None = Field(default=None, ge=1, le=1000)
    stages: tuple[str, str] | None = None  # conversion between two funnel levels or stages

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        if v not in BY_NAME:
            raise ValueError(f"unknown metric {v!r}; known: {', '.join(BY_NAME)}")
        return v

    @model_validator(mode="after")
    def _dims(self) -> QueryPlan:
        allowed = BY_NAME[self.metric].dimensions
        for d in self.dimensions:
            if d not in allowed:
                raise ValueError(f"metric {self.metric} cannot be cut by {d}; valid: {', '.join(allowed)}")
        return self

    def filter_values(self, dimension: str) -> list[str] | None:
        for f in self.filters:
            if f.dimension == dimension:
                return f.values
        return None


class Result(BaseModel):
    columns: list[str]
    rows: list[list[Any]]


class Clarification(BaseModel):
    question: str
    options: list[str]
    dimension: str | None = None
    questions: list[str] = Field(default_factory=list)  # the question asked again with each option in place


class Citation(BaseModel):
    call_id: int | None = None
    activity_id: int | None = None
    account: str | None = None
    account_id: int | None = None
    quote: str
    speaker: str | None = None
    start_s: float | None = None
    end_s: float | None = None
    source: str = "call"  # call|transcript|note|insight
    occurred_at: str | None = None
    score: float | None = None


class PlanDisclosure(BaseModel):
    """How the number was computed, for the 'how was this computed' note."""

    metric: str
    metric_label: str
    definition: str
    filters: list[Filter] = Field(default_factory=list)
    period: Period | None = None
    comparison_period: Period | None = None
    dimensions: list[str] = Field(default_factory=list)
    comparison: str | None = None
    order: str | None = None
    limit: int | None = None
    stages: tuple[str, str] | None = None
    scope: str = "all data"
    sql: str | None = None  # admins only
    source: str = "offline"  # offline|llm


class Answer(BaseModel):
    kind: Literal["metric", "clarification", "refusal", "retrieval"] = "metric"
    text: str
    result: Result | None = None
    value: float | None = None
    unit: str | None = None
    chart: dict[str, Any] | None = None
    plan: PlanDisclosure | None = None
    citations: list[Citation] = Field(default_factory=list)
    clarification: Clarification | None = None
    language: Literal["zh", "en"] = "zh"
