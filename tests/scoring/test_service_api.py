"""CRM scoring end to end on the demo workspace: train (fallback), activate, score over HTTP within scope,
rescore into OpportunityScore, and the forecast with commit flags."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import NotFound
from crm.models import ForecastSubmission, Opportunity, OpportunityScore, User
from crm.scope import scope_for
from crm.settings import Settings
from scoring import service, store
from scoring.forecast import expected_bookings, parse_period


def _ids(engine, username: str) -> tuple[int, int, int]:
    with Session(engine) as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        own = s.scalar(select(Opportunity.id).where(Opportunity.owner_id == uid, Opportunity.status == "open"))
        other = s.scalar(select(Opportunity.id).where(Opportunity.owner_id != uid, Opportunity.status == "open"))
        assert uid and own and other
        return uid, own, other


def test_score_route_scope_and_rescore(client_for, demo_engine, tmp_path: Path) -> None:
    uid, own, other = _ids(demo_engine, "liming")
    rep = client_for("liming")
    r = rep.get(f"/api/v1/opportunities/{own}/score")
    assert r.status_code == 409 and "score train" in r.json()["detail"]

    settings = Settings(data_dir=tmp_path / "var", database_url="sqlite://", scoring_min_won=10**6)
    with Session(demo_engine) as s:
        trained = service.train_crm(s, settings=settings, activate=True)
    assert trained.card.kind == "naive_bayes" and "scoring_min_won" in trained.card.why
    reg = store.Registry(settings.data_dir)
    assert reg.active_version() == trained.card.version
    assert (reg.path(trained.card.version) / "reliability.png").is_file()

    body = rep.get(f"/api/v1/opportunities/{own}/score").json()
    assert 0 < body["probability"] < 1 and body["band"] in {"high", "medium", "low"}
    assert body["model_version"] == trained.card.version and body["as_of"]
    assert body["factors"] and all({"feature", "label", "points"} <= set(f) for f in body["factors"])
    assert rep.get(f"/api/v1/opportunities/{other}/score").status_code == 404
    assert rep.get("/api/v1/opportunities/99999999/score").status_code == 404
    en = rep.get(f"/api/v1/opportunities/{own}/score", params={"lang": "en"}).json()
    assert en["probability"] == body["probability"]

    with Session(demo_engine) as s:
        with pytest.raises(NotFound):
            service.score_opportunity(s, scope_for(s.get(User, uid)), other, settings=settings)
        n = service.rescore(s, settings=settings)
        assert n == s.scalar(select(func.count()).select_from(Opportunity).where(Opportunity.status == "open"))
        assert s.scalar(select(func.count()).select_from(OpportunityScore)) == n
        assert service.rescore(s, [own], settings=settings) == 1
        s.commit()


def test_forecast_and_commit_flags(client_for, demo_engine) -> None:
    uid, _own, _other = _ids(demo_engine, "liming")
    with Session(demo_engine) as s:
        period = s.scalar(select(func.min(Opportunity.expected_close)).where(Opportunity.status == "open",
                                                                             Opportunity.owner_id == uid))
        assert period is not None
        label, start, _end = parse_period(f"{period.year}-{period.month}")
        fc = expected_bookings(s, scope_for(s.get(User, uid)), label, "rep")
        assert len(fc.rows) == 1 and fc.rows[0].expected > 0 and fc.stage_default_deals == fc.rows[0].deals
        s.add(ForecastSubmission(user_id=uid, period="month", period_start=start, amount=fc.rows[0].expected * 2))
        s.commit()
    body = client_for("liming").get("/api/v1/forecast", params={"period": label}).json()
    assert body["rows"][0]["flagged"] is True and body["rows"][0]["commit_gap"] == pytest.approx(1.0, abs=1e-3)
    mgr = client_for("wangfang").get("/api/v1/forecast", params={"period": label, "group_by": "team"}).json()
    assert len(mgr["rows"]) == 1
    admin = client_for("admin").get("/api/v1/forecast", params={"period": label, "group_by": "region"}).json()
    assert admin["expected_total"] >= mgr["expected_total"] >= body["expected_total"]
    assert client_for("liming").get("/api/v1/forecast", params={"period": "soon"}).status_code == 422


def test_parse_period() -> None:
    assert parse_period("2026-Q4")[1:] == (date(2026, 10, 1), date(2027, 1, 1))
    assert parse_period("2026-12")[1:] == (date(2026, 12, 1), date(2027, 1, 1))
    assert parse_period(None, today=date(2026, 5, 3))[0] == "2026-Q2"
