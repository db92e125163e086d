"""The scoped views free-form SQL may read: `v_opportunities`, `v_accounts`, … each a SELECT over one CRM table
already filtered by the caller's `Scope` (the fragments of `crm.scope`, compiled with literal ids).

Only these views and columns exist for a free-form query; everything else (users' e-mails, tokens, audio,
transcripts, settings) is not reachable. `prompts/ask_freeform_sql.v1.md` describes the same list to the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, false, select, true
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import visitors

from crm.models import (
    Account,
    Activity,
    Call,
    Collection,
    Contact,
    ForecastSubmission,
    Lead,
    MarketingSpend,
    Opportunity,
    Order,
    Product,
    Region,
    Stage,
    StageHistory,
    Target,
    Task,
    Team,
    User,
)
from crm.scope import Scope


def _everyone(_scope: Scope) -> ColumnElement[bool]:
    return true()


def _by_model(model: type[Any]) -> Callable[[Scope], ColumnElement[bool]]:
    return lambda scope: scope.clause_for(model)


def _stage_history(scope: Scope) -> ColumnElement[bool]:
    return StageHistory.opportunity_id.in_(select(Opportunity.id).where(scope.owner_filter(Opportunity.owner_id)))


def _visible_user(col: Any) -> Callable[[Scope], ColumnElement[bool]]:
    def clause(scope: Scope) -> ColumnElement[bool]:
        if scope.is_company_wide:
            return true()
        return col.in_(select(User.id).where(scope.user_filter()))
    return clause


def _admin_only(scope: Scope) -> ColumnElement[bool]:
    return true() if scope.is_company_wide else false()


@dataclass(frozen=True)
class View:
    name: str
    model: type[Any]
    columns: tuple[str, ...]  # model attribute names; `attr AS alias` renames
    where: Callable[[Scope], ColumnElement[bool]]

    @property
    def column_names(self) -> list[str]:
        return [c.split(" AS ")[-1] for c in self.columns]

    def statement(self, scope: Scope) -> Select[Any]:
        cols = []
        for c in self.columns:
            attr, _, alias = c.partition(" AS ")
            cols.append(getattr(self.model, attr).label(alias or attr))
        return select(*cols).where(self.where(scope))

    def select_sql(self, scope: Scope, dialect: Dialect) -> str:
        return str(self.statement(scope).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    def tables(self, scope: Scope) -> frozenset[str]:
        """The base tables this view reads for `scope` (its table, and e.g. `users` for a manager's team)."""
        return frozenset(e.name for e in visitors.iterate(self.statement(scope)) if isinstance(e, Table))


VIEWS: tuple[View, ...] = (
    View("v_opportunities", Opportunity, ("id", "name", "account_id", "owner_id", "product_id", "product_line",
         "amount", "currency", "stage", "status", "expected_close", "created_at", "closed_at", "loss_reason",
         "source", "lead_id", "budget_confirmed_at", "decision_maker_engaged_at"), _by_model(Opportunity)),
    View("v_accounts", Account, ("id", "name", "industry", "size", "region_id", "city", "source", "owner_id",
         "created_at"), _by_model(Account)),
    View("v_contacts", Contact, ("id", "account_id", "name", "title", "role_in_deal", "created_at"),
         _by_model(Contact)),
    View("v_leads", Lead, ("id", "company", "industry", "source", "status", "owner_id", "region_id", "created_at",
         "converted_at", "converted_account_id", "converted_opportunity_id"), _by_model(Lead)),
    View("v_stage_history", StageHistory, ("id", "opportunity_id", "from_stage", "to_stage", "changed_at",
         "amount", "expected_close"), _stage_history),
    View("v_activities", Activity, ("id", "type", "opportunity_id", "account_id", "owner_id", "occurred_at",
         "summary", "call_id"), _by_model(Activity)),
    View("v_tasks", Task, ("id", "owner_id", "title", "due",
         "status", "opportunity_id", "account_id", "created_at", "completed_at"), _by_model(Task)),
    View("v_calls", Call, ("id", "owner_id", "opportunity_id", "account_id", "duration_s", "call_time", "status"),
         _by_model(Call)),
    View("v_orders", Order, ("id", "opportunity_id", "account_id", "owner_id", "amount", "order_date"),
         _by_model(Order)),
    View("v_collections", Collection, ("id", "order_id", "opportunity_id", "account_id", "owner_id", "amount",
         "received_on"), _by_model(Collection)),
    View("v_users", User, ("id", "display_name", "role", "team_id", "region_id", "is_active"), _by_model(User)),
    View("v_teams", Team, ("id", "name", "region_id", "manager_id"), _everyone),
    View("v_regions", Region, ("id", "name"), _everyone),
    View("v_products", Product, ("id", "name", "product_line", "list_price"), _everyone),
    View("v_stages", Stage, ("id", "name", "order AS stage_order", "kind", "default_probability"), _everyone),
    View("v_targets", Target, ("id", "level", "user_id", "team_id", "region_id", "period", "period_start",
         "amount"), _visible_user(Target.user_id)),
    View("v_forecasts", ForecastSubmission, ("id", "user_id", "period", "period_start", "amount",
         "submitted_at"), _visible_user(ForecastSubmission.user_id)),
    View("v_marketing_spend", MarketingSpend, ("id", "channel", "region_id", "month", "amount"), _admin_only),
)
VIEW_NAMES = frozenset(v.name for v in VIEWS)


@lru_cache(maxsize=512)
def view_selects(scope: Scope, dialect: Dialect) -> dict[str, str]:
    """{view name: the scoped SELECT it stands for} in `dialect`, ids inlined as literals (cached per scope:
    `Scope` is frozen, so a changed role or team is a different key)."""
    return {v.name: v.select_sql(scope, dialect) for v in VIEWS}


@lru_cache(maxsize=512)
def view_tables(scope: Scope) -> dict[str, frozenset[str]]:
    """{view name: the base tables it may read} for `scope`."""
    return {v.name: v.tables(scope) for v in VIEWS}
