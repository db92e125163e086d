"""SQL building blocks shared by the metric builders: facts, dimension joins, filters, periods, time buckets.

A `Fact` is the table a metric counts (opportunities, collections, activities, leads, tasks, accounts)
with the columns that say who owns a row, which account and which opportunity it belongs to, and
which date places it in a period. Dimensions and filters join what they need exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Integer, Select, String, bindparam, cast, func, literal
from sqlalchemy.orm import aliased

from crm.models import Account, Opportunity, Product, Region, Team, User
from crm.scope import Scope
from retrieval.plan import QueryPlan
from retrieval.timeparse import Period

Owner = aliased(User, name="owner")
OwnerTeam = aliased(Team, name="owner_team")
OwnerRegion = aliased(Region, name="owner_region")
AccRegion = aliased(Region, name="acc_region")
Acc = aliased(Account, name="acc")
Prod = aliased(Product, name="prod")
Opp = aliased(Opportunity, name="opp")


@dataclass
class Fact:
    """What a metric counts; `opp` is the opportunity entity to reach product/source (may be the fact itself)."""

    entity: Any
    owner: Any
    account: Any | None = None
    opp: Any | None = None  # an Opportunity entity (or alias) already in FROM, or None
    opp_fk: Any | None = None  # column to join `Opp` through when `opp` is None
    date_col: Any | None = None
    region_via_account: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # dimension → column (activity_type, industry, ...)


class Builder:
    """Accumulates joins for one SELECT over a fact."""

    def __init__(self, fact: Fact, dialect: str):
        self.fact = fact
        self.dialect = dialect
        self.joins: list[tuple[Any, Any]] = []
        self._joined: set[str] = set()

    def _join(self, key: str, target: Any, on: Any) -> None:
        if key not in self._joined:
            self._joined.add(key)
            self.joins.append((target, on))

    def _opp(self) -> Any:
        if self.fact.opp is not None:
            return self.fact.opp
        if self.fact.opp_fk is None:
            raise UnsupportedCut("this metric cannot be cut by product or lead source")
        self._join("opp", Opp, Opp.id == self.fact.opp_fk)
        return Opp

    def _account(self) -> Any:
        if self.fact.account is None:
            raise UnsupportedCut("this metric cannot be cut by account or industry")
        self._join("acc", Acc, Acc.id == self.fact.account)
        return Acc

    def dim(self, name: str) -> Any:
        """The SQL expression for a dimension's value (joins added as needed)."""
        if name in self.fact.extra:
            return self.fact.extra[name]  # type: ignore[no-any-return]
        if name == "rep":
            self._join("owner", Owner, Owner.id == self.fact.owner)
            return Owner.display_name
        if name == "team":
            self._join("owner", Owner, Owner.id == self.fact.owner)
            self._join("team", OwnerTeam, OwnerTeam.id == Owner.team_id)
            return OwnerTeam.name
        if name == "region":
            if self.fact.region_via_account:
                acc = self._account()
                self._join("acc_region", AccRegion, AccRegion.id == acc.region_id)
                return AccRegion.name
            self._join("owner", Owner, Owner.id == self.fact.owner)
            self._join("region", OwnerRegion, OwnerRegion.id == Owner.region_id)
            return OwnerRegion.name
        if name == "industry":
            return self._account().industry  # type: ignore[no-any-return]
        if name == "account":
            return self._account().name  # type: ignore[no-any-return]
        if name == "product_line":
            return self._opp().product_line  # type: ignore[no-any-return]
        if name == "product":
            opp = self._opp()
            self._join("prod", Prod, Prod.id == opp.product_id)
            return Prod.name
        if name == "lead_source":
            return self._opp().source  # type: ignore[no-any-return]
        if name == "stage":
            return self._opp().stage  # type: ignore[no-any-return]
        if name.startswith("time:"):
            if self.fact.date_col is None:
                raise UnsupportedCut("this metric has no date to trend over")
            return time_bucket(self.fact.date_col, name.split(":", 1)[1], self.dialect)
        raise UnsupportedCut(f"this metric cannot be cut by {name}")

    def apply(self, stmt: Select[Any]) -> Select[Any]:
        for target, on in self.joins:
            stmt = stmt.join(target, on)
        return stmt


class UnsupportedCut(ValueError):
    """A dimension or filter the metric's fact cannot reach."""


def time_bucket(col: Any, grain: str, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        fmt = {"day": "YYYY-MM-DD", "week": "IYYY-\"W\"IW", "month": "YYYY-MM", "quarter": "YYYY-\"Q\"Q",
               "year": "YYYY"}[grain]
        return func.to_char(col, fmt)
    if grain == "quarter":
        q = cast((cast(func.strftime("%m", col), Integer) + 2) // 3, String)
        return func.strftime("%Y", col, type_=String).concat(literal("-Q")).concat(q)
    fmt = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}[grain]
    return func.strftime(fmt, col)


def days_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def as_bound(d: date, col_is_date: bool) -> date | datetime:
    return d if col_is_date else datetime.combine(d, time.min)


def period_start(period: Period, col_is_date: bool = False) -> BindParameter[Any]:
    """The period's first instant as a named parameter (a cached statement is re-run with new values)."""
    return bindparam("p_start_d" if col_is_date else "p_start", as_bound(period.start, col_is_date))


def period_end(period: Period, col_is_date: bool = False) -> BindParameter[Any]:
    return bindparam("p_end_d" if col_is_date else "p_end", as_bound(period.end, col_is_date))


def period_clause(col: Any, period: Period, col_is_date: bool = False) -> list[ColumnElement[bool]]:
    return [col >= period_start(period, col_is_date), col < period_end(period, col_is_date)]


def filter_param(plan: QueryPlan, i: int) -> BindParameter[Any]:
    """The values of the plan's i-th filter as one expanding parameter."""
    return bindparam(f"f{i}", list(plan.filters[i].values), expanding=True)


def where_filters(b: Builder, plan: QueryPlan, skip: set[str] | None = None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    for i, f in enumerate(plan.filters):
        if skip and f.dimension in skip:
            continue
        out.append(b.dim(f.dimension).in_(filter_param(plan, i)))
    return out


def bind_values(plan: QueryPlan, period: Period | None, today: date) -> dict[str, Any]:
    """Every named parameter the statements above may carry, for re-running a cached statement.

    A statement built for one plan shape differs from another plan of that shape only in these values.
    """
    values: dict[str, Any] = {"today": today}
    if period is not None:
        values.update(p_start=as_bound(period.start, False), p_end=as_bound(period.end, False),
                      p_start_d=period.start, p_end_d=period.end)
    for i, f in enumerate(plan.filters):
        values[f"f{i}"] = list(f.values)
    return values


def scope_clause(scope: Scope, owner_col: Any) -> ColumnElement[bool]:
    return scope.owner_filter(owner_col)
