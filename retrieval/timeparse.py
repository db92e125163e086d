"""Chinese and English period expressions → half-open date ranges (pure; no imports from other rooms).

`find_period(text, today)` recognises 本季度, 上个月, 今年以来, 近30天, 2025年Q3, Q3, 上半年, this quarter,
last month, YTD, in 2025, … and returns the period with the span it matched. `previous_period` and
`year_ago` give the ranges for 环比 and 同比. Ranges are [start, end): `end` is the first day after.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from retrieval.periods import MONTHS_EN as _MONTHS_EN
from retrieval.periods import NUM as NUM
from retrieval.periods import Match as Match
from retrieval.periods import Period as Period
from retrieval.periods import add_months as add_months
from retrieval.periods import half_period as _half
from retrieval.periods import last_n as _last_n
from retrieval.periods import month_period as _month
from retrieval.periods import month_start as month_start
from retrieval.periods import previous_period as previous_period
from retrieval.periods import quarter_period as _quarter
from retrieval.periods import quarter_start as quarter_start
from retrieval.periods import recent_period as recent_period
from retrieval.periods import week_period as _week
from retrieval.periods import year_ago as year_ago
from retrieval.periods import year_of as _year_of
from retrieval.periods import year_period as _year
from retrieval.periods import zh_number as zh_number
from retrieval.rx_fast import compile_fast
from retrieval.rx_prefilter import Triggers, always, bits
from retrieval.timeparse_rules import RULES as _RULES
from retrieval.timeparse_rules import TRIGGERS as _TRIGGERS

if len(_TRIGGERS) != len(_RULES):
    raise RuntimeError("timeparse_rules: TRIGGERS needs one entry per rule in RULES")
_COMPILED = [(compile_fast(rx, re.IGNORECASE), kind) for rx, kind in _RULES]
# The same rules without IGNORECASE (~2x faster) for lower-case text: no rule has an upper-case literal
# outside [Qq]/[Hh], and only ı and ſ are lower-case yet match an ASCII letter under IGNORECASE.
_PLAIN = [(compile_fast(rx, 0), kind) for rx, kind in _RULES]
# the rules each trigger word can start (a rule is tried only if one of its words occurs in the text), as
# bit i for rule i; rules without trigger words are always tried
_TRIGGER_SETS = [None if t is None else frozenset(t) for t in _TRIGGERS]
_BY_TRIGGER, _ALWAYS = Triggers.of(_TRIGGER_SETS), always(_TRIGGER_SETS)
_CASEFOLD_ODD = compile_fast("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K match i/s/k under IGNORECASE but lower() keeps them


def _period(kind: str, g: dict[str, str | None], today: date) -> Period | None:
    if kind == "zh_quarter":
        q = g.get("q") or g.get("q2") or g.get("q3") or "1"
        qn = zh_number(q) or 1
        return _quarter(_year_of(g.get("y"), today), qn)
    if kind == "zh_half":
        return _half(_year_of(g.get("y"), today), 1 if g["h"] in ("上", "头") else 2)
    if kind == "zh_month_range":
        m1, m2 = _month_no(g["m1"]), _month_no(g["m2"])
        if not m1 or not m2 or not 1 <= m1 <= m2 <= 12:
            return None
        year = _year_of(g.get("y"), today)
        start = date(year, m1, 1)
        return Period(start=start, end=add_months(date(year, m2, 1), 1), label=f"{year}年{m1}-{m2}月", grain="custom")
    if kind == "zh_month":
        m = zh_number(g["m"] or "")
        if not m or not 1 <= m <= 12:
            return None
        return _month(_year_of(g.get("y"), today), m)
    if kind == "ytd":
        return Period(start=date(today.year, 1, 1), end=today + timedelta(days=1), label=f"{today.year}年初至今",
                      grain="custom")
    if kind == "this_quarter":
        p = _quarter(today.year, (today.month - 1) // 3 + 1)
        return p.model_copy(update={"label": f"本季度（{p.label}）"})
    if kind == "last_quarter":
        s = add_months(quarter_start(today), -3)
        p = _quarter(s.year, (s.month - 1) // 3 + 1)
        return p.model_copy(update={"label": f"上季度（{p.label}）"})
    if kind == "this_month":
        p = _month(today.year, today.month)
        return p.model_copy(update={"label": f"本月（{p.label}）"})
    if kind == "last_month":
        s = add_months(month_start(today), -1)
        p = _month(s.year, s.month)
        return p.model_copy(update={"label": f"上月（{p.label}）"})
    if kind == "this_week":
        return _week(today - timedelta(days=today.weekday()))
    if kind == "last_week":
        return _week(today - timedelta(days=today.weekday() + 7))
    if kind in ("zh_last_n", "en_last_n"):
        n, unit = zh_number(g.get("n") or "") or 1, _unit(g["u"] or "day")
        if unit == "quarter":
            n, unit = 3 * n, "month"
        return _last_n(today, n, unit)
    if kind == "today":
        return Period(start=today, end=today + timedelta(days=1), label=f"今天（{today.isoformat()}）", grain="day")
    if kind == "yesterday":
        y = today - timedelta(days=1)
        return Period(start=y, end=today, label=f"昨天（{y.isoformat()}）", grain="day")
    if kind == "year":
        ytok = g.get("y") or g.get("y2") or g.get("y3") or g.get("y4") or g.get("y5")
        return _year(_year_of(ytok, today))
    if kind == "this_year":
        return _year(today.year)
    if kind == "last_year":
        return _year(today.year - 1)
    if kind == "en_quarter":
        yl = g.get("yl")
        year = _year_of(g.get("y") or g.get("y2") or (yl.lower() if yl else None), today)
        ordinal = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get((g.get("qo") or "").lower())
        return _quarter(year, ordinal or int((g.get("q") or g.get("q2") or g.get("qo") or "1")[:1]))
    if kind == "en_half":
        h = 1 if (g.get("h") or "").lower() == "first" or "1" in (g.get("h2"), g.get("h3"), g.get("h4")) else 2
        htok = g.get("y") or g.get("y2") or g.get("y3") or g.get("y4")
        return _half(_year_of(htok.lower() if htok else None, today), h)
    if kind in _DAY_KINDS:
        return _DAY_KINDS[kind](g, today)
    if kind == "en_month":
        return _month(_year_of(g.get("y") or g.get("y2"), today), _month_no(g["m"] or "jan") or 1)
    return None


def _month_no(tok: str | None) -> int | None:
    """'10' / '十' / 'oct' / 'October' → 10."""
    if not tok:
        return None
    if tok[:1].isascii() and tok[:1].isalpha():
        return next((i for i, name in enumerate(_MONTHS_EN, start=1) if name.startswith(tok.lower()[:3])), None)
    return zh_number(tok)


def _day(year: int, m: int | None, d: int | None) -> date | None:
    try:
        return date(year, m or 0, d or 0)
    except ValueError:
        return None


def _one_day(g: dict[str, str | None], today: date) -> Period | None:
    day = _day(_year_of(g.get("y") or g.get("y2"), today), _month_no(g.get("m") or g.get("mn") or g.get("mn2")),
               zh_number(g.get("d") or g.get("d2") or ""))
    return None if day is None else Period(start=day, end=day + timedelta(days=1), label=day.isoformat(), grain="day")


def _day_range(g: dict[str, str | None], today: date) -> Period | None:
    year, m1 = _year_of(g.get("y"), today), _month_no(g.get("m"))
    start = _day(year, m1, zh_number(g.get("d") or ""))
    if g.get("ye"):  # to the year's end
        last = _day(year, 12, 31)
    else:
        y2 = g.get("y2")
        last = _day(int(y2) if y2 else year, _month_no(g.get("m2")) or m1, zh_number(g.get("d2") or ""))
    if start is None or last is None or last < start:
        return None
    return Period(start=start, end=last + timedelta(days=1), label=f"{start.isoformat()}至{last.isoformat()}",
                  grain="custom")


def _unit(u: str) -> str:
    """天/day, 周/星期/week, 月/month, 季度/quarter, 年/year → day, week, month, quarter, year."""
    u = u.lower()
    return ("day" if u in ("天", "日", "day") else "quarter" if "季" in u or u == "quarter"
            else "week" if "周" in u or "星期" in u or u == "week" else "year" if u in ("年", "year") else "month")


def _back(today: date, n: int, unit: str) -> Period:
    """The calendar month / quarter / week / year n units before the current one."""
    if unit == "month":
        s = add_months(month_start(today), -n)
        return _month(s.year, s.month)
    if unit == "quarter":
        s = add_months(quarter_start(today), -3 * n)
        return _quarter(s.year, (s.month - 1) // 3 + 1)
    if unit == "week":
        return _week(today - timedelta(days=today.weekday() + 7 * n))
    return _year(today.year - n)


def _before_last(g: dict[str, str | None], today: date) -> Period | None:
    return _back(today, 2, _unit(g.get("u") or "月"))


def _ago(g: dict[str, str | None], today: date) -> Period | None:
    tok = g.get("n") or "1"
    n = 1 if tok == "a" else zh_number(tok)
    return None if not n or n > 60 else _back(today, n, _unit(g.get("u") or "月"))


def _first_quarters(g: dict[str, str | None], today: date) -> Period:
    n = zh_number(g.get("n") or "") or (zh_number(g.get("m3") or "") or 9) // 3
    year = _year_of((g.get("y") or g.get("y2") or "").lower() or None, today)
    return Period(start=date(year, 1, 1), end=date(year, 3 * n + 1, 1), label=f"{year}年前{n}季度", grain="custom")


def _half_year(g: dict[str, str | None], today: date) -> Period:
    return _last_n(today, 6, "month").model_copy(update={"label": "近半年"})


def _to_today(start: date | None, today: date) -> Period | None:
    """From `start` to today, inclusive (1 January of this year reads as 今年以来)."""
    if start is None:
        return None
    if start == date(today.year, 1, 1):
        return _period("ytd", {}, today)
    return Period(start=start, end=today + timedelta(days=1), label=f"{start.isoformat()}至今", grain="custom")


def _since_month(g: dict[str, str | None], today: date) -> Period | None:
    return _to_today(_day(_year_of(g.get("y"), today), _month_no(g.get("m") or g.get("mn")), 1), today)


def _since_day(g: dict[str, str | None], today: date) -> Period | None:
    """From a named day (this year unless a year is given) to today, inclusive."""
    return _to_today(_day(_year_of(g.get("y"), today), _month_no(g.get("m") or g.get("m2")),
                          zh_number(g.get("d") or g.get("d2") or "")), today)


_DAY_KINDS = {"zh_day": _one_day, "en_day": _one_day, "zh_day_range": _day_range, "before_last": _before_last,
              "ago": _ago, "first_quarters": _first_quarters, "half_year": _half_year, "since_month": _since_month,
              "since_day": _since_day}


# a bare 'recently' with no period named ('最近的赢单率', '近期回款', 'win rate lately'); not 最近一次/一笔 (the latest
# one) nor 'most recent'. The parser reads it as the last N days (Settings.ask_recent_days)
RECENT = compile_fast(r"最近(?!\s*[一1]?\s*[次笔单])|近期|近来|近段时间|这段时间|这阵子|这一阵|"
                    r"(?<!most )\brecent(?:ly)?\b|\blately\b|\bthese days\b|\bof late\b")


def find_period(text: str, today: date) -> Match | None:
    """The first (longest at that position) period expression in `text`, or None."""
    best: tuple[int, int, str, re.Match[str]] | None = None
    low = None if _CASEFOLD_ODD.search(text) else text.lower()
    rules = _PLAIN if low == text else _COMPILED
    if low is None:
        tried: Iterable[int] = range(len(rules))
    else:  # only the rules one of whose words occurs, in rule order (ties go to the earlier rule)
        tried = bits(_ALWAYS | _BY_TRIGGER.mask(low))
    for i in tried:
        rx, kind = rules[i]
        for m in rx.finditer(text):
            if kind == "en_month" and m.group(0).lower().strip(".") in ("may", "mar") and not (m.group("y") or m.group("y2")):
                continue  # 'may' is usually the verb; 'mar' rarely a month without a year
            if m.end() == m.start():
                continue
            lead = len(m.group(0)) - len(m.group(0).lstrip())  # optional-prefix rules may start on a space
            cand = (m.start() + lead, m.end(), kind, m)
            if best is None or (cand[0], -(cand[1] - cand[0])) < (best[0], -(best[1] - best[0])):
                best = cand
    if best is None:
        return None
    period = _period(best[2], best[3].groupdict(), today)
    if period is None:
        return None
    return Match(period=period, span=(best[0], best[1]))


_ONES = {w: i for i, w in enumerate(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"], start=1)}
_TEENS = {w: i for i, w in enumerate(["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                       "seventeen", "eighteen", "nineteen"], start=10)}
_TENS = {w: i * 10 for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                          "ninety"], start=2)}
_W = "|".join
_SPOKEN_YEAR = compile_fast(rf"\b(?:twenty|two thousand(?: and)?)[ -](?P<teen>{_W(_TEENS)})\b|"
                          rf"\btwenty[ -]twenty(?:[ -](?P<one>{_W(_ONES)}))?\b|\btwo thousand(?: and)? (?P<one2>{_W(_ONES)})\b")
_SPOKEN_QUARTER = compile_fast(r"\b(?:q|quarter)[ -]?(?P<q>one|two|three|four)\b(?![ -](?:years?|months?|weeks?|days?|quarters?)\b)")
_SPOKEN_COUNT = compile_fast(rf"\b(?P<n>(?:{_W(_TENS)})(?:[ -](?:{_W(_ONES)}))?|{_W(_TEENS)}|(?:a |one )?hundred)"
                           r"(?=\s+(?:days?|weeks?|months?|quarters?|years?)\b)")


def _spoken_int(words: str) -> int:
    parts = words.replace("-", " ").split()
    if parts[-1] == "hundred":
        return 100
    return sum(_TENS.get(p, 0) + _TEENS.get(p, 0) + _ONES.get(p, 0) for p in parts)


def spoken_numbers(text: str) -> str:
    """Spoken English numbers as voice input writes them, in digits: 'Q three twenty seventeen' → 'q3 2017',
    'the last ninety days' → 'the last 90 days' (lower-case text; counts only before a time unit)."""
    if not text.isascii() and not any(w in text for w in ("twenty", "two thousand", "q ", "quarter", "ty ", "teen")):
        return text

    def year(m: re.Match[str]) -> str:
        if m.group("teen"):
            return str(2000 + _TEENS[m.group("teen")])
        return str(2020 + _ONES.get(m.group("one") or "", 0) if m.group("one2") is None else 2000 + _ONES[m.group("one2")])

    text = _SPOKEN_YEAR.sub(year, text)
    text = _SPOKEN_QUARTER.sub(lambda m: f"q{_ONES[m.group('q')]}", text)
    return _SPOKEN_COUNT.sub(lambda m: str(_spoken_int(m.group("n"))), text)

