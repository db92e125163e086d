"""Customers called by a two-character nickname: '博瑞那边回款到账多少了', '云帆那家今年签了多少'.

Account names are linked by their full name or a prefix of at least three characters of their core name (the
name without its city and company suffix). Two characters are too common a string to link anywhere, so a
two-character core prefix links only right before a word that points at a party: 那边, 这边, 那家, 这家,
家的. One visible account → that account; several → ask which (博瑞 is both 上海博瑞医疗器械 and 杭州博瑞软件).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account
from crm.scope import Scope
from retrieval.vocab import Ambiguity, Entity, Vocab, spans_free

NICKNAME = re.compile(r"([\u4e00-\u9fff]{2})(?=那边|这边|那家|这家|家的)")


def link_account_nickname(text: str, vocab: Vocab, session: Session, scope: Scope, taken: list[tuple[int, int]],
                          found: list[Entity], ambiguous: list[Ambiguity]) -> None:
    if not vocab.account_short or not ("那" in text or "这" in text or "家的" in text):
        return
    for m in NICKNAME.finditer(text):
        ids = vocab.account_short.get(m.group(1))
        if not ids or not spans_free(taken, *m.span(1)):
            continue
        visible = session.scalars(select(Account.id).where(Account.id.in_(sorted(ids)[:50]),
                                                            scope.owner_filter(Account.owner_id)))
        names = sorted({vocab.account_name[a] for a in visible})
        if len(names) == 1:
            found.append(Entity("account", names[0], m.span(1), m.group(1)))
        elif names:
            ambiguous.append(Ambiguity(m.group(1), [("account", n) for n in names[:8]], m.span(1)))
        if names:
            taken.append(m.span(1))
