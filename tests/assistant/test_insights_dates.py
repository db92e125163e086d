"""Chinese date expressions resolved against the call day (weeks start on Monday)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.insights.dates import _heard_parts, find_dates, resolve_date

MON = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("下周三", date(2026, 12, 2)),
        ("这周五", date(2026, 11, 27)),
        ("下个月底", date(2026, 12, 31)),
        ("这周五之前", date(2026, 11, 27)),
        ("后天", date(2026, 11, 25)),
        ("明天上午", date(2026, 11, 24)),
        ("今天", MON),
        ("月底", date(2026, 11, 30)),
        ("下个月初", date(2026, 12, 1)),
        ("十二月八号", date(2026, 12, 8)),
        ("12月8日", date(2026, 12, 8)),
        ("一月中旬", date(2027, 1, 15)),
        ("年底前", date(2026, 12, 31)),
        ("三月底之前", date(2027, 3, 31)),
        ("周四前", date(2026, 11, 26)),
        ("下周一", date(2026, 11, 30)),
        ("下下周二", date(2026, 12, 8)),
        ("星期天", date(2026, 11, 29)),
        ("8号", date(2026, 12, 8)),
        ("二十五号", date(2026, 11, 25)),
        ("2027-01-05", date(2027, 1, 5)),
        ("明年三月", date(2027, 3, 31)),
    ],
)
def test_resolves_against_monday(text: str, day: date) -> None:
    assert resolve_date(text, MON) == day


def test_bare_weekday_in_the_past_means_next_week() -> None:
    wed = date(2026, 11, 25)
    assert resolve_date("周四前", wed) == date(2026, 11, 26)
    assert resolve_date("周一", wed) == date(2026, 11, 30)


def test_spans_carry_their_range() -> None:
    (m,) = find_dates("下个月初给答复", MON)
    assert (m.first, m.last) == (date(2026, 12, 1), date(2026, 12, 10)) and m.is_range
    (w,) = find_dates("下周", MON)
    assert (w.first, w.last) == (date(2026, 11, 30), date(2026, 12, 6))


@pytest.mark.parametrize("text", ["上周我们聊过", "两百多家", "一个月", "我们十几个人"])
def test_no_false_dates(text: str) -> None:
    assert find_dates(text, MON) == []


def test_offsets_point_at_the_words() -> None:
    text = "我会在这周五之前发给您"
    (m,) = find_dates(text, MON)
    assert text[m.start : m.end] == "这周五"


def test_misheard_month_part_from_asr() -> None:
    ref = date(2026, 11, 24)
    found = find_dates("我们希望在春节前上线，1月终许要定下来", ref)
    assert [(d.day, d.text) for d in found] == [(date(2027, 1, 15), "1月终许")]
    assert find_dates("一月下寻", ref)[0].first == date(2027, 1, 21)
    assert _heard_parts("三月中心开业，五月上海见") == "三月中心开业，五月上海见"  # not 中旬 / 上旬
