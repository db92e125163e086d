"""Small synthetic win/loss data for the scoring tests (no ../shared)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def winloss_frame(n: int = 800, seed: int = 0, leak: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    region = rng.choice(["East", "West", "North"], n)
    competitor = rng.choice(["None", "Known", "Unknown"], n)  # a literal 'None' category
    amount = rng.lognormal(10, 1, n).round()
    days = rng.integers(0, 120, n)
    logit = -0.5 + 1.2 * (region == "East") - 0.8 * (competitor == "Known") - 0.02 * days + 0.3 * np.log(amount / 2e4)
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    df = pd.DataFrame({"Deal ID": [f"D{i:05d}" for i in range(n)], "Region": region, "Competitor Type": competitor,
                       "Amount": amount, "Days In Stage": days, "Result": np.where(won, "Won", "Loss")})
    if leak:
        df["Stage_Change_Date__c"] = rng.integers(0, 500, n)  # name says post-close
        df["Outcome Score"] = np.where(won, 1.0, 0.0) + rng.normal(0, 0.01, n)  # predicts the label alone
    return df
