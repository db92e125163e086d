"""Rule checks on engine output: only what the transcript says survives (used on the LLM engine's answer)."""

from __future__ import annotations

from datetime import date

from assistant.insights.amounts import find_amounts
from assistant.insights.dates import find_dates
from assistant.insights.people import rep_names
from assistant.insights.text import call_sentences, evidence
from assistant.insights.types import CallInsights, CrmNames, Customer, Evidence, OrgProfile
from transcription.types import Transcript


def _locate(tr: Transcript, ev: Evidence) -> Evidence | None:
    """The evidence re-anchored on the turn that really holds the quote, or None when no turn does."""
    quote = ev.quote.strip()
    if not quote:
        return None
    order = [ev.turn] if 0 <= ev.turn < len(tr.segments) else []
    order += [i for i in range(len(tr.segments)) if i != ev.turn]
    for i in order:
        if quote in tr.segments[i].text:
            return evidence(tr, i, quote)
    return None


def ground(
    ins: CallInsights, tr: Transcript, org: OrgProfile, crm: CrmNames | None, ref: date
) -> CallInsights:
    """Drop or null everything not backed by the transcript, our own side, and ids the CRM does not hold."""
    crm = crm or CrmNames()
    text = tr.text or "\n".join(s.text for s in tr.segments)
    low = text.lower()
    own = [n.lower() for n in org.own_names]
    products = {p.name for p in org.products}
    reps = rep_names(call_sentences(tr, org), org)
    amounts = {a.value for a in find_amounts(text) if a.currency == "CNY"}
    days: set[date] = set()
    for seg in tr.segments:
        for m in find_dates(seg.text, ref):
            days.add(m.day)
            d = m.first
            while d <= m.last:
                days.add(d)
                d = date.fromordinal(d.toordinal() + 1)
    account_ids = {a.id for a in crm.accounts}
    contact_ids = {c.id for c in crm.contacts}

    def ours(name: str) -> bool:
        n = name.lower()
        return any(o in n or n in o for o in own) or name in products or name in reps

    out = ins.model_copy(deep=True)
    out.engine = ins.engine
    company = out.customer.company
    acc_names = {a.name for a in crm.accounts}
    if company and (ours(company) or (company.lower() not in low and company not in acc_names)):
        company = None
    acc_id = out.customer.account_id if out.customer.account_id in account_ids else None
    out.customer = Customer(company=company, account_id=acc_id)

    contacts = []
    for c in out.contacts:
        ev = _locate(tr, c.evidence)
        if ev is None or ours(c.name) or c.name.lower() not in low:
            continue
        contacts.append(
            c.model_copy(
                update={"evidence": ev, "contact_id": c.contact_id if c.contact_id in contact_ids else None}
            )
        )
    out.contacts = contacts

    if out.budget is not None:
        ev = _locate(tr, out.budget.evidence)
        out.budget = (
            out.budget.model_copy(update={"evidence": ev})
            if ev and out.budget.amount_cny in amounts
            else None
        )
    if out.decision_date is not None and out.decision_date not in days:
        out.decision_date = None

    def keep_named(items: list, allowed: set[str] | None = None) -> list:  # type: ignore[type-arg]
        kept = []
        for it in items:
            ev = _locate(tr, it.evidence)
            if ev is None or it.name.lower() not in low:
                continue
            if (allowed is not None and it.name not in allowed) or (allowed is None and ours(it.name)):
                continue
            kept.append(it.model_copy(update={"evidence": ev}))
        return kept

    out.competitors = keep_named(out.competitors)
    out.products = keep_named(out.products, products)
    out.needs = [i.model_copy(update={"evidence": ev}) for i in out.needs if (ev := _locate(tr, i.evidence))]
    out.objections = [
        i.model_copy(update={"evidence": ev}) for i in out.objections if (ev := _locate(tr, i.evidence))
    ]
    steps = []
    for s in out.next_steps:
        ev = _locate(tr, s.evidence)
        if ev is None:
            continue
        steps.append(s.model_copy(update={"evidence": ev, "due": s.due if s.due in days else None}))
    out.next_steps = steps
    return out
