"""Train a win model on a typed frame: leakage guard, model choice (LightGBM or naive-Bayes fallback), card."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import numpy as np

from scoring.calibration import metrics
from scoring.gbm import PROFILES, GBMModel
from scoring.leakage import check_leakage
from scoring.naive_bayes import NaiveBayesModel
from scoring.store import WinModel
from scoring.tabular import Schema, TrainingData
from scoring.types import LeakFlag, ModelCard, ScoringInputError

log = logging.getLogger(__name__)

LeakagePolicy = Literal["drop", "warn"]
Choice = Literal["auto", "lightgbm", "naive_bayes"]


@dataclass
class Trained:
    model: WinModel
    card: ModelCard
    y: np.ndarray
    oof: np.ndarray
    warnings: list[str] = field(default_factory=list)


def choose_kind(n_pos: int, n_neg: int, min_won: int, min_lost: int, choice: Choice = "auto") -> tuple[str, str]:
    """Which learner, and why (said on the card and by the CLI)."""
    if choice != "auto":
        return choice, f"{choice} requested explicitly"
    if n_pos < min_won or n_neg < min_lost:
        return "naive_bayes", (
            f"only {n_pos} won / {n_neg} lost examples (< {min_won}/{min_lost} needed for LightGBM): "
            "naive Bayes over field frequencies with smoothing"
        )
    return "lightgbm", f"{n_pos} won / {n_neg} lost examples (≥ {min_won}/{min_lost}): calibrated LightGBM"


def train(
    data: TrainingData,
    *,
    version: str,
    target: str,
    positive: str,
    id_column: str | None = None,
    min_won: int = 200,
    min_lost: int = 200,
    leakage: LeakagePolicy = "drop",
    keep: list[str] | None = None,
    choice: Choice = "auto",
    source: str = "csv",
    data_range: tuple[str | None, str | None] = (None, None),
    seed: int = 42,
    name_check: bool = True,
    profile: str = "accurate",
) -> Trained:
    t0 = time.perf_counter()
    warnings = list(data.notes)
    kept = set(keep or [])
    flags: list[LeakFlag] = [f for f in check_leakage(data.X, data.y, names=name_check) if f.column not in kept]
    dropped: list[LeakFlag] = []
    for f in flags:
        if leakage == "drop":
            dropped.append(f)
            warnings.append(f"leakage guard dropped {f.column!r}: {f.reason}")
        else:
            warnings.append(f"leakage guard flagged {f.column!r} (kept, --keep-leaky): {f.reason}")
    for w in warnings:
        log.warning(w)
    cols = [c for c in data.schema.columns if c.name not in {d.column for d in dropped}]
    if not cols:
        raise ScoringInputError("Every feature column was dropped by the leakage guard; nothing is left to learn from.")
    schema = Schema(columns=cols)
    X = data.X[schema.names]
    y = data.y
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    kind, why = choose_kind(n_pos, n_neg, min_won, min_lost, choice)
    model: WinModel
    if kind == "lightgbm":
        model, oof = GBMModel.train(X, y, data.groups, schema, seed=seed, profile=PROFILES[profile])
    else:
        model, oof = NaiveBayesModel.train(X, y, schema, seed=seed)
    card = ModelCard(
        version=version,
        kind=model.kind,  # type: ignore[arg-type]
        why=why,
        created_at=datetime.now(UTC),
        target=target,
        positive=positive,
        id_column=id_column,
        source=source,
        data_start=data_range[0],
        data_end=data_range[1],
        n_examples=len(y),
        n_positive=n_pos,
        n_negative=n_neg,
        n_groups=len(np.unique(data.groups)),
        metrics=metrics(y, oof),
        features=schema.names,
        dropped=dropped,
        importances=model.importances(),
        params={"seed": seed, "leakage": leakage, **({"profile": profile} if kind == "lightgbm" else {})},
        train_seconds=round(time.perf_counter() - t0, 2),
    )
    return Trained(model=model, card=card, y=y, oof=oof, warnings=warnings)
