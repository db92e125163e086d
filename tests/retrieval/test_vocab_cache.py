"""The linking vocabulary's cache: accounts only added since the last load are added to a copy (a full load
reads every account); any other change reloads in full, and both give the same vocabulary."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from crm.models import Account, User
from retrieval import entities
from retrieval.entities import load_vocab, vocab_for


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Look for changes on every call, and count the full loads."""
    monkeypatch.setattr(entities, "CHECK_S", 0.0)
    loads: list[int] = []
    real = entities.load_vocab

    def counted(session: Session):  # type: ignore[no-untyped-def]
        loads.append(1)
        return real(session)

    monkeypatch.setattr(entities, "load_vocab", counted)
    return loads


def add_account(session: Session, name: str, industry: str | None) -> int:
    owner = session.scalar(select(User.id).where(User.role == "rep").limit(1))
    acc = Account(name=name, industry=industry, city="苏州", owner_id=owner)
    session.add(acc)
    session.flush()
    return acc.id


def test_added_accounts_extend_a_copy(session: Session, no_wait: list[int]) -> None:
    first = vocab_for(session)
    assert len(no_wait) == 1
    industry = session.scalar(select(Account.industry).where(Account.industry.is_not(None)).limit(1))
    new_ids = [add_account(session, "苏州澄湖精密机械有限公司", industry), add_account(session, "Zephyr Analytics", None)]
    after = vocab_for(session)
    assert len(no_wait) == 1 and after is not first  # no second full load
    assert not set(new_ids) & set(first.account_name)  # the vocabulary in use before is untouched
    full = load_vocab(session)
    assert after.account_name == full.account_name and after.account_prefix == full.account_prefix
    assert after.terms == full.terms
    assert new_ids[0] in after.account_prefix["澄湖精密"] and new_ids[1] in after.account_prefix["zephyr"]


def test_anything_else_reloads_in_full(session: Session, no_wait: list[int]) -> None:
    vocab_for(session)
    add_account(session, "苏州澄湖新材料有限公司", "全新行业")  # a new industry is a new term
    vocab_for(session)
    assert len(no_wait) == 2
    gone = session.scalar(select(func.min(Account.id)))
    session.execute(delete(Account).where(Account.id == gone))  # a delete and an insert: same count
    add_account(session, "苏州澄湖电子有限公司", None)
    v = vocab_for(session)
    assert len(no_wait) == 3 and gone not in v.account_name
