"""Questions written in mathematical notation ('|W|/(|W|+|L|)', 'Σ amount over won deals', '∀ region R: …',
'argmax_r', '|{opportunities : created ∈ Q1 2017}|', 'closed_at ∈ [2026-01-01, 2026-07-01)'): the symbols become the
words the parser reads (w ÷ (w + l), sum, each, the highest one, count(…), in, a date range). Run on the
lower-cased question; a question without any of the symbols is returned as it is."""

from __future__ import annotations

import re

from retrieval.entities import CJK
from retrieval.excel import DAY, day_range

HINTS = frozenset("|∀Σσ∑∈∧⊆∩")
_CARD_SET = re.compile(r"\|\s*\{")  # |{ … }| is the size of a set
_CARD_END = re.compile(r"\}\s*\|")
_CARD = re.compile(r"\|\s*([a-z])(?:_\{?[^|{}\s]+\}?)?\s*\|")  # |W_r| → w
_DIV = re.compile(r"(?<=\b[a-z])\s*/\s*(?=\(|[a-z]\b)")  # w/(w+l), s/o: a ratio of the two sets' sizes
_SUM_OVER = re.compile(r"[Σσ∑]\s*_\{([^}]*)\}")
_APPLY = re.compile(r"\b([a-z]{2,})\s*\(\s*[a-z]\s*\)")  # due(t) → due
_FORALL = re.compile(r"∀\s*([^\s,，:：∈]+)(?:\s+[a-z](?:_\w+)?\b)?")
_ARG = re.compile(r"\barg(max|min)(?![a-z])(?:\s*_\{?[^\s,，:：?？]+\}?)?(?:\s+over\s+[a-z ]+?\s+[a-z](?:_\w+)?\b)?")
_VAR = re.compile(r"(?<![a-z])([a-z])_(?:\{[^}]*\}|[a-z]+)")  # S_r, O_a: the set's letter
_INTERVAL = re.compile(rf"\[\s*({DAY})\s*[,，]\s*({DAY})\s*([\])])")


def _interval(m: re.Match[str]) -> str:
    return day_range(m.group(1), m.group(2), m.group(3) == ")") or m.group(0)  # [a, b) ends the day before b


def notation(t: str) -> str:
    """`t` with set and sum notation in words."""
    zh = bool(CJK.search(t))
    t = _CARD_END.sub(" ) ", _CARD_SET.sub(" count( ", t))
    t = _DIV.sub(" ÷ ", _CARD.sub(r"\1", t))
    t = _SUM_OVER.sub(lambda m: f" {m.group(1)} 的 sum ", t).replace("Σ", " sum ").replace("σ", " sum ").replace("∑", " sum ")
    t = _FORALL.sub(lambda m: f" 每个{m.group(1)} " if zh else f" for each {m.group(1)} ", t)
    t = _ARG.sub(lambda m: (" 最高的那一个 " if m.group(1) == "max" else " 最低的那一个 ") if zh
                 else (" just the highest one " if m.group(1) == "max" else " just the lowest one "), t)
    t = _INTERVAL.sub(_interval, _APPLY.sub(r"\1", t))
    t = _VAR.sub(r"\1", t)
    return t.replace("∈", " in ").replace("∧", " and ").replace("⊆", " within ").replace("∩", " and ")
