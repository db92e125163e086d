"""Shared fixtures: isolated settings, a migrated empty database, and a small seeded demo workspace.

CRM/API tests that take `backend_url` run on SQLite and, when DEALWISE_TEST_POSTGRES_URL points at a
server (.ci/run starts one), on PostgreSQL too. Nothing here reads ../shared or the network.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

from crm.db import make_engine, migrate
from crm.demo.seed import seed_demo
from crm.settings import Settings

DEMO_AS_OF = datetime(2026, 11, 23, 18, 0)  # a Monday
DEMO_OPPS = 1500
PG_ADMIN_URL = os.environ.get("DEALWISE_TEST_POSTGRES_URL")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's .env, data dir or LLM settings."""
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("DEALWISE_") and not key.startswith("DEALWISE_TEST_") and key != "DEALWISE_MODEL_CACHE_DIR":
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DEALWISE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DEALWISE_ENV", "test")
    from crm.settings import get_settings

    get_settings.cache_clear()


def _pg_admin() -> Engine:
    assert PG_ADMIN_URL
    return create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")


def _pg_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (optionally a copy of `template`), dropped afterwards."""
    if not PG_ADMIN_URL:
        pytest.skip("PostgreSQL not configured (DEALWISE_TEST_POSTGRES_URL)")
    name = f"dw_test_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend (PostgreSQL only when a server is configured)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
    else:
        yield from _pg_database()


@pytest.fixture
def engine(backend_url: str) -> Iterator[Engine]:
    eng = make_engine(backend_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded demo database file, built once per test session (copy it before writing)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    seed_demo(eng, opportunities=DEMO_OPPS, as_of=DEMO_AS_OF)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def pg_demo_template() -> Iterator[str]:
    """The seeded PostgreSQL demo, built once; tests get copies (CREATE DATABASE ... TEMPLATE)."""
    for url in _pg_database():
        eng = make_engine(url)
        migrate(eng)
        seed_demo(eng, opportunities=DEMO_OPPS, as_of=DEMO_AS_OF)
        eng.dispose()
        yield url.rsplit("/", 1)[1]


@pytest.fixture
def pg_demo_url(pg_demo_template: str) -> Iterator[str]:
    yield from _pg_database(template=pg_demo_template)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_url(request: pytest.FixtureRequest, demo_template: Path, tmp_path: Path) -> str:
    """A private, writable copy of the demo workspace (SQLite), or the shared PostgreSQL demo."""
    if request.param == "postgresql":
        if not PG_ADMIN_URL:
            pytest.skip("PostgreSQL not configured (DEALWISE_TEST_POSTGRES_URL)")
        return str(request.getfixturevalue("pg_demo_url"))
    dest = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, dest)
    return f"sqlite:///{dest}"


@pytest.fixture
def demo_engine(demo_url: str) -> Iterator[Engine]:
    eng = make_engine(demo_url)
    yield eng
    eng.dispose()


@pytest.fixture
def client_for(demo_engine: Engine, tmp_path: Path) -> Iterator[Callable[[str | None], TestClient]]:
    """`client_for("liming")` is a TestClient authenticated with that demo user's token."""
    from api.app import create_app

    settings = Settings(database_url=str(demo_engine.url.render_as_string(hide_password=False)),
                        data_dir=tmp_path / "var", env="test")
    app = create_app(settings, demo_engine)
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer dw_demo_{username}"} if username else {}
        client = TestClient(app, headers=headers)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()
