"""Literal prefilters for the parser's phrase patterns: a pattern is searched only when the text holds one of
the strings that every match of it must contain.

`required(pattern)` reads the pattern with Python's own regex parser and returns literal strings such that
any match contains at least one of them (or None when it cannot tell: the pattern then always runs). A
sequence needs what any one of its parts needs (the most selective part is kept); an alternation needs what
one of its branches needs; a repeat needs its body only when it repeats at least once; a run of literal
characters is one string. The search itself is unchanged, so a prefilter can only skip searches that would
have found nothing. Case-insensitive patterns get no prefilter (the parser lower-cases questions and uses
case-sensitive patterns except for texts with a dotless 'ı').
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

try:  # CPython's regex parser (3.11+); without it every pattern simply always runs
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    P = C = None

MAX_CLASS = 8  # a character class of more characters than this is no help as a prefilter
Req = frozenset[str]


def required(pattern: str, flags: int = 0) -> Req | None:
    """Literal strings one of which every match of `pattern` contains; None when unknown (or case-insensitive)."""
    if P is None or flags & re.IGNORECASE:
        return None
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):  # compiled (and reported) where the pattern is used
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    req = _seq(list(parsed))
    return req if req and all(req) else None


def _seq(items: Sequence[tuple[Any, Any]]) -> Req | None:
    """What a sequence needs: its literal runs and its parts' needs; the most selective one."""
    options: list[Req] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        part = _node(op, av)
        if part:
            options.append(part)
    if run:
        options.append(frozenset({"".join(run)}))
    return max(options, key=_selectivity, default=None)


def _selectivity(req: Req) -> tuple[int, int]:
    return min(len(s) for s in req), -len(req)


def _node(op: Any, av: Any) -> Req | None:
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & re.IGNORECASE else _seq(list(body))
    if op is C.BRANCH:
        return union(_seq(list(b)) for b in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, _hi, body = av
        return _seq(list(body)) if lo >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(list(av))
    if op is C.IN:
        if all(o is C.LITERAL for o, _v in av) and len(av) <= MAX_CLASS:
            return frozenset(chr(v) for _o, v in av)
        return None
    return None  # ANY, NOT_LITERAL, AT (\b), lookarounds, categories, group references: need nothing


def union(parts: Iterable[Req | None]) -> Req | None:
    out: set[str] = set()
    for p in parts:
        if not p:
            return None
        out |= p
    return frozenset(out)


def space_free(req: Req | None) -> Req | None:
    """`req` with each string cut to its longest space-free piece (a match still contains that piece, and
    blanking a text with spaces never makes one appear); None when a string is all spaces."""
    if req is None:
        return None
    out = set()
    for s in req:
        piece = max(s.split(), key=len, default="")
        if not piece:
            return None
        out.add(piece)
    return frozenset(out)


class Triggers:
    """Literal strings, each with a bit mask of what it allows (patterns, rules): `mask(text)` is the union of the
    masks of the strings that occur in `text`, in one pass over it. Strings of two or more characters are indexed by
    their first two (an English letter alone starts dozens of them), single characters by themselves."""

    def __init__(self, masks: dict[str, int]):
        one: dict[str, int] = {}
        two: dict[str, list[tuple[str, int]]] = {}
        for s, m in masks.items():
            if len(s) == 1:
                one[s] = one.get(s, 0) | m
            else:
                two.setdefault(s[:2], []).append((s, m))
        self._one = one
        self._two = {k: tuple(v) for k, v in two.items()}

    @classmethod
    def of(cls, reqs: Iterable[Req | None]) -> Triggers:
        """Bit i for the i-th prefilter (None ones get no bit: the caller always keeps those)."""
        masks: dict[str, int] = {}
        for i, req in enumerate(reqs):
            for s in req or ():
                masks[s] = masks.get(s, 0) | 1 << i
        return cls(masks)

    def mask(self, text: str) -> int:
        one, two, out = self._one, self._two.get, 0
        for i, c in enumerate(text):
            if c in one:
                out |= one[c]
            for s, m in two(text[i:i + 2], ()):
                if text.startswith(s, i):
                    out |= m
        return out


def always(reqs: Iterable[Req | None]) -> int:
    """The bits of the prefilters that are unknown (None): those patterns always run."""
    return sum(1 << i for i, req in enumerate(reqs) if req is None)


def bits(mask: int) -> Iterator[int]:
    """The set bits of `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
