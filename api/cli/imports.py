"""`dealwise import maven DIR` and `dealwise import csv --mapping MAPPING.yaml FILE`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import DatabaseUrl, JsonFlag, cli_session, console, err_console, print_json
from crm.importers.common import ImportFailed, ImportReport
from crm.importers.mapping import import_csv, load_mapping
from crm.importers.maven import import_maven
from scoring.hooks import last_opportunity_id, rescore_imported

import_app = typer.Typer(help="Import CRM data (one transaction: a file with bad rows imports nothing).",
                         no_args_is_help=True)


def _report(report: ImportReport, json_out: bool) -> None:
    if json_out:
        print_json({"source": report.source, "created": report.created})
    else:
        console.print("[green]imported[/green] " + ", ".join(f"{v:,} {k}" for k, v in report.created.items()))


def _rescore(database_url: str | None, after_id: int, json_out: bool) -> None:
    """After the import committed: rescore the open deals it touched (only with an active model; a failure is
    logged and leaves the import in place)."""
    try:
        with cli_session(database_url) as session:
            n = rescore_imported(session, after_id)
    except Exception:  # e.g. the scores' commit failed: the import itself is already committed
        logging.getLogger("dealwise.scoring").exception("rescoring after the import failed")
        return
    if n and not json_out:
        console.print(f"rescored {n:,} open deal(s)")


def _failed(exc: ImportFailed, json_out: bool) -> None:
    if json_out:
        print_json({"error": str(exc), "rows": [{"file": e.file, "row": e.row, "reason": e.reason} for e in exc.errors]})
    else:
        err_console.print(f"[red]error:[/red] {len(exc.errors)} bad row(s); nothing was imported")
        for e in exc.errors[:50]:
            err_console.print(f"  {e}")
    raise typer.Exit(2)


@import_app.command("maven")
def maven(directory: Annotated[Path, typer.Argument(help="folder with the Maven CSV files")],
          database_url: DatabaseUrl = None, json_out: JsonFlag = False) -> None:
    """The Maven Analytics 'CRM Sales Opportunities' sample."""
    try:
        with cli_session(database_url, (ImportFailed,)) as session:
            before = last_opportunity_id(session)
            report = import_maven(session, directory)
    except ImportFailed as exc:
        _failed(exc, json_out)
    _report(report, json_out)
    _rescore(database_url, before, json_out)


@import_app.command("csv")
def csv_file(file: Annotated[Path, typer.Argument(help="the CSV export")],
             mapping: Annotated[Path, typer.Option("--mapping", help="YAML column mapping")],
             database_url: DatabaseUrl = None, json_out: JsonFlag = False) -> None:
    """Any CRM export, mapped column by column."""
    try:
        with cli_session(database_url, (ImportFailed,)) as session:
            before = last_opportunity_id(session)
            report = import_csv(session, load_mapping(mapping), file)
    except ImportFailed as exc:
        _failed(exc, json_out)
    _report(report, json_out)
    _rescore(database_url, before, json_out)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
