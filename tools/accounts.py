"""Account tools: resolve a spoken company name, search, and look one up (all within scope)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz
from sqlalchemy import func, or_, select

from crm.errors import InvalidInput, NotFound
from crm.models import Account, Activity, Contact, Opportunity, User
from tools.base import Tool, ToolContext, ToolResult
from tools.names import aliases, core_name


def _like(s: str) -> str:
    return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def resolve_accounts(ctx: ToolContext, mention: str, limit: int = 5) -> list[Account]:
    """In-scope accounts matching a mention, best first: name contains it, else fuzzy over core names."""
    mention = mention.strip()
    if not mention:
        return []
    core = core_name(mention) or mention
    stmt = ctx.scope.apply(select(Account), Account).where(
        or_(Account.name.ilike(_like(mention), escape="\\"), Account.name.ilike(_like(core), escape="\\"))
    ).order_by(func.length(Account.name)).limit(limit)
    found = list(ctx.session.scalars(stmt))
    if found:
        return found
    rows = ctx.session.execute(select(Account.id, Account.name).where(ctx.scope.clause_for(Account))).all()
    scored = []
    for acc_id, name in rows:
        best = max(fuzz.ratio(core.lower(), a.lower()) for a in aliases(name))
        if best >= 80:
            scored.append((best, acc_id))
    scored.sort(reverse=True)
    ids = [i for _, i in scored[:limit]]
    return [a for i in ids for a in ctx.session.scalars(select(Account).where(Account.id == i))]


def one_account(ctx: ToolContext, mention: str | None, account_id: int | None = None) -> Account:
    """Exactly one in-scope account, or NotFound / InvalidInput (ambiguous, listing the candidates)."""
    if account_id is not None:
        return ctx.scope.get(ctx.session, Account, account_id)
    if not mention:
        raise InvalidInput("which customer? give a name")
    found = resolve_accounts(ctx, mention)
    if not found:
        raise NotFound(f"no customer matching {mention!r} in {ctx.scope.description}")
    exact = [a for a in found if mention in aliases(a.name)[:2] or a.name == mention]
    if len(found) > 1 and len(exact) != 1 and core_name(found[0].name) != core_name(mention):
        names = "、".join(a.name for a in found)
        raise InvalidInput(f"several customers match {mention!r}: {names}")
    return exact[0] if len(exact) == 1 else found[0]


def account_brief(a: Account) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "industry": a.industry, "city": a.city, "size": a.size}


# --- search_accounts --------------------------------------------------------------------------------
class SearchAccountsArgs(BaseModel):
    query: str = Field("", description="words in the customer's name, industry or city; empty = all")
    limit: int = Field(10, ge=1, le=50)


def search_accounts(ctx: ToolContext, args: SearchAccountsArgs) -> ToolResult:
    stmt = ctx.scope.apply(select(Account), Account)
    q = args.query.strip()
    if q:
        pat = _like(q)
        stmt = stmt.where(or_(Account.name.ilike(pat, escape="\\"), Account.industry.ilike(pat, escape="\\"),
                              Account.city.ilike(pat, escape="\\")))
    total = ctx.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(ctx.session.scalars(stmt.order_by(Account.name).limit(args.limit)))
    return ToolResult(data={"query": q, "total": total, "accounts": [account_brief(a) for a in rows]},
                      summary=f"{total} accounts")


# --- get_account ------------------------------------------------------------------------------------
class GetAccountArgs(BaseModel):
    account: str | None = Field(None, description="the customer's name as the user said it")
    account_id: int | None = None


def get_account(ctx: ToolContext, args: GetAccountArgs) -> ToolResult:
    a = one_account(ctx, args.account, args.account_id)
    owner = ctx.session.get(User, a.owner_id)
    contacts = list(ctx.session.scalars(select(Contact).where(Contact.account_id == a.id).order_by(Contact.id)))
    opps = list(ctx.session.scalars(
        ctx.scope.apply(select(Opportunity), Opportunity).where(Opportunity.account_id == a.id)
        .order_by(Opportunity.status, Opportunity.expected_close).limit(10)))
    acts = list(ctx.session.scalars(
        ctx.scope.apply(select(Activity), Activity).where(Activity.account_id == a.id)
        .order_by(Activity.occurred_at.desc()).limit(5)))
    data = {
        **account_brief(a),
        "owner": owner.display_name or owner.username if owner else None,
        "contacts": [{"name": c.name, "title": c.title, "role": c.role_in_deal} for c in contacts],
        "opportunities": [{"id": o.id, "name": o.name, "stage": o.stage, "status": o.status,
                           "amount": float(o.amount or 0)} for o in opps],
        "recent_activities": [{"type": x.type, "date": x.occurred_at.date().isoformat(), "summary": x.summary[:200]}
                              for x in acts],
    }
    return ToolResult(data=data, summary=f"account {a.id}")


TOOLS = [
    Tool("search_accounts", "Search the user's customers by name, industry or city.", SearchAccountsArgs, search_accounts),
    Tool("get_account", "One customer: industry, city, owner, contacts, deals and recent activity.", GetAccountArgs, get_account),
]
