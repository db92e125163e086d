"""Rows the web tests add to the demo workspace: a processed call with transcript, insights and a suggestion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.models import Call, Opportunity, OpportunityScore, Suggestion, User

TRANSCRIPT: dict[str, Any] = {
    "language": "zh", "duration": 9.0, "text": "",
    "segments": [
        {"start": 0.0, "end": 3.0, "speaker": "rep", "text": "您好，我是云启科技的销售。"},
        {"start": 3.0, "end": 6.0, "speaker": "customer", "text": "我们今年预算大概五十万。"},
        {"start": 6.0, "end": 9.0, "speaker": "rep", "text": "好的，我下周三发报价给您。"},
    ],
}
INSIGHTS: dict[str, Any] = {
    "summary": "客户预算约五十万，下周三发报价。", "customer": {"company": None, "account_id": None}, "contacts": [],
    "budget": {"amount_cny": 500000, "text": "五十万", "status": "estimated",
               "evidence": {"quote": "预算大概五十万", "turn": 1, "start": 3.0, "end": 6.0}},
    "decision_date": None, "needs": [], "objections": [], "competitors": [], "products": [], "sentiment": "positive",
    "next_steps": [{"action": "发报价", "owner": "rep", "due": None,
                    "evidence": {"quote": "下周三发报价给您", "turn": 2, "start": 6.0, "end": 9.0}}],
    "engine": "rules",
}


def rep_deal(engine: Engine, username: str) -> int:
    with Session(engine) as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        opp = s.scalar(select(Opportunity.id).where(Opportunity.owner_id == uid, Opportunity.status == "open")
                       .order_by(Opportunity.id))
        assert opp is not None
        return int(opp)


def add_call(engine: Engine, username: str, status: str = "done") -> tuple[int, int, int]:
    """(call id, opportunity id, suggestion id) for a processed call on one of the user's open deals."""
    opp_id = rep_deal(engine, username)
    with Session(engine) as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        assert uid is not None
        call = Call(owner_id=uid, opportunity_id=opp_id, filename="客户电话.wav", audio_sha256="0" * 64,
                    blob_key="test/none", dedupe_key=f"test:{username}:{opp_id}:{status}", status=status,
                    progress=100.0 if status == "done" else 40.0, duration_s=9.0,
                    transcript=TRANSCRIPT if status == "done" else None, insights=INSIGHTS if status == "done" else None)
        s.add(call)
        s.flush()
        sug = Suggestion(opportunity_id=opp_id, call_id=call.id, field="amount", current_value=100000,
                         proposed_value=500000, evidence=INSIGHTS["budget"]["evidence"])
        s.add(sug)
        s.add(OpportunityScore(opportunity_id=opp_id, model_version="test-1", probability=0.42, band="medium",
                               factors=[{"feature": "stage", "label": "阶段", "points": 0.1}]))
        s.commit()
        return call.id, opp_id, sug.id
