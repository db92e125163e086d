"""The fast live path (SQL aggregates + numpy) gives the same features and probabilities as the set-wise
pandas path, for one deal and for every open deal, now and at a past as-of time; scope still applies."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from crm.errors import NotFound
from crm.models import Opportunity, ScoringRollupDirty, User, utcnow
from crm.models import ScoringDealRollup as R
from crm.rollups import to_epoch_us
from crm.scope import scope_for
from crm.settings import Settings
from scoring import fast, gbm, live_inputs, service
from scoring import features as F
from scoring.explain import points
from scoring.gbm import GBMModel


@pytest.fixture
def lgb_settings(demo_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setattr(gbm, "MAX_ROUNDS", 40)
    settings = Settings(data_dir=tmp_path / "var", database_url="sqlite://")
    with Session(demo_engine) as s:
        service.train_crm(s, settings=settings, choice="lightgbm", activate=True)
    return settings


def test_fast_path_matches_pandas_path(demo_engine, lgb_settings: Settings) -> None:
    loaded = service.active_model(lgb_settings)
    model = loaded.model
    assert isinstance(model, GBMModel)
    with Session(demo_engine) as s:  # a few deals with writes not yet rolled up: read from history
        s.execute(insert(ScoringRollupDirty).from_select(
            ["opportunity_id"], select(Opportunity.id).where(Opportunity.status == "open").limit(7)))
        s.commit()
    with Session(demo_engine) as s:
        tables = F.load_tables(s)
        latest = s.scalar(select(Opportunity.created_at).order_by(Opportunity.created_at.desc()).limit(1))
        assert latest is not None
        now = utcnow()
        for as_of in (now, latest + timedelta(days=3), latest - timedelta(days=60)):
            if as_of == now:  # rollups for all but the dirty deals
                params = {"t": now, "t30": now - timedelta(days=30)}
                rolled, stale = live_inputs.from_rollups(s.connection(), live_inputs.statements(True), params, now)
                # stale: the 7 dirty deals, and any whose oldest activity in the 30-day window has left it since the
                # seed rolled it up (the window moves with the clock while the tests run)
                dirty = set(s.scalars(select(ScoringRollupDirty.opportunity_id)))
                moved = set(s.scalars(select(R.opportunity_id).where(
                    R.recent > 0, R.recent_min_us <= to_epoch_us(now - timedelta(days=30)))))
                assert rolled is not None and len(rolled.ids) > 10 and len(dirty) == 7
                assert set(stale) == dirty | moved
            lf = fast.live_features(s, model.schema, as_of)
            assert len(lf.ids) > 10
            X = service.typed(model.schema, F.build(tables, pd.DataFrame({"opportunity_id": lf.ids, "t": as_of}),
                                                    live=True))
            codes = np.column_stack([X[c.name].cat.codes.replace(-1, np.nan).to_numpy(dtype=float)
                                     if c.kind == "categorical" else X[c.name].to_numpy(dtype=float)
                                     for c in model.schema.columns])
            np.testing.assert_allclose(lf.X, codes, rtol=1e-9, atol=1e-9, equal_nan=True)
            p_ref, _p0_ref, pts_ref = points(model, X)
            p, _p0, pts = fast.predict(model, lf.X)
            assert pts is not None
            np.testing.assert_allclose(p, p_ref, rtol=0, atol=1e-9)
            np.testing.assert_allclose(pts, pts_ref, rtol=0, atol=1e-9)
            np.testing.assert_allclose(p, model.predict_proba(X), rtol=0, atol=1e-9)
            # one deal alone (indexed lookups) = the same deal in the batch
            for k in (0, len(lf.ids) // 2, len(lf.ids) - 1):
                one = fast.live_features(s, model.schema, as_of, [lf.ids[k]])
                np.testing.assert_allclose(one.X[0], lf.X[k], rtol=0, atol=1e-12, equal_nan=True)
                assert abs(fast.predict(model, one.X)[0][0] - p[k]) < 1e-9


def test_score_opportunity_fast_and_scoped(demo_engine, lgb_settings: Settings) -> None:
    with Session(demo_engine) as s:
        uid = s.scalar(select(User.id).where(User.username == "liming"))
        own = s.scalar(select(Opportunity.id).where(Opportunity.owner_id == uid, Opportunity.status == "open"))
        other = s.scalar(select(Opportunity.id).where(Opportunity.owner_id != uid, Opportunity.status == "open"))
        user = s.get(User, uid)
        assert user is not None and own is not None and other is not None
        scope = scope_for(user)
        as_of = datetime(2026, 11, 27, 9)
        one = service.score_opportunity(s, scope, own, settings=lgb_settings, as_of=as_of)
        ref = service.score_frame(service.active_model(lgb_settings), F.load_tables(s), [own], as_of)[0]
        assert one.probability == ref.probability and one.base_rate == ref.base_rate
        assert [f.feature for f in one.factors] == [f.feature for f in ref.factors]
        assert [f.label for f in one.factors] == [f.label for f in ref.factors]
        with pytest.raises(NotFound):
            service.score_opportunity(s, scope, other, settings=lgb_settings)
        assert service.rescore(s, settings=lgb_settings) == len(fast.live_features(
            s, service.active_model(lgb_settings).model.schema, as_of).ids)  # type: ignore[union-attr]
