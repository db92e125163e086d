"""`dealwise chat` (talk to the assistant as a user) and `dealwise wecom digest` (post a team digest)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from sqlalchemy import select

from crm.db import make_engine, session_scope
from crm.models import Team, User
from crm.settings import get_settings


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    @app.command("chat")
    def chat(
        message: Annotated[str, typer.Argument(help="what to ask, e.g. 我今天有哪些待办")],
        user: Annotated[str, typer.Option("--user", "-u", help="the Dealwise username to act as")],
        conversation: Annotated[int | None, typer.Option(help="continue this conversation id")] = None,
        traces: Annotated[bool, typer.Option(help="print the tool calls")] = False,
    ) -> None:
        """One turn with the assistant, as USER (offline unless DEALWISE_LLM_* is set)."""
        from assistant.factory import build_assistant
        from crm.errors import DealwiseError

        settings = get_settings()
        with session_scope(make_engine(settings.database_url)) as s:
            u = s.scalars(select(User).where(User.username == user, User.is_active)).first()
            if u is None:
                _fail(f"No active user named {user!r}.")
                return
            try:
                reply = build_assistant(s, u, settings, channel="cli").handle(message, conversation)
            except DealwiseError as exc:
                _fail(str(exc))
                return
        if traces:
            for t in reply.traces:
                typer.echo(f"[tool] {t.name} {t.arguments} → {t.summary}", err=True)
        typer.echo(reply.text)
        typer.echo(f"(conversation {reply.conversation_id})", err=True)

    wecom = typer.Typer(help="WeCom (企业微信) adapter commands.", no_args_is_help=True)
    app.add_typer(wecom, name="wecom")

    @wecom.command("digest")
    def digest(
        team: Annotated[str, typer.Option(help="team name, e.g. 华东一组")],
        key: Annotated[str, typer.Option(help="the group robot's webhook key")],
        period: Annotated[str, typer.Option(help="daily or weekly")] = "daily",
        dry_run: Annotated[bool, typer.Option(help="print instead of posting")] = False,
    ) -> None:
        """Post a team's KPIs and at-risk deals to its WeCom group (run it from cron or a scheduler)."""
        from api.wecom.digest import period_bounds, post_markdown, render_markdown
        from tools.brief import team_digest

        if period not in ("daily", "weekly"):
            _fail("--period must be daily or weekly.")
        settings = get_settings()
        with session_scope(make_engine(settings.database_url)) as s:
            team_id = s.scalar(select(Team.id).where(Team.name == team))
            if team_id is None:
                _fail(f"No team named {team!r}.")
                return
            today = date.today()
            start, end = period_bounds(period, today)  # type: ignore[arg-type]
            text = render_markdown(team_digest(s, team_id, start, end, today), period)  # type: ignore[arg-type]
        if dry_run:
            typer.echo(text)
            return
        n = post_markdown(settings.wecom_api_base, key, text)
        typer.echo(f"posted {n} message(s) to the {team} group")
