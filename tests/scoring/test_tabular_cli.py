"""Generic tabular mode through the CLI: train/evaluate/predict, and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from api.cli.score import register
from tests.scoring.synth import winloss_frame

runner = CliRunner()


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # keep `score` a sub-command group
    return app


@pytest.fixture
def csv(tmp_path: Path) -> Path:
    p = tmp_path / "deals.csv"
    winloss_frame(900, seed=1).to_csv(p, index=False)
    return p


def test_train_evaluate_predict(cli: typer.Typer, csv: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    r = runner.invoke(cli, ["score", "train", "--csv", str(csv), "--target", "Result", "--positive", "Won",
                            "--id-column", "Deal ID", "--out", str(model)])
    assert r.exit_code == 0, r.output
    assert "lightgbm" in r.output
    assert {"model.json", "card.json", "card.md", "reliability.png"} <= {p.name for p in model.iterdir()}
    card = json.loads((model / "card.json").read_text())
    assert card["n_examples"] == 900 and card["metrics"]["auc"] > 0.65
    assert "Competitor Type" in card["features"] and "Deal ID" not in card["features"]
    schema = json.loads((model / "model.json").read_text())["schema"]
    comp = next(c for c in schema["columns"] if c["name"] == "Competitor Type")
    assert comp["kind"] == "categorical" and "None" in comp["categories"]

    r = runner.invoke(cli, ["score", "evaluate", "--model", str(model), "--csv", str(csv), "--json"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.output)
    assert set(m) >= {"auc", "brier", "ece", "accuracy", "n"} and m["n"] == 900

    out = tmp_path / "pred.csv"
    r = runner.invoke(cli, ["score", "predict", "--model", str(model), "--csv", str(csv), "--out", str(out)])
    assert r.exit_code == 0, r.output
    pred = pd.read_csv(out)
    assert list(pred.columns) == ["id", "probability", "factor_1", "factor_2", "factor_3"]
    assert pred["id"].iloc[0] == "D00000" and pred["probability"].between(0, 1).all()
    assert pred["factor_1"].str.contains("%").all()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--csv", "missing.csv", "--target", "Result", "--positive", "Won"], "not found"),
        (["--target", "Nope", "--positive", "Won"], "Nope"),
        (["--target", "Result", "--positive", "Yes"], "Yes"),
        (["--target", "Region", "--positive", "East", "--drop", "Ghost"], "Ghost"),
    ],
)
def test_bad_input_exit_code_2(cli: typer.Typer, csv: Path, tmp_path: Path, args: list[str], needle: str) -> None:
    if "--csv" not in args:
        args = ["--csv", str(csv), *args]
    r = runner.invoke(cli, ["score", "train", *args, "--out", str(tmp_path / "m")])
    assert r.exit_code == 2
    assert needle in r.output
    assert not (tmp_path / "m").exists()


def test_bad_csv_and_one_class(cli: typer.Typer, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    r = runner.invoke(cli, ["score", "train", "--csv", str(empty), "--target", "a", "--positive", "1",
                            "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "empty" in r.output
    one = tmp_path / "one.csv"
    pd.DataFrame({"x": range(50), "y": ["Won"] * 50}).to_csv(one, index=False)
    r = runner.invoke(cli, ["score", "train", "--csv", str(one), "--target", "y", "--positive", "Won",
                            "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "one class" in r.output
    r = runner.invoke(cli, ["score", "evaluate", "--model", str(tmp_path / "nomodel"), "--csv", str(one)])
    assert r.exit_code == 2 and "No model" in r.output
