"""`dealwise db init`, `dealwise users ...`, `dealwise demo seed`, `dealwise serve`."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from api.cli.common import (
    DatabaseUrl,
    JsonFlag,
    cli_session,
    console,
    engine_for,
    fail,
    print_json,
    settings_with,
)
from crm.auth import create_user, issue_token
from crm.db import is_initialised, make_engine, migrate, session_scope
from crm.demo.seed import SeedResult, seed_demo
from crm.errors import DealwiseError
from crm.models import Team, User

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Users and API tokens.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo workspace.", no_args_is_help=True)


@db_app.command("init")
def db_init(database_url: DatabaseUrl = None) -> None:
    """Create the schema, or migrate it to the newest version."""
    try:
        migrate(make_engine(settings_with(database_url).database_url))
    except Exception as exc:
        fail(f"cannot migrate the database: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    console.print("[green]schema is up to date[/green]")


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option(help="login name")],
    role: Annotated[str, typer.Option(help="admin, manager or rep")],
    team: Annotated[str | None, typer.Option(help="team name, e.g. 华东一组")] = None,
    display_name: Annotated[str, typer.Option(help="name shown to people")] = "",
    wecom_userid: Annotated[str | None, typer.Option(help="WeCom userid, to reach them in WeCom")] = None,
    database_url: DatabaseUrl = None, json_out: JsonFlag = False,
) -> None:
    """Create a user and print a new API token (shown once)."""
    with cli_session(database_url) as session:
        user = create_user(session, username, role, team, display_name, wecom_userid)
        token = issue_token(session, user)
        out = {"id": user.id, "username": user.username, "role": user.role, "team": team, "token": token}
    if json_out:
        print_json(out)
    else:
        console.print(f"created {out['role']} [bold]{out['username']}[/bold] (id {out['id']}); token: {token}")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Option(help="login name")],
    name: Annotated[str, typer.Option(help="a label for this token")] = "cli",
    database_url: DatabaseUrl = None, json_out: JsonFlag = False,
) -> None:
    """Issue another API token for an existing user."""
    with cli_session(database_url) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            fail(f"no user named {username!r}")
        token = issue_token(session, user, name=name)
    if json_out:
        print_json({"username": username, "token": token})
    else:
        console.print(token)


@users_app.command("list")
def users_list(database_url: DatabaseUrl = None, json_out: JsonFlag = False) -> None:
    """List users with their role and team."""
    with cli_session(database_url) as session:
        teams = {t.id: t.name for t in session.scalars(select(Team))}
        rows = [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                 "team": teams.get(u.team_id or 0), "wecom_userid": u.wecom_userid}
                for u in session.scalars(select(User).order_by(User.id))]
    if json_out:
        print_json(rows)
        return
    table = Table("id", "username", "name", "role", "team", "wecom")
    for r in rows:
        table.add_row(*(str(r[k] or "") for k in ("id", "username", "display_name", "role", "team", "wecom_userid")))
    console.print(table)


def run_seed(database_url: str | None, opportunities: int, seed: int, as_of: datetime | None, quiet: bool) -> SeedResult:
    engine = engine_for(database_url)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console,
                  disable=quiet or not console.is_terminal) as progress:
        task = progress.add_task("seeding", total=1.0)
        try:
            return seed_demo(engine, opportunities=opportunities, seed=seed, as_of=as_of,
                             progress=lambda msg, frac: progress.update(task, completed=frac, description=msg))
        except DealwiseError as exc:
            fail(str(exc))


@demo_app.command("seed")
def demo_seed(
    opportunities: Annotated[int, typer.Option(min=100, max=5_000_000, help="how many opportunities")] = 20000,
    seed: Annotated[int, typer.Option(help="random seed (same seed, same workspace)")] = 7,
    as_of: Annotated[datetime | None, typer.Option(help="the demo's 'today' (default: now)")] = None,
    database_url: DatabaseUrl = None, json_out: JsonFlag = False,
) -> None:
    """Build the deterministic demo workspace (云启科技) in an empty database."""
    result = run_seed(database_url, opportunities, seed, as_of, json_out)
    if json_out:
        print_json({"users": result.users, "counts": result.counts, "seconds": result.seconds})
        return
    console.print(f"[green]demo workspace ready[/green] in {result.seconds:.1f} s: " +
                  ", ".join(f"{v:,} {k}" for k, v in result.counts.items()))
    table = Table("username", "name", "role", "team", "token", title="demo users")
    for u in result.users:
        table.add_row(u["username"], u["display_name"], u["role"], u["team"] or "", u["token"])
    console.print(table)


def _bootstrap_scores(engine: Any, settings: Any) -> None:
    """First start of the demo: train and activate a win-probability model, then score open deals."""
    import logging

    from scoring import service as scoring_service
    from scoring.store import Registry

    log = logging.getLogger("dealwise.scoring")
    if Registry(settings.data_dir).active_version() is not None:
        return
    try:
        with session_scope(engine) as session:
            trained = scoring_service.train_crm(session, settings, activate=True)
        with session_scope(engine) as session:
            n = scoring_service.rescore(session, settings=settings)
        log.info("demo scoring ready", extra={"model": trained.card.version, "scored": n})
    except Exception:  # the service runs without scores; `dealwise score train --activate` retries
        log.exception("could not train the demo's win-probability model")


def _warm_vocabulary(engine: Any) -> None:
    """Load Ask Dealwise's linking vocabulary before the first question needs it (every account is read: about
    2.5 s at 125k accounts, which the first asker would otherwise wait for)."""
    import logging

    from sqlalchemy.orm import Session

    from retrieval.entities import vocab_for

    try:
        with Session(engine) as session:
            vocab_for(session)
    except Exception:  # the first question loads it instead
        logging.getLogger("dealwise.ask").exception("could not preload the linking vocabulary")


def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="seed the demo workspace first when the database is empty")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Run the HTTP service (API, web workspace, WeCom callback)."""
    import uvicorn

    from api.app import create_app

    settings = settings_with(database_url)
    engine = engine_for(database_url)
    with engine.connect() as conn:
        empty = conn.scalar(select(User.id).limit(1)) is None
    if demo and empty:
        result = run_seed(database_url, 20000, 7, None, False)
        console.print(f"[green]demo workspace seeded[/green] in {result.seconds:.1f} s")
        for u in result.users:
            console.print(f"  {u['role']:8} {u['username']:10} token {u['token']}")
    assert is_initialised(engine)
    threading.Thread(target=_warm_vocabulary, args=(engine,), daemon=True).start()
    if demo:
        threading.Thread(target=_bootstrap_scores, args=(engine, settings), daemon=True).start()
    console.print(f"Dealwise on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings, engine), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(demo_app, name="demo")
    app.command("serve")(serve)
