"""Money amounts in Chinese text → yuan (pure; no I/O).

Handles 五十万, 50万, 八十万左右, 一百五十万元, 1.2亿, 二十万人民币, 1,200元, 五十多万, ¥300000, 3w.
A bare number without a money unit (两百多家, 三十个校区) is never an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|[{_CN_DIGITS}]+亿[{_CN_DIGITS}]+(?=万)|[{_CN_DIGITS}]+(?:点[{_CN_DIGITS}]+)?)"
_AMOUNT_RE = re.compile(
    rf"(?P<cur>[¥￥]\s*|RMB\s*|人民币\s*)?"
    rf"(?P<num>{_NUM})"
    rf"(?P<more>多|来|余)?"
    rf"(?P<unit>千万|百万|十万|万|亿|千|[wW](?![a-zA-Z]))?"
    rf"(?P<tail>元人民币|块钱|元|块|人民币|RMB|美元|美金)?"
    rf"(?P<approx>左右|上下|出头)?"
)
_MONEY_HINT = re.compile(r"[万亿元块¥￥wW千]|RMB|人民币|美金")
_UNIT = {
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "万": 10**4,
    "亿": 10**8,
    "千": 10**3,
    "w": 10**4,
    "W": 10**4,
}
_APPROX_BEFORE = ("大概", "大约", "差不多", "估计", "预计", "约")


@dataclass(frozen=True)
class Amount:
    """One money mention: `value` in `currency` units, where it sits in the text, and whether it is approximate."""

    value: float
    text: str
    start: int
    end: int
    approximate: bool = False
    currency: str = "CNY"


def parse_number(token: str) -> float | None:
    """'50' / '1,200' / '1.2' / '一百二十' / '两百' / '三点五' → float; None when it is not a number."""
    token = token.replace(",", "")
    if not token:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    try:
        return float(cn2an.cn2an(token.replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in `text`, in order. Needs a money unit (万/亿/元/块/¥…) to count."""
    out: list[Amount] = []
    if not _MONEY_HINT.search(text):
        return out
    for m in _AMOUNT_RE.finditer(text):
        unit, tail, cur = m.group("unit"), m.group("tail"), m.group("cur")
        if not (unit or tail or cur):
            continue
        if unit == "千" and not tail and not cur:
            continue  # 三千 alone is too often a count
        if "亿" in m.group("num"):  # 一亿二千万: parse the whole phrase
            num, mult = parse_number(m.group("num") + (unit or "")), 1
        else:
            num, mult = parse_number(m.group("num")), _UNIT.get(unit or "", 1)
        if num is None or num <= 0:
            continue
        value = num * mult
        currency = "USD" if tail in ("美元", "美金") else "CNY"
        before = text[max(0, m.start() - 4) : m.start()]
        approximate = bool(m.group("more") or m.group("approx")) or any(w in before for w in _APPROX_BEFORE)
        out.append(
            Amount(
                value=round(value, 2),
                text=m.group(0).strip(),
                start=m.start(),
                end=m.end(),
                approximate=approximate,
                currency=currency,
            )
        )
    return out


def parse_amount(text: str) -> float | None:
    """The first CNY amount in `text` in yuan, or None."""
    for a in find_amounts(text):
        if a.currency == "CNY":
            return a.value
    return None
