"""Small-data fallback: naive Bayes over field-value frequencies with additive smoothing (Odoo's method).

Each field value v contributes log P(v | won) − log P(v | lost) to the log-odds; numeric fields are binned
into quantiles first. The contributions are the explanation, so it is explainable by construction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.model_selection import StratifiedKFold

from scoring.tabular import Schema

MISSING = "__missing__"


class NaiveBayesModel:
    kind = "naive_bayes"

    def __init__(self, schema: Schema, prior: float, tables: dict[str, dict[str, float]],
                 edges: dict[str, list[float]], alpha: float) -> None:
        self.schema = schema
        self.prior = prior  # log-odds of the base rate
        self.tables = tables  # feature → value key → log-likelihood ratio
        self.edges = edges  # numeric feature → inner bin edges
        self.alpha = alpha

    @property
    def features(self) -> list[str]:
        return self.schema.names

    def _keys(self, X: pd.DataFrame, name: str) -> np.ndarray:
        col = X[name]
        if name in self.edges:
            v = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
            keys = np.searchsorted(np.asarray(self.edges[name]), v, side="right").astype(str).astype(object)
            keys[np.isnan(v)] = MISSING
            return keys
        return col.astype(object).where(col.notna(), MISSING).astype(str).to_numpy()

    @classmethod
    def fit(cls, X: pd.DataFrame, y: np.ndarray, schema: Schema, alpha: float = 1.0, n_bins: int = 5) -> NaiveBayesModel:
        n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
        prior = float(np.log((n_pos + alpha) / (n_neg + alpha)))
        edges: dict[str, list[float]] = {}
        for col in schema.columns:
            if col.kind == "numeric":
                v = pd.to_numeric(X[col.name], errors="coerce").dropna()
                qs = np.unique(np.quantile(v, np.linspace(0, 1, n_bins + 1)[1:-1])) if len(v) else np.array([])
                edges[col.name] = [float(q) for q in qs]
        model = cls(schema, prior, {}, edges, alpha)
        for col in schema.columns:
            keys = model._keys(X, col.name)
            frame = pd.DataFrame({"k": keys, "y": y})
            counts = frame.groupby("k")["y"].agg(["sum", "count"])
            n_values = len(counts) + 1  # +1 for an unseen value
            pos = (counts["sum"] + alpha) / (n_pos + alpha * n_values)
            neg = (counts["count"] - counts["sum"] + alpha) / (n_neg + alpha * n_values)
            table = {str(k): float(v) for k, v in np.log(pos / neg).items()}
            table["__unseen__"] = float(np.log((alpha / (n_pos + alpha * n_values)) / (alpha / (n_neg + alpha * n_values))))
            model.tables[col.name] = table
        return model

    @classmethod
    def train(cls, X: pd.DataFrame, y: np.ndarray, schema: Schema, seed: int = 42) -> tuple[NaiveBayesModel, np.ndarray]:
        """Fit on everything; also return out-of-fold probabilities for the model card."""
        oof = np.full(len(y), float(y.mean()))
        k = int(min(5, np.bincount(y).min()))
        if k >= 2:
            for tr, va in StratifiedKFold(k, shuffle=True, random_state=seed).split(X, y):
                oof[va] = cls.fit(X.iloc[tr], y[tr], schema).predict_proba(X.iloc[va])
        return cls.fit(X, y, schema), oof

    def contributions(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        out = np.zeros((len(X), len(self.features)))
        for j, name in enumerate(self.features):
            table = self.tables[name]
            unseen = table["__unseen__"]
            out[:, j] = [table.get(k, unseen) for k in self._keys(X, name)]
        return out, np.full(len(X), self.prior)

    def margin(self, X: pd.DataFrame) -> np.ndarray:
        c, base = self.contributions(X)
        return base + c.sum(axis=1)

    def link(self, margin: np.ndarray) -> np.ndarray:
        return expit(margin)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.link(self.margin(X))

    def importances(self) -> dict[str, float]:
        spread = {n: float(np.ptp(list(t.values()))) for n, t in self.tables.items()}
        total = sum(spread.values()) or 1.0
        return {n: round(v / total, 4) for n, v in sorted(spread.items(), key=lambda t: -t[1])}

    def save(self, folder: Path) -> None:
        meta = {"kind": self.kind, "schema": self.schema.model_dump(), "prior": self.prior,
                "tables": self.tables, "edges": self.edges, "alpha": self.alpha}
        (folder / "model.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path, meta: dict[str, Any]) -> NaiveBayesModel:
        return cls(Schema.model_validate(meta["schema"]), meta["prior"], meta["tables"], meta["edges"], meta["alpha"])
