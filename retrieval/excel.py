"""Questions written as spreadsheet formulas ('=SUMIFS(close_value, stage, "Won", close_date, ">=1/1/2017", close_date,
"<4/1/2017")', '=COUNTIFS(活动类型,"拜访", 活动日期, ">="&TODAY()-29)'): the functions become the words the parser reads
(sum, count, avg), and the date criteria a period it reads (2017-01-01到2017-03-31, 近30天). Run on the lower-cased
question before the pseudo-SQL reader."""

from __future__ import annotations

import re
from datetime import date, timedelta

_FUNCS = re.compile(r"=?\s*\b(sumifs?|countifs?|averageifs?|sum|count|average)\s*\(")
_FUNC_WORDS = {"sumif": "sum(", "sumifs": "sum(", "countif": "count(", "countifs": "count(", "averageif": "avg(",
               "averageifs": "avg(", "sum": "sum(", "count": "count(", "average": "avg("}
DAY = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|今天|today\(\)|today)"
# a pair of criteria on one column: ">=A" … "<B" or "<=B" (the column between them is whatever it is)
_RANGE = re.compile(rf'"\s*>=?\s*({DAY})\s*"[^"]{{0,30}}?"\s*(<=?)\s*({DAY})\s*"')
_SINCE_TODAY = re.compile(r'">=?"\s*&\s*today\(\)\s*-\s*(\d+)')
_MON_YY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-(\d{2})\b")


def day(s: str) -> date | None:
    s = s.strip()
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s):
        y, mo, d = (int(x) for x in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s):
        mo, d, y = (int(x) for x in m.groups())
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def day_range(start_s: str, end_s: str, end_excluded: bool) -> str | None:
    """Two written days as the range the period reader reads ('2017-01-01到2017-03-31', '2026-01-01到今天'); an
    excluded end ('<4/1/2017', '[a, b)') ends the day before. None when either is no day."""
    start = day(start_s)
    if start is None:
        return None
    if end_s.startswith(("今天", "today")):
        return f" {start.isoformat()}到今天 "
    end = day(end_s)
    if end is None:
        return None
    if end_excluded:
        end -= timedelta(days=1)
    return f" {start.isoformat()}到{end.isoformat()} "


def _range(m: re.Match[str]) -> str:
    return day_range(m.group(1), m.group(3), m.group(2) == "<") or m.group(0)


def excel(t: str) -> str:
    """`t` with spreadsheet functions and date criteria in words; unchanged when it has none."""
    t = _FUNCS.sub(lambda m: " " + _FUNC_WORDS[m.group(1)], t)
    t = _RANGE.sub(_range, t)
    t = _SINCE_TODAY.sub(lambda m: f" 近{int(m.group(1)) + 1}天 ", t)
    return _MON_YY.sub(r"\1 '\2", t)
