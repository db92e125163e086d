"""A filter the caller cannot see: a manager asking about another team, a rep about a colleague.

The query itself stays inside the caller's scope whatever the plan says (every statement filters the owner
column), so such a question would answer 0 — and "华东二组 sold ¥0" reads as a fact about that team. Instead
the answer says the team or person is outside what the caller can see. Only teams and reps are checked: a
region or an industry may hold some of the caller's own deals, and then its number is right (and the answer
already says it counts the caller's data only).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm.models import Team, User
from crm.scope import Scope
from retrieval.plan import QueryPlan


def _visible(session: Session, scope: Scope, dimension: str, value: str) -> bool:
    if dimension == "team":  # a rep's own team holds the rep's own deals: the answer counts those, and says so
        team_id = session.scalar(select(Team.id).where(Team.name == value).limit(1))
        return team_id is None or team_id == scope.team_id
    # a person: visible as `Scope.user_filter` says (the caller; a manager's team); not a user: nothing to say
    seen = session.execute(select(scope.user_filter()).where(or_(User.display_name == value, User.username == value))
                           .limit(1)).first()
    return seen is None or bool(seen[0])


def outside_scope(session: Session, scope: Scope, plan: QueryPlan) -> list[str]:
    """The team and rep filter values of `plan` that lie wholly outside what `scope` may see (none for admins)."""
    if scope.role == "admin":
        return []
    return [v for f in plan.filters if f.dimension in ("team", "rep") for v in f.values
            if not _visible(session, scope, f.dimension, v)]


def outside_text(names: list[str], scope: Scope, lang: str) -> str:
    """One sentence: these are outside the caller's data, and what the caller can see instead."""
    who = "、".join(names) if lang == "zh" else ", ".join(names)
    if lang == "zh":
        mine = "你本人的数据" if scope.role == "rep" else "你团队的数据"
        return f"{who}不在你的数据范围内，我无法提供其数字；你可以查看{mine}。"
    mine = "your own data" if scope.role == "rep" else "your team's data"
    return f"{who} {'is' if len(names) == 1 else 'are'} outside the data you can see, so I can't give their figures; you can ask about {mine}."
