"""Write a call's insights back into the CRM, within the call owner's scope, idempotently.

`process_call` → one Activity (type call) per call, one Task per rep-owned next step (keyed by
Task.origin_key, so re-processing updates instead of duplicating; steps that disappeared are cancelled),
and Suggestions for the call's opportunity (amount, expected close, competitors) with evidence, applied
at once when `insights_auto_apply` is on. Activities, tasks and deal fields are written only through the
scoped upserts in `crm.service`, with the call owner's scope (an owner who cannot write → Forbidden, nothing
written); suggestions and the call's insights are stored here. The caller owns the transaction (no commit here).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.insights.engine import extract_insights
from assistant.insights.types import AccountRef, CallInsights, ContactRef, CrmNames, OrgProfile, ProductRef
from crm import service
from crm.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm.models import Account, Call, Contact, Opportunity, Product, Suggestion, User
from crm.models import OrgProfile as OrgRow
from crm.scope import Scope, scope_for
from crm.settings import Settings, get_settings
from transcription.types import Transcript

SUGGESTED_FIELDS = service.SUGGESTED_FIELDS


@dataclass
class ProcessResult:
    insights: CallInsights
    activity_id: int
    task_ids: list[int] = field(default_factory=list)
    cancelled_task_ids: list[int] = field(default_factory=list)
    suggestion_ids: list[int] = field(default_factory=list)


def load_org(session: Session) -> OrgProfile:
    """The selling company's profile and products from the CRM (`dealwise org load` puts them there)."""
    row = session.scalars(select(OrgRow).order_by(OrgRow.id)).first()
    if row is None:
        raise InvalidInput("no organization profile yet; load one with `dealwise org load ORG.json`")
    products = [
        ProductRef(name=p.name, line=p.product_line)
        for p in session.scalars(select(Product).order_by(Product.id))
    ]
    return OrgProfile(
        company=row.name,
        aliases=list(row.aliases or []),
        products=products,
        competitors=list(row.competitors or []),
    )


def crm_names(session: Session, scope: Scope) -> CrmNames:
    """The accounts and contacts this scope may see, as dictionaries for the engines."""
    accounts = session.execute(select(Account.id, Account.name).where(scope.clause_for(Account))).all()
    contacts = session.execute(
        select(Contact.id, Contact.name, Contact.title, Contact.account_id).where(scope.clause_for(Contact))
    ).all()
    return CrmNames(
        accounts=[AccountRef(id=a.id, name=a.name) for a in accounts],
        contacts=[ContactRef(id=c.id, name=c.name, title=c.title, account_id=c.account_id) for c in contacts],
    )


def _in_scope(session: Session, scope: Scope, model: type[Any], obj_id: int | None) -> Any:
    if obj_id is None:
        return None
    try:
        return scope.get(session, model, obj_id)
    except NotFound:
        return None


def _step_key(call_id: int, action: str) -> str:
    norm = re.sub(r"\W", "", action)
    return f"call:{call_id}:step:{hashlib.sha1(norm.encode()).hexdigest()[:12]}"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def process_call(
    session: Session,
    call: Call,
    *,
    org: OrgProfile | None = None,
    settings: Settings | None = None,
    insights: CallInsights | None = None,
) -> ProcessResult:
    """Extract (unless `insights` is given) and write back one call's insights, scoped to its owner."""
    settings = settings or get_settings()
    if not call.transcript:
        raise Conflict(f"call {call.id} has no transcript yet")
    owner = session.get(User, call.owner_id)
    if owner is None:
        raise NotFound(f"user {call.owner_id} not found")
    scope = scope_for(owner)
    if _in_scope(session, scope, Call, call.id) is None or not scope.can_write_owner(session, owner.id):
        raise Forbidden(f"call {call.id}: its owner {owner.username} cannot write to the CRM "
                        "(inactive, or a manager without a team), so nothing is written back")
    transcript = Transcript.model_validate(call.transcript)
    org = org or load_org(session)
    if insights is None:
        insights = extract_insights(transcript, org, crm_names(session, scope), call.call_time, settings)

    opp = _in_scope(session, scope, Opportunity, call.opportunity_id)
    account_id = call.account_id or (opp.account_id if opp else None) or insights.customer.account_id
    if _in_scope(session, scope, Account, account_id) is None:
        account_id = None  # never write against an account the call's owner cannot see

    activity = service.upsert_call_activity(
        session,
        scope,
        call.id,
        opportunity_id=opp.id if opp else None,
        account_id=account_id,
        occurred_at=(call.call_time or call.created_at or datetime.now()).replace(tzinfo=None),
        summary=insights.summary,
        participants=[
            {"name": c.name, "title": c.title, "contact_id": c.contact_id, "role": c.role}
            for c in insights.contacts
        ],
    )

    result = ProcessResult(insights=insights, activity_id=activity.id)
    keys: set[str] = set()
    for step in insights.next_steps:
        if step.owner != "rep":
            continue
        key = _step_key(call.id, step.action)
        if key in keys:
            continue
        keys.add(key)
        task = service.upsert_task(
            session,
            scope,
            key,
            title=step.action[:300],
            due=step.due,
            owner_id=call.owner_id,
            opportunity_id=opp.id if opp else None,
            account_id=account_id,
            source_activity_id=activity.id,
        )
        result.task_ids.append(task.id)
    result.cancelled_task_ids = service.cancel_open_tasks(session, scope, f"call:{call.id}:step:", keep=keys)

    if opp is not None:
        result.suggestion_ids = _suggest(session, scope, opp, call, insights, settings.insights_auto_apply)

    call.insights = insights.model_dump(mode="json")
    session.flush()
    return result


def _proposals(opp: Opportunity, ins: CallInsights) -> list[tuple[str, Any, Any, dict[str, Any] | None]]:
    out: list[tuple[str, Any, Any, dict[str, Any] | None]] = []
    if ins.budget is not None and float(opp.amount or 0) != ins.budget.amount_cny:
        ev = ins.budget.evidence.model_dump() | {"status": ins.budget.status, "text": ins.budget.text}
        out.append(("amount", float(opp.amount or 0), ins.budget.amount_cny, ev))
    if ins.decision_date is not None and opp.expected_close != ins.decision_date:
        out.append(("expected_close", _jsonable(opp.expected_close), ins.decision_date.isoformat(), None))
    current = list(opp.competitors or [])
    new = [c for c in ins.competitors if c.name not in current]
    if new:
        out.append(("competitors", current, current + [c.name for c in new], new[0].evidence.model_dump()))
    return out


def _suggest(
    session: Session, scope: Scope, opp: Opportunity, call: Call, ins: CallInsights, auto_apply: bool
) -> list[int]:
    ids: list[int] = []
    for fld, current, proposed, ev in _proposals(opp, ins):
        sug = session.scalars(
            select(Suggestion).where(
                Suggestion.opportunity_id == opp.id, Suggestion.call_id == call.id, Suggestion.field == fld
            )
        ).first()
        if sug is not None and sug.status != "pending":
            continue  # already decided: re-processing does not ask again
        if sug is None:
            sug = Suggestion(opportunity_id=opp.id, call_id=call.id, field=fld, status="pending")
            session.add(sug)
        sug.current_value = current
        sug.proposed_value = proposed
        sug.evidence = ev
        if auto_apply:
            service.apply_suggested_field(session, scope, opp.id, fld, proposed)
            sug.status = "applied"
            sug.decided_at = datetime.now()
        session.flush()
        ids.append(sug.id)
    return ids


def decide(
    session: Session, scope: Scope, opportunity_id: int, suggestion_id: int, accept: bool, user_id: int
) -> Suggestion:
    """Accept (apply) or reject a pending suggestion; outside scope or not this opportunity's → NotFound."""
    opp = scope.get(session, Opportunity, opportunity_id)
    sug = session.scalars(
        select(Suggestion).where(Suggestion.id == suggestion_id, Suggestion.opportunity_id == opp.id)
    ).first()
    if sug is None:
        raise NotFound(f"suggestion {suggestion_id} not found")
    scope.require_write_owner(session, opp.owner_id)
    if sug.status != "pending":
        raise Conflict(f"suggestion {suggestion_id} is already {sug.status}")
    if accept:
        service.apply_suggested_field(session, scope, opp.id, sug.field, sug.proposed_value)
    sug.status = "accepted" if accept else "rejected"
    sug.decided_by_id = user_id
    sug.decided_at = datetime.now()
    session.flush()
    return sug


def list_suggestions(
    session: Session, scope: Scope, opportunity_id: int, status: str | None = None
) -> list[Suggestion]:
    opp = scope.get(session, Opportunity, opportunity_id)
    stmt = select(Suggestion).where(Suggestion.opportunity_id == opp.id)
    if status:
        stmt = stmt.where(Suggestion.status == status)
    return list(session.scalars(stmt.order_by(Suggestion.id)))


def save_org(session: Session, org: OrgProfile) -> None:
    """Store the selling company's profile (one row) and upsert its products by name."""
    row = session.scalars(select(OrgRow).order_by(OrgRow.id)).first()
    if row is None:
        row = OrgRow(name=org.company)
        session.add(row)
    row.name = org.company
    row.aliases = list(org.aliases)
    row.competitors = list(org.competitors)
    for p in org.products:
        prod = session.scalars(select(Product).where(Product.name == p.name)).first()
        if prod is None:
            session.add(Product(name=p.name, product_line=p.line or p.name))
        elif p.line:
            prod.product_line = p.line
    session.flush()
