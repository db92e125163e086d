"""The insights step runs as a post-transcription hook (registered by the API router and CLI modules)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import api.routes.insights  # noqa: F401  (importing the router installs the hook)
from assistant.insights.hook import insights_hook
from crm.models import Activity, Call, OrgProfile
from tests.assistant.test_insights_writeback import _make_call
from transcription import hooks


def test_hook_is_registered_and_writes_back(demo_engine: Engine) -> None:
    assert insights_hook in hooks.registered()
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        assert not [e for e in hooks.run_hooks(s, call) if e.startswith("insights_hook")]
        s.commit()
        assert s.scalars(select(Activity).where(Activity.call_id == call_id)).first() is not None
        assert call.insights and call.insights["budget"]["amount_cny"] == 500000


def test_hook_failure_is_reported_and_keeps_the_transcript(demo_engine: Engine) -> None:
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        call.transcript = {"segments": "not a list"}
        s.flush()
        errors = [e for e in hooks.run_hooks(s, call) if e.startswith("insights_hook")]
        assert len(errors) == 1
        s.commit()
        assert s.scalars(select(Activity).where(Activity.call_id == call_id)).first() is None


def test_hook_skips_without_org_profile(demo_engine: Engine) -> None:
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        for row in s.scalars(select(OrgProfile)):
            s.delete(row)
        call = s.get(Call, call_id)
        insights_hook(s, call)
        assert call is not None and call.insights is None
