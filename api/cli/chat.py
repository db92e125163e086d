"""`dealwise chat`: talk to the assistant as a user (the WeCom commands are in api/cli/wecom.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from crm.db import make_engine, session_scope
from crm.models import User
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
