"""`compile_fast`: a first-character lookahead that changes no match, only how fast a search fails."""

from __future__ import annotations

import random
import re

import pytest

import retrieval.frames as frames
from retrieval.parser_patterns import CONV_AFTER_RX, DESC_RX, FUNNEL_RX, POP_RX, REQUEST_RX, YOY_RX
from retrieval.rx_fast import compile_fast, first_chars

TEXTS = ["本季度华东区的赢单率是多少？", "上个月回款最多的前5个客户", "which rep had the best win rate last quarter?",
         "if you tally up every deal that's still in play, not won and not lost yet, how much money is out there?",
         "deals that fell through, went belly-up or slipped away in march", "没签下来的单子有几个", "", " ", "a",
         "过了截止日期还没完成的任务", "the quarter before this one", "(e.g. crm, bi) and so on"]


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in rx.finditer(text)]


@pytest.mark.parametrize("pattern", [frames._OPEN, frames._LOST, frames._WON, frames._DECIDED, frames._RATIO,
                                     frames._MONEY, CONV_AFTER_RX.replace("{{", "{").replace("}}", "}"), DESC_RX,
                                     FUNNEL_RX, POP_RX, YOY_RX, REQUEST_RX])
def test_the_guard_changes_no_match(pattern: str) -> None:
    plain, fast = re.compile(pattern), compile_fast(pattern)
    rng = random.Random(7)
    words = " ".join(TEXTS).split()
    texts = TEXTS + [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(200)]
    for t in texts:
        assert _spans(plain, t) == _spans(fast, t), t
        assert (plain.match(t) is None) == (fast.match(t) is None), t


@pytest.mark.parametrize(("pattern", "chars"), [
    (r"\bwon\b|赢", {"w", "赢"}),
    (r"(?:deals? )?died", {"d"}),
    (r"(?<!没)签(?:下|了)", {"签"}),
    (r"[a-c]x|y", {"a", "b", "c", "y"}),
])
def test_first_characters(pattern: str, chars: set[str]) -> None:
    assert first_chars(pattern) == frozenset(chars)


@pytest.mark.parametrize("pattern", [
    r"x?",            # may match empty
    r"\w+ly",         # a category: \w is far more than ASCII letters
    r"\d+ days",      # \d matches full-width and other Unicode digits too
    r"[^a]b",         # a negated class
    r"(?i)won",       # case-insensitive
    r".won",          # any character
])
def test_no_guard_where_the_first_character_is_unknown(pattern: str) -> None:
    assert first_chars(pattern) is None
    assert compile_fast(pattern).pattern == pattern


def test_a_guarded_pattern_still_finds_what_the_plain_one_finds_after_a_lookbehind() -> None:
    rx = compile_fast(r"(?<![大蛋])黄(?:了)?的(?=单|商机)")
    assert rx.pattern.startswith("(?=[")
    assert rx.search("黄了的单子") and not rx.search("蛋黄的单子")
