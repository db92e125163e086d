"""Close timing: P(a deal that wins closes m months after the forecast month | how far off its expected close
was then), learned point-in-time from deals won before the as-of date (never from later outcomes).

Rows are month-start snapshots of won deals: k = month(expected close then) − snapshot month (clipped to
[K_MIN, K_MAX]; unknown close date → its own row), m = month(actual close) − snapshot month (≥ HORIZON lumped).
Only snapshots ≥ HORIZON months before the as-of date are used, so every offset below HORIZON is fully
observed (a deal won later than the as-of date cannot bias the short offsets). Each row is smoothed toward the
pooled distribution with `alpha` pseudo-counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

K_MIN, K_MAX = -3, 6
HORIZON = 6  # offsets 0 … HORIZON−1 resolved; the last column is "HORIZON months or later"
LOOKBACK = 18  # months of snapshots used (ending HORIZON months before the as-of date)
ALPHA = 5.0


def month_index(ts: pd.Timestamp | date | datetime) -> int:
    """Months since year 0."""
    return ts.year * 12 + ts.month - 1


def month_indices(ts: pd.Series) -> pd.Series:
    """Months since year 0 per row (NaN for NaT)."""
    t = pd.to_datetime(ts)
    return t.dt.year * 12 + t.dt.month - 1


def k_row(k: np.ndarray) -> np.ndarray:
    """Expected-close offsets (float, NaN = unknown) → table row index."""
    k = np.asarray(k, dtype=float)
    rows = np.clip(np.nan_to_num(k, nan=0.0), K_MIN, K_MAX).astype(int) - K_MIN
    return np.where(np.isnan(k), K_MAX - K_MIN + 1, rows)


@dataclass(frozen=True)
class CloseTiming:
    table: np.ndarray  # (rows = k buckets + unknown, HORIZON + 1 offsets), each row sums to 1
    snapshots: int

    def prob(self, k: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """P(win-close offset in [lo, hi) months from the forecast month | expected-close offsets k)."""
        lo, hi = max(lo, 0), min(hi, HORIZON)
        if hi <= lo:
            return np.zeros(len(np.asarray(k)))
        return self.table[k_row(k), lo:hi].sum(axis=1)


def uniform_prior() -> np.ndarray:
    return np.full(HORIZON + 1, 1.0 / (HORIZON + 1))


def learn(opps: pd.DataFrame, history: pd.DataFrame, as_of: datetime, lookback: int = LOOKBACK,
          horizon: int = HORIZON, alpha: float = ALPHA) -> CloseTiming:
    """opps: id, status, created_at, closed_at; history: opportunity_id, changed_at, expected_close.
    Uses only deals won before `as_of` and close dates recorded before each snapshot."""
    now = month_index(as_of)
    won = opps[(opps["status"] == "won") & (pd.to_datetime(opps["closed_at"]) < pd.Timestamp(as_of))]
    won = won.assign(created_at=pd.to_datetime(won["created_at"]), closed_at=pd.to_datetime(won["closed_at"]))
    frames = []
    for m in range(now - horizon - lookback + 1, now - horizon + 1):
        t = pd.Timestamp(datetime(m // 12, m % 12 + 1, 1))
        sel = won[(won["created_at"] <= t) & (won["closed_at"] > t)]
        frames.append(pd.DataFrame({"opportunity_id": sel["id"].to_numpy(), "t": t, "m": m,
                                    "close_m": month_indices(sel["closed_at"]).to_numpy()}))
    rows = len(K_ROWS_LABELS)
    counts = np.zeros((rows, horizon + 1))
    snaps = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if len(snaps):
        h = history[["opportunity_id", "changed_at", "expected_close"]].dropna(subset=["changed_at"]).copy()
        h["changed_at"] = pd.to_datetime(h["changed_at"]).astype("datetime64[ns]")
        h["opportunity_id"] = h["opportunity_id"].astype(snaps["opportunity_id"].dtype)
        snaps["t"] = snaps["t"].astype("datetime64[ns]")
        merged = pd.merge_asof(snaps.sort_values("t"), h.sort_values("changed_at"), left_on="t",
                               right_on="changed_at", by="opportunity_id")
        k = (month_indices(merged["expected_close"]) - merged["m"]).to_numpy(dtype=float)
        off = np.clip(merged["close_m"].to_numpy() - merged["m"].to_numpy(), 0, horizon)
        np.add.at(counts, (k_row(k), off.astype(int)), 1.0)
    pooled = counts.sum(axis=0)
    prior = pooled / pooled.sum() if pooled.sum() else uniform_prior()
    smoothed = counts + alpha * prior
    return CloseTiming(smoothed / smoothed.sum(axis=1, keepdims=True), snapshots=len(snaps))


K_ROWS_LABELS = [*(str(k) for k in range(K_MIN, K_MAX + 1)), "unknown"]
