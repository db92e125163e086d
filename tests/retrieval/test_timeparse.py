"""Period expressions, Chinese and English, against a fixed today."""

from __future__ import annotations

from datetime import date

import pytest

from retrieval.timeparse import find_period, previous_period, year_ago

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("本季度华东区的赢单率", "2026-10-01", "2027-01-01"),
    ("上个月回款最多的客户", "2026-10-01", "2026-11-01"),
    ("今年以来成交额", "2026-01-01", "2026-11-28"),
    ("近30天拜访次数", "2026-10-29", "2026-11-28"),
    ("最近三个月", "2026-08-30", "2026-11-28"),
    ("2025年Q3的赢单率", "2025-07-01", "2025-10-01"),
    ("2025年第三季度", "2025-07-01", "2025-10-01"),
    ("25年Q3", "2025-07-01", "2025-10-01"),
    ("Q3赢单率", "2026-07-01", "2026-10-01"),
    ("三季度", "2026-07-01", "2026-10-01"),
    ("上半年", "2026-01-01", "2026-07-01"),
    ("今年头半年", "2026-01-01", "2026-07-01"),
    ("2017年7–9月", "2017-07-01", "2017-10-01"),  # an en dash
    ("从今年1月1号一直到今天为止", "2026-01-01", "2026-11-28"),
    ("去年", "2025-01-01", "2026-01-01"),
    ("上季度", "2026-07-01", "2026-10-01"),
    ("5月份", "2026-05-01", "2026-06-01"),
    ("win rate this quarter", "2026-10-01", "2027-01-01"),
    ("bookings last month", "2026-10-01", "2026-11-01"),
    ("YTD bookings", "2026-01-01", "2026-11-28"),
    ("bookings in 2017", "2017-01-01", "2018-01-01"),
    ("Q2 2017 win rate", "2017-04-01", "2017-07-01"),
    ("in March 2017", "2017-03-01", "2017-04-01"),
    ("first half of 2017", "2017-01-01", "2017-07-01"),
    ("the last 90 days", "2026-08-30", "2026-11-28"),
    ("the past 3 months", "2026-08-30", "2026-11-28"),
    ("最近一个月", "2026-10-29", "2026-11-28"),
    ("win rate for Q3 2025", "2025-07-01", "2025-10-01"),
    ("this qtr", "2026-10-01", "2027-01-01"),
    ("last qtr", "2026-07-01", "2026-10-01"),
    ("上一季度", "2026-07-01", "2026-10-01"),
    ("last yr", "2025-01-01", "2026-01-01"),
    ("17年全年", "2017-01-01", "2018-01-01"),
    ("17年3月", "2017-03-01", "2017-04-01"),
    ("年初到现在", "2026-01-01", "2026-11-28"),
    ("so far this year", "2026-01-01", "2026-11-28"),
    ("2017 H1 bookings", "2017-01-01", "2017-07-01"),
    ("2017 bookings", "2017-01-01", "2018-01-01"),
    ("bookings 2017-03", "2017-03-01", "2017-04-01"),
    ("December, 2017", "2017-12-01", "2018-01-01"),
    ("近两个季度", "2026-06-01", "2026-11-28"),
    ("从1月1号到现在的成交额", "2026-01-01", "2026-11-28"),
    ("自2025年7月1日以来的回款", "2025-07-01", "2026-11-28"),
    ("9月1日至今", "2026-09-01", "2026-11-28"),
    ("bookings since march 15", "2026-03-15", "2026-11-28"),
    ("from 1 march 2017 to date", "2017-03-01", "2026-11-28"),
    ("11月3号的成交额", "2026-11-03", "2026-11-04"),
    ("2017-12-03", "2017-12-03", "2017-12-04"),
    ("bookings on Dec 3 2017", "2017-12-03", "2017-12-04"),
    ("the 3rd of december", "2026-12-03", "2026-12-04"),
    ("11月1日到15日的回款", "2026-11-01", "2026-11-16"),
    ("10月20日至11月5日", "2026-10-20", "2026-11-06"),
    ("上上个月的回款", "2026-09-01", "2026-10-01"),
    ("上上季度", "2026-04-01", "2026-07-01"),
    ("bookings two months ago", "2026-09-01", "2026-10-01"),
    ("3个月前的成交额", "2026-08-01", "2026-09-01"),
    ("a quarter ago", "2026-07-01", "2026-10-01"),
    ("前三季度的成交额", "2026-01-01", "2026-10-01"),
    ("去年前两个季度", "2025-01-01", "2025-07-01"),
    ("the first three quarters of 2017", "2017-01-01", "2017-10-01"),
    ("近半年的新客户", "2026-06-01", "2026-11-28"),
    ("collections in the past half year", "2026-06-01", "2026-11-28"),
    ("10月以来的成交额", "2026-10-01", "2026-11-28"),
    ("10月份到现在", "2026-10-01", "2026-11-28"),
    ("bookings since October", "2026-10-01", "2026-11-28"),
    ("from october through today", "2026-10-01", "2026-11-28"),
    ("# of lost deals in Mar '17", "2017-03-01", "2017-04-01"),
    ("July to September 2017", "2017-07-01", "2017-10-01"),
    ("bookings jan-mar 2017", "2017-01-01", "2017-04-01"),
    ("from march 1 to june 30", "2026-03-01", "2026-07-01"),
    ("the first six months of 2017", "2017-01-01", "2017-07-01"),
    ("今年前六个月一共赢了几单", "2026-01-01", "2026-07-01"),
    ("2025年的前九个月", "2025-01-01", "2025-10-01"),
    ("q4 of last year", "2025-10-01", "2026-01-01"),
    ("今年第三季的 forecast 准确率", "2026-07-01", "2026-10-01"),
    ("前六个月的成交额", "2026-06-01", "2026-11-28"),  # without a year: the rolling window
    ("december's bookings against november", "2026-12-01", "2027-01-01"),
    ("ytd业绩", "2026-01-01", "2026-11-28"),
    ("bookings for the second quarter of 2017", "2017-04-01", "2017-07-01"),
    ("opened between january and march 2017", "2017-01-01", "2017-04-01"),
    ("this year jul to sep, how many deals we won?", "2026-07-01", "2026-10-01"),
    ("last year, from march to june", "2025-03-01", "2025-07-01"),
    ("won between july 1 and september 30, 2017", "2017-07-01", "2017-10-01"),
    ("from 1 july to 30 september 2017", "2017-07-01", "2017-10-01"),
    ("between 1 july and 30 september 2017", "2017-07-01", "2017-10-01"),
    ("2026年头六个月", "2026-01-01", "2026-07-01"),
    ("今年头两个季度", "2026-01-01", "2026-07-01"),
    # a day range whose end names its own year, or the year's end
    ("2025年1月1日至2025年12月31日期间", "2025-01-01", "2026-01-01"),
    ("2024年12月1日到2025年1月31日", "2024-12-01", "2025-02-01"),
    ("自2026年1月1日起至本年末", "2026-01-01", "2027-01-01"),
    ("3月1日到年底", "2026-03-01", "2027-01-01"),
])
def test_periods(text: str, start: str, end: str) -> None:
    m = find_period(text, TODAY)
    assert m is not None, text
    assert (m.period.start.isoformat(), m.period.end.isoformat()) == (start, end)


def test_periods_that_are_not_days_or_ranges_stay_as_they_were() -> None:
    assert find_period("march 2017", TODAY).period.grain == "month"  # type: ignore[union-attr]
    assert find_period("近4个季度", TODAY).period.start.isoformat() == "2025-12-03"  # type: ignore[union-attr]
    assert find_period("2月30日", TODAY) is None  # no such day


def test_spoken_numbers_from_voice_input() -> None:
    from retrieval.timeparse import spoken_numbers

    assert spoken_numbers("win rate for q four twenty seventeen") == "win rate for q4 2017"
    assert spoken_numbers("booked over the last ninety days") == "booked over the last 90 days"
    assert spoken_numbers("bookings in two thousand seventeen") == "bookings in 2017"
    assert spoken_numbers("which one is best") == "which one is best"  # small numbers stay words
    assert spoken_numbers("the same quarter one year ago") == "the same quarter one year ago"  # not Q1
    m = find_period(spoken_numbers("so how many deals did we win in q three twenty seventeen"), TODAY)
    assert m is not None and (m.period.start.isoformat(), m.period.end.isoformat()) == ("2017-07-01", "2017-10-01")


def test_names_are_not_months() -> None:
    assert find_period("Melvin Marxen's team win rate", TODAY) is None
    assert find_period("what may we win", TODAY) is None


def test_comparison_periods() -> None:
    q = find_period("本季度", TODAY).period  # type: ignore[union-attr]
    assert (previous_period(q).start, previous_period(q).end) == (date(2026, 7, 1), date(2026, 10, 1))
    assert (year_ago(q).start, year_ago(q).end) == (date(2025, 10, 1), date(2026, 1, 1))
    d = find_period("近30天", TODAY).period  # type: ignore[union-attr]
    assert (previous_period(d).end - previous_period(d).start).days == 30
