"""Account mentions resolved against the accounts the caller can see, and customers called by a two-character
nickname ('博瑞那边回款到账多少了', '云帆那家今年签了多少').

Account names are linked by their full name or a prefix of at least three characters of their core name (the
name without its city and company suffix; `entities.link`). Two characters are too common a string to link
anywhere, so a two-character core prefix links only right before a word that points at a party: 那边, 这边, 那家,
这家, 家的; a city said before it picks among the accounts that share it (上海博瑞那家). Either way, one visible
account → that account; several → ask which (博瑞 is both 上海博瑞医疗器械 and 杭州博瑞软件); none visible → nothing
is linked.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account
from crm.scope import Scope
from retrieval.vocab import Ambiguity, Entity, Vocab, spans_free

NICKNAME = re.compile(r"([\u4e00-\u9fff]{2})(?=那边|这边|那家|这家|家的)")


def resolve_accounts(said: str, span: tuple[int, int], ids: Collection[int], vocab: Vocab, session: Session,
                     scope: Scope, taken: list[tuple[int, int]], found: list[Entity],
                     ambiguous: list[Ambiguity]) -> None:
    """Link the words at `span` to the accounts `ids` the caller's scope shows (at most 50 looked up, 8 offered)."""
    visible = session.scalars(select(Account.id).where(Account.id.in_(sorted(ids)[:50]),
                                                        scope.owner_filter(Account.owner_id)))
    names = sorted({vocab.account_name[a] for a in visible})
    if len(names) == 1:
        found.append(Entity("account", names[0], span, said))
    elif names:
        ambiguous.append(Ambiguity(said, [("account", n) for n in names[:8]], span))
    if names:
        taken.append(span)


def link_account_nickname(text: str, vocab: Vocab, session: Session, scope: Scope, taken: list[tuple[int, int]],
                          found: list[Entity], ambiguous: list[Ambiguity]) -> None:
    if not vocab.account_short or not ("那" in text or "这" in text or "家的" in text):
        return
    for m in NICKNAME.finditer(text):
        ids = vocab.account_short.get(m.group(1))
        if ids and spans_free(taken, *m.span(1)):
            start = m.start(1)
            # the city said before the nickname picks among the accounts that share it: 上海博瑞那家
            cities = {a: name[:i] for a in ids if (i := (name := vocab.account_name[a]).find(m.group(1))) > 0
                      and text[:m.start(1)].endswith(name[:i])}
            if cities:
                ids, start = set(cities), m.start(1) - max(len(c) for c in cities.values())
            resolve_accounts(text[start:m.end(1)], (start, m.end(1)), ids, vocab, session, scope, taken, found,
                             ambiguous)
