"""Web workspace pages: the manager dashboard, the Ask box and the chat assistant."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import SessionDep
from api.web.cache import cached
from api.web.dashboard import Filters, dashboard
from api.web.periods import PERIOD_KEYS, period_for
from api.web.render import page_user, render, to_login
from crm.models import OrgProfile, Region, Team, utcnow
from crm.scope import scope_for

router = APIRouter(include_in_schema=False)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@router.get("/dashboard")
def dashboard_page(request: Request, session: SessionDep, period: str = "this_quarter",
                   region: str | None = None, team: str | None = None) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    scope = scope_for(user)
    today = utcnow().date()
    fy = session.scalar(select(OrgProfile.fiscal_year_start_month)) or 1
    region_id, team_id = _int(region), _int(team)
    if not scope.is_company_wide:  # managers and reps see their own team only; the filters are admin's
        region_id = team_id = None
    filters = Filters(period_for(period, today, fy), region_id=region_id, team_id=team_id)
    key = ("dashboard", str(session.get_bind().engine.url), scope, filters, today)
    data = cached(key, lambda: {**dashboard(session, scope, filters, today),
                                "computed_at": utcnow().strftime("%Y-%m-%d %H:%M:%S")})
    regions = list(session.scalars(select(Region).order_by(Region.id))) if scope.is_company_wide else []
    teams = list(session.scalars(select(Team).order_by(Team.id))) if scope.is_company_wide else []
    return render(request, "dashboard.html", user, nav="dashboard", data=data, d=data, periods=PERIOD_KEYS,
                  regions=regions, teams=teams, region_id=region_id, team_id=team_id)


@router.get("/ask")
def ask_page(request: Request, session: SessionDep, q: str | None = None) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    return render(request, "ask.html", user, nav="ask", data={"q": q or ""})


@router.get("/chat")
def chat_page(request: Request, session: SessionDep) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    return render(request, "chat.html", user, nav="chat")
