"""Fixtures for retrieval tests: the seeded demo workspace (root conftest) and scopes for its users."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.models import User
from crm.scope import Scope, scope_for
from crm.settings import Settings
from retrieval.entities import clear_cache
from retrieval.index import reset_clients
from retrieval.search import invalidate

TODAY = date(2026, 11, 23)  # the root conftest seeds the demo as of 2026-11-23


@pytest.fixture
def session(demo_engine: Engine) -> Iterator[Session]:
    clear_cache()
    with Session(demo_engine) as s:
        yield s
    clear_cache()


@pytest.fixture
def scope_of(session: Session):  # type: ignore[no-untyped-def]
    def get(username: str) -> Scope:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return scope_for(user)
    return get


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings with a fresh data dir and fresh index clients (the call/notes index tests)."""
    reset_clients()
    invalidate()
    yield Settings(data_dir=tmp_path / "var", env="test")
    reset_clients()
    invalidate()
