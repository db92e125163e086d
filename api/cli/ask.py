"""`dealwise ask "QUESTION" --user USERNAME [--json]`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from api.cli.common import DatabaseUrl, JsonFlag, cli_session, console, print_json, scope_of, settings_with


def ask_cmd(
    question: Annotated[str, typer.Argument(help="the question, e.g. 本季度华东区的赢单率是多少？")],
    user: Annotated[str, typer.Option("--user", help="answer as this user (their scope applies)")],
    today: Annotated[datetime | None, typer.Option(help="evaluate relative periods as of this day")] = None,
    show_sql: Annotated[bool, typer.Option("--sql", help="show the generated SQL (admins only)")] = False,
    database_url: DatabaseUrl = None, json_out: JsonFlag = False,
) -> None:
    """Answer a sales-metrics question (or search calls) within a user's scope."""
    from retrieval.ask import ask

    with cli_session(database_url) as session:
        scope = scope_of(session, user)
        answer = ask(session, scope, question, today=today.date() if today else None,
                     settings=settings_with(database_url), show_sql=show_sql)
    if json_out:
        print_json(answer.model_dump(mode="json"))
        return
    console.print(answer.text)
    if answer.result and answer.result.rows and (len(answer.result.rows) > 1 or len(answer.result.columns) > 1):
        table = Table(*answer.result.columns)
        for row in answer.result.rows[:30]:
            table.add_row(*[(f"{x:.4f}" if abs(x) < 10 else f"{x:,.0f}") if isinstance(x, float) else str(x) for x in row])
        console.print(table)
    for c in answer.citations:
        where = f" @{c.start_s:.0f}s" if c.start_s is not None else ""
        console.print(f"  [dim]{c.account or ''} call {c.call_id or '-'}{where} {c.speaker or ''}:[/dim] {c.quote}")
    if answer.plan and answer.plan.sql:
        console.print(f"[dim]{answer.plan.sql}[/dim]")
    if answer.plan:
        console.print(f"[dim]{answer.plan.metric_label}: {answer.plan.definition} ({answer.plan.scope})[/dim]")


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_cmd)
