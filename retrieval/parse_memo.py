"""A bounded memo of parses. The same question, from the same caller, on the same day, over the same linking
vocabulary parses the same way, so a repeated question (a question pinned on a dashboard, a re-ask in WeCom, the
web page's suggestion chips) skips the parser (~100 µs, most of `ask`'s own cost at 20k opportunities).

The key holds everything `parse` reads besides the vocabulary: the database, the question, the day, the window of a
bare 最近 and the caller's scope. The vocabulary is checked by identity: `vocab_for` returns a new object whenever
accounts, users, products, teams or regions change, so a stale parse is never served past that check.

Only the reading is kept, never a figure: the plan still runs, scoped, on every ask (and `outside_scope` is checked
each time). A clarification is not kept at all: its options are account names linked within the caller's scope,
and an account may change owner without any change the vocabulary sees.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from crm.scope import Scope
from retrieval.entities import Vocab, url_key, vocab_for
from retrieval.parser import Parsed, parse

_Key = tuple[str, str, date, int, Scope]
_MEMO: OrderedDict[_Key, tuple[Vocab, Parsed]] = OrderedDict()
_LOCK = threading.Lock()


def parse_memo(session: Session, scope: Scope, question: str, today: date, recent_days: int = 30,
               size: int = 512) -> Parsed:
    """`parse`, remembered for the last `size` distinct questions (0: no memo). Each call gets its own `Parsed`
    (the caller may replace its plan); the plan inside is shared and is not modified downstream."""
    if size <= 0:
        return parse(session, scope, question, today, recent_days)
    vocab = vocab_for(session)
    key = (url_key(session), question, today, recent_days, scope)
    with _LOCK:
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is vocab:
            _MEMO.move_to_end(key)
            return replace(hit[1], notes=list(hit[1].notes))
    parsed = parse(session, scope, question, today, recent_days)
    if parsed.clarification is not None:
        return parsed  # its options depend on who owns which account now
    with _LOCK:
        _MEMO[key] = (vocab, replace(parsed, notes=list(parsed.notes)))
        _MEMO.move_to_end(key)
        while len(_MEMO) > size:
            _MEMO.popitem(last=False)
    return parsed


def clear() -> None:
    with _LOCK:
        _MEMO.clear()
