"""Execute a `QueryPlan` inside a scope: default periods, composite ratios, 同比/环比, share, ranking.

Every number comes from a parameterised SQLAlchemy statement built in `retrieval.metrics_sql`; this
module only combines their keyed rows (ratios of two facts, comparisons) and orders them.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from sqlalchemy import Select, nulls_last

from retrieval import compiled_sql
from retrieval import metrics_sql as ms
from retrieval.catalog import BY_NAME
from retrieval.plan import QueryPlan
from retrieval.sqlparts import UnsupportedCut, bind_values
from retrieval.timeparse import Period, add_months, previous_period, quarter_start, year_ago

Key = tuple[Any, ...]
RATE_UNITS = ("percent", "ratio")
MAX_ROWS = 500  # a grouping without a limit shows at most this many rows (sorted)
PARETO_ROWS = 50  # the Pareto table/chart shows the top items; the top-20 % share uses all of them
STATEMENT_CACHE_SIZE = 1024
Build = Callable[..., Any]


class CompanyOnly(PermissionError):
    """A company-level metric (e.g. CAC over marketing spend) asked by someone who sees only part of it."""


@dataclass
class Computed:
    columns: list[str]
    rows: list[list[Any]]
    value: float | None
    period: Period | None
    comparison_period: Period | None = None
    sql: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def effective_period(plan: QueryPlan, today: Any) -> Period | None:
    if plan.period is not None:
        return plan.period
    default = BY_NAME[plan.metric].default_period
    if default == "this_quarter" or (plan.comparison in ("yoy", "pop") and not has_time_dim(plan)):
        s = quarter_start(today)
        return Period(start=s, end=add_months(s, 3), label=f"本季度（{s.year}年Q{(s.month - 1) // 3 + 1}）",
                      grain="quarter")
    if default == "last_quarter":
        s = add_months(quarter_start(today), -3)
        return Period(start=s, end=add_months(s, 3), label=f"上季度（{s.year}年Q{(s.month - 1) // 3 + 1}）",
                      grain="quarter")
    return None


def has_time_dim(plan: QueryPlan) -> bool:
    return any(d.startswith("time:") for d in plan.dimensions)


class StatementCache:
    """Built statements by plan shape: two plans that differ only in their period, filter values or
    today's date share one statement object, re-run with new named parameters (`sqlparts.bind_values`),
    so neither the statement nor SQLAlchemy's cache key for it is rebuilt. The caller's scope is part of
    the key, so its clause is always the one `Scope.owner_filter` built for that caller."""

    def __init__(self, size: int = STATEMENT_CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            stmt = self._items.get(key)
            if stmt is not None:
                self._items.move_to_end(key)
                return stmt
        stmt = build()
        with self._lock:
            self._items[key] = stmt
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return stmt

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


STATEMENTS = StatementCache()
NOT_PREPARED = object()  # cached for statements `compiled_sql.prepare` declines


class Runner:
    def __init__(self, ctx: ms.Ctx, keep_sql: bool = False):
        self.ctx = ctx
        self.keep_sql = keep_sql
        self.sql: list[str] = []

    def key(self, build: Build, plan: QueryPlan, period: Period | None, args: tuple[Hashable, ...]) -> Hashable:
        """The statement cache key: the plan's shape and the caller (scope, dialect)."""
        return (build, args, tuple(plan.dimensions), tuple(f.dimension for f in plan.filters), period is None,
                self.ctx.scope, self.ctx.dialect)

    def fetch(self, build: Build, plan: QueryPlan, period: Period | None, *args: Hashable) -> dict[Key, float | None]:
        """Rows of one metric statement keyed by their dimension values; `build(ctx, plan, period, *args)` runs
        only the first time this shape is asked by this caller."""
        key = self.key(build, plan, period, args)
        stmt = STATEMENTS.get(key, lambda: build(self.ctx, plan, period, *args))
        session = self.ctx.session
        if self.keep_sql:
            self.sql.append(str(stmt.compile(dialect=session.get_bind().dialect)))
        n = len(plan.dimensions)
        params = bind_values(plan, period, self.ctx.today)
        rows: Iterable[Any] | None = self._run_compiled(key, stmt, plan, params)
        if rows is None:
            rows = session.connection().execute(stmt, params)  # Core execution: no ORM overhead
        out: dict[Key, float | None] = {}
        for r in rows:
            v = r[n]
            out[tuple(r[:n])] = None if v is None else float(v)
        return out

    def _run_compiled(self, key: Hashable, stmt: Any, plan: QueryPlan, params: dict[str, Any]) -> list[Any] | None:
        """The rows from the statement's cached compiled SQL on the driver connection, or None (not supported
        on this driver or for this statement; or the driver raised, and SQLAlchemy re-runs it to report)."""
        dialect = self.ctx.session.get_bind().dialect
        if not compiled_sql.supported(dialect):
            return None
        filters = [f.values for f in plan.filters]
        prep = STATEMENTS.get((key, tuple(len(v) for v in filters)),
                              lambda: compiled_sql.prepare(stmt, dialect, params) or NOT_PREPARED)
        if prep is NOT_PREPARED:
            return None
        try:
            return compiled_sql.run(self.ctx.session, prep, params, filters)
        except dialect.loaded_dbapi.Error:
            return None

    def values(self, plan: QueryPlan, period: Period | None) -> dict[Key, float | None]:
        name, fetch = plan.metric, self.fetch
        if name in ms.SIMPLE:
            return fetch(ms.SIMPLE[name], plan, period)
        if name in ("target_attainment", "pipeline_coverage", "forecast_accuracy"):
            if period is None:
                raise UnsupportedCut("this metric needs a period")
            den = fetch(ms.targets, plan, period)
            if name == "target_attainment":
                return _ratio(fetch(ms.bookings, plan, period), den)
            if name == "pipeline_coverage":
                return _ratio(fetch(ms.open_pipeline, plan, period), den)
            fc = fetch(ms.forecasts, plan, period)
            actual = fetch(ms.bookings, plan, period)
            return {k: (1 - abs((fc.get(k) or 0.0) - a) / a) if a else None for k, a in actual.items() if k in fc}
        if name in ("cac", "clv_cac"):
            if not self.ctx.scope.is_company_wide:
                raise CompanyOnly(name)
            cac = _ratio(fetch(ms.spend, plan, period), fetch(ms.new_customers, plan, period))
            if name == "cac":
                return cac
            return _ratio(fetch(ms.clv, plan, period), cac)
        if name == "penetration":
            return _ratio(fetch(_penetration, plan, period, 0), fetch(_penetration, plan, period, 1))
        if name == "conversion":
            a, b = plan.stages or ("商机", "成交")
            return _ratio(self.funnel(plan, period, b), self.funnel(plan, period, a))
        if name == "contribution":
            return fetch(ms.bookings, plan, period)
        raise UnsupportedCut(f"no builder for {name}")

    def funnel(self, plan: QueryPlan, period: Period | None, level: str) -> dict[Key, float | None]:
        """Entities reaching a funnel level; the stage's order (read from the stages table) keys the statement."""
        return self.fetch(ms.funnel_count, plan, period, level, ms.funnel_rank(self.ctx, level))


def _penetration(ctx: ms.Ctx, plan: QueryPlan, period: Period | None, part: int) -> Any:
    return ms.penetration_parts(ctx, plan, period)[part]


def _ranked(ctx: ms.Ctx, plan: QueryPlan, period: Period | None, metric: str, order: str, limit: int | None) -> Any:
    """A simple metric sorted and cut in the database (ties by the dimension values)."""
    stmt: Select[Any] = ms.SIMPLE[metric](ctx, plan, period)
    value = stmt.selected_columns.value
    by = nulls_last(value.desc() if order == "desc" else value.asc())
    stmt = stmt.order_by(by, *[stmt.selected_columns[f"k{i}"] for i in range(len(plan.dimensions))])
    return stmt.limit(limit) if limit else stmt


def _ratio(num: dict[Key, float | None], den: dict[Key, float | None]) -> dict[Key, float | None]:
    out: dict[Key, float | None] = {}
    for k, d in den.items():
        out[k] = (num.get(k) or 0.0) / d if d else None
    return out


def _sorted(rows: list[list[Any]], n: int, order: str | None, vi: int) -> list[list[Any]]:
    if order is None:
        return sorted(rows, key=lambda r: tuple("" if x is None else str(x) for x in r[:n]))
    sign = -1 if order == "desc" else 1
    return sorted(rows, key=lambda r: (r[vi] is None, sign * (r[vi] or 0.0), tuple(str(x) for x in r[:n])))


def execute(ctx: ms.Ctx, plan: QueryPlan, keep_sql: bool = False) -> Computed:
    run = Runner(ctx, keep_sql)
    period = effective_period(plan, ctx.today)
    n = len(plan.dimensions)
    dims = list(plan.dimensions)
    if plan.metric == "conversion" and not plan.stages and not dims:
        return _funnel(run, plan, period)
    if plan.metric == "contribution":
        return _contribution(run, plan, period)
    if plan.metric in ms.SIMPLE and plan.comparison is None and plan.order and n:
        got = run.fetch(_ranked, plan, period, plan.metric, plan.order, plan.limit)
        rows = [[*k, v] for k, v in got.items()]
        return _finish(plan, [*dims, "value"], rows, period, None, run)
    values = run.values(plan, period)
    if plan.comparison in ("yoy", "pop") and period is not None:
        other = year_ago(period) if plan.comparison == "yoy" else previous_period(period)
        before = run.values(plan, other)
        unit = BY_NAME[plan.metric].unit
        rows = []
        for k in sorted(set(values) | set(before), key=lambda t: tuple(str(x) for x in t)):
            v, p = values.get(k), before.get(k)
            change = None
            if v is not None and p is not None:
                change = v - p if unit in RATE_UNITS else ((v - p) / p if p else None)
            rows.append([*k, v, p, change])
        return _finish(plan, [*dims, "value", "previous", "change"], rows, period, other, run)
    rows = [[*k, v] for k, v in values.items()]
    if plan.comparison == "share":
        if n:
            total = sum(v for v in values.values() if v is not None)
            rows = [[*r, (r[-1] / total if total and r[-1] is not None else None)] for r in rows]
            return _finish(plan, [*dims, "value", "share"], rows, period, None, run)
        if not plan.filters:  # e.g. the region named is not in this workspace: the share of what?
            raise UnsupportedCut("a share of the total needs a part (a region, team, rep, product…) or a grouping")
        whole = run.values(plan.model_copy(update={"filters": plan.filters[:-1]}), period)
        part, tot = values.get((), None), whole.get((), None)
        rows = [[part, (part / tot) if part is not None and tot else None]]
        return _finish(plan, ["value", "share"], rows, period, None, run, value_col=1)
    return _finish(plan, [*dims, "value"], rows, period, None, run)


def _finish(plan: QueryPlan, columns: list[str], rows: list[list[Any]], period: Period | None,
            other: Period | None, run: Runner, value_col: int | None = None) -> Computed:
    n = len(plan.dimensions)
    vi = n if value_col is None else value_col
    order = plan.order
    if order is None and n and not has_time_dim(plan):
        order = "desc"
    rows = _sorted(rows, n, order, vi)
    rows = rows[: plan.limit or MAX_ROWS]
    value = None
    if len(rows) == 1 and (n == 0 or plan.limit == 1):
        value = rows[0][vi]
    if value is not None and isinstance(value, float) and math.isnan(value):
        value = None
    return Computed(columns=columns, rows=rows, value=value, period=period, comparison_period=other, sql=run.sql)


def _funnel(run: Runner, plan: QueryPlan, period: Period | None) -> Computed:
    counts = {lvl: (run.funnel(plan, period, lvl).get(()) or 0.0) for lvl in ms.FUNNEL}
    levels = [lvl for lvl in ms.FUNNEL if not (lvl == "线索" and counts[lvl] == 0)]
    rows, prev = [], None
    for lvl in levels:
        c = counts[lvl]
        rows.append([lvl, int(c), (c / prev) if prev else None])
        prev = c
    first = counts[levels[0]]
    value = counts["成交"] / first if first else None
    return Computed(columns=["level", "count", "rate"], rows=rows, value=value, period=period, sql=run.sql,
                    extra={"funnel": True, "from": levels[0], "to": "成交"})


def _contribution(run: Runner, plan: QueryPlan, period: Period | None) -> Computed:
    """Each item's share and the top-20 % share. Only the shown rows are ordered in full (an account Pareto at
    1M opportunities has ~100k items); the top-20 % sum needs only the largest values, in any tie order."""
    dims = plan.dimensions or ["product_line"]
    p = plan.model_copy(update={"dimensions": dims[:1], "order": None, "limit": None, "comparison": None})
    items = [(k[0], v or 0.0) for k, v in run.values(p, period).items()]
    amounts = sorted((v for _k, v in items), reverse=True)
    total = math.fsum(amounts)
    top_n = max(1, math.ceil(0.2 * len(items))) if items else 0
    top_share = (math.fsum(amounts[:top_n]) / total) if total else None
    shown = heapq.nsmallest(plan.limit or PARETO_ROWS, items, key=lambda kv: (-kv[1], str(kv[0])))
    rows, cum = [], 0.0
    for k, v in shown:
        cum += v
        rows.append([k, v, v / total if total else None, cum / total if total else None])
    return Computed(columns=[dims[0], "value", "share", "cumulative_share"], rows=rows, value=top_share,
                    period=period, sql=run.sql, extra={"pareto": True, "top_n": top_n, "items": len(items)})
