"""Periods: a half-open date range with a label and a grain, the calendar arithmetic that builds them, and
Chinese/English number words (pure; no imports from other rooms). `retrieval.timeparse` reads them from text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "仨": 3, "俩": 2}  # 仨/俩: three/two of something (仨销售)
NUM = r"(?:\d+|[零〇一二两三四五六七八九十]+)"
_EN_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12}
MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december"]


def zh_number(tok: str) -> int | None:
    """'30' → 30, '三十' → 30, '十二' → 12, '二〇二五' → 2025, 'five' → 5."""
    tok = tok.strip().lower()
    if tok.isdigit():
        return int(tok)
    if tok in _EN_NUMS:
        return _EN_NUMS[tok]
    if not tok or any(ch not in _ZH_DIGITS and ch != "十" for ch in tok):
        return None
    if "十" not in tok:
        return int("".join(str(_ZH_DIGITS[ch]) for ch in tok))
    tens, _, ones = tok.partition("十")
    t = _ZH_DIGITS.get(tens, 1) if tens else 1
    o = _ZH_DIGITS.get(ones, 0) if ones else 0
    return t * 10 + o


class Period(BaseModel):
    """A half-open date range [start, end) with a human label."""

    start: date
    end: date
    label: str
    grain: str = "custom"  # day|week|month|quarter|half|year|custom

    def contains(self, d: date) -> bool:
        return self.start <= d < self.end


@dataclass
class Match:
    period: Period
    span: tuple[int, int]


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def quarter_period(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    return Period(start=start, end=add_months(start, 3), label=f"{year}年Q{q}", grain="quarter")


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start=start, end=add_months(start, 1), label=f"{year}年{month}月", grain="month")


def year_period(year: int) -> Period:
    return Period(start=date(year, 1, 1), end=date(year + 1, 1, 1), label=f"{year}年", grain="year")


def half_period(year: int, h: int) -> Period:
    start = date(year, 1 if h == 1 else 7, 1)
    return Period(start=start, end=add_months(start, 6), label=f"{year}年{'上' if h == 1 else '下'}半年", grain="half")


def week_period(monday: date) -> Period:
    return Period(start=monday, end=monday + timedelta(days=7), label=f"{monday.isoformat()}起一周", grain="week")


def last_n(today: date, n: int, unit: str) -> Period:
    end = today + timedelta(days=1)
    if unit == "day":
        start, label = end - timedelta(days=n), f"近{n}天"
    elif unit == "week":
        start, label = end - timedelta(days=7 * n), f"近{n}周"
    elif unit == "month":  # a rolling month is 30 days: 近一个月 = 近30天, last 3 months = last 90 days
        start, label = end - timedelta(days=30 * n), f"近{n}个月"
    else:
        start, label = date(end.year - n, end.month, min(end.day, 28)), f"近{n}年"
    return Period(start=start, end=end, label=label, grain="custom")


def recent_period(today: date, days: int) -> Period:
    """What a bare 最近 / 近期 / 'lately' means when no period is named: the last `days` days, today included."""
    end = today + timedelta(days=1)
    return Period(start=end - timedelta(days=days), end=end, label=f"最近（近{days}天）", grain="custom")


def year_of(tok: str | None, today: date) -> int:
    if not tok:
        return today.year
    if tok in ("今年", "本年", "this year"):
        return today.year
    if tok in ("去年", "上年", "last year"):
        return today.year - 1
    if tok in ("前年",):
        return today.year - 2
    n = zh_number(tok.rstrip("年").strip())
    if n is None:
        return today.year
    return n + 2000 if n < 100 else n


def previous_period(p: Period) -> Period:
    """The period just before (环比): the previous month, quarter, half, year or a same-length window."""
    if p.grain in ("month", "quarter", "half", "year"):
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[p.grain]
        start = add_months(p.start, -months)
        return Period(start=start, end=p.start, label=f"上期（{start.isoformat()}起）", grain=p.grain)
    length = p.end - p.start
    return Period(start=p.start - length, end=p.start, label=f"上期（{(p.start - length).isoformat()}起）",
                  grain=p.grain)


def year_ago(p: Period) -> Period:
    """The same period one year earlier (同比)."""
    def back(d: date) -> date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)
    return Period(start=back(p.start), end=back(p.end), label=f"去年同期（{back(p.start).isoformat()}起）",
                  grain=p.grain)
