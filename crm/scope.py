"""Scope: who is asking and what they may see, as SQL fragments no query can forget.

A rep sees what they own; a manager sees what their team's members own; an admin sees everything.
Anything else (inactive user, manager without a team, unknown role) sees nothing: deny by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from crm.errors import Forbidden, NotFound
from crm.models import (
    Account,
    Activity,
    Call,
    Collection,
    Contact,
    Lead,
    Opportunity,
    Order,
    Suggestion,
    Task,
    User,
)

T = TypeVar("T")

# The column that says who owns each scoped model. Contacts and suggestions inherit their parent's owner.
OWNER_COLUMNS: dict[type[Any], InstrumentedAttribute[int]] = {
    Account: Account.owner_id,
    Opportunity: Opportunity.owner_id,
    Activity: Activity.owner_id,
    Task: Task.owner_id,
    Call: Call.owner_id,
    Lead: Lead.owner_id,
    Order: Order.owner_id,
    Collection: Collection.owner_id,
}


@dataclass(frozen=True)
class Scope:
    user_id: int
    role: str
    team_id: int | None = None
    username: str = ""
    active: bool = True

    # --- the SQL fragments --------------------------------------------------------------------------
    def owner_filter(self, owner_col: Any) -> ColumnElement[bool]:
        """A WHERE clause restricting `owner_col` (a users.id column) to what this caller may see."""
        if not self.active:
            return false()
        if self.role == "admin":
            return true()
        if self.role == "manager" and self.team_id is not None:
            return owner_col.in_(select(User.id).where(User.team_id == self.team_id).scalar_subquery())
        if self.role == "rep":
            return owner_col == self.user_id
        return false()

    def clause_for(self, model: type[Any]) -> ColumnElement[bool]:
        if model is Contact:
            return Contact.account_id.in_(select(Account.id).where(self.owner_filter(Account.owner_id)))
        if model is Suggestion:
            return Suggestion.opportunity_id.in_(
                select(Opportunity.id).where(self.owner_filter(Opportunity.owner_id))
            )
        if model is User:
            return self.user_filter()
        col = OWNER_COLUMNS.get(model)
        if col is None:
            return false()  # unknown model: deny by default
        return self.owner_filter(col)

    def user_filter(self) -> ColumnElement[bool]:
        """Which users this caller may see (themselves; their team; everyone for admins)."""
        if not self.active:
            return false()
        if self.role == "admin":
            return true()
        if self.role == "manager" and self.team_id is not None:
            return User.team_id == self.team_id
        return User.id == self.user_id

    def apply(self, stmt: Select[Any], model: type[Any]) -> Select[Any]:
        return stmt.where(self.clause_for(model))

    # --- object access ------------------------------------------------------------------------------
    def get(self, session: Session, model: type[T], obj_id: int) -> T:
        """The object, or NotFound when it does not exist or lies outside scope (indistinguishable)."""
        pk = model.id  # type: ignore[attr-defined]
        obj = session.scalars(select(model).where(pk == obj_id, self.clause_for(model))).first()
        if obj is None:
            raise NotFound(f"{model.__name__.lower()} {obj_id} not found")
        return obj

    def can_write_owner(self, session: Session, owner_id: int) -> bool:
        """May this caller create or change data owned by `owner_id`? (Checked by the database.)"""
        if not self.active:
            return False
        if self.role == "admin":
            return True
        found = session.scalar(select(User.id).where(User.id == owner_id, User.is_active, self.user_filter()))
        return found is not None

    def require_write_owner(self, session: Session, owner_id: int) -> None:
        if not self.can_write_owner(session, owner_id):
            raise Forbidden("you may only assign work to yourself or, as a manager, to your team")

    @property
    def is_company_wide(self) -> bool:
        return self.active and self.role == "admin"

    @property
    def description(self) -> str:
        if self.role == "admin":
            return "all data"
        if self.role == "manager":
            return "your team's data"
        return "your own data"


def scope_for(user: User) -> Scope:
    return Scope(
        user_id=user.id, role=user.role, team_id=user.team_id, username=user.username, active=user.is_active
    )
