"""POST /api/v1/ask (scoped to the caller) and GET /api/v1/metrics."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_ask_scoped_per_caller(client_for: Callable[[str | None], TestClient]) -> None:
    body = {"question": "今年的成交额", "today": "2026-11-23", "show_sql": True}
    admin = client_for("admin").post("/api/v1/ask", json=body)
    rep = client_for("liming").post("/api/v1/ask", json=body)
    assert admin.status_code == 200 and rep.status_code == 200
    assert rep.json()["value"] < admin.json()["value"]
    assert "仅统计你本人的数据" in rep.json()["text"]
    assert admin.json()["plan"]["sql"] and rep.json()["plan"]["sql"] is None


def test_ask_validation_and_auth(client_for: Callable[[str | None], TestClient]) -> None:
    assert client_for(None).post("/api/v1/ask", json={"question": "成交额"}).status_code == 401
    assert client_for("admin").post("/api/v1/ask", json={"question": ""}).status_code == 422
    assert client_for("admin").post("/api/v1/ask", json={"question": "x" * 501}).status_code == 422


def test_metrics_catalog(client_for: Callable[[str | None], TestClient]) -> None:
    r = client_for("liming").get("/api/v1/metrics")
    assert r.status_code == 200
    names = {m["name"] for m in r.json()["metrics"]}
    assert {"bookings", "collections", "win_rate", "conversion", "clv_cac", "overdue_tasks"} <= names
    assert any(d["name"] == "time:month" for d in r.json()["dimensions"])
