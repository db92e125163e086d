"""The deterministic insight engine (the default; no LLM): dictionaries from the org profile and CRM + patterns."""

from __future__ import annotations

import re
from datetime import date, datetime

from assistant.insights.amounts import find_amounts
from assistant.insights.entities import find_company, find_competitors, find_products
from assistant.insights.people import find_contacts, match_contact, role_for
from assistant.insights.steps import find_decision, find_steps
from assistant.insights.text import Sentence, call_sentences, evidence
from assistant.insights.types import (
    Budget,
    BudgetStatus,
    CallInsights,
    ContactInsight,
    CrmNames,
    Customer,
    NamedItem,
    NextStep,
    OrgProfile,
    TextItem,
)
from transcription.types import Transcript

_BUDGET = re.compile(
    r"预算|上限|最多|不超过|以内|封顶|能接受|批下来|批了|盘子|投入|花|经费|资金|不能再多|控制在"
)
_QUOTE = re.compile(
    r"报价|标准版|专业版|旗舰版|每年|一年|价格是|收费|折扣|优惠|我们的价格|打折|单价|每个用户|每人"
)
_CEILING = re.compile(r"上限|最多|不超过|以内|封顶|不能再多|控制在|能接受")
_CONFIRMED = re.compile(r"批下来|批了|批过|批复|定了|确定|董事会|审批通过")
_NEED = re.compile(r"需要|想要|希望|要求|主要是|想(?!听)|混乱|乱了|不方便|痛点|头疼|麻烦|效率低|散在")
_OBJECTION = re.compile(
    r"(?:价格|报价|费用).{0,6}(?:高|贵|低)|太贵|不习惯|还是个问题|不能|没法|硬要求|担心|顾虑|用完了|不太满意|不放心|风险"
)
_POS = re.compile(r"不错|挺好|挺方便|方便|满意|感兴趣|好啊|还行|可以|没问题|认可|喜欢")
_NEG = re.compile(r"问题|不行|太贵|没法|不能|不满意|用完了|担心|不习惯|再说|不需要|算了")


def _ref_date(call_time: datetime | date | None) -> date:
    if call_time is None:
        return date.today()
    return call_time.date() if isinstance(call_time, datetime) else call_time


def _budget(t: Transcript, sents: list[Sentence]) -> Budget | None:
    best: tuple[int, Budget] | None = None
    for s in sents:
        for _off, ctx in s.clauses():
            for a in find_amounts(ctx):
                if a.currency != "CNY":
                    continue
                score = 0
                if _BUDGET.search(s.text):
                    score += 3 if _BUDGET.search(ctx) else 1
                if _QUOTE.search(ctx) or (s.speaker == "rep" and _QUOTE.search(s.text)):
                    score -= 5
                if s.speaker == "customer":
                    score += 2
                elif s.speaker == "rep":
                    score -= 1
                if score < 2:
                    continue
                status: BudgetStatus = "estimated"
                if _CEILING.search(s.text):
                    status = "ceiling"
                elif _CONFIRMED.search(s.text):
                    status = "confirmed"
                b = Budget(amount_cny=a.value, text=a.text, status=status, evidence=evidence(t, s.turn, ctx))
                if best is None or score > best[0]:
                    best = (score, b)
    return best[1] if best else None


def _items(t: Transcript, sents: list[Sentence], rx: re.Pattern[str], limit: int = 5) -> list[TextItem]:
    out: list[TextItem] = []
    for s in sents:
        if s.speaker == "rep":
            continue
        for _off, clause in s.clauses():
            if rx.search(clause) and len(out) < limit and all(i.text != clause.strip() for i in out):
                out.append(TextItem(text=clause.strip(), evidence=evidence(t, s.turn, clause)))
    return out


def _sentiment(sents: list[Sentence]) -> str:
    pos = sum(len(_POS.findall(s.text)) for s in sents if s.speaker != "rep")
    neg = sum(len(_NEG.findall(s.text)) for s in sents if s.speaker != "rep")
    if pos >= neg + 2:
        return "positive"
    if neg >= pos + 1:
        return "negative"
    return "neutral"


def _summary(ins: CallInsights) -> str:
    parts = []
    who = ins.customer.company or "、".join(c.name for c in ins.contacts[:2]) or "客户"
    parts.append(f"与{who}通话")
    if ins.products:
        parts.append("涉及" + "、".join(p.name for p in ins.products))
    if ins.budget:
        parts.append(f"预算{ins.budget.text}")
    if ins.decision_date:
        parts.append(f"预计{ins.decision_date.isoformat()}决策")
    if ins.competitors:
        parts.append("竞品" + "、".join(c.name for c in ins.competitors))
    if ins.next_steps:
        parts.append("下一步：" + "；".join(n.action for n in ins.next_steps[:3]))
    return "，".join(parts) + "。"


def extract_rules(
    transcript: Transcript,
    org: OrgProfile,
    crm: CrmNames | None = None,
    call_time: datetime | date | None = None,
) -> CallInsights:
    """Call insights by rules alone: deterministic, offline, fast."""
    crm = crm or CrmNames()
    ref = _ref_date(call_time)
    sents = call_sentences(transcript, org)

    company = find_company(sents, org, crm.accounts)
    competitors = find_competitors(sents, org, company.name if company else None)
    products = find_products(sents, org, [c.name for c in competitors])
    people, _reps = find_contacts(sents, org, [c.name for c in competitors], crm.contacts)
    account_id = company.account_id if company else None
    contacts = [
        ContactInsight(
            name=p.name,
            title=p.title,
            role=role_for(p.title),
            contact_id=match_contact(p, crm.contacts, account_id),
            evidence=evidence(transcript, p.sentence.turn, p.quote),
        )
        for p in people
    ]
    if account_id is None and contacts:  # a known contact tells us the account
        ids = {
            c.account_id for c in crm.contacts if c.id in {x.contact_id for x in contacts} and c.account_id
        }
        if len(ids) == 1:
            account_id = ids.pop()
    decision = find_decision(sents, ref)
    steps = find_steps(sents, ref)
    ins = CallInsights(
        customer=Customer(company=company.name if company else None, account_id=account_id),
        contacts=contacts,
        budget=_budget(transcript, sents),
        decision_date=decision[0] if decision else None,
        needs=_items(transcript, sents, _NEED),
        objections=_items(transcript, sents, _OBJECTION),
        competitors=[
            NamedItem(name=c.name, evidence=evidence(transcript, c.sentence.turn, c.sentence.text))
            for c in competitors
        ],
        products=[
            NamedItem(name=p.name, evidence=evidence(transcript, p.sentence.turn, p.sentence.text))
            for p in products
        ],
        sentiment=_sentiment(sents),  # type: ignore[arg-type]
        next_steps=[
            NextStep(
                action=st.action,
                owner=st.owner,
                due=st.due,
                evidence=evidence(transcript, st.sentence.turn, st.quote),
            )  # type: ignore[arg-type]
            for st in steps
        ],
        engine="rules",
    )
    # A company never said stays null (no invention); a known contact still gives its account_id.
    ins.summary = _summary(ins)
    return ins
