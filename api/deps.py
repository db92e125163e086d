"""FastAPI dependencies: settings, database session, current user and scope (Annotated aliases)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from crm.auth import user_for_token
from crm.db import session_scope
from crm.models import User
from crm.scope import Scope, scope_for
from crm.settings import Settings

bearer = HTTPBearer(auto_error=False, description="A Dealwise API token (`dealwise users token`)")
SESSION_COOKIE = "dealwise_token"


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed when the handler returns, rolled back on error."""
    with session_scope(request.app.state.sessionmaker) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]


def token_from_request(request: Request, creds: HTTPAuthorizationCredentials | None) -> str | None:
    if creds is not None and creds.scheme.lower() == "bearer":
        return creds.credentials
    return request.cookies.get(SESSION_COOKIE)


def get_current_user(
    request: Request, session: SessionDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    token = token_from_request(request, creds)
    user = user_for_token(session, token) if token else None
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing or invalid API token", headers={"WWW-Authenticate": "Bearer"}
        )
    request.state.user_id = user.id
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_scope(user: CurrentUser) -> Scope:
    return scope_for(user)


ScopeDep = Annotated[Scope, Depends(get_scope)]


def require_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admins only")
    return user


AdminUser = Annotated[User, Depends(require_admin)]
