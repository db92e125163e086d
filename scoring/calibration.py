"""Calibration metrics (ECE, Brier, AUC), a stored monotone calibration map, and the reliability diagram."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from scoring.types import Metrics


def ece(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    """Expected calibration error over equal-width bins, weighted by bin size."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    if len(y) == 0:
        return 0.0
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for b in range(n_bins):
        m = bins == b
        if m.any():
            total += m.mean() * abs(y[m].mean() - p[m].mean())
    return float(total)


def metrics(y: np.ndarray, p: np.ndarray) -> Metrics:
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    auc = float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else None
    return Metrics(
        n=len(y),
        auc=auc,
        brier=float(brier_score_loss(y, p)),
        ece=ece(y, p),
        accuracy=float(((p >= 0.5).astype(int) == y).mean()),
        positive_rate=float(y.mean()),
    )


class Calibrator:
    """Monotone map from raw probability to calibrated probability, stored as its knots (np.interp)."""

    def __init__(self, x: np.ndarray | None = None, y: np.ndarray | None = None) -> None:
        self.x = np.asarray(x if x is not None else [0.0, 1.0], dtype=float)
        self.y = np.asarray(y if y is not None else [0.0, 1.0], dtype=float)

    @classmethod
    def fit(cls, raw: np.ndarray, y: np.ndarray) -> Calibrator:
        """Centred isotonic regression: one knot per isotonic block, at the block's mean raw score, joined
        linearly, so the map is strictly increasing inside the data range (no flat steps: every change in
        the model's score moves the probability, which keeps explanations meaningful)."""
        raw = np.asarray(raw, dtype=float)
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
        fitted = iso.predict(raw)
        blocks = pd.DataFrame({"x": raw, "y": fitted}).groupby("y", sort=True)["x"].mean()
        xs, ys = blocks.to_numpy(), blocks.index.to_numpy(dtype=float)
        order = np.argsort(xs)
        xs, ys = xs[order], np.maximum.accumulate(ys[order])
        # keep probabilities off the hard 0/1 edges so log-odds stay finite
        return cls(xs, np.clip(ys, 1e-4, 1 - 1e-4))

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(raw, dtype=float), self.x, self.y)

    def to_json(self) -> dict[str, list[float]]:
        return {"x": self.x.tolist(), "y": self.y.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Calibrator:
        return cls(np.array(data["x"]), np.array(data["y"]))


def reliability_diagram(y: np.ndarray, p: np.ndarray, path: Path, title: str = "Reliability") -> Path:
    """Write a reliability diagram PNG (matplotlib Agg, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    edges = np.linspace(0, 1, 11)
    bins = np.minimum((p * 10).astype(int), 9)
    xs, ys, ns = [], [], []
    for b in range(10):
        m = bins == b
        if m.any():
            xs.append(p[m].mean())
            ys.append(y[m].mean())
            ns.append(int(m.sum()))
    fig, (ax, axh) = plt.subplots(2, 1, figsize=(5, 6), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect")
    ax.plot(xs, ys, "o-", label=f"model (ECE {ece(y, p):.3f})")
    ax.set_ylabel("observed win rate")
    ax.set_title(title)
    ax.legend(loc="upper left")
    axh.hist(p, bins=edges, color="tab:blue", alpha=0.7)
    axh.set_xlabel("predicted probability")
    axh.set_ylabel("count")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
