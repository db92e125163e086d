"""Leakage guard: near-perfect single features and post-close fields are flagged and dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.leakage import check_leakage, name_suggests_post_close
from scoring.tabular import prepare_training
from scoring.trainer import train
from tests.scoring.synth import winloss_frame

# the column names of the real leaky Salesforce export (values here are synthetic)
SALESFORCE_POST_CLOSE = ["CloseDate", "LastModifiedDate", "Stage_Change_Date__c", "Days_Until_Modified__c",
                         "Earliest_Delivery_Commence_Date__c"]
SALESFORCE_OK = ["Account_Owner__c", "Amount", "Area__c", "Country__c", "CreatedDate", "CurrencyIsoCode",
                 "Duration_at_Stage1__c", "HasOpportunityLineItem", "Pricebook2Id", "Sub_Area__c"]


def test_names() -> None:
    assert all(name_suggests_post_close(n) for n in SALESFORCE_POST_CLOSE)
    assert not any(name_suggests_post_close(n) for n in SALESFORCE_OK)
    assert name_suggests_post_close("Total Days Identified Through Closing")
    assert not name_suggests_post_close("Elapsed Days In Sales Stage")


def test_guard_flags_and_drops() -> None:
    df = winloss_frame(600, seed=3, leak=True).astype(str)
    data = prepare_training(df, "Result", "Won", id_column="Deal ID")
    flags = {f.column: f for f in check_leakage(data.X, data.y)}
    assert set(flags) == {"Outcome Score", "Stage_Change_Date__c"}
    assert flags["Outcome Score"].auc is not None and flags["Outcome Score"].auc > 0.98
    trained = train(data, version="t", target="Result", positive="Won", min_won=50, min_lost=50)
    assert {d.column for d in trained.card.dropped} == {"Outcome Score", "Stage_Change_Date__c"}
    assert "Outcome Score" not in trained.model.features
    assert any("Outcome Score" in w for w in trained.warnings)
    kept = train(data, version="t", target="Result", positive="Won", min_won=50, min_lost=50, leakage="warn")
    assert "Outcome Score" in kept.model.features and not kept.card.dropped


def test_timing_dates_after_close() -> None:
    rng = np.random.default_rng(0)
    close = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, 200), unit="D")
    X = pd.DataFrame({
        "close_date": close.strftime("%Y-%m-%d"),
        "handover": (close + pd.Timedelta(days=5)).strftime("%Y-%m-%d"),
        "kickoff": (close - pd.Timedelta(days=40)).strftime("%Y-%m-%d"),
    }).astype("category")
    y = rng.integers(0, 2, 200)
    flagged = {f.column for f in check_leakage(X, y)}
    assert "handover" in flagged and "kickoff" not in flagged
