"""Money amounts in Chinese → yuan."""

from __future__ import annotations

import pytest

from assistant.insights.amounts import find_amounts, parse_amount


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("五十万", 500_000),
        ("50万", 500_000),
        ("八十万左右", 800_000),
        ("一百五十万元", 1_500_000),
        ("1.2亿", 120_000_000),
        ("二十万人民币", 200_000),
        ("一百二十万", 1_200_000),
        ("两百万以内", 2_000_000),
        ("一亿二千万", 120_000_000),
        ("¥300,000", 300_000),
        ("1,200元", 1_200),
        ("3w块", 30_000),
        ("三点五万", 35_000),
    ],
)
def test_amounts_in_yuan(text: str, yuan: float) -> None:
    assert parse_amount(text) == yuan


@pytest.mark.parametrize(
    "text", ["两百多家经销商", "三十多个校区", "十二月二十号左右", "下周三下午两点", "三千"]
)
def test_counts_and_dates_are_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_approximate_and_offsets() -> None:
    text = "预算大概是五十万，八十万左右也行"
    a, b = find_amounts(text)
    assert a.approximate and b.approximate
    assert text[a.start : a.end] == a.text == "五十万"


def test_foreign_currency_is_flagged() -> None:
    (a,) = find_amounts("十万美元")
    assert a.currency == "USD" and parse_amount("十万美元") is None
