"""Opportunities and their stage history: scoped CRUD."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy import select

from api.deps import ScopeDep, SessionDep
from api.pagination import Page, PageParams, page_params, paginate
from api.schemas import OpportunityIn, OpportunityOut, OpportunityPatch, StageChangeOut
from crm import service
from crm.models import Opportunity, StageHistory

router = APIRouter(prefix="/api/v1", tags=["opportunities"])
SORTS = {"id": Opportunity.id, "amount": Opportunity.amount, "expected_close": Opportunity.expected_close,
         "created_at": Opportunity.created_at}


@router.get("/opportunities", response_model=Page[OpportunityOut])
def list_opportunities(
    session: SessionDep, scope: ScopeDep, page: Annotated[PageParams, Depends(page_params)],
    status_: Annotated[Literal["open", "won", "lost"] | None, Query(alias="status")] = None,
    stage: str | None = None, owner_id: int | None = None, account_id: int | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    close_from: date | None = None, close_to: date | None = None,
    sort: Annotated[Literal["id", "-id", "amount", "-amount", "expected_close", "-expected_close",
                            "created_at", "-created_at"], Query()] = "-id",
) -> Page[OpportunityOut]:
    stmt = scope.apply(select(Opportunity), Opportunity)
    if status_:
        stmt = stmt.where(Opportunity.status == status_)
    if stage:
        stmt = stmt.where(Opportunity.stage == stage)
    if owner_id is not None:
        stmt = stmt.where(Opportunity.owner_id == owner_id)
    if account_id is not None:
        stmt = stmt.where(Opportunity.account_id == account_id)
    if q:
        stmt = stmt.where(Opportunity.name.contains(q))
    if close_from:
        stmt = stmt.where(Opportunity.expected_close >= close_from)
    if close_to:
        stmt = stmt.where(Opportunity.expected_close <= close_to)
    col = SORTS[sort.lstrip("-")]
    order = [col.desc() if sort.startswith("-") else col.asc(), Opportunity.id.desc()]
    rows, total, nxt = paginate(session, stmt, page, order)
    return Page(items=[OpportunityOut.model_validate(r) for r in rows], total=total, next=nxt)


@router.post("/opportunities", response_model=OpportunityOut, status_code=status.HTTP_201_CREATED)
def create_opportunity(body: OpportunityIn, session: SessionDep, scope: ScopeDep) -> Opportunity:
    return service.create_opportunity(session, scope, body.model_dump())


@router.get("/opportunities/{opp_id}", response_model=OpportunityOut)
def get_opportunity(opp_id: int, session: SessionDep, scope: ScopeDep) -> Opportunity:
    return scope.get(session, Opportunity, opp_id)


@router.patch("/opportunities/{opp_id}", response_model=OpportunityOut)
def patch_opportunity(opp_id: int, body: OpportunityPatch, session: SessionDep, scope: ScopeDep) -> Opportunity:
    return service.update_opportunity(session, scope, opp_id, body.model_dump(exclude_unset=True))


@router.delete("/opportunities/{opp_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_opportunity(opp_id: int, session: SessionDep, scope: ScopeDep) -> Response:
    session.delete(scope.get(session, Opportunity, opp_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/opportunities/{opp_id}/history", response_model=list[StageChangeOut])
def stage_history(opp_id: int, session: SessionDep, scope: ScopeDep) -> list[StageHistory]:
    scope.get(session, Opportunity, opp_id)
    return list(session.scalars(select(StageHistory).where(StageHistory.opportunity_id == opp_id)
                                .order_by(StageHistory.changed_at)))
