"""Leakage guard: drop features that alone predict the outcome almost perfectly or are only known after close.

Three checks, each cheap and set-wise:
- single-feature AUC: out-of-fold target-mean encoding of the (binned) feature, > 0.98 → leak;
- names: words that describe the outcome or events after close (close date, last modified, stage change
  date, delivery, days through closing, won/lost, result, reason ...);
- timing: a date column that falls after the row's close date for almost every closed row.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from scoring.types import LeakFlag

AUC_LIMIT = 0.98

_POST_CLOSE = [
    r"close_?date",
    r"closed",
    r"clos(e|ing)[ _]?(value|amount|reason)",
    r"through[ _]?clos",
    r"to[ _]?total[ _]?days",
    r"total[ _]?days",
    r"last[ _]?modified",
    r"until[ _]?modified",
    r"modified[ _]?date",
    r"stage[ _]?change[ _]?date",
    r"is[ _]?won",
    r"is[ _]?closed",
    r"\b(won|lost|win|loss)\b",
    r"(outcome|result|loss[ _]?reason|won[ _]?reason|lost[ _]?reason)",
    r"deliver",
    r"commence",
    r"invoice",
    r"booked|booking",
    r"contract[ _]?signed|signed[ _]?date",
    r"payment|paid",
]
_PATTERN = re.compile("|".join(f"(?:{p})" for p in _POST_CLOSE), re.IGNORECASE)
_CLOSE_DATE = re.compile(r"close_?date|closed_?(at|on|date)", re.IGNORECASE)


def _split_camel(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name)


def name_suggests_post_close(name: str) -> bool:
    return bool(_PATTERN.search(name) or _PATTERN.search(_split_camel(name)))


def single_feature_auc(x: pd.Series, y: np.ndarray, seed: int = 0, bins: int = 50) -> float:
    """AUC of one feature alone: 2-fold out-of-fold smoothed target mean per (quantile-binned) value."""
    if isinstance(x.dtype, pd.CategoricalDtype) or x.dtype == object:
        codes = pd.Series(pd.factorize(x.astype(str))[0], index=x.index)
    else:
        v = pd.to_numeric(x, errors="coerce")
        codes = pd.Series(np.full(len(v), -1), index=x.index)
        ok = v.notna().to_numpy()
        if ok.any():
            nb = int(min(bins, max(1, v[ok].nunique())))
            codes[ok] = pd.qcut(v[ok].rank(method="first"), nb, labels=False, duplicates="drop").astype(int)
    fold = np.random.default_rng(seed).integers(0, 2, len(y))
    enc = np.zeros(len(y))
    c = codes.to_numpy()
    for f in (0, 1):
        tr = fold != f
        prior = y[tr].mean() if tr.any() else 0.5
        stats = pd.DataFrame({"c": c[tr], "y": y[tr]}).groupby("c")["y"].agg(["sum", "count"])
        rate = (stats["sum"] + 10 * prior) / (stats["count"] + 10)
        enc[~tr] = pd.Series(c[~tr]).map(rate).fillna(prior).to_numpy()
    if len(np.unique(y)) < 2:
        return 0.5
    auc = float(roc_auc_score(y, enc))
    return max(auc, 1.0 - auc)


def _as_dates(col: pd.Series) -> pd.Series | None:
    """The column as datetimes if it holds date strings (checked on a sample first), else None."""
    if not isinstance(col.dtype, pd.CategoricalDtype) and col.dtype != object:
        return None
    values = col.astype(str)
    sample = values.head(50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if pd.to_datetime(sample, errors="coerce", format="mixed").notna().mean() < 0.8:
            return None
        return pd.to_datetime(values, errors="coerce", format="mixed")


def _timing_flags(X: pd.DataFrame) -> list[LeakFlag]:
    close_cols = [c for c in X.columns if _CLOSE_DATE.search(c)]
    if not close_cols:
        return []
    close = _as_dates(X[close_cols[0]])
    if close is None:
        return []
    flags = []
    for col in X.columns:
        when = None if col == close_cols[0] else _as_dates(X[col])
        if when is None:
            continue
        both = when.notna() & close.notna()
        if both.sum() >= 20 and (when[both] > close[both]).mean() > 0.9:
            flags.append(LeakFlag(column=col, reason=f"dated after {close_cols[0]} in >90 % of rows"))
    return flags


def check_leakage(X: pd.DataFrame, y: np.ndarray, limit: float = AUC_LIMIT, names: bool = True) -> list[LeakFlag]:
    """Flag leaking columns of X (the caller drops them and warns). names=False skips the name and timing
    heuristics (for features that are point-in-time by construction)."""
    flags: dict[str, LeakFlag] = {}
    for col in X.columns:
        auc = single_feature_auc(X[col], y)
        if auc > limit:
            flags[col] = LeakFlag(column=col, reason=f"alone predicts the outcome (AUC {auc:.3f} > {limit})", auc=auc)
        elif names and name_suggests_post_close(col):
            flags[col] = LeakFlag(column=col, reason="name says it is only known at or after close", auc=auc)
    for f in _timing_flags(X) if names else []:
        flags.setdefault(f.column, f)
    return list(flags.values())
