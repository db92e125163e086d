"""Literal prefilters (`retrieval.rx_prefilter`) never skip a pattern that would have matched."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from retrieval.normalize import normalize
from retrieval.parser_rx import FOLD, PLAIN, Cues, rx_for
from retrieval.rx_prefilter import Triggers, always, bits, required, space_free
from retrieval.timeparse_rules import RULES

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


@pytest.mark.parametrize(("pattern", "req"), [
    ("ab|cd", {"ab", "cd"}),
    ("x?yz", {"yz"}),
    (r"\bq[1-4]\b", {"q"}),
    ("(?:本|这个)季度", {"季度"}),
    ("a{0,2}b", {"b"}),
    ("(?:ab)+c", {"ab"}),
    ("[ab]", {"a", "b"}),
])
def test_required_literals(pattern: str, req: set[str]) -> None:
    assert required(pattern) == frozenset(req)


@pytest.mark.parametrize("pattern", ["(?i)abc", "a*", ".{0,3}", r"\d+", "[^a]", "ab|", "(?=ab)"])
def test_unknown_needs_nothing(pattern: str) -> None:
    assert required(pattern) is None


def test_space_free_keeps_the_longest_piece() -> None:
    assert space_free(frozenset({"per news", "a b"})) == frozenset({"news", "a"})
    assert space_free(frozenset({" "})) is None


def test_trigger_masks_and_bits() -> None:
    reqs = [frozenset({"本季", "q"}), None, frozenset({"月"})]
    t = Triggers.of(reqs)
    assert list(bits(always(reqs) | t.mask("上个月"))) == [1, 2]
    assert list(bits(always(reqs) | t.mask("本季度"))) == [0, 1]


def _texts() -> list[str]:
    """Set questions, spliced halves and blanked variants: what the parser searches."""
    qs = [json.loads(line)["q"] for f in sorted(DATA.glob("ask_*.jsonl")) for line in f.read_text().splitlines()
          if line.strip() and "q" in json.loads(line)]
    rnd = random.Random(5)
    out = [normalize(q) for q in qs]
    for _ in range(1500):
        a, b = rnd.sample(out, 2)
        out.append(a[: rnd.randint(0, len(a))] + b[rnd.randint(0, len(b)):])
    for t in out[:1500]:
        i = rnd.randint(0, len(t))
        j = rnd.randint(i, len(t))
        out.append(t[:i] + " " * (j - i) + t[j:])
    return out


TEXTS = _texts()


def test_every_match_contains_its_prefilter() -> None:
    public = [v for k, v in vars(PLAIN).items() if not k.startswith("_")]
    patterns = [rx for rx in public if isinstance(rx, re.Pattern)]
    patterns += [rx for v in public if isinstance(v, Cues | list) for _k, rx in v]
    patterns += [re.compile(rx) for rx, _kind in RULES]
    checked = 0
    for rx in patterns:
        req = required(rx.pattern, rx.flags)
        if req is None:
            continue
        for t in TEXTS:
            if rx.search(t):
                checked += 1
                assert any(s in t for s in req), (rx.pattern[:80], t)
    assert checked > 1000


def test_a_bound_view_finds_what_the_full_set_finds() -> None:
    for t in TEXTS:
        view = rx_for(t)
        if view is FOLD:
            continue
        work = t[: len(t) // 2] + " " * (len(t) - len(t) // 2)  # the parser only blanks parts out
        for name, full in vars(PLAIN).items():
            if isinstance(full, re.Pattern):
                assert bool(getattr(view, name).search(work)) == bool(full.search(work)), (name, t)
            elif isinstance(full, Cues):
                assert [k for k, rx in view.__dict__[name].hits(work) if rx.search(work)] == \
                       [k for k, rx in full.hits(work) if rx.search(work)], (name, t)
