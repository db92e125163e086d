"""`dealwise wecom ...`: team group-robot webhooks (admin), the team digest, and the WeCom queue worker."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import select

from api.cli.common import DatabaseUrl, cli_session, console, fail, settings_with
from crm.models import Team
from crm.settings import get_settings

wecom_app = typer.Typer(help="WeCom (企业微信) adapter: group-robot digests and the message worker.",
                        no_args_is_help=True)
webhook_app = typer.Typer(help="Each team's group robot (admin-managed).", no_args_is_help=True)
wecom_app.add_typer(webhook_app, name="webhook")

DIGESTS = ("daily", "weekly", "off")


def _team(session: object, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))  # type: ignore[attr-defined]
    if team is None:
        fail(f"no team named {name!r}")
    return team  # type: ignore[no-any-return]


def _mask(url: str | None) -> str:
    if not url:
        return "—"
    head, _, key = url.partition("key=")
    return f"{head}key={key[:4]}…" if key else head


@webhook_app.command("set")
def webhook_set(
    team: Annotated[str, typer.Option(help="team name, e.g. 华东一组")],
    url: Annotated[str, typer.Option(help="the group robot's webhook URL (…/cgi-bin/webhook/send?key=…)")],
    digest: Annotated[str, typer.Option(help="daily, weekly or off")] = "daily",
    database_url: DatabaseUrl = None,
) -> None:
    """Point a team's digest at its WeCom group robot."""
    from api.wecom.digest import check_webhook_url

    if digest not in DIGESTS:
        fail("--digest must be daily, weekly or off")
    try:
        url = check_webhook_url(url)
    except ValueError as exc:
        fail(str(exc))
    with cli_session(database_url) as s:
        t = _team(s, team)
        t.wecom_webhook_url, t.wecom_digest = url, None if digest == "off" else digest
    console.print(f"{team}: {digest} digest → {_mask(url)}")


@webhook_app.command("remove")
def webhook_remove(team: Annotated[str, typer.Option(help="team name")], database_url: DatabaseUrl = None) -> None:
    """Forget a team's group robot (no more digests)."""
    with cli_session(database_url) as s:
        t = _team(s, team)
        t.wecom_webhook_url, t.wecom_digest = None, None
    console.print(f"{team}: no group robot")


@webhook_app.command("list")
def webhook_list(database_url: DatabaseUrl = None) -> None:
    """Teams and their group robots (keys shortened)."""
    with cli_session(database_url) as s:
        for t in s.scalars(select(Team).order_by(Team.name)):
            console.print(f"{t.name}\t{t.wecom_digest or 'off'}\t{_mask(t.wecom_webhook_url)}")


@wecom_app.command("digest")
def digest_cmd(
    team: Annotated[str, typer.Option(help="team name, e.g. 华东一组")],
    period: Annotated[str | None, typer.Option(help="daily or weekly (default: the team's cadence, else daily)")] = None,
    key: Annotated[str | None, typer.Option(help="post to this robot key instead of the team's webhook")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="print instead of posting")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Post a team's KPIs and at-risk deals to its WeCom group now (the schedule does this daily/weekly)."""
    from api.wecom.digest import post_markdown, webhook_url
    from api.wecom.schedule import team_markdown

    if period is not None and period not in ("daily", "weekly"):
        fail("--period must be daily or weekly")
    settings = settings_with(database_url)
    today = datetime.now(UTC).astimezone(ZoneInfo(settings.timezone)).date()
    with cli_session(database_url) as s:
        t = _team(s, team)
        chosen = period or t.wecom_digest or "daily"
        url = webhook_url(settings.wecom_api_base, key) if key else t.wecom_webhook_url
        text = team_markdown(s, t, chosen, today)  # type: ignore[arg-type]
    if dry_run:
        typer.echo(text)
        return
    if not url:
        fail(f"team {team!r} has no group robot; set one with `dealwise wecom webhook set --team {team} --url …`")
    try:
        n = post_markdown(url, text)
    except Exception as exc:
        fail(f"the robot webhook refused the digest: {exc}")
    console.print(f"posted {n} message(s) to the {team} group")


@wecom_app.command("worker")
def worker_cmd(
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=16, help="parallel messages")] = 2,
    periodic: Annotated[bool, typer.Option(help="also run the digest schedule")] = True,
) -> None:
    """Consume the WeCom queue (inbound messages, call notices, scheduled digests) in the foreground."""
    import logging

    from api.wecom.jobs import CONSUMER_OPTS, wecom_queue

    settings = get_settings()
    settings.ensure_dirs()
    if settings.queue_backend == "immediate":
        fail("the immediate queue runs jobs inline; set DEALWISE_QUEUE_BACKEND to sqlite or redis")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    console.print(f"dealwise wecom worker: {workers} worker(s) on the {settings.queue_backend} queue")
    wecom_queue(settings).huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                               **CONSUMER_OPTS).run()


def register(app: typer.Typer) -> None:
    app.add_typer(wecom_app, name="wecom")
