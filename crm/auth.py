"""Users and API tokens: tokens are random, shown once, and stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import Conflict, InvalidInput, NotFound
from crm.models import ROLES, ApiToken, Team, User, utcnow

TOKEN_PREFIX = "dw_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def issue_token(session: Session, user: User, name: str = "default", token: str | None = None) -> str:
    """Create a token for `user` and return it in clear (the only time it is visible)."""
    token = token or new_token()
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), prefix=token[:8], name=name))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    if not token:
        return None
    row = session.execute(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None), User.is_active)
    ).first()
    if row is None:
        return None
    now = utcnow()
    if row[1].last_used_at is None or (now - row[1].last_used_at).total_seconds() > 300:
        row[1].last_used_at = now  # at most one write per token per 5 minutes: reads stay read-only
    return row[0]


def create_user(
    session: Session, username: str, role: str, team: str | None = None, display_name: str = "",
    wecom_userid: str | None = None,
) -> User:
    """Validate and add a user. `team` is a team name; managers and reps need one to see anything."""
    username = username.strip()
    if not username:
        raise InvalidInput("username must not be empty")
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists")
    team_row = None
    if team:
        team_row = session.scalar(select(Team).where(Team.name == team))
        if team_row is None:
            raise NotFound(f"team {team!r} does not exist")
    user = User(
        username=username, role=role, display_name=display_name or username,
        team_id=team_row.id if team_row else None, region_id=team_row.region_id if team_row else None,
        wecom_userid=wecom_userid,
    )
    session.add(user)
    session.flush()
    if team_row is not None and role == "manager" and team_row.manager_id is None:
        team_row.manager_id = user.id
    return user
