"""Pinyin-based correction of names the CRM knows (our products, competitors, the call's contacts).

Whisper base hears 云启科技 as 云起科技 and 纷享销客 as 分享销客: the sound is right, the characters
are not. For every known name we look for a stretch of the transcript with the same toneless
pinyin and put the name's characters in. Common words are never overwritten (拥有 is not 用友):
a stretch that is itself a frequent dictionary word is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
COMMON_WORD_FREQ = 50  # jieba frequency above which a stretch counts as an ordinary word
PROTECT_FREQ = 200  # a correction may not cut through a word at least this frequent (优势|是 ≠ 实施)


@lru_cache(maxsize=1)
def _jieba_freq() -> dict[str, int]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return dict(jieba.dt.FREQ)


@lru_cache(maxsize=65536)
def _py(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text, style=Style.NORMAL))


def _fuzzy(p: str) -> str:
    """Fuzzy pinyin as input methods use it: zh/z, ch/c, sh/s, n/l, -ng/-n."""
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if p.startswith(a):
            p = b + p[2:]
    if p.startswith("n"):
        p = "l" + p[1:]
    return p[:-1] if p.endswith("ng") else p


@dataclass(frozen=True)
class _Term:
    text: str
    pinyin: tuple[str, ...]


class NameCorrector:
    """Replace same-sounding stretches with known names; build once per vocabulary."""

    def __init__(self, names: Iterable[str], near: Iterable[str] = (), people: Iterable[str] = ()) -> None:
        """`names` match on (fuzzy) pinyin; `near` names of 3+ characters may also differ in one
        syllable that starts with the same sound (相受益 → 销售易), for CRM names only."""
        terms = {n.strip() for n in [*names, *near] if n and 2 <= len(n.strip()) <= 8 and _CJK.match(n.strip())}
        self._near = [(t, tuple(map(_fuzzy, _py(t)))) for t in dict.fromkeys(near) if len(t) >= 3 and _CJK.match(t)]
        # People (the rep, the account's contacts): the surname character must match as written (孙院 → 孙悦).
        self._people = [(t, tuple(map(_fuzzy, _py(t)))) for t in dict.fromkeys(people)
                        if 2 <= len(t) <= 3 and _CJK.match(t)]
        self.terms = sorted((_Term(t, _py(t)) for t in terms), key=lambda t: -len(t.text))
        self._by_len: dict[int, dict[tuple[str, ...], str]] = {}
        self._fuzzy: dict[int, dict[tuple[str, ...], str]] = {}
        for t in self.terms:
            self._by_len.setdefault(len(t.text), {}).setdefault(t.pinyin, t.text)
            if len(t.text) >= 3:  # fuzzy matching only for names long enough not to collide by chance
                self._fuzzy.setdefault(len(t.text), {}).setdefault(tuple(map(_fuzzy, t.pinyin)), t.text)

    def _is_common(self, word: str) -> bool:
        return _jieba_freq().get(word, 0) > COMMON_WORD_FREQ

    def _near_match(self, key: tuple[str, ...]) -> str | None:
        for text, py in self._near:
            if len(py) != len(key):
                continue
            diff = [(a, b) for a, b in zip(py, key, strict=True) if a != b]
            # one syllable off with the same initial; names of 5+ syllables (杭州云帆物流) keep 4 of 5 anyway
            if len(diff) == 1 and (diff[0][0][0] == diff[0][1][0] or len(py) >= 5):
                return text
        return None

    def _person_match(self, first: str, key: tuple[str, ...]) -> str | None:
        for text, py in self._people:
            if len(py) != len(key) or text[0] != first:
                continue
            diff = [(a, b) for a, b in zip(py[1:], key[1:], strict=True) if a != b]
            if len(diff) == 1 and diff[0][0][0] == diff[0][1][0]:
                return text
        return None

    def _protected_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of common dictionary words in the text (jieba, no HMM): a correction may not cut them."""
        import jieba

        _jieba_freq()
        spans, pos = [], 0
        for tok in jieba.lcut(text, HMM=False):
            if len(tok) > 1 and _jieba_freq().get(tok, 0) > PROTECT_FREQ:
                spans.append((pos, pos + len(tok)))
            pos += len(tok)
        return spans

    def correct(self, text: str) -> str:
        if not self.terms or not text:
            return text
        chars = list(text)
        crossing = self._protected_spans(text)
        char_py = [(_py(c)[0] if "\u4e00" <= c <= "\u9fff" else None) for c in chars]
        out: list[str] = []
        i = 0
        lengths = sorted(self._by_len, reverse=True)
        while i < len(chars):
            replaced = False
            for n in lengths:
                window = char_py[i : i + n]
                if len(window) < n or any(p is None for p in window):
                    continue
                key = tuple(p for p in window if p is not None)
                name = self._by_len[n].get(key)
                if name is None and n in self._fuzzy:
                    name = self._fuzzy[n].get(tuple(map(_fuzzy, key)))
                if name is None and n >= 3:
                    name = self._near_match(tuple(map(_fuzzy, key)))
                if name is None:
                    name = self._person_match(chars[i], tuple(map(_fuzzy, key)))
                if name is None:
                    continue
                seen = "".join(chars[i : i + n])
                if seen != name and (self._is_common(seen) or any(
                        a < i < b or a < i + n < b for a, b in crossing)):
                    continue  # an ordinary word, or a stretch that would cut one in half (优势|是 ≠ 实施)
                out.append(name)
                i += n
                replaced = True
                break
            if not replaced:
                out.append(chars[i])
                i += 1
        return "".join(out)


_LEGAL_SUFFIX = re.compile(r"(股份)?有限(责任)?公司$|集团$|公司$")
_TRADE_SUFFIX = re.compile(r"(科技|信息技术|技术|信息|网络|软件|实业|贸易|电子|器械)$")


def company_variants(name: str, city: str | None = None) -> list[str]:
    """How a customer company is said aloud: 杭州云帆物流科技有限公司 → 杭州云帆物流, 云帆物流."""
    name = name.strip()
    if not name:
        return []
    out = [name]
    short = _LEGAL_SUFFIX.sub("", name)
    while (shorter := _TRADE_SUFFIX.sub("", short)) != short and len(shorter) >= 2:
        short = shorter
    out.append(short)
    for prefix in [city or "", short[:2]]:
        if prefix and short.startswith(prefix) and len(short) - len(prefix) >= 2:
            out.append(short[len(prefix):])
            break
    return list(dict.fromkeys(v for v in out if len(v) >= 2))


def name_variants(person: str, title: str | None = None) -> list[str]:
    """A contact's full name and how people address them: 陈刚 (CIO) → 陈刚, 陈总; 张建国 (主任) → 张主任."""
    person = person.strip()
    if not person or not _CJK.match(person):
        return [person] if person else []
    surname = person[0]
    out = [person, f"{surname}总"]
    for suffix in ("经理", "总监", "主任", "主管", "老师", "工"):
        if title and suffix in title:
            out.append(f"{surname}{suffix}")
    return out
