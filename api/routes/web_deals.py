"""Web workspace: the deals list and one deal's page (scoped; another rep's deal is a 404 page)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import SessionDep
from api.web.deals import PAGE_SIZE, SORTS, DealQuery, deal_page, list_deals
from api.web.i18n import translate
from api.web.render import lang_of, money, not_found, page_user, render, to_login
from crm.errors import NotFound
from crm.models import Stage
from crm.scope import scope_for

router = APIRouter(include_in_schema=False)


@router.get("/deals")
def deals_page(request: Request, session: SessionDep, q: str = "", status: str = "", stage: str = "",
               band: str = "", sort: str = "-amount", page: int = 1) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    dq = DealQuery(q=q.strip()[:100], status=status, stage=stage, band=band,
                   sort=sort if sort in SORTS else "-amount", page=max(1, page))
    deals, total = list_deals(session, scope_for(user), dq)
    params = {"q": dq.q, "status": dq.status, "stage": dq.stage, "band": dq.band}
    lang = lang_of(request)

    def sort_link(col: str) -> str:
        new = f"-{col}" if dq.sort != f"-{col}" and col != "name" else col
        if col == "name" and dq.sort == "name":
            new = "-id"
        return "/deals?" + urlencode({**params, "sort": new})

    def page_link(n: int) -> str:
        return "/deals?" + urlencode({**params, "sort": dq.sort, "page": n})

    stages = list(session.scalars(select(Stage.name).order_by(Stage.order)))
    return render(request, "deals.html", user, nav="deals", deals=deals, total=total, dq=dq, stages=stages,
                  sorts=SORTS, pages=max(1, -(-total // PAGE_SIZE)), sort_link=sort_link, page_link=page_link,
                  sort_label=lambda s: translate(f"sort.{s}", lang))


@router.get("/deals/{opp_id}")
def deal_detail(opp_id: int, request: Request, session: SessionDep) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    try:
        x = deal_page(session, scope_for(user), opp_id)
    except NotFound:
        return not_found(request, user)
    lang = lang_of(request)

    def show(value: object) -> str:
        if value is None or value == []:
            return "—"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return money(float(value), lang)
        return str(value)

    return render(request, "deal.html", user, nav="deals", x=x, show=show, data={"opportunity_id": opp_id})
