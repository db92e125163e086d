"""Opportunity tools: one deal (by id, or by its customer's name) and the caller's own pipeline."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import case, select

from crm.errors import InvalidInput, NotFound
from crm.models import Opportunity
from tools.accounts import one_account
from tools.base import Tool, ToolContext, ToolResult


def opportunity_data(o: Opportunity) -> dict[str, Any]:
    return {
        "id": o.id, "name": o.name, "account_id": o.account_id,
        "account": o.account.name if o.account is not None else None,
        "stage": o.stage, "status": o.status, "amount": float(o.amount or 0), "currency": o.currency,
        "expected_close": o.expected_close.isoformat() if o.expected_close else None,
        "product_line": o.product_line, "competitors": list(o.competitors or []),
        "budget_confirmed": o.budget_confirmed_at is not None,
        "decision_maker_engaged": o.decision_maker_engaged_at is not None,
        "loss_reason": o.loss_reason,
    }


def one_opportunity(ctx: ToolContext, opportunity_id: int | None, account: str | None) -> Opportunity:
    """By id within scope; or the customer's open deal (the one closing soonest), else its latest."""
    if opportunity_id is not None:
        return ctx.scope.get(ctx.session, Opportunity, opportunity_id)
    if not account:
        raise InvalidInput("which deal? name the customer")
    acc = one_account(ctx, account)
    stmt = (ctx.scope.apply(select(Opportunity), Opportunity).where(Opportunity.account_id == acc.id)
            .order_by(case((Opportunity.status == "open", 0), else_=1), Opportunity.expected_close,
                      Opportunity.created_at.desc()))
    opp = ctx.session.scalars(stmt).first()
    if opp is None:
        raise NotFound(f"no deal with {acc.name} in {ctx.scope.description}")
    return opp


class GetOpportunityArgs(BaseModel):
    opportunity_id: int | None = None
    account: str | None = Field(None, description="the customer's name, when the deal id is unknown")


def get_opportunity(ctx: ToolContext, args: GetOpportunityArgs) -> ToolResult:
    o = one_opportunity(ctx, args.opportunity_id, args.account)
    return ToolResult(data=opportunity_data(o), summary=f"opportunity {o.id}")


class ListMyOpportunitiesArgs(BaseModel):
    status: str = Field("open", pattern="^(open|won|lost|all)$")
    limit: int = Field(20, ge=1, le=100)


def list_my_opportunities(ctx: ToolContext, args: ListMyOpportunitiesArgs) -> ToolResult:
    stmt = ctx.scope.apply(select(Opportunity), Opportunity).where(Opportunity.owner_id == ctx.user.id)
    if args.status != "all":
        stmt = stmt.where(Opportunity.status == args.status)
    rows = list(ctx.session.scalars(stmt.order_by(Opportunity.expected_close, Opportunity.id).limit(args.limit)))
    total = sum(float(o.amount or 0) for o in rows)
    return ToolResult(data={"status": args.status, "count": len(rows), "total_amount": total,
                            "opportunities": [opportunity_data(o) for o in rows]},
                      summary=f"{len(rows)} opportunities")


TOOLS = [
    Tool("get_opportunity", "One deal: stage, amount, expected close, competitors; by id or by customer name.",
         GetOpportunityArgs, get_opportunity),
    Tool("list_my_opportunities", "The user's own deals (open by default), soonest to close first.",
         ListMyOpportunitiesArgs, list_my_opportunities),
]
