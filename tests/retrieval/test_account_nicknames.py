"""A customer called by a two-character nickname before 那边/那家 ('博瑞那边回款到账多少了'): one account links it,
several ask which, and the same two characters elsewhere link nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account, User
from crm.scope import Scope
from retrieval.entities import link, load_vocab

ADMIN = Scope(user_id=1, role="admin")


def _add(session: Session, name: str, city: str) -> None:
    owner = session.scalar(select(User.id).where(User.role == "rep").limit(1))
    session.add(Account(name=name, industry="SaaS", city=city, owner_id=owner))
    session.flush()


def test_nickname_before_a_party_word(session: Session) -> None:
    _add(session, "上海翼鸥医疗器械有限公司", "上海")
    v = load_vocab(session)
    found, amb = link("翼鸥那边回款到账多少了", v, session, ADMIN, [])
    assert [(e.dimension, e.value) for e in found] == [("account", "上海翼鸥医疗器械有限公司")] and not amb
    found, amb = link("翼鸥的回款", v, session, ADMIN, [])  # two characters with no party word: nothing
    assert not [e for e in found if e.dimension == "account"] and not amb


def test_shared_nickname_asks_which(session: Session) -> None:
    _add(session, "上海翼鸥医疗器械有限公司", "上海")
    _add(session, "杭州翼鸥软件有限公司", "杭州")
    v = load_vocab(session)
    found, amb = link("翼鸥那家今年签了多少", v, session, ADMIN, [])
    assert not [e for e in found if e.dimension == "account"]
    assert len(amb) == 1 and sorted(val for _d, val in amb[0].options) == ["上海翼鸥医疗器械有限公司", "杭州翼鸥软件有限公司"]


def test_a_city_before_a_shared_nickname_picks_the_account(session: Session) -> None:
    _add(session, "上海翼鸥医疗器械有限公司", "上海")
    _add(session, "杭州翼鸥软件有限公司", "杭州")
    v = load_vocab(session)
    found, amb = link("上海翼鸥那家医疗器械公司累计回了多少钱", v, session, ADMIN, [])
    assert [(e.dimension, e.value) for e in found] == [("account", "上海翼鸥医疗器械有限公司")] and not amb


def test_a_rep_or_region_named_first_keeps_its_reading(session: Session) -> None:
    v = load_vocab(session)
    found, amb = link("华东那边的成交额", v, session, ADMIN, [])
    assert [(e.dimension, e.value) for e in found] == [("region", "华东")] and not amb
