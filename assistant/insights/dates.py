"""Chinese relative and absolute date expressions → calendar dates, against a reference day (pure).

Week convention: weeks start on Monday. On Monday 2026-11-23: 这周五 = 2026-11-27, 下周三 = 2026-12-02,
下个月底 = 2026-12-31. A bare 周四 / 8号 / 三月 means the next one that is not in the past.
Vague spans (下个月初, 一月中旬, 下周) resolve to one day (`day`) plus the span they cover (`first`..`last`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from pypinyin import lazy_pinyin

from assistant.insights.amounts import parse_number

_CN = "零〇一二两三四五六七八九十"
_N = rf"(?:\d{{1,4}}|[{_CN}]{{1,3}})"
_WD = "(?P<wd>[一二三四五六日天1-7])"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY.update({str(i + 1): i for i in range(7)})
_WEEK = r"(?:周|星期|礼拜)"
# part of a month: 初/上旬 (1-10), 中旬/中 (11-20), 下旬 (21-end), 底/末 (last day)
_PART = r"(?P<part>初|上旬|中旬|下旬|中|底|末)"


@dataclass(frozen=True)
class DateMention:
    """One resolved date expression: the day meant, the span it covers, and where it is in the text."""

    day: date
    first: date
    last: date
    text: str
    start: int
    end: int

    @property
    def is_range(self) -> bool:
        return self.first != self.last


def _num(tok: str) -> int | None:
    v = parse_number(tok)
    return int(v) if v is not None and v == int(v) else None


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _month_part(y: int, m: int, part: str | None) -> tuple[date, date, date]:
    """(day, first, last) for a part of a month; no part = the whole month, day = its last day."""
    end = _last_day(y, m)
    if part in ("初", "上旬"):
        return date(y, m, 1), date(y, m, 1), date(y, m, 10)
    if part in ("中旬", "中"):
        return date(y, m, 15), date(y, m, 11), date(y, m, 20)
    if part == "下旬":
        return date(y, m, 25), date(y, m, 21), end
    if part in ("底", "末"):
        return end, end, end
    return end, date(y, m, 1), end


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _rel_day(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    word = m.group(0)
    offs = {"今天": 0, "今日": 0, "当天": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
    d = ref + timedelta(days=offs[word])
    return d, d, d


def _week_day(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    pre, wd = m.group("pre") or "", _WEEKDAY[m.group("wd")]
    mon = _monday(ref)
    if pre.startswith("下下"):
        d = mon + timedelta(weeks=2, days=wd)
    elif pre.startswith("下"):
        d = mon + timedelta(weeks=1, days=wd)
    elif pre in ("这", "本", "这个", "本个"):
        d = mon + timedelta(days=wd)
    else:  # bare 周四: the coming one (today counts)
        d = mon + timedelta(days=wd)
        if d < ref:
            d += timedelta(weeks=1)
    return d, d, d


def _week(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    pre = m.group("pre")
    k = 2 if pre.startswith("下下") else 1 if pre.startswith("下") else 0
    mon = _monday(ref) + timedelta(weeks=k)
    first = max(mon, ref)
    return mon + timedelta(days=4), first, mon + timedelta(days=6)


def _rel_month(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    pre = m.group("pre") or ""
    k = 2 if pre.startswith("下下") else 1 if pre.startswith("下") else 0
    y, mo = _add_months(ref.year, ref.month, k)
    part = m.group("part")
    if not pre and part in ("初", "上旬") and ref.day > 10:  # 月初 said late in a month: next month's
        y, mo = _add_months(ref.year, ref.month, 1)
    return _month_part(y, mo, part)


def _year_end(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    pre, part = m.group("pre"), m.group("part")
    y = ref.year + (1 if pre in ("明", "下") else 0)
    if part == "初":
        y = y if pre else y + 1  # 年初 said this year means next year's
        return date(y, 1, 10), date(y, 1, 1), date(y, 1, 31)
    d = date(y, 12, 31)
    return d, d, d


def _abs_date(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    ytok, mtok, dtok, part = m.group("y"), m.group("m"), m.group("d"), m.group("part")
    yp = m.group("yp")
    mo = _num(mtok) if mtok else None
    day = _num(dtok) if dtok else None
    if mo is not None and not 1 <= mo <= 12:
        return None
    if ytok:
        y = _num(ytok)
        if y is None:
            return None
        y = y + 2000 if y < 100 else y
    elif yp:
        y = ref.year + {"今": 0, "明": 1, "后": 2}[yp[0]]
    else:
        y = ref.year
    if mo is None:  # bare 8号: this month, or next month when past
        if day is None or not 1 <= day <= 31:
            return None
        mo = ref.month
        if day < ref.day:
            y, mo = _add_months(y, mo, 1)
        try:
            d = date(y, mo, day)
        except ValueError:
            return None
        return d, d, d
    if not ytok and not yp and mo < ref.month:
        y += 1  # 三月 said in December: next year's
    if day is not None:
        try:
            d = date(y, mo, day)
        except ValueError:
            return None
        return d, d, d
    return _month_part(y, mo, part)


def _iso(m: re.Match[str], ref: date) -> tuple[date, date, date] | None:
    try:
        d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return d, d, d


_ABS = re.compile(
    rf"(?:(?P<y>\d{{4}}|[{_CN}]{{4}})年|(?P<yp>今年|明年|后年))?(?:(?P<m>{_N})月份?)(?:(?P<d>{_N})[号日]|{_PART}(?:旬)?)?"
)
_BARE_DAY = re.compile(
    rf"(?<![月\d{_CN}])(?P<y>)(?P<yp>)(?P<m>)(?P<d>\d{{1,2}}|[{_CN}]{{1,3}})[号](?P<part>)"
)
_REL_DAY = re.compile(r"大后天|后天|明天|明日|今天|今日|当天")
_WEEK_DAY = re.compile(rf"(?P<pre>下下个?|下个?|这个?|本)?{_WEEK}{_WD}")
_WEEK_ONLY = re.compile(rf"(?P<pre>下下个?|下个?|这个?|本){_WEEK}(?![一二三四五六日天1-7])")
_REL_MONTH = re.compile(rf"(?P<pre>下下个?|下个?|这个?|本)?月{_PART}")
_YEAR_END = re.compile(r"(?P<pre>今|明|下)?年(?P<part>底|末|初)")
_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")

_TRIGGER = re.compile(r"[天日周期拜月号年]|\d[-/.]\d")
_MATCHERS = [
    (_ISO, _iso),
    (_ABS, _abs_date),
    (_BARE_DAY, _abs_date),
    (_WEEK_DAY, _week_day),
    (_WEEK_ONLY, _week),
    (_REL_MONTH, _rel_month),
    (_YEAR_END, _year_end),
    (_REL_DAY, _rel_day),
]


_HEARD_PART = re.compile(r"月(?P<p>[\u4e00-\u9fff]{2})")
_PART_SOUNDS = {"shang": "上旬", "zhong": "中旬", "xia": "下旬"}


def _heard_parts(text: str) -> str:
    """Speech recognisers mishear 中旬 as 终许 / 中需: after 月, two characters that sound like
    上旬/中旬/下旬 (first syllable the same, second xu, xun or xuan) read as that part.
    The text keeps its length, so match offsets still point into the original."""
    def fix(m: re.Match[str]) -> str:
        a, b = lazy_pinyin(m.group("p"))
        part = _PART_SOUNDS.get(a)
        if part and m.group("p") != part and re.fullmatch(r"x(u|un|uan)", b):
            return "月" + part
        return m.group(0)

    return _HEARD_PART.sub(fix, text) if "月" in text else text


def find_dates(text: str, ref: date) -> list[DateMention]:
    """Every date expression in `text`, resolved against `ref` (the call's local date), in order."""
    if not _TRIGGER.search(text):
        return []
    said, text = text, _heard_parts(text)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for rx, fn in _MATCHERS:
        for m in rx.finditer(text):
            s, e = m.span()
            if e == s or any(s < te and ts < e for ts, te in taken):
                continue
            res = fn(m, ref)
            if res is None:
                continue
            taken.append((s, e))
            out.append(DateMention(day=res[0], first=res[1], last=res[2], text=said[s:e], start=s, end=e))
    return sorted(out, key=lambda d: d.start)


def resolve_date(text: str, ref: date) -> date | None:
    """The first date expression in `text` resolved against `ref`, or None."""
    found = find_dates(text, ref)
    return found[0].day if found else None
