"""Fuzzy spelling links to real names only: a word that is close to a shortened industry word ('marked' to
'marke', made for 'marketing') links nothing, while the full name and its misspellings still link."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account, User
from crm.scope import Scope
from retrieval.entities import link, load_vocab

ADMIN = Scope(user_id=1, role="admin")


def test_shortened_industry_words_are_not_fuzzy_targets(session: Session) -> None:
    owner = session.scalar(select(User.id).where(User.role == "rep").limit(1))
    session.add(Account(name="Zephyr Media", industry="marketing", city="Boston", owner_id=owner))
    session.flush()
    v = load_vocab(session)
    assert "marke" in v.terms and "marke" not in v.ascii_terms and "marketing" in v.ascii_terms
    found, _amb = link("how many deals were marked lost in march", v, session, ADMIN, [])
    assert not [e for e in found if e.dimension == "industry"]
    for text in ("bookings in the marketing sector", "bookings in the marketting sector", "bookings from marke firms"):
        found, _amb = link(text, v, session, ADMIN, [])
        assert [(e.dimension, e.value) for e in found] == [("industry", "marketing")], text
