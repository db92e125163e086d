"""Due dates from a message, Chinese or English, against the user's local today (pure).

Chinese goes through the insights parser (`assistant.insights.dates`), plus 'N天后/N周后';
English covers today/tomorrow, (next|this) <weekday>, in N days/weeks, by <Month> <day>, ISO dates,
end of the month/week.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from assistant.insights.amounts import parse_number
from assistant.insights.dates import find_dates

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD_RX = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?"
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "ten": 10, "couple of": 2, "few": 3}


def _wd_index(tok: str) -> int:
    return next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(tok[:3].lower()))


def _num(tok: str) -> int | None:
    tok = tok.strip().lower()
    if tok in _NUM_WORDS:
        return _NUM_WORDS[tok]
    v = parse_number(tok)
    return int(v) if v is not None and v == int(v) else None


_EN_N = r"(\d+|a|an|one|two|three|four|five|six|seven|ten|a couple of|a few)"


def _after(base: date, count: str, unit: str) -> date:
    n = _num(count.replace("a couple of", "couple of").replace("a few", "few")) or 1
    if unit == "day":
        return base + timedelta(days=n)
    if unit == "week":
        return base + timedelta(weeks=n)
    y, mo = divmod(base.month - 1 + n, 12)
    return date(base.year + y, mo + 1, min(base.day, calendar.monthrange(base.year + y, mo + 1)[1]))


def _english(text: str, today: date) -> date | None:
    t = text.lower()
    monday = today - timedelta(days=today.weekday())
    if m := re.search(rf"\b{_EN_N}\s+(day|week|month)s?\s+(?:from|after)\s+(today|now|tomorrow)\b", t):
        return _after(today + timedelta(days=1 if m[3] == "tomorrow" else 0), m[1], m[2])  # "a week from today"
    if m := re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if re.search(r"\bday after tomorrow\b", t):
        return today + timedelta(days=2)
    if re.search(r"\b(tomorrow|tmr|tmrw)\b", t):
        return today + timedelta(days=1)
    if re.search(r"\b(today|tonight|this evening|eod)\b", t):
        return today
    if m := re.search(rf"\b{_WD_RX}\s+(?:of\s+)?next\s+week\b", t):  # "Friday next week"
        return monday + timedelta(weeks=1, days=_wd_index(m[1]))
    if m := re.search(rf"\bnext\s+{_WD_RX}\b", t):
        return monday + timedelta(weeks=1, days=_wd_index(m[1]))
    if m := re.search(rf"\b(?:this\s+|on\s+|by\s+)?{_WD_RX}\b", t):
        d = monday + timedelta(days=_wd_index(m[1]))
        return d if d >= today else d + timedelta(weeks=1)
    if m := re.search(rf"\bin\s+{_EN_N}\s+(day|week|month)s?\b", t):
        return _after(today, m[1], m[2])
    if m := re.search(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", t):
        mo, day = _MONTHS[m[1][:3]], int(m[2])
        y = today.year + (1 if mo < today.month else 0)
        try:
            return date(y, mo, day)
        except ValueError:
            return None
    if m := re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)", t):
        mo, day = _MONTHS[m[2][:3]], int(m[1])
        y = today.year + (1 if mo < today.month else 0)
        try:
            return date(y, mo, day)
        except ValueError:
            return None
    if re.search(r"\bend of (the )?month\b", t):
        return date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    if re.search(r"\bend of (the )?week\b", t):
        return monday + timedelta(days=4)
    if re.search(r"\bnext week\b", t):
        return monday + timedelta(weeks=1)
    return None


_CN_N = r"(\d+|[一二两三四五六七八九十半]+)"
_AFTER = re.compile(rf"{_CN_N}\s*(天|日|周|个星期|星期|个礼拜|个月)(?:之?后|以后)")


def _chinese_offset(text: str, today: date) -> tuple[date, int] | None:
    m = _AFTER.search(text)
    if not m:
        return None
    n = 0.5 if m[1] == "半" else _num(m[1])
    if n is None:
        return None
    unit = m[2]
    if unit in ("天", "日"):
        return today + timedelta(days=int(n)), m.start()
    if unit == "个月":
        return today + timedelta(days=int(30 * n)), m.start()
    return today + timedelta(days=int(7 * n)), m.start()


_COLLOQUIAL_RX = re.compile(r"(?<=[今明后])儿")  # 明儿/今儿/后儿 → 明天/…: same length, so positions hold


def _normalise(text: str) -> str:
    return _COLLOQUIAL_RX.sub("天", text)


def resolve_due(text: str, today: date) -> date | None:
    """The first date the message names, or None."""
    text = _normalise(text)
    found = find_dates(text, today)
    offset = _chinese_offset(text, today)
    if offset and (not found or offset[1] < found[0].start):
        return offset[0]
    if found:
        return found[0].day
    return _english(text, today)


def strip_dates(text: str, today: date) -> str:
    """The message with its Chinese date expressions removed (for task titles)."""
    out = text
    for d in sorted(find_dates(_normalise(text), today), key=lambda d: -d.start):
        out = out[: d.start] + out[d.end :]
    return _AFTER.sub("", out)
