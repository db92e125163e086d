"""CRM scoring end to end on the demo workspace: train (fallback), activate, score over HTTP within scope,
rescore into OpportunityScore (the forecast: test_forecast.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import NotFound
from crm.models import Opportunity, OpportunityScore, User
from crm.scope import scope_for
from crm.settings import Settings
from scoring import service, store


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
