"""Web-page fixtures: TestClients signed in through the real sign-in form (the session cookie)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from crm.settings import Settings


@pytest.fixture
def web_app(demo_engine: Engine, tmp_path: Path):  # type: ignore[no-untyped-def]
    from api.app import create_app

    settings = Settings(database_url=str(demo_engine.url.render_as_string(hide_password=False)),
                        data_dir=tmp_path / "var", env="test")
    return create_app(settings, demo_engine)


@pytest.fixture
def browser_for(web_app) -> Iterator[Callable[[str | None], TestClient]]:  # type: ignore[no-untyped-def]
    """`browser_for("liming")`: a cookie-carrying client signed in via POST /login (None: signed out)."""
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(web_app, follow_redirects=False)
        clients.append(client)
        if username:
            r = client.post("/login", data={"token": f"dw_demo_{username}", "next": "/"})
            assert r.status_code == 303, r.text
        return client

    yield make
    for c in clients:
        c.close()
