"""Faster searches for the parser's large alternations: `compile_fast` puts a pattern behind a lookahead for the
characters its matches can start with, `(?=[…])(?:pattern)`.

Python's engine tries a pattern at every position of the text. A large alternation whose branches begin with
`\\b`, an optional word or a lookbehind gives it no first character to skip by, so every branch is tried at every
position; the lookahead rejects most positions with one set test. The guard only adds a condition every match
already meets (each match is non-empty and starts with one of the characters), so the matches, their spans and
their groups are unchanged. A pattern that may match the empty string, is case-insensitive, or starts in a way the
reader below does not follow (a category such as `\\w`, a wide class, a back-reference) is compiled as it is.
Measured on the question sets: the frame's state patterns search 3-10x faster on Chinese questions and 1.5-3x on
English ones (`benchmarks/ask_parse_time.py`).
"""

from __future__ import annotations

import re
from typing import Any

try:  # CPython's regex parser (3.11+); without it patterns are compiled as they are
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    P = C = None

MAX_FIRST = 160  # a guard of more first characters than this rejects too little to pay for itself
_First = tuple[frozenset[str], bool]  # the characters a match can start with; whether it may be empty


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, behind a first-character lookahead when one is known (see the module)."""
    chars = first_chars(pattern, flags)
    if chars is None or len(chars) > MAX_FIRST:
        return re.compile(pattern, flags)
    cls = "".join(sorted("\\" + c if c in "\\]^-[" else c for c in chars))
    try:
        return re.compile(f"(?=[{cls}])(?:{pattern})", flags)
    except re.error:  # e.g. a global inline flag, which must open the pattern
        return re.compile(pattern, flags)


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters every match of `pattern` starts with; None when unknown or when it may match empty."""
    if P is None or flags & re.IGNORECASE:
        return None
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    got = _seq(list(parsed))
    if got is None or got[1] or not got[0]:
        return None
    return got[0]


def _seq(items: list[tuple[Any, Any]]) -> _First | None:
    out: set[str] = set()
    for op, av in items:
        got = _node(op, av)
        if got is None:
            return None
        out |= got[0]
        if not got[1]:
            return frozenset(out), False
    return frozenset(out), True


def _node(op: Any, av: Any) -> _First | None:
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset(), True  # zero-width: what follows decides (a lookahead can only narrow it)
    if op is C.LITERAL:
        return frozenset(chr(av)), False
    if op is C.IN:
        return _charset(av)
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _seq(list(body))
    if op is C.BRANCH:
        out: set[str] = set()
        empty = False
        for alt in av[1]:
            got = _seq(list(alt))
            if got is None:
                return None
            out |= got[0]
            empty = empty or got[1]
        return frozenset(out), empty
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, _hi, body = av
        got = _seq(list(body))
        return None if got is None else (got[0], got[1] or lo == 0)
    return None  # ANY, NOT_LITERAL, categories, group references: no small first set


def _charset(items: Any) -> _First | None:
    out: set[str] = set()
    for o, a in items:
        if o is C.LITERAL:
            out.add(chr(a))
        elif o is C.RANGE and a[1] - a[0] < MAX_FIRST:
            out.update(chr(c) for c in range(a[0], a[1] + 1))
        else:
            return None  # a negated class, a category (\d and \s match Unicode digits and spaces too), a wide range
    return frozenset(out), False
