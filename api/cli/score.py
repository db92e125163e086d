"""`dealwise score ...`: train/evaluate/predict on a CSV, train on the CRM, list/activate versions, rescore."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from api.cli.common import DatabaseUrl, cli_session
from scoring.types import ScoringInputError


def _install_hooks() -> None:
    """`dealwise worker` processes rescore a call's deal after its insights (insights hook first)."""
    from assistant.insights.hook import install as install_insights
    from scoring.hooks import install

    install_insights()
    install()


_install_hooks()

score_app = typer.Typer(help="Win probability: train, evaluate, predict, activate, rescore.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code=2)


def _settings() -> Any:
    from crm.settings import get_settings

    return get_settings()


@score_app.command("train")
def train_cmd(
    csv: Annotated[Path | None, typer.Option(help="Train on this CSV instead of the CRM.")] = None,
    target: Annotated[str | None, typer.Option(help="Outcome column (CSV mode).")] = None,
    positive: Annotated[str | None, typer.Option(help="Value of the target that means won.")] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Row id; also the grouping key.")] = None,
    drop: Annotated[list[str] | None, typer.Option(help="Column to leave out (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option(help="Model folder to write (CSV mode).")] = None,
    keep_leaky: Annotated[bool, typer.Option("--keep-leaky", help="Flag leaking columns but keep them.")] = False,
    model: Annotated[str, typer.Option(help="auto | lightgbm | naive_bayes")] = "auto",
    activate: Annotated[bool, typer.Option(help="CRM mode: make the new version active.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Train a model: on a CSV (--csv/--target/--positive/--out) or on the CRM (no --csv)."""
    if model not in ("auto", "lightgbm", "naive_bayes"):
        _fail(f"--model must be auto, lightgbm or naive_bayes, not {model!r}.")
    settings = _settings()
    try:
        if csv is None:
            from scoring.service import train_crm

            with cli_session(database_url) as session:
                trained = train_crm(session, settings=settings, choice=model, activate=activate)  # type: ignore[arg-type]
            where = f"version {trained.card.version}" + (" (active)" if activate else "")
        else:
            if not target or not positive or out is None:
                _fail("CSV mode needs --target, --positive and --out.")
            from scoring.csv_mode import train_csv

            trained = train_csv(csv, target or "", positive or "", out or Path("."), id_column=id_column, drop=drop,
                                min_won=settings.scoring_min_won, min_lost=settings.scoring_min_lost,
                                leakage="warn" if keep_leaky else "drop", choice=model)  # type: ignore[arg-type]
            where = str(out)
    except ScoringInputError as exc:
        _fail(str(exc))
        return
    for w in trained.warnings:
        err.print(f"[yellow]warning:[/yellow] {w}")
    m = trained.card.metrics
    console.print(f"model: [bold]{trained.card.kind}[/bold] — {trained.card.why}")
    console.print(f"out-of-fold AUC {m.auc or float('nan'):.4f}  Brier {m.brier:.4f}  ECE {m.ece:.4f}  "
                  f"n {m.n}  ({trained.card.train_seconds:.1f} s)")
    console.print(f"saved: {where}")


@score_app.command("evaluate")
def evaluate_cmd(
    model: Annotated[Path, typer.Option(help="Model folder.")],
    csv: Annotated[Path, typer.Option(help="Labelled CSV.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """AUC, Brier, ECE, accuracy at 0.5 and n of a saved model on a labelled CSV."""
    from scoring.csv_mode import evaluate_csv

    try:
        m = evaluate_csv(model, csv)
    except ScoringInputError as exc:
        _fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps(m.model_dump()))
        return
    auc = f"{m.auc:.4f}" if m.auc is not None else "n/a"
    console.print(f"AUC {auc}  Brier {m.brier:.4f}  ECE {m.ece:.4f}  accuracy@0.5 {m.accuracy:.4f}  n {m.n}")


@score_app.command("predict")
def predict_cmd(
    model: Annotated[Path, typer.Option(help="Model folder.")],
    csv: Annotated[Path, typer.Option(help="CSV to score.")],
    out: Annotated[Path, typer.Option(help="Output CSV: id, probability, factor_1..3.")],
) -> None:
    """Write id, probability and top 3 factors per row."""
    from scoring.csv_mode import predict_csv

    try:
        n = predict_csv(model, csv, out)
    except ScoringInputError as exc:
        _fail(str(exc))
        return
    console.print(f"wrote {n} rows to {out}")


@score_app.command("models")
def models_cmd() -> None:
    """List trained CRM model versions (the active one starred)."""
    from scoring.store import Registry, load

    reg = Registry(_settings().data_dir)
    active = reg.active_version()
    for v in reg.versions():
        card = load(reg.path(v)).card
        auc = f"{card.metrics.auc:.3f}" if card.metrics.auc is not None else "n/a"
        console.print(f"{'*' if v == active else ' '} {v}  {card.kind}  AUC {auc}  Brier {card.metrics.brier:.3f}")
    if not reg.versions():
        console.print("no models yet: run `dealwise score train`")


@score_app.command("activate")
def activate_cmd(version: Annotated[str, typer.Argument(help="Version from `dealwise score models`.")]) -> None:
    """Make VERSION the model used to score deals."""
    from scoring.store import Registry

    try:
        Registry(_settings().data_dir).activate(version)
    except ScoringInputError as exc:
        _fail(str(exc))
    console.print(f"active model: {version}")


@score_app.command("rescore")
def rescore_cmd(database_url: DatabaseUrl = None) -> None:
    """Score every open opportunity with the active model and store the scores."""
    from scoring.service import rescore

    try:
        with cli_session(database_url) as session:
            n = rescore(session)
    except ScoringInputError as exc:
        _fail(str(exc))
        return
    console.print(f"scored {n} open opportunities")


def register(app: typer.Typer) -> None:
    app.add_typer(score_app, name="score")
