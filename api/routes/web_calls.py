"""Web workspace: the calls list with upload, one call's page, and the page's own state poll (scoped)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import SessionDep
from api.web.capabilities import capabilities
from api.web.render import not_found, page_user, render, to_login
from crm.errors import NotFound
from crm.models import Call, Opportunity
from crm.scope import scope_for

router = APIRouter(include_in_schema=False)


def call_state(call: Call) -> dict[str, Any]:
    return {"id": call.id, "status": call.status, "progress": call.progress, "error": call.error,
            "duration_s": call.duration_s, "transcript": call.transcript, "insights": call.insights,
            "opportunity_id": call.opportunity_id}


@router.get("/calls")
def calls_page(request: Request, session: SessionDep) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    scope = scope_for(user)
    base: Any = select(Call, Opportunity.name)
    stmt = (scope.apply(base, Call)
            .outerjoin(Opportunity, Opportunity.id == Call.opportunity_id)
            .order_by(Call.created_at.desc(), Call.id.desc()).limit(50))
    calls = [tuple(r) for r in session.execute(stmt)]
    deals: Any = select(Opportunity.id, Opportunity.name)
    open_deals = list(session.execute(scope.apply(deals, Opportunity)
                                      .where(Opportunity.status == "open").order_by(Opportunity.name).limit(300)))
    return render(request, "calls.html", user, nav="calls", calls=calls, open_deals=open_deals)


@router.get("/calls/{call_id}")
def call_page(call_id: int, request: Request, session: SessionDep) -> Response:
    user = page_user(request, session)
    if user is None:
        return to_login(request)
    scope = scope_for(user)
    try:
        call = scope.get(session, Call, call_id)
    except NotFound:
        return not_found(request, user)
    opp = None
    if call.opportunity_id is not None:
        try:
            opp = scope.get(session, Opportunity, call.opportunity_id)
        except NotFound:
            opp = None
    audio = capabilities(request.app).path("call_audio")
    audio_url = audio.replace(audio[audio.index("{"):audio.index("}") + 1], str(call.id)) if audio else ""
    return render(request, "call.html", user, nav="calls", call=call, opp=opp, audio_url=audio_url,
                  data=call_state(call))


@router.get("/web/calls/{call_id}/state", include_in_schema=False)
def call_state_json(call_id: int, request: Request, session: SessionDep) -> dict[str, Any]:
    """What the call page polls while the call is transcribed (cookie auth, scoped; 404 outside scope)."""
    user = page_user(request, session)
    if user is None:
        raise HTTPException(401, "sign in first")
    return call_state(scope_for(user).get(session, Call, call_id))
