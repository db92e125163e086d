"""Health, readiness, OpenAPI docs, request ids, and the caller's own profile."""

from __future__ import annotations


def test_health_ready_docs_and_request_id(client_for) -> None:
    c = client_for(None)
    assert c.get("/healthz").json() == {"status": "ok"}
    assert c.get("/readyz").json() == {"status": "ready"}
    assert c.get("/docs").status_code == 200
    spec = c.get("/openapi.json").json()
    assert "/api/v1/opportunities" in spec["paths"]
    resp = c.get("/healthz", headers={"x-request-id": "abc123"})
    assert resp.headers["x-request-id"] == "abc123"
    assert c.get("/healthz").headers["x-request-id"]


def test_me_and_visible_users(client_for) -> None:
    rep, mgr = client_for("liming"), client_for("wangfang")
    assert rep.get("/api/v1/me").json()["username"] == "liming"
    assert [u["username"] for u in rep.get("/api/v1/users").json()] == ["liming"]
    team = mgr.get("/api/v1/users").json()
    assert "liming" in {u["username"] for u in team} and "sunyue" not in {u["username"] for u in team}
    ref = rep.get("/api/v1/reference").json()
    assert [s["name"] for s in ref["stages"]][:2] == ["线索", "初步接洽"] and ref["org"]["name"] == "云启科技"


def test_a_write_that_lost_a_deadlock_asks_for_a_retry(client_for) -> None:
    """A PostgreSQL deadlock (or SQLite's busy timeout) rolls the request back whole: 503 with Retry-After and one
    sentence, not a 500; any other database error stays a server error."""
    from fastapi.testclient import TestClient
    from sqlalchemy.exc import OperationalError

    class Deadlock(Exception):
        sqlstate = "40P01"

    client = client_for("admin")
    app = client.app

    @app.get("/__deadlock")  # type: ignore[attr-defined]
    def deadlock() -> None:
        raise OperationalError("UPDATE opportunities …", {}, Deadlock("deadlock detected"))

    @app.get("/__broken")  # type: ignore[attr-defined]
    def broken() -> None:
        raise OperationalError("SELECT …", {}, Exception("no such table: nope"))

    r = client.get("/__deadlock")
    assert r.status_code == 503 and r.headers["retry-after"] == "1" and "nothing was saved" in r.json()["detail"]
    assert TestClient(app, raise_server_exceptions=False).get("/__broken").status_code == 500
