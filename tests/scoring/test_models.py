"""Calibration sanity, the naive-Bayes small-data fallback, and explanations (sum and sign)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.calibration import ece, metrics
from scoring.explain import points, top_factors
from scoring.tabular import prepare_training
from scoring.trainer import choose_kind, train
from tests.scoring.synth import winloss_frame


def test_ece_basics() -> None:
    y = np.array([0, 1] * 50)
    assert ece(y, np.full(100, 0.5)) < 1e-9
    assert abs(ece(y, np.full(100, 0.9)) - 0.4) < 1e-9


def test_calibrated_gbm_is_calibrated() -> None:
    df = winloss_frame(3000, seed=5).astype(str)
    data = prepare_training(df, "Result", "Won", id_column="Deal ID")
    trained = train(data, version="t", target="Result", positive="Won", min_won=100, min_lost=100)
    assert trained.card.kind == "lightgbm"
    assert trained.card.metrics.ece < 0.05  # out of fold
    holdout = winloss_frame(3000, seed=6).astype(str)
    y = (holdout["Result"] == "Won").to_numpy(dtype=int)
    m = metrics(y, trained.model.predict_proba(trained.model.schema.frame(holdout)))
    assert m.ece < 0.05 and m.auc is not None and m.auc > 0.7
    assert abs(trained.model.predict_proba(trained.model.schema.frame(holdout)).mean() - y.mean()) < 0.03


def test_naive_bayes_fallback_below_threshold() -> None:
    kind, why = choose_kind(40, 300, 200, 200)
    assert kind == "naive_bayes" and "40 won" in why
    assert choose_kind(250, 300, 200, 200)[0] == "lightgbm"
    df = winloss_frame(300, seed=2).astype(str)
    data = prepare_training(df, "Result", "Won")
    trained = train(data, version="t", target="Result", positive="Won")  # defaults 200/200
    assert trained.card.kind == "naive_bayes" and "naive Bayes" in trained.card.why
    p = trained.model.predict_proba(data.X)
    assert ((p > 0) & (p < 1)).all() and trained.card.metrics.auc is not None and trained.card.metrics.auc > 0.6


def _check_points(model, X: pd.DataFrame) -> None:
    contrib, _base = model.contributions(X)
    p, p0, pts = points(model, X)
    moved = np.abs(p - p0) > 1e-9  # outside the calibration's flat ends the points add up exactly
    assert moved.mean() > 0.9
    assert np.allclose(pts[moved].sum(axis=1), (p - p0)[moved], atol=1e-6)
    nz = np.abs(contrib) > 1e-9
    assert (np.sign(pts[nz]) == np.sign(contrib[nz])).all()
    assert np.allclose(model.predict_proba(X), p)


def test_explanations_sum_and_sign() -> None:
    df = winloss_frame(1200, seed=7).astype(str)
    data = prepare_training(df, "Result", "Won", id_column="Deal ID")
    for choice in ("lightgbm", "naive_bayes"):
        trained = train(data, version="t", target="Result", positive="Won", choice=choice)
        X = data.X.iloc[:200]
        _check_points(trained.model, X)
        _p, _p0, pts = points(trained.model, X)
        factors = top_factors(pts[0], X.iloc[0], trained.model.features)
        assert factors and all(abs(f.points) >= 0.005 for f in factors)
        assert [abs(f.points) for f in factors] == sorted((abs(f.points) for f in factors), reverse=True)
    # East is the planted positive region: its factor is positive for the naive-Bayes model
    east = X[X["Region"] == "East"].index[0]
    i = list(X.index).index(east)
    j = trained.model.features.index("Region")
    assert pts[i, j] > 0
