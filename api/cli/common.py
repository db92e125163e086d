"""Shared CLI plumbing: options, engine/session from settings, errors as one sentence and exit code 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.db import is_initialised, make_engine, migrate, session_scope
from crm.errors import DealwiseError
from crm.models import User
from crm.scope import Scope, scope_for
from crm.settings import Settings, get_settings

console = Console()
err_console = Console(stderr=True)

DatabaseUrl = Annotated[str | None, typer.Option("--database-url", help="overrides DEALWISE_DATABASE_URL")]
JsonFlag = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def settings_with(database_url: str | None) -> Settings:
    settings = get_settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def engine_for(database_url: str | None, create: bool = True) -> Engine:
    settings = settings_with(database_url)
    try:
        engine = make_engine(settings.database_url)
        if not is_initialised(engine):
            if not create:
                fail("the database has no schema yet; run `dealwise db init` first")
            migrate(engine)
    except DealwiseError as exc:
        fail(str(exc))
    except Exception as exc:  # an unreachable or malformed database URL
        fail(f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    return engine


@contextmanager
def cli_session(database_url: str | None, passthrough: tuple[type[Exception], ...] = ()) -> Iterator[Session]:
    """A unit of work; domain errors become one sentence and exit code 2 (unless passed through)."""
    engine = engine_for(database_url)
    try:
        with session_scope(engine) as session:
            yield session
    except passthrough:
        raise
    except DealwiseError as exc:
        fail(str(exc))


def scope_of(session: Session, username: str) -> Scope:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        fail(f"no user named {username!r}")
    return scope_for(user)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
