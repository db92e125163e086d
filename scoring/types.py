"""Typed values that leave the scoring package: `Score`, `Factor`, `ModelCard`, `LeakFlag`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Band = Literal["high", "medium", "low"]
ModelKind = Literal["lightgbm", "naive_bayes"]


class ScoringInputError(ValueError):
    """Bad input (CSV, target, options, unknown model): the message is one sentence for the user."""


def band_for(probability: float) -> Band:
    """High ≥ 60 %, medium ≥ 30 %, low below."""
    if probability >= 0.6:
        return "high"
    if probability >= 0.3:
        return "medium"
    return "low"


class Factor(BaseModel):
    """One reason behind a score: `points` is its share of (probability − base rate), e.g. −0.12 = −12 %."""

    feature: str
    label: str
    points: float

    def text(self) -> str:
        return f"{self.label} {self.points * 100:+.0f} %"


class Score(BaseModel):
    opportunity_id: int | str | None = None
    probability: float
    band: Band
    base_rate: float
    factors: list[Factor] = Field(default_factory=list)
    model_version: str
    model_kind: ModelKind
    as_of: datetime


class LeakFlag(BaseModel):
    column: str
    reason: str
    auc: float | None = None


class Metrics(BaseModel):
    n: int
    auc: float | None
    brier: float
    ece: float
    accuracy: float
    positive_rate: float


class ModelCard(BaseModel):
    version: str
    kind: ModelKind
    why: str
    created_at: datetime
    target: str
    positive: str
    id_column: str | None = None
    source: str = "csv"
    data_start: str | None = None
    data_end: str | None = None
    n_examples: int
    n_positive: int
    n_negative: int
    n_groups: int
    metrics: Metrics
    metrics_note: str = "out-of-fold (grouped cross-validation, calibration fitted out of fold)"
    features: list[str]
    dropped: list[LeakFlag] = Field(default_factory=list)
    importances: dict[str, float] = Field(default_factory=dict)
    params: dict[str, object] = Field(default_factory=dict)
    train_seconds: float = 0.0
