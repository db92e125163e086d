"""Win probability and forecast: GET /api/v1/opportunities/{id}/score, GET /api/v1/forecast."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status

from api.deps import ScopeDep, SessionDep, SettingsDep
from scoring import forecast as fc
from scoring import service
from scoring.types import Score, ScoringInputError

router = APIRouter(prefix="/api/v1", tags=["scoring"])


def _install_hooks() -> None:
    """Rescore a call's deal after its insights: the insights hook first, then ours (appended last)."""
    try:
        from assistant.insights.hook import install as install_insights

        install_insights()
    except ImportError:
        pass
    from scoring.hooks import install

    install()


_install_hooks()


@router.get("/opportunities/{opp_id}/score", response_model=Score)
def opportunity_score(
    opp_id: int, session: SessionDep, scope: ScopeDep, settings: SettingsDep,
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Score:
    """Probability, band, top factors, model version and as-of time (404 outside the caller's scope)."""
    try:
        return service.score_opportunity(session, scope, opp_id, lang=lang, settings=settings)
    except ScoringInputError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.get("/forecast", response_model=fc.Forecast)
def forecast(
    session: SessionDep, scope: ScopeDep,
    period: Annotated[str | None, Query(max_length=20, description="2026-Q4 or 2026-11; default this quarter")] = None,
    group_by: Annotated[Literal["rep", "team", "region"], Query()] = "rep",
) -> fc.Forecast:
    """Expected bookings Σ p(win) × P(closes in the period | win) × amount over open deals (close timing learned
    from deals won before today), with reps' commits (±15 % flag)."""
    try:
        return fc.expected_bookings(session, scope, period, group_by)
    except ScoringInputError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
