"""Calibrated LightGBM: K grouped folds, each booster early-stopped on its held-out fold, give out-of-fold
predictions and the round count; an isotonic map is fitted on those out-of-fold predictions; the served model
averages the log-odds of boosters refitted on all rows (different seeds), then applies the isotonic map."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

from scoring.calibration import Calibrator
from scoring.tabular import Schema

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 63,
    "min_child_samples": 50,
    "lambda_l2": 5.0,
    "max_bin": 1023,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "cat_smooth": 10,
    "verbose": -1,
    "num_threads": 1,
    "seed": 42,
    "deterministic": True,
}
MAX_ROUNDS = 1000
EARLY_STOP = 50


@dataclass(frozen=True)
class Profile:
    """How big a model to fit: parameter overrides, a cap on boosting rounds, and how many full refits to average."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    max_rounds: int | None = None  # None: MAX_ROUNDS
    n_full: int = 2
    k: int = 3  # grouped cross-validation folds (early stopping and the out-of-fold calibration)
    bag_folds: bool = False  # also average the cross-validation boosters into the served model


# the most accurate model (CSV mode, the IBM benchmark): up to 1,000 rounds of 63 leaves and 1,023 bins, 2 folds and
# one refit on all rows (on IBM: 3 folds + 2 refits averaged gave AUC 0.9458 for 68 s CPU; 2 folds + 1 refit 0.9454
# for 39 s; see docs/bench/scoring.md)
ACCURATE = Profile("accurate", n_full=1, k=2)
# the model served for live CRM scoring: one booster of ≤ 150 rounds, 31 leaves, 63 bins, so a batch predict is
# tens of thousands of deals per CPU second and one deal's TreeSHAP explanation about a millisecond
SERVED = Profile("served", params={"num_leaves": 31, "max_bin": 63, "learning_rate": 0.1}, max_rounds=150, n_full=1)
PROFILES = {p.name: p for p in (ACCURATE, SERVED)}


def _folds(y: np.ndarray, groups: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    try:
        splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
        return list(splitter.split(np.zeros(len(y)), y, groups))
    except ValueError:
        return list(GroupKFold(n_splits=k).split(np.zeros(len(y)), y, groups))


class GBMModel:
    kind = "lightgbm"

    def __init__(self, schema: Schema, boosters: list[lgb.Booster], calibrator: Calibrator) -> None:
        self.schema = schema
        self.boosters = boosters
        self.calibrator = calibrator

    @property
    def features(self) -> list[str]:
        return self.schema.names

    # --- training ------------------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        X: pd.DataFrame,
        y: np.ndarray,
        groups: np.ndarray,
        schema: Schema,
        k: int | None = None,
        seed: int = 42,
        params: dict[str, Any] | None = None,
        workers: int = 2,
        n_full: int | None = None,
        profile: Profile = ACCURATE,
    ) -> tuple[GBMModel, np.ndarray]:
        """Fit; return the model and calibrated out-of-fold probabilities (for the model card)."""
        p = {**DEFAULT_PARAMS, **profile.params, **(params or {}), "seed": seed}
        n_full = profile.n_full if n_full is None else n_full
        k = profile.k if k is None else k
        max_rounds = min(MAX_ROUNDS, profile.max_rounds or MAX_ROUNDS)
        k = max(2, min(k, len(np.unique(groups))))
        folds = _folds(y, groups, k, seed)
        oof = np.zeros(len(y))

        def fit_fold(fold: tuple[np.ndarray, np.ndarray]) -> lgb.Booster:
            tr, va = fold
            dtr = lgb.Dataset(X.iloc[tr], y[tr], free_raw_data=True)
            dva = lgb.Dataset(X.iloc[va], y[va], reference=dtr)
            return lgb.train(p, dtr, num_boost_round=max_rounds, valid_sets=[dva],
                             callbacks=[lgb.early_stopping(EARLY_STOP, verbose=False)])

        # folds run side by side, one thread each: LightGBM releases the GIL, and one OpenMP thread per
        # booster avoids the spin-wait slowdown of multi-threaded OpenMP on a shared, busy machine
        with ThreadPoolExecutor(max_workers=workers) as pool:
            fold_models = list(pool.map(fit_fold, folds))
        for b, (_tr, va) in zip(fold_models, folds, strict=True):
            oof[va] = b.predict(X.iloc[va], num_iteration=b.best_iteration, raw_score=True, num_threads=1)
        # the served boosters see all rows, with the folds' best round count scaled up for the extra data
        rounds = max(10, int(np.mean([b.best_iteration or max_rounds for b in fold_models]) * (1 + 1 / k)))
        rounds = min(rounds, max_rounds)

        def fit_full(s: int) -> lgb.Booster:
            b = lgb.train({**p, "seed": s}, lgb.Dataset(X, y), num_boost_round=rounds)
            b.best_iteration = rounds
            return b

        with ThreadPoolExecutor(max_workers=workers) as pool:
            boosters = list(pool.map(fit_full, [seed + i for i in range(n_full)]))
        if profile.bag_folds:
            boosters += fold_models
        raw = expit(oof)
        # calibrated OOF for the card: each fold mapped by an isotonic fitted on the other folds
        cal_oof = np.zeros(len(y))
        for tr, va in folds:
            cal_oof[va] = Calibrator.fit(raw[tr], y[tr])(raw[va])
        model = cls(schema, boosters, Calibrator.fit(raw, y))
        return model, cal_oof

    # --- inference -----------------------------------------------------------------------------------
    def margin(self, X: pd.DataFrame) -> np.ndarray:
        X = X[self.features]
        return np.mean([b.predict(X, num_iteration=b.best_iteration, raw_score=True, num_threads=1) for b in self.boosters], axis=0)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return self.calibrator(expit(self.margin(X)))

    def contributions(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Per-feature log-odds contributions (n × f) and the base log-odds (n), averaged over boosters."""
        X = X[self.features]
        c = np.mean(
            [b.predict(X, num_iteration=b.best_iteration, pred_contrib=True, num_threads=1) for b in self.boosters], axis=0
        )
        return c[:, :-1], c[:, -1]

    def link(self, margin: np.ndarray) -> np.ndarray:
        return self.calibrator(expit(margin))

    def importances(self) -> dict[str, float]:
        gain = np.mean([b.feature_importance(importance_type="gain") for b in self.boosters], axis=0)
        total = float(gain.sum()) or 1.0
        pairs = sorted(zip(self.features, gain / total, strict=True), key=lambda t: -t[1])
        return {name: round(float(v), 4) for name, v in pairs}

    # --- persistence ---------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        for i, b in enumerate(self.boosters):
            (folder / f"booster_{i}.txt").write_text(b.model_to_string(num_iteration=b.best_iteration))
        meta = {"kind": self.kind, "schema": self.schema.model_dump(), "calibrator": self.calibrator.to_json(),
                "n_boosters": len(self.boosters)}
        (folder / "model.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path, meta: dict[str, Any]) -> GBMModel:
        boosters = [lgb.Booster(model_file=str(folder / f"booster_{i}.txt")) for i in range(meta["n_boosters"])]
        for b in boosters:
            b.best_iteration = b.current_iteration()
        return cls(Schema.model_validate(meta["schema"]), boosters, Calibrator.from_json(meta["calibrator"]))
