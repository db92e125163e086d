"""Activities and tasks: scoped CRUD."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy import select

from api.deps import ScopeDep, SessionDep
from api.pagination import Page, PageParams, page_params, paginate
from api.schemas import ActivityIn, ActivityOut, TaskIn, TaskOut, TaskPatch
from crm import service
from crm.models import Activity, Task

router = APIRouter(prefix="/api/v1", tags=["activities and tasks"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.get("/activities", response_model=Page[ActivityOut])
def list_activities(
    session: SessionDep, scope: ScopeDep, page: PageDep, opportunity_id: int | None = None,
    account_id: int | None = None, type: str | None = None,
) -> Page[ActivityOut]:
    stmt = scope.apply(select(Activity), Activity)
    if opportunity_id is not None:
        stmt = stmt.where(Activity.opportunity_id == opportunity_id)
    if account_id is not None:
        stmt = stmt.where(Activity.account_id == account_id)
    if type:
        stmt = stmt.where(Activity.type == type)
    rows, total, nxt = paginate(session, stmt, page, [Activity.occurred_at.desc(), Activity.id.desc()])
    return Page(items=[ActivityOut.model_validate(r) for r in rows], total=total, next=nxt)


@router.post("/activities", response_model=ActivityOut, status_code=status.HTTP_201_CREATED)
def create_activity(body: ActivityIn, session: SessionDep, scope: ScopeDep) -> Activity:
    return service.create_activity(session, scope, body.model_dump())


@router.get("/activities/{activity_id}", response_model=ActivityOut)
def get_activity(activity_id: int, session: SessionDep, scope: ScopeDep) -> Activity:
    return scope.get(session, Activity, activity_id)


@router.delete("/activities/{activity_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_activity(activity_id: int, session: SessionDep, scope: ScopeDep) -> Response:
    session.delete(scope.get(session, Activity, activity_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tasks", response_model=Page[TaskOut])
def list_tasks(
    session: SessionDep, scope: ScopeDep, page: PageDep,
    status_: Annotated[Literal["open", "done", "cancelled"] | None, Query(alias="status")] = None,
    due_before: date | None = None, owner_id: int | None = None, opportunity_id: int | None = None,
) -> Page[TaskOut]:
    stmt = scope.apply(select(Task), Task)
    if status_:
        stmt = stmt.where(Task.status == status_)
    if due_before:
        stmt = stmt.where(Task.due <= due_before)
    if owner_id is not None:
        stmt = stmt.where(Task.owner_id == owner_id)
    if opportunity_id is not None:
        stmt = stmt.where(Task.opportunity_id == opportunity_id)
    rows, total, nxt = paginate(session, stmt, page, [Task.due.asc(), Task.id])
    return Page(items=[TaskOut.model_validate(r) for r in rows], total=total, next=nxt)


@router.post("/tasks", response_model=TaskOut, status_code=status.HTTP_201_CREATED)
def create_task(body: TaskIn, session: SessionDep, scope: ScopeDep) -> Task:
    return service.create_task(session, scope, **body.model_dump())


@router.get("/tasks/{task_id}", response_model=TaskOut)
def get_task(task_id: int, session: SessionDep, scope: ScopeDep) -> Task:
    return scope.get(session, Task, task_id)


@router.patch("/tasks/{task_id}", response_model=TaskOut)
def patch_task(task_id: int, body: TaskPatch, session: SessionDep, scope: ScopeDep) -> Task:
    return service.update_task(session, scope, task_id, body.model_dump(exclude_unset=True))


@router.delete("/tasks/{task_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_task(task_id: int, session: SessionDep, scope: ScopeDep) -> Response:
    session.delete(scope.get(session, Task, task_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
