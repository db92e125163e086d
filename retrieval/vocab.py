"""The vocabulary a question is linked against: entities and ambiguities found, the per-database `Vocab`
of the CRM's own values (folded to lower case and Simplified characters) and its lookup `Index`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opencc import OpenCC

from retrieval.t2s_keys import CHARS, PHRASES

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Entity:
    dimension: str
    value: str
    span: tuple[int, int]
    text: str
    manager_team: str | None = None  # a manager's name stands for their team


@dataclass
class Ambiguity:
    text: str
    options: list[tuple[str, str]]  # (dimension, value)
    span: tuple[int, int]


_T2S = OpenCC("t2s")
_KEY_CHARS = frozenset(CHARS)
_PHRASES_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _p in PHRASES:
    _PHRASES_BY_FIRST[_p[0]] = (*_PHRASES_BY_FIRST.get(_p[0], ()), _p)


def converts(text: str) -> bool:
    """Whether OpenCC's t2s could change `text`: it holds one of its dictionaries' keys (`t2s_keys`). A text
    without one converts to itself, so the conversion (slow to start on a cold cache) is skipped."""
    if not _KEY_CHARS.isdisjoint(text):
        return True
    first = _PHRASES_BY_FIRST
    return any(text.startswith(p, i) for i, c in enumerate(text) if c in first for p in first[c])


def fold(text: str) -> str:
    """Lower case and Simplified characters (華東 → 华东): how questions and the CRM's names are compared."""
    low = text.lower()
    return low if low.isascii() or not converts(low) else _T2S.convert(low)


@dataclass
class Vocab:
    terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # lower term → [(dim, value)]
    managers: dict[str, str] = field(default_factory=dict)  # display name → team name
    teams: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    ascii_terms: list[str] = field(default_factory=list)
    account_prefix: dict[str, set[int]] = field(default_factory=dict)
    account_short: dict[str, set[int]] = field(default_factory=dict)  # two-character core name → accounts
    account_name: dict[int, str] = field(default_factory=dict)
    loaded_at: float = 0.0
    index: Index | None = None  # built from the fields above on first use (`index_of`)
    signature: tuple[object, ...] = ()
    checked_at: float = 0.0

    def add(self, term: str, dim: str, value: str) -> None:
        key = fold(term)
        if not key.strip():
            return
        entries = self.terms.setdefault(key, [])
        if (dim, value) not in entries:
            entries.append((dim, value))


@dataclass
class Index:
    """Lookups derived from a `Vocab` once, so linking a question does not scan every term."""

    size: tuple[int, ...]
    rank: dict[str, int]  # term → position in longest-first order (the order `link` tries terms in)
    by_first2: dict[str, list[str]]  # first two characters → terms of length ≥ 2
    by_char: dict[str, list[str]]  # the one-character terms
    account_heads: set[str]  # first three characters of every account key
    industries: list[str]
    product_prefixes: list[tuple[str, list[str]]]  # a shared word prefix of ≥ 2 products → those products
    region_rx: list[tuple[str, str, re.Pattern[str]]]  # (region, lower name, '华东(的)(那个)?组' pattern)


def _size(v: Vocab) -> tuple[int, ...]:
    return (len(v.terms), len(v.account_prefix), len(v.products), len(v.regions), len(v.teams))


def index_of(v: Vocab) -> Index:
    """`v`'s lookup index, rebuilt when terms, accounts, products, regions or teams were added."""
    size = _size(v)
    if v.index is not None and v.index.size == size:
        return v.index
    ordered = sorted(v.terms, key=len, reverse=True)
    by_first2: dict[str, list[str]] = {}
    by_char: dict[str, list[str]] = {}
    for t in ordered:
        (by_first2.setdefault(t[:2], []) if len(t) >= 2 else by_char.setdefault(t, [])).append(t)
    prefixes: dict[str, set[str]] = {}
    for p in v.products:
        words = fold(p).split()
        for k in range(2, len(words)):
            prefixes.setdefault(" ".join(words[:k]), set()).add(p)
    v.index = Index(
        size=size, rank={t: i for i, t in enumerate(ordered)}, by_first2=by_first2, by_char=by_char,
        account_heads={k[:3] for k in v.account_prefix if len(k) >= 3},
        industries=sorted({val for opts in v.terms.values() for d, val in opts if d == "industry"}),
        product_prefixes=[(pre, sorted(prods)) for pre, prods in prefixes.items() if len(prods) >= 2],
        region_rx=[(r, fold(r), re.compile(re.escape(fold(r)) + r"(?:的)?(?:那个|这个|那|这)?(?:组|团队|小组)")) for r in v.regions])
    return v.index


def terms_in(text: str, idx: Index) -> list[str]:
    """Every term that occurs in `text`, in longest-first order: a term of ≥ 2 characters starts with a
    two-character slice of the text, so only those terms are searched for."""
    cands: set[str] = set()
    for i in range(len(text)):
        if (one := idx.by_char.get(text[i])) is not None:
            cands.update(one)
        if (two := idx.by_first2.get(text[i:i + 2])) is not None:
            cands.update(t for t in two if text.startswith(t, i))
    return sorted(cands, key=idx.rank.__getitem__)


def is_ascii(s: str) -> bool:
    return not CJK.search(s)


def spans_free(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return all(e <= a or s >= b for a, b in taken)


ASCII_WORD = re.compile(r"[a-z][a-z']{4,}")
