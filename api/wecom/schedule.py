"""The scheduled team digests: which teams are due now, and posting each one exactly once per period.

The WeCom queue's periodic task calls `run_due_digests` every minute. A team is due once its local
digest time (`DEALWISE_WECOM_DIGEST_TIME`, in `DEALWISE_TIMEZONE`) has passed on a day it posts (every
day, or `DEALWISE_WECOM_DIGEST_WEEKDAY` for weekly). An InboundEvent claim per team and day makes
the post exactly-once across workers; a failed post releases the claim, so the next minute retries.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.wecom.digest import Period, RobotLimiter, period_bounds, post_markdown, render_markdown
from api.wecom.runtime import claim_key, release_key
from crm.db import session_scope
from crm.models import Team
from crm.settings import Settings
from tools.brief import team_digest

log = logging.getLogger("dealwise.wecom.digest")
PERIODS: tuple[Period, ...] = ("daily", "weekly")


def digest_time(settings: Settings) -> time:
    """DEALWISE_WECOM_DIGEST_TIME as a time ("08:30"); ValueError with a readable message when malformed."""
    try:
        hh, mm = settings.wecom_digest_time.strip().split(":")
        return time(int(hh), int(mm))
    except ValueError as exc:
        raise ValueError(f"DEALWISE_WECOM_DIGEST_TIME must be HH:MM, not {settings.wecom_digest_time!r}") from exc


def is_due(period: Period, local: datetime, settings: Settings) -> bool:
    if local.time() < digest_time(settings):
        return False
    return period == "daily" or local.weekday() == settings.wecom_digest_weekday


def team_markdown(session: Session, team: Team, period: Period, today: date) -> str:
    start, end = period_bounds(period, today)
    return render_markdown(team_digest(session, team.id, start, end, today), period)


def run_due_digests(engine: Engine, settings: Settings, now: datetime, *, http: httpx.Client | None = None,
                    limiter: RobotLimiter | None = None) -> list[str]:
    """Post every digest due at `now` (aware) that was not posted yet; the names of the teams posted."""
    local = now.astimezone(ZoneInfo(settings.timezone))
    today = local.date()
    with session_scope(engine) as s:
        teams = [(t.id, t.name, t.wecom_webhook_url, t.wecom_digest) for t in s.scalars(
            select(Team).where(Team.wecom_webhook_url.is_not(None), Team.wecom_digest.in_(PERIODS)).order_by(Team.id))]
    posted: list[str] = []
    for team_id, name, url, period in teams:
        if not url or period not in PERIODS or not is_due(period, local, settings):  # type: ignore[arg-type]
            continue
        key = f"wecom:digest:{team_id}:{period}:{today.isoformat()}"
        if not claim_key(engine, key, source="digest"):
            continue
        try:
            with session_scope(engine) as s:
                team = s.get(Team, team_id)
                assert team is not None
                text = team_markdown(s, team, period, today)  # type: ignore[arg-type]
            post_markdown(url, text, http=http, limiter=limiter)
            posted.append(name)
        except Exception:
            log.exception("team %s: the %s digest could not be posted; retrying next minute", name, period)
            release_key(engine, key)
    return posted
