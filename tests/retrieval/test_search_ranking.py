"""Ranking rules of call/notes search: exact, repeatable dense scores on small corpora; boilerplate notes cited
once; English questions reach Chinese passages; within one account the closest passages are cited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account, Activity, Call, User
from crm.settings import Settings
from retrieval.index import index_call, index_notes
from retrieval.search import answer_from_calls, search_calls, tokens

FIXTURES = Path(__file__).parents[1] / "fixtures" / "calls"


@pytest.mark.slow
def test_ranking_rules(session: Session, scope_of, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the index is backend-independent; one run is enough")
    owner = session.scalars(select(User).where(User.username == "sunyue")).one()
    borui = session.scalars(select(Account).where(Account.name == "上海博瑞医疗器械有限公司")).one()
    lines = [ln for ln in (FIXTURES / "dev03.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    segs = [{"start": i * 6.0, "end": i * 6.0 + 5.0, "speaker": "rep" if ln.startswith("销售") else "customer",
             "text": ln.split("：", 1)[1]} for i, ln in enumerate(lines)]
    call = Call(owner_id=owner.id, account_id=borui.id, filename="dev03.wav", audio_sha256="r3", blob_key="r3",
                dedupe_key="t:r3", status="done", call_time=datetime(2026, 11, 23, 10),
                transcript={"segments": segs, "text": ""})
    session.add(call)
    accounts = list(session.scalars(select(Account).where(Account.id != borui.id).limit(4)))
    notes = [Activity(type="note", owner_id=a.owner_id, account_id=a.id, summary="电话回访试用情况",
                      occurred_at=datetime(2026, 11, 20)) for a in accounts[:3]]
    notes.append(Activity(type="note", owner_id=accounts[3].owner_id, account_id=accounts[3].id,
                          summary="客户希望先做一个小范围试点，两个分公司先用起来。", occurred_at=datetime(2026, 11, 21)))
    session.add_all(notes)
    session.flush()
    index_call(session, call, settings)
    index_notes(session, notes, settings)
    admin = scope_of("admin")

    first = search_calls(session, admin, "试用情况", settings=settings)
    assert [h.quote for h in first].count("电话回访试用情况") == 1  # the same boilerplate note, cited once
    assert [(h.call_id, h.activity_id, h.score) for h in first] == \
        [(h.call_id, h.activity_id, h.score) for h in search_calls(session, admin, "试用情况", settings=settings)]
    pilot = answer_from_calls(session, admin, "which customers mentioned a pilot", "en", settings)
    assert pilot.citations and pilot.citations[0].activity_id == notes[3].id
    ceiling = answer_from_calls(session, admin, "What spending ceiling did 博瑞医疗 give us?", "en", settings)
    assert any("采购上限" in c.quote for c in ceiling.citations)


def test_english_plurals_match_singular_terms() -> None:
    assert tokens("CIOs payments") == ["cio", "payment"] and tokens("CIO") == ["cio"]
