"""Chinese and English period expressions → half-open date ranges (pure; no imports from other rooms).

`find_period(text, today)` recognises 本季度, 上个月, 今年以来, 近30天, 2025年Q3, Q3, 上半年, this quarter,
last month, YTD, in 2025, … and returns the period with the span it matched. `previous_period` and
`year_ago` give the ranges for 环比 and 同比. Ranges are [start, end): `end` is the first day after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"(?:\d+|[零〇一二两三四五六七八九十]+)"
_EN_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12}
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
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
    year_ago: bool = False  # the text also said 去年同期 / same period last year


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    return Period(start=start, end=add_months(start, 3), label=f"{year}年Q{q}", grain="quarter")


def _month(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start=start, end=add_months(start, 1), label=f"{year}年{month}月", grain="month")


def _year(year: int) -> Period:
    return Period(start=date(year, 1, 1), end=date(year + 1, 1, 1), label=f"{year}年", grain="year")


def _half(year: int, h: int) -> Period:
    start = date(year, 1 if h == 1 else 7, 1)
    return Period(start=start, end=add_months(start, 6), label=f"{year}年{'上' if h == 1 else '下'}半年", grain="half")


def _week(monday: date) -> Period:
    return Period(start=monday, end=monday + timedelta(days=7), label=f"{monday.isoformat()}起一周", grain="week")


def _last_n(today: date, n: int, unit: str) -> Period:
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


def _year_of(tok: str | None, today: date) -> int:
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


_YEAR = r"(?P<y>(?:\d{4}|[零〇一二三四五六七八九]{4})\s*年?|\d{2}\s*年|今年|去年|前年|本年|上年)?\s*的?"
_RULES: list[tuple[str, str]] = [
    # --- Chinese ---------------------------------------------------------------------------------
    (rf"{_YEAR}(?:第?(?P<q>[1-4一二三四])季度|[Qq](?P<q2>[1-4]))", "zh_quarter"),
    (rf"{_YEAR}(?P<h>上|下)半年", "zh_half"),
    (r"(?P<y>(?:\d{4}|[零〇一二三四五六七八九]{4}|(?<!\d)\d{2})\s*年|今年|去年|前年)?\s*(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?(?!底|初)", "zh_month"),
    (r"\b(?P<y>(?:19|20)\d{2})[-/.](?P<m>0?[1-9]|1[0-2])\b(?![-/.]\d)", "zh_month"),
    (r"(?:今年以来|年初至今|今年迄今|本年度至今|今年到现在|今年至今|(?:今年|本年度?)(?:截至|截止|到)(?:目前|现在|今天|当前)(?:为止)?|(?:截至|截止)(?:目前|现在|今天)(?:为止)?(?:的)?(?:今年|本年)|"
     r"年初(?:到|至)(?:现在|今|目前|今天)|年初以来|year[- ]to[- ]date|\bytd\b|so far this year|this year so far|"
     r"this year to date|since the (?:start|beginning) of (?:the|this) year|since january)", "ytd"),
    (r"(?:本|这个?|当|这一个?)季度?(?=[^度]|$)|本季|这个季度|(?:this|current|the current) (?:quarter|qtr)\b|\bqtd\b", "this_quarter"),
    (r"(?:上一?个?|前一个?)季度|上季|(?:last|previous|prior|past) (?:quarter|qtr)\b|the quarter before this one", "last_quarter"),
    (r"本月|这个月|当月|this month|current month|\bmtd\b", "this_month"),
    (r"上一?个?月|前一个月|(?:last|previous|prior) month", "last_month"),
    (r"本周|这周|这个星期|本星期|this week", "this_week"),
    (r"上周|上个?星期|上一周|last week|previous week", "last_week"),
    (rf"(?:近|最近|过去|前)\s*(?P<n>{NUM})\s*(?P<u>天|日|周|个?星期|个?季度|个?月|年)", "zh_last_n"),
    (r"(?:last|past|previous|trailing|in the last|in the past|over the last|over the past)\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[\s-]+(?P<u>day|week|month|quarter|year)s?", "en_last_n"),
    (r"(?:the\s+)?past\s+(?P<u>month|week|year)\b", "en_last_n"),
    (r"今天|今日|today", "today"),
    (r"昨天|昨日|yesterday", "yesterday"),
    (rf"{_YEAR}(?P<m1>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月?\s*(?:到|至|-|~|—|－)\s*(?P<m2>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月份?", "zh_month_range"),
    (r"(?P<y>\d{4}|[零〇一二三四五六七八九]{4}|(?<![\d近前])\d{2})\s*(?:年|全年|整年)(?:全年|整年|度)?|(?:in|for|during|fy)\s*(?P<y2>\d{4})\b|^(?P<y3>\d{4})\b|"
     r"\bfy\s*'?(?P<y4>\d{2})\b|(?<![\d.,$¥-])\b(?P<y5>(?:19|20)\d{2})\b(?![\d.,%-])", "year"),
    (r"今年|本年度?|(?:this|current|the current) (?:year|yr)\b|this fiscal year", "this_year"),
    (r"去年|上一?年度?|(?:last|previous|prior) (?:year|yr)\b|last fiscal year", "last_year"),
    # --- English quarters / halves / months ------------------------------------------------------
    (r"\b[Qq](?P<q>[1-4])(?:\s*(?:of\s+)?(?P<y>\d{4})|\s+(?P<yl>this year|last year))?\b", "en_quarter"),
    (r"\b(?P<y>\d{4})\s*[Qq](?P<q>[1-4])\b|\b[Qq](?P<q2>[1-4])\s*'(?P<y2>\d{2})\b", "en_quarter"),
    (r"\b(?:the\s+)?(?P<h>first|second)\s+half(?:\s+of)?(?:\s+(?P<y>\d{4}|this year|last year))?|\b[Hh](?P<h2>[12])(?:\s+(?P<y2>\d{4}))?\b|"
     r"\b(?P<y3>\d{4})\s*[Hh](?P<h3>[12])\b", "en_half"),
    (r"\b(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:,?\s+(?:of\s+)?(?P<y>\d{4}))?\b", "en_month"),
    # a day to today: 从1月1号到现在, 自2026年3月15日以来, 9月1日至今 (a lone day keeps its month reading)
    (rf"(?:从|自)?\s*{_YEAR}(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月\s*(?P<d>\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|"
     r"[一二三四五六七八九])\s*[日号]\s*(?:起|开始)?\s*(?:以来|至今|(?:到|至|截至|截止)(?:现在|今天|今日|目前|当前|今)(?:为止)?)",
     "since_day"),
    (r"\b(?:since|from)\s+(?:(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
     r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+"
     r"(?P<m2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
     r"dec(?:ember)?))(?:,?\s+(?P<y>\d{4}))?(?:\s+(?:to|until|till)\s+(?:date|today|now))?(?![\w-])(?!\s+(?:to|until|till|-)\s+\w)",
     "since_day"),
]
# Text every match of each rule contains (checked in the lower-cased text first; None: always try the rule).
_MONTHS3 = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TRIGGERS: list[tuple[str, ...] | None] = [
    ("季度", "q"), ("半年",), ("月",), ("-", "/", "."), ("年", "ytd", "year", "january"),
    ("季", "quarter", "qtr", "qtd"), ("季", "quarter", "qtr"), ("月", "month", "mtd"), ("月", "month"),
    ("周", "星期", "week"), ("周", "星期", "week"), ("近", "过去", "前"), ("day", "week", "month", "quarter", "year"),
    ("past",), ("今天", "今日", "today"), ("昨天", "昨日", "yesterday"), ("月",), None,
    ("今年", "本年", "year", "yr"), ("去年", "上年", "上一年", "year", "yr"),
    ("q",), ("q",), ("h",), _MONTHS3, ("月",), ("since", "from"),
]
_TRIGGER_SETS = [None if t is None else frozenset(t) for t in _TRIGGERS]
_ALL_TRIGGERS = sorted({w for t in _TRIGGERS if t for w in t})
_COMPILED = [(re.compile(rx, re.IGNORECASE), kind, trig) for (rx, kind), trig in zip(_RULES, _TRIGGER_SETS, strict=True)]
# The same rules without IGNORECASE (~2x faster) for lower-case text: no rule has an upper-case literal
# outside [Qq]/[Hh], and only ı and ſ are lower-case yet match an ASCII letter under IGNORECASE.
_PLAIN = [(re.compile(rx, 0), kind, trig) for (rx, kind), trig in zip(_RULES, _TRIGGER_SETS, strict=True)]
_CASEFOLD_ODD = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K match i/s/k under IGNORECASE but lower() keeps them
_SAME_PERIOD = re.compile(r"去年同期|上年同期|same period last year", re.I)
_YEAR_AGO = re.compile(r"去年同期|上年同期|同比|same period last year|year[- ]over[- ]year|\byoy\b|vs\.? last year", re.I)


def _period(kind: str, g: dict[str, str | None], today: date) -> Period | None:
    if kind == "zh_quarter":
        q = g.get("q") or g.get("q2") or "1"
        qn = zh_number(q) or 1
        return _quarter(_year_of(g.get("y"), today), qn)
    if kind == "zh_half":
        return _half(_year_of(g.get("y"), today), 1 if g["h"] == "上" else 2)
    if kind == "zh_month_range":
        m1, m2 = zh_number(g["m1"] or ""), zh_number(g["m2"] or "")
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
        n = zh_number(g.get("n") or "") or 1
        u = (g["u"] or "day").lower()
        if "季" in u or u == "quarter":
            n, u = 3 * n, "month"
        unit = ("day" if u in ("天", "日", "day") else "week" if "周" in u or "星期" in u or u == "week"
                else "month" if "月" in u or u == "month" else "year")
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
        return _quarter(year, int(g.get("q") or g.get("q2") or 1))
    if kind == "en_half":
        h = 1 if (g.get("h") or "").lower() == "first" or "1" in (g.get("h2"), g.get("h3")) else 2
        htok = g.get("y") or g.get("y2") or g.get("y3")
        return _half(_year_of(htok.lower() if htok else None, today), h)
    if kind == "since_day":
        return _since_day(g, today)
    if kind == "en_month":
        m = next(i for i, name in enumerate(_MONTHS_EN, start=1) if name.startswith((g["m"] or "jan").lower()[:3]))
        return _month(_year_of(g.get("y"), today), m)
    return None


def _since_day(g: dict[str, str | None], today: date) -> Period | None:
    """From a named day (this year unless a year is given) to today, inclusive."""
    mtok, dtok = g.get("m") or g.get("m2") or "", g.get("d") or g.get("d2") or ""
    if mtok[:1].isascii() and mtok[:1].isalpha():
        m: int | None = next(i for i, name in enumerate(_MONTHS_EN, start=1) if name.startswith(mtok.lower()[:3]))
    else:
        m = zh_number(mtok)
    d = zh_number(dtok)
    try:
        start = date(_year_of(g.get("y"), today), m or 0, d or 0)
    except ValueError:
        return None
    if start == date(today.year, 1, 1):
        return _period("ytd", {}, today)
    return Period(start=start, end=today + timedelta(days=1), label=f"{start.isoformat()}至今", grain="custom")


def find_period(text: str, today: date) -> Match | None:
    """The first (longest at that position) period expression in `text`, or None."""
    best: tuple[int, int, str, re.Match[str]] | None = None
    low = None if _CASEFOLD_ODD.search(text) else text.lower()
    present = None if low is None else {t for t in _ALL_TRIGGERS if t in low}
    for rx, kind, trig in _PLAIN if low == text else _COMPILED:
        if trig is not None and present is not None and trig.isdisjoint(present):
            continue  # the rule cannot match: none of its words occurs
        for m in rx.finditer(text):
            if kind == "en_month" and m.group(0).lower().strip(".") in ("may", "mar") and not m.group("y"):
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
    year_ago = bool(_SAME_PERIOD.search(text))
    return Match(period=period, span=(best[0], best[1]), year_ago=year_ago)


def mentions_year_ago(text: str) -> bool:
    return bool(_YEAR_AGO.search(text))


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
