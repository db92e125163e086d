"""The parse memo: a repeated question skips the parser, and nothing a caller does to its answer, nor a change of
caller, day or linking vocabulary, is served from it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval import parse_memo as memo
from retrieval.entities import clear_cache
from retrieval.parser import parse
from tests.retrieval.conftest import TODAY

ADMIN = Scope(user_id=1, role="admin")
Q = "本季度华东区的赢单率是多少？"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    memo.clear()
    seen: list[str] = []

    def counted(session: Session, scope: Scope, question: str, *args: Any) -> Any:
        seen.append(question)
        return parse(session, scope, question, *args)

    monkeypatch.setattr(memo, "parse", counted)
    yield seen
    memo.clear()


def test_a_repeated_question_is_parsed_once(session: Session, calls: list[str]) -> None:
    first = memo.parse_memo(session, ADMIN, Q, TODAY)
    again = memo.parse_memo(session, ADMIN, Q, TODAY)
    assert calls == [Q] and again.plan == first.plan == parse(session, ADMIN, Q, TODAY).plan


def test_what_a_caller_changes_is_not_remembered(session: Session, calls: list[str]) -> None:
    first = memo.parse_memo(session, ADMIN, Q, TODAY)
    first.plan, first.refusal = None, "changed"
    first.notes.append("changed")
    again = memo.parse_memo(session, ADMIN, Q, TODAY)
    assert again.plan is not None and again.refusal is None and "changed" not in again.notes


def test_caller_day_and_vocabulary_are_part_of_the_key(session: Session, calls: list[str]) -> None:
    memo.parse_memo(session, ADMIN, Q, TODAY)
    memo.parse_memo(session, Scope(user_id=2, role="manager", team_id=1), Q, TODAY)
    memo.parse_memo(session, ADMIN, Q, TODAY.replace(day=1))
    clear_cache()  # a reloaded vocabulary (tables changed) is a new object
    memo.parse_memo(session, ADMIN, Q, TODAY)
    assert len(calls) == 4


def test_size_zero_and_eviction(session: Session, calls: list[str]) -> None:
    memo.parse_memo(session, ADMIN, Q, TODAY, size=0)
    memo.parse_memo(session, ADMIN, Q, TODAY, size=0)
    for q in ("今年的成交额", "上个月的回款", Q):
        memo.parse_memo(session, ADMIN, q, TODAY, size=2)
    memo.parse_memo(session, ADMIN, "今年的成交额", TODAY, size=2)  # evicted by the third
    assert len(calls) == 6


def test_a_clarification_is_never_remembered(session: Session, calls: list[str]) -> None:
    q = "华东组的成交额"  # 华东一组 or 华东二组: a clarification
    first = memo.parse_memo(session, ADMIN, q, TODAY)
    memo.parse_memo(session, ADMIN, q, TODAY)
    assert first.clarification is not None and calls == [q, q]
