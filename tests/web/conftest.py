"""Web-page fixtures: TestClients signed in through the real sign-in form (the session cookie)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from crm.settings import Settings


def visible(html: str) -> str:
    """The page without its JSON data block (which carries every UI string for the scripts)."""
    return re.sub(r'<script type="application/json" id="page-data">.*?</script>', "", html, flags=re.S)


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


# --- end to end: a real server process and Debian's chromium ------------------------------------------------
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import httpx  # noqa: E402

CHROMIUM = os.environ.get("DEALWISE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
E2E_OPPS = 2000
REPO = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    url: str
    database_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(database_url: str, data_dir: Path, log: Path) -> LiveServer:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEALWISE_") or k.startswith("DEALWISE_TEST_")}
    # env "development": the in-process transcription worker runs, as in `dealwise serve` for real
    env.update(DEALWISE_DATA_DIR=str(data_dir), DEALWISE_ENV="development", DEALWISE_DATABASE_URL=database_url)
    if "DEALWISE_MODEL_CACHE_DIR" in os.environ:
        env["DEALWISE_MODEL_CACHE_DIR"] = os.environ["DEALWISE_MODEL_CACHE_DIR"]
    out = log.open("wb")
    proc = subprocess.Popen([sys.executable, "-c", "from api.cli.main import app; app()", "serve",
                             "--host", "127.0.0.1", "--port", str(port), "--database-url", database_url],
                            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, database_url, data_dir, proc)
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not start within 60 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`dealwise serve` on a free loopback port over a freshly seeded demo workspace (2,000 deals, as of now)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not installed ({CHROMIUM})")
    from crm.db import make_engine, migrate
    from crm.demo.seed import seed_demo

    root = tmp_path_factory.mktemp("live")
    db_url = f"sqlite:///{root / 'demo.sqlite'}"
    eng = make_engine(db_url)
    migrate(eng)
    seed_demo(eng, opportunities=E2E_OPPS)
    eng.dispose()
    server = start_server(db_url, root / "var", root / "server.log")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not installed ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_for(chromium, live_server: LiveServer):  # type: ignore[no-untyped-def]
    """`page_for("liming", width=1280)`: a new browser context signed in through the sign-in form."""
    contexts = []

    def make(username: str | None, width: int = 1280, height: int = 900, lang: str = "zh"):  # type: ignore[no-untyped-def]
        ctx = chromium.new_context(viewport={"width": width, "height": height}, base_url=live_server.url,
                                   locale="zh-CN" if lang == "zh" else "en-US")
        contexts.append(ctx)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.js_errors = errors  # type: ignore[attr-defined]
        if username:
            page.goto("/login")
            page.fill("#token", f"dw_demo_{username}")
            page.press("#token", "Enter")
            page.wait_for_url(lambda u: "/login" not in u)
        if lang == "en":
            page.goto("/lang/en?next=/")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot as a test artefact: into $DEALWISE_TEST_SCREENSHOTS_DIR (set it to docs/screenshots
    to refresh the committed ones), else var/screenshots in the checkout."""
    folder = Path(os.environ.get("DEALWISE_TEST_SCREENSHOTS_DIR") or REPO / "var" / "screenshots")
    if not folder.is_absolute():
        folder = REPO / folder
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
