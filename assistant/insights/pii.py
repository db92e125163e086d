"""PII masking before text leaves for an external LLM: phones, e-mails, ID-card and bank-card numbers.

`mask` replaces each value with a stable placeholder ([手机1], [邮箱1], …) and returns the mapping;
`unmask` puts the originals back into any JSON-like value (the result the LLM returns).
"""

from __future__ import annotations

import re
from typing import Any

# order matters: longer digit runs first so a bank card is not read as a phone
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("邮箱", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    (
        "身份证",
        re.compile(
            r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])"
        ),
    ),
    ("银行卡", re.compile(r"(?<!\d)(?:\d{4}[ -]?){3,4}\d{1,4}(?!\d)")),
    ("手机", re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")),
    ("电话", re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")),
]


def mask(text: str) -> tuple[str, dict[str, str]]:
    """(masked text, placeholder → original). The same value always gets the same placeholder."""
    mapping: dict[str, str] = {}
    reverse: dict[str, str] = {}
    counts: dict[str, int] = {}
    for label, rx in _PATTERNS:

        def sub(m: re.Match[str], label: str = label) -> str:
            val = m.group(0)
            if label == "银行卡" and len(re.sub(r"\D", "", val)) < 16:
                return val
            if val not in reverse:
                counts[label] = counts.get(label, 0) + 1
                ph = f"[{label}{counts[label]}]"
                reverse[val] = ph
                mapping[ph] = val
            return reverse[val]

        text = rx.sub(sub, text)
    return text, mapping


def unmask(value: Any, mapping: dict[str, str]) -> Any:
    """Originals back into strings, lists and dicts."""
    if not mapping:
        return value
    if isinstance(value, str):
        for ph, orig in mapping.items():
            value = value.replace(ph, orig)
        return value
    if isinstance(value, list):
        return [unmask(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: unmask(v, mapping) for k, v in value.items()}
    return value
