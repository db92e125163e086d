"""The CLI: db init, users, demo seed, imports; errors exit 2 with one sentence."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.cli.main import app

runner = CliRunner()
MAVEN = Path(__file__).parents[1] / "fixtures" / "maven_mini"


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_db_init_users_and_tokens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert _run("db", "init", "--database-url", url).exit_code == 0
    res = _run("users", "create", "--username", "boss", "--role", "admin", "--json", "--database-url", url)
    assert res.exit_code == 0, res.output
    created = json.loads(res.stdout)
    assert created["role"] == "admin" and created["token"].startswith("dw_")
    again = _run("users", "create", "--username", "boss", "--role", "admin", "--database-url", url)
    assert again.exit_code == 2 and "already exists" in again.output
    assert _run("users", "create", "--username", "x", "--role", "ceo", "--database-url", url).exit_code == 2
    assert _run("users", "create", "--username", "x", "--role", "rep", "--team", "nope",
                "--database-url", url).exit_code == 2
    tok = _run("users", "token", "--username", "boss", "--json", "--database-url", url)
    assert json.loads(tok.stdout)["token"] != created["token"]
    assert _run("users", "token", "--username", "ghost", "--database-url", url).exit_code == 2


def test_demo_seed_json_and_refusal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    res = _run("demo", "seed", "--opportunities", "300", "--json", "--database-url", url)
    assert res.exit_code == 0, res.output
    users = json.loads(res.stdout)["users"]
    assert {u["role"] for u in users} == {"admin", "manager", "rep"}
    assert all({"id", "username", "role", "team", "token"} <= set(u) for u in users)
    again = _run("demo", "seed", "--opportunities", "300", "--database-url", url)
    assert again.exit_code == 2 and "already has users" in again.output


def test_import_maven_cli(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    res = _run("import", "maven", str(MAVEN), "--json", "--database-url", url)
    assert res.exit_code == 0 and json.loads(res.stdout)["created"]["opportunities"] == 5
    missing = _run("import", "maven", str(tmp_path), "--database-url", url)
    assert missing.exit_code == 2 and "lacks" in missing.output


def test_bad_database_url_is_one_sentence(tmp_path: Path) -> None:
    res = _run("users", "list", "--database-url", "nosuchdb://x")
    assert res.exit_code == 2 and "cannot open the database" in res.output


def test_serve_preloads_the_linking_vocabulary(demo_engine) -> None:  # type: ignore[no-untyped-def]
    """`dealwise serve` loads Ask Dealwise's vocabulary in the background, so the first question does not wait;
    a database it cannot read is logged, not raised (the first question then loads it)."""
    from sqlalchemy import create_engine

    from api.cli.admin import _warm_vocabulary
    from retrieval import entities

    entities.clear_cache()
    _warm_vocabulary(demo_engine)
    assert str(demo_engine.url) in entities._CACHE
    entities.clear_cache()
    _warm_vocabulary(create_engine("sqlite:////nonexistent/dir/x.db"))  # logged, not raised
    assert not entities._CACHE
