"""Task and note tools. Writes go through `crm.service` in the caller's scope; the owner is the caller, always."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz
from sqlalchemy import select

from crm import service
from crm.errors import InvalidInput, NotFound
from crm.models import Opportunity, Task
from tools.accounts import one_account
from tools.base import Tool, ToolContext, ToolResult
from tools.opportunities import one_opportunity


def task_data(t: Task) -> dict[str, Any]:
    return {"id": t.id, "title": t.title, "due": t.due.isoformat() if t.due else None, "status": t.status,
            "account_id": t.account_id, "opportunity_id": t.opportunity_id}


# --- list_tasks --------------------------------------------------------------------------------------
class ListTasksArgs(BaseModel):
    when: Literal["today", "week", "overdue", "all"] = Field(
        "all", description="today: due today or overdue; week: due within 7 days; overdue; all open tasks")


def list_tasks(ctx: ToolContext, args: ListTasksArgs) -> ToolResult:
    stmt = select(Task).where(Task.owner_id == ctx.user.id, Task.status == "open")
    today = ctx.today
    if args.when == "today":
        stmt = stmt.where(Task.due <= today)
    elif args.when == "week":
        stmt = stmt.where(Task.due <= today + timedelta(days=7))
    elif args.when == "overdue":
        stmt = stmt.where(Task.due < today)
    rows = list(ctx.session.scalars(stmt.order_by(Task.due.is_(None), Task.due, Task.id).limit(50)))
    return ToolResult(data={"when": args.when, "today": today.isoformat(), "count": len(rows),
                            "tasks": [task_data(t) for t in rows]}, summary=f"{len(rows)} tasks")


# --- create_task -------------------------------------------------------------------------------------
class CreateTaskArgs(BaseModel):
    title: str = Field(..., min_length=1, max_length=300, description="what to do, in the user's words")
    due: date | None = Field(None, description="ISO date, resolved from the user's words")
    account: str | None = Field(None, description="the customer's name, if the task is about one")
    opportunity_id: int | None = None


def create_task(ctx: ToolContext, args: CreateTaskArgs) -> ToolResult:
    account_id = opp_id = None
    acc = None
    if args.opportunity_id is not None:
        opp = one_opportunity(ctx, args.opportunity_id, None)
        opp_id, account_id = opp.id, opp.account_id
    elif args.account:
        acc = one_account(ctx, args.account)
        account_id = acc.id
        open_opp = ctx.session.scalars(
            ctx.scope.apply(select(Opportunity), Opportunity)
            .where(Opportunity.account_id == acc.id, Opportunity.status == "open")
            .order_by(Opportunity.expected_close)).first()
        opp_id = open_opp.id if open_opp is not None else None
    if args.due is not None and args.due < ctx.today - timedelta(days=1):
        raise InvalidInput(f"the due date {args.due.isoformat()} is in the past")
    task = service.create_task(ctx.session, ctx.scope, args.title, due=args.due, opportunity_id=opp_id,
                               account_id=account_id)
    data = task_data(task)
    data["account_name"] = acc.name if acc is not None else None
    return ToolResult(data=data, summary=f"task {task.id} created")


# --- complete_task -----------------------------------------------------------------------------------
class CompleteTaskArgs(BaseModel):
    task_id: int | None = None
    query: str | None = Field(None, description="words from the task's title, when the id is unknown")


def complete_task(ctx: ToolContext, args: CompleteTaskArgs) -> ToolResult:
    own_open = select(Task).where(Task.owner_id == ctx.user.id, Task.status == "open")
    task: Task | None
    if args.task_id is not None:
        task = ctx.session.scalars(own_open.where(Task.id == args.task_id)).first()
    elif args.query:
        candidates = list(ctx.session.scalars(own_open))
        scored = sorted(((fuzz.partial_ratio(args.query.lower(), t.title.lower()), t.id, t) for t in candidates),
                        key=lambda x: (-x[0], x[1]))
        task = scored[0][2] if scored and scored[0][0] >= 70 else None
    else:
        raise InvalidInput("which task? give its id or words from its title")
    if task is None:
        raise NotFound("no open task of yours matches")
    task = service.update_task(ctx.session, ctx.scope, task.id, {"status": "done"})
    return ToolResult(data=task_data(task), summary=f"task {task.id} done")


# --- log_note ----------------------------------------------------------------------------------------
class LogNoteArgs(BaseModel):
    text: str = Field(..., min_length=1, max_length=5000, description="the note, in the user's words")
    account: str | None = Field(None, description="the customer it is about")
    opportunity_id: int | None = None
    type: Literal["note", "visit", "call", "meeting"] = "note"


def log_note(ctx: ToolContext, args: LogNoteArgs) -> ToolResult:
    account_id = opp_id = None
    account_name: str | None = None
    if args.opportunity_id is not None or args.account:
        if args.opportunity_id is not None:
            opp = one_opportunity(ctx, args.opportunity_id, None)
            opp_id, account_id = opp.id, opp.account_id
        else:
            account = one_account(ctx, args.account)
            account_id, account_name = account.id, account.name
    act = service.create_activity(ctx.session, ctx.scope, {"type": args.type, "account_id": account_id,
                                                           "opportunity_id": opp_id, "summary": args.text.strip(),
                                                           "participants": []}, standalone=True)
    return ToolResult(data={"id": act.id, "type": act.type, "account_id": account_id, "opportunity_id": opp_id,
                            "account_name": account_name, "text": act.summary}, summary=f"activity {act.id} logged")


TOOLS = [
    Tool("list_tasks", "The user's open tasks: due today (and overdue), this week, overdue, or all.",
         ListTasksArgs, list_tasks),
    Tool("create_task", "Create a task for the user (optionally about a customer) with a due date.",
         CreateTaskArgs, create_task, writes=True),
    Tool("complete_task", "Mark one of the user's own open tasks done, by id or by words from its title.",
         CompleteTaskArgs, complete_task, writes=True),
    Tool("log_note", "Log a note or visit report on a customer, owned by the user.", LogNoteArgs, log_note, writes=True),
]
