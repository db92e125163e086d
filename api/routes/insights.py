"""Call insights over HTTP: re-process a call; list / accept / reject the suggestions it made."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import CurrentUser, ScopeDep, SessionDep, SettingsDep
from assistant.insights.hook import install, reindex
from assistant.insights.writeback import decide, list_suggestions, process_call
from crm.models import Call, Suggestion

router = APIRouter(prefix="/api/v1", tags=["call insights"])
install()  # insights run after every transcription handled by this process


class SuggestionOut(BaseModel):
    id: int
    opportunity_id: int
    call_id: int | None
    field: str
    current_value: Any
    proposed_value: Any
    evidence: dict[str, Any] | None
    status: str
    decided_by_id: int | None
    decided_at: datetime | None

    model_config = {"from_attributes": True}


class ReprocessOut(BaseModel):
    call_id: int
    activity_id: int
    task_ids: list[int]
    cancelled_task_ids: list[int]
    suggestion_ids: list[int]
    insights: dict[str, Any]


@router.post("/calls/{call_id}/reprocess", response_model=ReprocessOut)
def reprocess_call(call_id: int, session: SessionDep, scope: ScopeDep, settings: SettingsDep) -> ReprocessOut:
    """Run the insight engine on the call's stored transcript again and update the CRM write-back."""
    call = scope.get(session, Call, call_id)
    res = process_call(session, call, settings=settings)
    reindex(session, call)  # the retrieval index follows the new insights (a failure is only logged)
    return ReprocessOut(
        call_id=call.id,
        activity_id=res.activity_id,
        task_ids=res.task_ids,
        cancelled_task_ids=res.cancelled_task_ids,
        suggestion_ids=res.suggestion_ids,
        insights=res.insights.model_dump(mode="json"),
    )


@router.get("/opportunities/{opportunity_id}/suggestions", response_model=list[SuggestionOut])
def get_suggestions(
    opportunity_id: int,
    session: SessionDep,
    scope: ScopeDep,
    status: Literal["pending", "accepted", "rejected", "applied"] | None = None,
) -> list[Suggestion]:
    return list_suggestions(session, scope, opportunity_id, status)


@router.post(
    "/opportunities/{opportunity_id}/suggestions/{suggestion_id}/accept", response_model=SuggestionOut
)
def accept_suggestion(
    opportunity_id: int, suggestion_id: int, session: SessionDep, scope: ScopeDep, user: CurrentUser
) -> Suggestion:
    return decide(session, scope, opportunity_id, suggestion_id, True, user.id)


@router.post(
    "/opportunities/{opportunity_id}/suggestions/{suggestion_id}/reject", response_model=SuggestionOut
)
def reject_suggestion(
    opportunity_id: int, suggestion_id: int, session: SessionDep, scope: ScopeDep, user: CurrentUser
) -> Suggestion:
    return decide(session, scope, opportunity_id, suggestion_id, False, user.id)
