"""Scoped CRM writes: the one place that creates and changes accounts, deals, activities and tasks.

Every function takes the caller's Scope; reads of parents go through `scope.get` (404 outside scope)
and owners are checked with `scope.require_write_owner`. API routes, agent tools and the call-insights
write-back (the idempotent upserts at the end) call these.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput
from crm.models import (
    Account,
    Activity,
    Call,
    Contact,
    Opportunity,
    Product,
    Region,
    Stage,
    StageHistory,
    Task,
    utcnow,
)
from crm.scope import Scope


def _owner(session: Session, scope: Scope, owner_id: int | None) -> int:
    owner = owner_id if owner_id is not None else scope.user_id
    scope.require_write_owner(session, owner)
    return owner


def _check_region(session: Session, region_id: int | None) -> None:
    if region_id is not None and session.get(Region, region_id) is None:
        raise InvalidInput(f"region {region_id} does not exist")


def create_account(session: Session, scope: Scope, data: dict[str, Any]) -> Account:
    _check_region(session, data.get("region_id"))
    acc = Account(**{**data, "owner_id": _owner(session, scope, data.get("owner_id"))})
    session.add(acc)
    session.flush()
    return acc


def update_account(session: Session, scope: Scope, account_id: int, patch: dict[str, Any]) -> Account:
    acc = scope.get(session, Account, account_id)
    if "owner_id" in patch and patch["owner_id"] is not None:
        scope.require_write_owner(session, patch["owner_id"])
    _check_region(session, patch.get("region_id"))
    for k, v in patch.items():
        setattr(acc, k, v)
    session.flush()
    return acc


def create_contact(session: Session, scope: Scope, data: dict[str, Any]) -> Contact:
    scope.get(session, Account, data["account_id"])
    contact = Contact(**data)
    session.add(contact)
    session.flush()
    return contact


def stage_row(session: Session, name: str) -> Stage:
    stage = session.scalar(select(Stage).where(Stage.name == name))
    if stage is None:
        names = ", ".join(session.scalars(select(Stage.name).order_by(Stage.order)))
        raise InvalidInput(f"unknown stage {name!r}; stages are: {names}")
    return stage


def create_opportunity(session: Session, scope: Scope, data: dict[str, Any]) -> Opportunity:
    scope.get(session, Account, data["account_id"])
    stage = stage_row(session, data.get("stage") or "线索")
    if data.get("product_id") is not None:
        product = session.get(Product, data["product_id"])
        if product is None:
            raise InvalidInput(f"product {data['product_id']} does not exist")
        data["product_line"] = data.get("product_line") or product.product_line
    now = utcnow()
    opp = Opportunity(**{**data, "owner_id": _owner(session, scope, data.get("owner_id")), "stage": stage.name,
                         "status": stage.kind, "created_at": now,
                         "closed_at": now if stage.kind != "open" else None})
    session.add(opp)
    session.flush()
    session.add(StageHistory(opportunity_id=opp.id, from_stage=None, to_stage=stage.name, changed_at=now,
                             changed_by_id=scope.user_id, amount=opp.amount, expected_close=opp.expected_close))
    return opp


def update_opportunity(session: Session, scope: Scope, opp_id: int, patch: dict[str, Any]) -> Opportunity:
    """Apply a partial update; a stage change is recorded in the stage history."""
    opp = scope.get(session, Opportunity, opp_id)
    if patch.get("owner_id") is not None:
        scope.require_write_owner(session, patch["owner_id"])
    new_stage = patch.pop("stage", None)
    for k, v in patch.items():
        setattr(opp, k, v)
    if new_stage and new_stage != opp.stage:
        stage = stage_row(session, new_stage)
        now = utcnow()
        session.add(StageHistory(opportunity_id=opp.id, from_stage=opp.stage, to_stage=stage.name, changed_at=now,
                                 changed_by_id=scope.user_id, amount=opp.amount, expected_close=opp.expected_close))
        opp.stage, opp.status = stage.name, stage.kind
        opp.closed_at = now if stage.kind != "open" else None
    session.flush()
    return opp


def create_activity(session: Session, scope: Scope, data: dict[str, Any], call_id: int | None = None,
                    standalone: bool = False) -> Activity:
    """An activity owned by the caller, on a deal or account in scope (or on neither when `standalone`: a note
    the assistant logs without a customer)."""
    account_id = data.get("account_id")
    if data.get("opportunity_id") is not None:
        opp = scope.get(session, Opportunity, data["opportunity_id"])
        account_id = account_id or opp.account_id
    if account_id is not None:
        scope.get(session, Account, account_id)
    if account_id is None and not standalone:
        raise InvalidInput("an activity needs an opportunity_id or an account_id")
    act = Activity(**{**data, "account_id": account_id, "owner_id": scope.user_id, "call_id": call_id,
                      "occurred_at": data.get("occurred_at") or utcnow()})
    session.add(act)
    session.flush()
    return act


def create_task(session: Session, scope: Scope, title: str, due: date | None = None, owner_id: int | None = None,
                opportunity_id: int | None = None, account_id: int | None = None,
                source_activity_id: int | None = None, origin_key: str | None = None) -> Task:
    if not title.strip():
        raise InvalidInput("a task needs a title")
    if opportunity_id is not None:
        account_id = account_id or scope.get(session, Opportunity, opportunity_id).account_id
    if account_id is not None:
        scope.get(session, Account, account_id)
    task = Task(owner_id=_owner(session, scope, owner_id), title=title.strip(), due=due,
                opportunity_id=opportunity_id, account_id=account_id, source_activity_id=source_activity_id,
                origin_key=origin_key)
    session.add(task)
    session.flush()
    return task


def update_task(session: Session, scope: Scope, task_id: int, patch: dict[str, Any]) -> Task:
    task = scope.get(session, Task, task_id)
    if patch.get("owner_id") is not None:
        scope.require_write_owner(session, patch["owner_id"])
    status = patch.get("status")
    for k, v in patch.items():
        setattr(task, k, v)
    if status == "done" and task.completed_at is None:
        task.completed_at = utcnow()
    elif status and status != "done":
        task.completed_at = None
    session.flush()
    return task


# --- call write-back: upserts keyed by the call, so re-processing a call updates rather than duplicates ---
SUGGESTED_FIELDS = ("amount", "expected_close", "competitors")


def _read_parents(session: Session, scope: Scope, opportunity_id: int | None, account_id: int | None) -> None:
    if opportunity_id is not None:
        scope.get(session, Opportunity, opportunity_id)
    if account_id is not None:
        scope.get(session, Account, account_id)


def upsert_call_activity(session: Session, scope: Scope, call_id: int, *, opportunity_id: int | None,
                         account_id: int | None, occurred_at: datetime, summary: str,
                         participants: list[dict[str, Any]]) -> Activity:
    """The call's one activity (type 'call'), created for the call's owner or updated in place (stable id).

    Unlike `create_activity` it needs neither an account nor an opportunity: the call, read through scope,
    is its parent (a call that matched nothing in the CRM still gets its activity). The activity's owner
    must be writable by the caller.
    """
    call = scope.get(session, Call, call_id)
    _read_parents(session, scope, opportunity_id, account_id)
    act = session.scalars(
        select(Activity).where(Activity.call_id == call.id, Activity.type == "call").order_by(Activity.id)
    ).first()
    scope.require_write_owner(session, act.owner_id if act is not None else call.owner_id)
    if act is None:
        act = Activity(type="call", call_id=call.id, owner_id=call.owner_id)
        session.add(act)
    act.opportunity_id, act.account_id, act.occurred_at = opportunity_id, account_id, occurred_at
    act.summary, act.participants = summary, participants
    session.flush()
    return act


def upsert_task(session: Session, scope: Scope, origin_key: str, *, title: str, due: date | None,
                owner_id: int | None = None, opportunity_id: int | None = None, account_id: int | None = None,
                source_activity_id: int | None = None) -> Task:
    """The task with this `origin_key`: created open for `owner_id` (default: the caller) or updated in place.

    `owner_id` and an existing task's owner (kept, as is its status) must be writable by the caller; the
    opportunity and account are read through scope. The title is stored as given.
    """
    owner = _owner(session, scope, owner_id)
    _read_parents(session, scope, opportunity_id, account_id)
    task = session.scalars(select(Task).where(Task.origin_key == origin_key)).first()
    if task is None:
        task = Task(origin_key=origin_key, owner_id=owner, status="open")
        session.add(task)
    elif task.owner_id != owner:
        scope.require_write_owner(session, task.owner_id)
    task.title, task.due, task.source_activity_id = title, due, source_activity_id
    task.opportunity_id, task.account_id = opportunity_id, account_id
    session.flush()
    return task


def cancel_open_tasks(session: Session, scope: Scope, origin_prefix: str, keep: Collection[str] = ()) -> list[int]:
    """Cancel the open tasks whose `origin_key` starts with `origin_prefix`, except those in `keep`.

    Every affected task's owner must be writable by the caller (else nothing is cancelled). Returns their ids.
    """
    if not origin_prefix:
        raise InvalidInput("cancelling tasks needs an origin-key prefix")
    stale = [t for t in session.scalars(
        select(Task).where(Task.origin_key.startswith(origin_prefix, autoescape=True), Task.status == "open")
        .order_by(Task.id)
    ) if t.origin_key not in keep]
    for owner in sorted({t.owner_id for t in stale}):
        scope.require_write_owner(session, owner)
    for task in stale:
        task.status = "cancelled"
    session.flush()
    return [t.id for t in stale]


def apply_suggested_field(session: Session, scope: Scope, opp_id: int, field: str, value: Any) -> Opportunity:
    """Set one suggested field on a deal in scope whose owner the caller may write for.

    amount: a number; expected_close: a date or ISO date string; competitors: merged in, order kept, no repeats.
    """
    opp = scope.get(session, Opportunity, opp_id)
    scope.require_write_owner(session, opp.owner_id)
    if field == "amount":
        opp.amount = float(value)
    elif field == "expected_close":
        opp.expected_close = date.fromisoformat(value) if isinstance(value, str) else value
    elif field == "competitors":
        opp.competitors = list(dict.fromkeys([*(opp.competitors or []), *value]))
    else:
        raise InvalidInput(f"unknown suggestion field {field!r}")
    session.flush()
    return opp
