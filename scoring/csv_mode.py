"""Generic tabular mode (no CRM needed): train on a CSV, evaluate a saved model on a CSV, predict a CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import store
from scoring.calibration import metrics
from scoring.explain import points, top_k_by_magnitude
from scoring.tabular import prepare_training, read_csv
from scoring.trainer import Choice, LeakagePolicy, Trained, train
from scoring.types import Metrics, ScoringInputError


def train_csv(
    csv: Path,
    target: str,
    positive: str,
    out: Path,
    *,
    id_column: str | None = None,
    drop: list[str] | None = None,
    min_won: int = 200,
    min_lost: int = 200,
    leakage: LeakagePolicy = "drop",
    keep: list[str] | None = None,
    choice: Choice = "auto",
    seed: int = 42,
) -> Trained:
    df = read_csv(csv)
    data = prepare_training(df, target, positive, id_column=id_column, drop=drop)
    version = f"{Path(out).name}-{datetime.now(UTC):%Y%m%d%H%M%S}"
    trained = train(data, version=version, target=target, positive=positive, id_column=id_column,
                    min_won=min_won, min_lost=min_lost, leakage=leakage, keep=keep, choice=choice,
                    source=f"csv:{Path(csv).name}", seed=seed)
    store.save(Path(out), trained.model, trained.card, trained.y, trained.oof)
    return trained


def _labels(df: pd.DataFrame, loaded: store.Loaded) -> np.ndarray:
    target, positive = loaded.card.target, loaded.card.positive
    if target not in df.columns:
        raise ScoringInputError(f"The target column {target!r} the model was trained on is not in the CSV.")
    y = (df[target].astype(str).str.strip() == positive).to_numpy(dtype=int)
    return y


def evaluate_csv(model_dir: Path, csv: Path) -> Metrics:
    loaded = store.load(model_dir)
    df = read_csv(csv)
    y = _labels(df, loaded)
    p = loaded.model.predict_proba(loaded.model.schema.frame(df))
    return metrics(y, p)


def predict_frame(loaded: store.Loaded, df: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """id, probability, band base, factor_1..k (label and signed points)."""
    X = loaded.model.schema.frame(df)
    p, _p0, pts = points(loaded.model, X)
    id_col = loaded.card.id_column
    ids = df[id_col] if id_col and id_col in df.columns else pd.Series(np.arange(len(df)).astype(str), index=df.index)
    feats = loaded.model.features
    rows = []
    for i in range(len(df)):
        factors = top_k_by_magnitude(pts[i], X.iloc[i], feats, k=k)
        row: dict[str, object] = {"id": ids.iloc[i], "probability": round(float(p[i]), 4)}
        for j in range(k):
            row[f"factor_{j + 1}"] = factors[j].text() if j < len(factors) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def predict_csv(model_dir: Path, csv: Path, out: Path) -> int:
    loaded = store.load(model_dir)
    df = read_csv(csv)
    result = predict_frame(loaded, df)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(out, index=False)
    return len(result)
