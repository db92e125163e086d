"""Reporting periods for the dashboard filters: this/last quarter, this month, this (fiscal) year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKey = Literal["this_quarter", "last_quarter", "this_month", "this_year"]
PERIOD_KEYS: tuple[PeriodKey, ...] = ("this_quarter", "last_quarter", "this_month", "this_year")


@dataclass(frozen=True)
class Period:
    key: str
    start: date  # inclusive
    end: date  # exclusive

    @property
    def label(self) -> str:
        last = date.fromordinal(self.end.toordinal() - 1)
        return f"{self.start.isoformat()} – {last.isoformat()}"

    def quarter_starts(self) -> list[date]:
        """The quarter start dates inside this period (targets are stored per quarter)."""
        out, d = [], self.start
        while d < self.end:
            out.append(d)
            d = add_months(d, 3)
        return out


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _quarter_start(d: date, fy_start: int) -> date:
    offset = (d.month - fy_start) % 3
    return add_months(date(d.year, d.month, 1), -offset)


def period_for(key: str, today: date, fy_start_month: int = 1) -> Period:
    """The period named `key` around `today`; unknown keys fall back to this quarter."""
    if key == "this_month":
        start = date(today.year, today.month, 1)
        return Period(key, start, add_months(start, 1))
    if key == "this_year":
        back = (today.month - fy_start_month) % 12
        start = add_months(date(today.year, today.month, 1), -back)
        return Period(key, start, add_months(start, 12))
    start = _quarter_start(today, fy_start_month)
    if key == "last_quarter":
        return Period(key, add_months(start, -3), start)
    return Period("this_quarter", start, add_months(start, 3))
