"""Explanations from the model's own contributions (LightGBM pred_contrib / naive-Bayes log-likelihood ratios).

Contributions are additive in log-odds. They become probability points by one common slope per deal:
s = (p − p₀) / (m − m₀), where m is the deal's log-odds, m₀ the base log-odds and p, p₀ their calibrated
probabilities. So the points keep each contribution's sign and sum exactly to p − p₀ (the distance from
the base rate); if the calibration map is flat there (p = p₀) the local sigmoid slope is used instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import pandas as pd

from scoring.types import Factor


class Explainable(Protocol):
    @property
    def features(self) -> list[str]: ...

    def contributions(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]: ...

    def link(self, margin: np.ndarray) -> np.ndarray: ...


Labeler = Callable[[str, object], str]


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if np.isnan(value):
            return "(blank)"
        return f"{value:.4g}"
    return str(value)


def plain_label(feature: str, value: object) -> str:
    return f"{feature} = {_fmt(value)}"


def points(model: Explainable, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (probability n, base probability n, points n × f)."""
    contrib, base = model.contributions(X)
    return points_from_contributions(contrib, base, model.link)


def points_from_contributions(contrib: np.ndarray, base: np.ndarray, link: Callable[[np.ndarray], np.ndarray]
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Margin contributions → probability points: contributions × (p − p₀)/(m − m₀), or p(1 − p) when flat."""
    margin = base + contrib.sum(axis=1)
    p = link(margin)
    p0 = link(base)
    dm = margin - base
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(np.abs(dm) > 1e-9, (p - p0) / dm, p * (1 - p))
    flat = (slope <= 0) | ~np.isfinite(slope)
    slope = np.where(flat, p * (1 - p), slope)
    return p, p0, contrib * slope[:, None]


def top_factors(
    pts: np.ndarray,
    row: pd.Series,
    features: list[str],
    labeler: Labeler = plain_label,
    k_pos: int = 3,
    k_neg: int = 3,
    min_points: float = 0.005,
) -> list[Factor]:
    """Top positive and top negative factors of one deal, biggest first."""
    order = np.argsort(-np.abs(pts))
    pos: list[Factor] = []
    neg: list[Factor] = []
    for j in order:
        v = float(pts[j])
        if abs(v) < min_points:
            break
        bucket = pos if v > 0 else neg
        if len(bucket) < (k_pos if v > 0 else k_neg):
            bucket.append(Factor(feature=features[j], label=labeler(features[j], row[features[j]]), points=round(v, 4)))
        if len(pos) >= k_pos and len(neg) >= k_neg:
            break
    return sorted(pos + neg, key=lambda f: -abs(f.points))


def top_k_by_magnitude(pts: np.ndarray, row: pd.Series, features: list[str], k: int = 3,
                       labeler: Labeler = plain_label) -> list[Factor]:
    order = np.argsort(-np.abs(pts))[:k]
    return [Factor(feature=features[j], label=labeler(features[j], row[features[j]]), points=round(float(pts[j]), 4))
            for j in order]
