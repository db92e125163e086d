"""The scoring service: train on the CRM, score one deal (for the assistant and the API), rescore in batch.

- `train_crm(session, settings)` → a new version under data_dir (activate explicitly, or `activate=True`).
- `score_opportunity(session, scope, opportunity_id, lang="zh") -> Score` (NotFound outside scope).
- `rescore(session, opportunity_ids=None, settings=None) -> int`: scores open deals with the active model and
  appends `OpportunityScore` rows; run it after imports and after call processing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from threading import Lock

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from crm.models import Opportunity, OpportunityScore
from crm.rollups import refresh as refresh_rollups
from crm.scope import Scope
from crm.settings import Settings, get_settings
from scoring import fast, store
from scoring import features as F
from scoring.explain import points, top_factors
from scoring.gbm import GBMModel
from scoring.labels import crm_labeler
from scoring.tabular import Column, Schema, TrainingData
from scoring.trainer import Choice, Trained, train
from scoring.types import Score, ScoringInputError, band_for

_cache: dict[str, store.Loaded] = {}
_lock = Lock()


def crm_schema(X: pd.DataFrame) -> Schema:
    cols = []
    for name in F.FEATURES:
        if name in F.CATEGORICAL:
            cats = [str(c) for c in X[name].astype(str).value_counts().index]
            cols.append(Column(name=name, kind="categorical", categories=cats))
        else:
            cols.append(Column(name=name, kind="numeric"))
    return Schema(columns=cols)


def typed(schema: Schema, raw: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for c in schema.columns:
        if c.kind == "numeric":
            out[c.name] = raw[c.name].astype(float)
        else:
            out[c.name] = pd.Categorical(raw[c.name].astype(str), categories=c.categories)
    return pd.DataFrame(out, index=raw.index)


def training_data(session: Session, start: datetime | None = None, end: datetime | None = None,
                  tables: F.Tables | None = None) -> tuple[TrainingData, pd.DataFrame]:
    tables = tables or F.load_tables(session)
    snaps = F.training_snapshots(tables, start, end)
    if snaps.empty:
        raise ScoringInputError("There are no closed (won or lost) deals to learn from yet.")
    raw = F.build(tables, snaps)
    schema = crm_schema(raw)
    data = TrainingData(X=typed(schema, raw), y=snaps["y"].to_numpy(), groups=snaps["opportunity_id"].to_numpy(),
                        ids=snaps["opportunity_id"].astype(str), schema=schema)
    return data, snaps


def train_crm(session: Session, settings: Settings | None = None, choice: Choice = "auto", activate: bool = False,
              start: datetime | None = None, end: datetime | None = None) -> Trained:
    """Train on closed deals (several point-in-time snapshots each) and store a new version."""
    settings = settings or get_settings()
    data, snaps = training_data(session, start, end)
    deals = snaps.drop_duplicates("opportunity_id")
    n_won, n_lost = int(deals["y"].sum()), int(len(deals) - deals["y"].sum())
    # the small-data threshold counts closed deals, not snapshots
    kind_choice: Choice = choice if choice != "auto" else "lightgbm"
    if choice == "auto" and (n_won < settings.scoring_min_won or n_lost < settings.scoring_min_lost):
        kind_choice = "naive_bayes"
    registry = store.Registry(settings.data_dir)
    version = f"crm-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    trained = train(data, version=version, target="status", positive="won", id_column="opportunity_id",
                    choice=kind_choice, source="crm", name_check=False, profile="served",
                    data_range=(str(deals["closed_at"].min())[:10], str(deals["closed_at"].max())[:10]))
    if kind_choice == "naive_bayes" and choice == "auto":
        trained.card.why = (f"only {n_won} won / {n_lost} lost closed deals (< {settings.scoring_min_won}/"
                            f"{settings.scoring_min_lost}, settings scoring_min_won/lost): naive Bayes over field "
                            "frequencies with smoothing")
    elif choice == "auto":
        trained.card.why = f"{n_won} won / {n_lost} lost closed deals: calibrated LightGBM"
    trained.card.params["closed_deals"] = {"won": n_won, "lost": n_lost}
    # the won share of the closed deals (the prior of the rep win-rate feature), stored so live scoring need
    # not scan every closed deal
    trained.card.params["won_rate"] = n_won / max(1, n_won + n_lost)
    store.save(registry.path(version), trained.model, trained.card, trained.y, trained.oof)
    if activate:
        registry.activate(version)
    return trained


def active_model(settings: Settings | None = None) -> store.Loaded:
    settings = settings or get_settings()
    registry = store.Registry(settings.data_dir)
    version = registry.active_version()
    if version is None:
        raise ScoringInputError("No active win-probability model: run `dealwise score train --activate` first.")
    with _lock:
        if version not in _cache:
            _cache.clear()
            _cache[version] = store.load(registry.path(version))
        return _cache[version]


def probabilities(loaded: store.Loaded, tables: F.Tables, ids: list[int], as_of: datetime) -> np.ndarray:
    """Batch path: live probabilities only (no explanation objects)."""
    snaps = pd.DataFrame({"opportunity_id": ids, "t": pd.Timestamp(as_of)})
    return loaded.model.predict_proba(typed(loaded.model.schema, F.build(tables, snaps, live=True)))


def score_frame(loaded: store.Loaded, tables: F.Tables, ids: list[int], as_of: datetime,
                lang: str = "zh", explain: bool = True) -> list[Score]:
    snaps = pd.DataFrame({"opportunity_id": ids, "t": pd.Timestamp(as_of)})
    schema = loaded.model.schema
    X = typed(schema, F.build(tables, snaps, live=True))
    labeler = crm_labeler(lang)
    if explain:
        p, p0, pts = points(loaded.model, X)
    else:
        p = loaded.model.predict_proba(X)
        p0 = np.full(len(p), np.nan)
    out = []
    for i, oid in enumerate(ids):
        factors = top_factors(pts[i], X.iloc[i], loaded.model.features, labeler) if explain else []
        out.append(Score(opportunity_id=oid, probability=round(float(p[i]), 4), band=band_for(float(p[i])),
                         base_rate=round(float(p0[i]), 4), factors=factors, model_version=loaded.card.version,
                         model_kind=loaded.card.kind, as_of=as_of))
    return out


def score_opportunity(session: Session, scope: Scope, opportunity_id: int, lang: str = "zh",
                      settings: Settings | None = None, as_of: datetime | None = None) -> Score:
    """Win probability of one deal the caller may see, with its top factors (raises NotFound otherwise)."""
    opp = scope.get(session, Opportunity, opportunity_id)
    loaded = active_model(settings)
    as_of = as_of or datetime.now(UTC).replace(tzinfo=None)
    if isinstance(loaded.model, GBMModel):
        return score_live(session, loaded, [opp.id], as_of, lang)[0]
    tables = F.load_tables(session, [opp.id])
    return score_frame(loaded, tables, [opp.id], as_of, lang)[0]


def score_live(session: Session, loaded: store.Loaded, ids: list[int] | None, as_of: datetime, lang: str = "zh",
               explain: bool = True, num_threads: int = 1) -> list[Score]:
    """Fast path (LightGBM models): SQL aggregate features, one numpy matrix, one predict per booster.
    `ids=None` scores every open deal."""
    model = loaded.model
    assert isinstance(model, GBMModel)
    won_rate = loaded.card.params.get("won_rate")
    lf = fast.live_features(session, model.schema, as_of, ids,
                            prior=float(won_rate) if isinstance(won_rate, int | float) else None)
    if not lf.ids:
        return []
    p, p0, pts = fast.predict(model, lf.X, contrib=explain, num_threads=num_threads)
    factors = (fast.top_factors_batch(pts, lf, crm_labeler(lang)) if pts is not None
               else [[] for _ in lf.ids])
    return [Score(opportunity_id=oid, probability=round(float(p[i]), 4), band=band_for(float(p[i])),
                  base_rate=round(float(p0[i]), 4), factors=factors[i], model_version=loaded.card.version,
                  model_kind=loaded.card.kind, as_of=as_of) for i, oid in enumerate(lf.ids)]


def rescore(session: Session, opportunity_ids: list[int] | None = None, settings: Settings | None = None,
            batch: int = 10_000) -> int:
    """Score open deals (all, or the given ids) with the active model; append OpportunityScore rows.

    Returns how many deals were scored; nothing is written when there is no active model (raises)."""
    loaded = active_model(settings)
    refresh_rollups(session.connection())  # deals written since the last run read their rollups again
    stmt = select(Opportunity.id).where(Opportunity.status == "open")
    if opportunity_ids is not None:
        stmt = stmt.where(Opportunity.id.in_(opportunity_ids))
    ids = list(session.scalars(stmt))
    if not ids:
        return 0
    now = datetime.now(UTC).replace(tzinfo=None)
    if isinstance(loaded.model, GBMModel):
        chunks: list[list[int] | None] = [None] if opportunity_ids is None else [
            ids[start : start + batch] for start in range(0, len(ids), batch)]
        scores = [s for chunk in chunks for s in score_live(session, loaded, chunk, now)]
    else:
        tables = F.load_tables(session, ids if opportunity_ids is not None else None)
        scores = [s for start in range(0, len(ids), batch)
                  for s in score_frame(loaded, tables, ids[start : start + batch], now)]
    rows = [{"opportunity_id": s.opportunity_id, "model_version": s.model_version, "probability": s.probability,
             "band": s.band, "factors": [f.model_dump() for f in s.factors], "scored_at": now} for s in scores]
    session.execute(insert(OpportunityScore), rows)
    session.flush()
    return len(rows)
