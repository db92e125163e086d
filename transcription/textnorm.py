"""Text normalisation: Traditional → Simplified, Arabic digits for amounts and dates, CER helpers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cn2an
from opencc import OpenCC

_NUM = "零〇一二两三四五六七八九十百千"
# A Chinese numeral directly followed by a money, magnitude or calendar unit: 五十万, 一百二十万元, 十二月八号.
_AMOUNT_RE = re.compile(rf"(?<![{_NUM}])([零〇一二两三四五六七八九十][{_NUM}]*)(?=万|亿|元|块|月|号|日|%|年)")
_PUNCT_RE = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional (or mixed) Chinese → Simplified; Whisper base sometimes drifts into Traditional."""
    return _t2s().convert(text) if text else text


def _convert_numeral(match: re.Match[str]) -> str:
    numeral = match.group(1)
    end = match.end(1)
    unit = match.string[end : end + 1]
    if unit == "年" and not any(c in numeral for c in "十百千"):
        return "".join(str("零一二三四五六七八九".index(c)) if c in "零一二三四五六七八九" else "0" for c in numeral)
    if unit == "月" and numeral in {"两", "几"}:  # 两月 is not a month number
        return numeral
    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError):
        return numeral
    return str(int(value)) if float(value).is_integer() else str(value)


def arabic_amounts(text: str) -> str:
    """五十万 → 50万, 一百二十万 → 120万, 十二月二十号 → 12月20号; leaves 一次, 一二线, 下周三 alone."""
    return _AMOUNT_RE.sub(_convert_numeral, text)


def clean_segment_text(text: str) -> str:
    """What every segment goes through: NFKC width fix-ups kept for CJK punctuation, t2s, digits."""
    text = to_simplified(text.strip())
    text = text.replace(",", "，").replace("?", "？").replace("!", "！") if _mostly_cjk(text) else text
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)
    return arabic_amounts(text)


def _mostly_cjk(text: str) -> bool:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return cjk > 0 and cjk >= 0.5 * sum(1 for c in text if c.isalpha())


def cer_normalize(text: str) -> str:
    """Form used to score CER: Simplified, digits for amounts, no punctuation or spaces, lowercase."""
    text = arabic_amounts(to_simplified(unicodedata.normalize("NFKC", text))).lower()
    text = "".join(c for c in text if not unicodedata.category(c).startswith(("P", "S", "Z", "C")))
    return _PUNCT_RE.sub("", text)


def cer(reference: str, hypothesis: str) -> tuple[float, int, int]:
    """Character error rate (edits / reference length) after `cer_normalize`; returns (cer, edits, n)."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = cer_normalize(reference), cer_normalize(hypothesis)
    edits = Levenshtein.distance(ref, hyp)
    return (edits / max(1, len(ref)), edits, len(ref))
