"""Run a cached statement as its compiled SQL string on the driver connection (SQLite, psycopg).

`prepare` compiles a statement once per plan shape, caller and number of values per filter, and records
for each parameter of the final SQL where its value comes from: a constant of the statement (scope, status,
limit, stage names; processed once), one of the per-question values of `sqlparts.bind_values` (period,
today), or the j-th value of the plan's i-th filter (an expanding `IN`). `run` then builds the parameter
list and executes the string on the session's own connection and transaction, skipping SQLAlchemy's
per-execution work (parameter expansion, string rendering, result set set-up), with the same bind and
result processors SQLAlchemy would apply. Statements whose per-question values would be rendered into the
SQL text (literal-execute parameters) are not prepared and run through SQLAlchemy as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.orm import Session

DRIVERS = ("pysqlite", "psycopg")
CONST, VALUE, FILTER = 0, 1, 2
_FILTER_NAME = re.compile(r"f(\d+)")
Slot = tuple[int, Any, Any, Callable[[Any], Any] | None]  # (kind, key, j or constant, bind processor)


@dataclass
class Prepared:
    sql: str
    slots: tuple[Slot, ...]
    names: tuple[str, ...] | None  # parameter names for a named paramstyle (psycopg); None when positional
    result_types: tuple[Any, ...]
    result_procs: list[Callable[[Any], Any] | None] | None = field(default=None)  # set on the first run

    def parameters(self, values: dict[str, Any], filters: Sequence[Sequence[Any]]) -> Any:
        out = []
        for kind, key, j, proc in self.slots:
            if kind == CONST:
                out.append(j)
                continue
            v = values[key] if kind == VALUE else filters[key][j]
            out.append(v if proc is None or v is None else proc(v))
        return out if self.names is None else dict(zip(self.names, out, strict=True))


def supported(dialect: Dialect) -> bool:
    return dialect.driver in DRIVERS


def prepare(stmt: Any, dialect: Dialect, values: dict[str, Any]) -> Prepared | None:
    """The compiled form of `stmt` for parameters shaped like `values` (filters `f0`, `f1`… as lists)."""
    compiled = stmt.compile(dialect=dialect)
    state = compiled.construct_expanded_state(values)
    expanded = {new: (orig, j) for orig, news in state.parameter_expansion.items() for j, new in enumerate(news)}
    names = list(state.positiontup) if state.positiontup is not None else list(state.parameters)
    used = set(names) | {orig for orig, _j in expanded.values()}
    if any(name in compiled.binds and name not in used for name in values):
        return None  # a per-question value rendered into the SQL text: the string cannot be reused
    slots: list[Slot] = []
    for name in names:
        orig, j = expanded.get(name, (name, 0))
        proc = state.processors.get(name) or compiled._bind_processors.get(orig)
        if proc is not None and not callable(proc):
            return None  # per-element processors of a tuple type: not needed by any metric statement
        m = _FILTER_NAME.fullmatch(orig)
        if name in expanded and m and orig in values:
            slots.append((FILTER, int(m.group(1)), j, proc))
        elif name in values:
            slots.append((VALUE, name, 0, proc))
        else:
            v = state.parameters[name]
            slots.append((CONST, None, v if proc is None or v is None else proc(v), None))
    types = tuple(entry[3] for entry in compiled._result_columns)
    return Prepared(sql=state.statement, slots=tuple(slots),
                    names=None if state.positiontup is not None else tuple(names), result_types=types)


def run(session: Session, prep: Prepared, values: dict[str, Any], filters: Sequence[Sequence[Any]]) -> list[Any]:
    """The rows of `prep` for these values, on the session's connection (inside its transaction)."""
    conn = session.connection()
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(prep.sql, prep.parameters(values, filters))
        rows = cur.fetchall()
        if prep.result_procs is None:
            dialect = conn.dialect
            prep.result_procs = [t._cached_result_processor(dialect, d[1])
                                 for t, d in zip(prep.result_types, cur.description, strict=True)]
    finally:
        cur.close()
    procs = prep.result_procs
    if not any(procs):
        return rows
    return [tuple(v if p is None else p(v) for p, v in zip(procs, r, strict=True)) for r in rows]
