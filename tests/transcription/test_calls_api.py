"""Calls over HTTP: upload → 202, worker job, status/transcript/audio, scope (404), bad input (4xx)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.models import Opportunity, User
from transcription.runner import run_call


def opp_of(engine: Engine, username: str) -> int:
    with Session(engine) as s:
        uid = s.scalar(select(User.id).where(User.username == username))
        opp = s.scalar(select(Opportunity.id).where(Opportunity.owner_id == uid).order_by(Opportunity.id))
        assert opp is not None
        return int(opp)


@pytest.fixture
def liming(client_for: Callable[[str | None], TestClient], model_cache_dir: Path) -> TestClient:
    client = client_for("liming")
    settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = settings.model_copy(update={"model_cache_dir": model_cache_dir})  # type: ignore[attr-defined]
    return client


def upload(client: TestClient, path: Path, **form: Any) -> Any:
    with path.open("rb") as fh:
        return client.post("/api/v1/calls", files={"audio": (path.name, fh, "audio/mp4")},
                           data={k: str(v) for k, v in form.items()})


def test_upload_transcribe_and_read(liming: TestClient, client_for: Callable[[str | None], TestClient],
                                    demo_engine: Engine, audio_dir: Path, transcriber: Any) -> None:
    opp = opp_of(demo_engine, "liming")
    res = upload(liming, audio_dir / "stereo_w0121_w0122.m4a", opportunity_id=opp, call_time="2026-11-23T10:00:00")
    assert res.status_code == 202, res.text
    body = res.json()
    call_id = body["id"]
    assert body["status"] == "queued" and body["opportunity_id"] == opp and not body["duplicate"]
    assert liming.get(f"/api/v1/calls/{call_id}/transcript").status_code == 409  # not yet

    settings = liming.app.state.settings  # type: ignore[attr-defined]
    assert run_call(call_id, settings, transcriber=transcriber).status == "done"  # what the worker does

    got = liming.get(f"/api/v1/calls/{call_id}").json()
    assert got["status"] == "done" and got["progress"] == 100
    assert [s["speaker"] for s in got["transcript"]["segments"]] == ["rep", "customer"]
    assert set(got["transcript"]) >= {"language", "duration", "segments", "text"}
    txt = liming.get(f"/api/v1/calls/{call_id}/transcript?format=txt")
    assert txt.status_code == 200 and txt.text.startswith("销售：")
    assert liming.get(f"/api/v1/calls/{call_id}/transcript?format=srt").text.startswith("1\n00:00:")
    assert liming.get(f"/api/v1/calls/{call_id}/transcript?format=vtt").text.startswith("WEBVTT")
    assert liming.get(f"/api/v1/calls/{call_id}/transcript?format=doc").status_code == 422

    audio = liming.get(f"/api/v1/calls/{call_id}/audio", headers={"Range": "bytes=0-99"})
    assert audio.status_code == 206 and len(audio.content) == 100
    assert liming.get(f"/api/v1/calls?opportunity_id={opp}").json()["total"] == 1

    # scope: another rep sees nothing (404, not 403); the rep's manager and an admin do
    other = client_for("zhaolei")
    for path in ("", "/transcript", "/audio"):
        assert other.get(f"/api/v1/calls/{call_id}{path}").status_code == 404
    assert other.get("/api/v1/calls").json()["total"] == 0
    assert client_for("wangfang").get(f"/api/v1/calls/{call_id}").status_code == 200
    assert client_for("admin").get(f"/api/v1/calls/{call_id}").status_code == 200

    again = upload(liming, audio_dir / "stereo_w0121_w0122.m4a", opportunity_id=opp)
    assert again.status_code == 200 and again.json()["id"] == call_id and again.json()["duplicate"]


def test_upload_rejections(liming: TestClient, demo_engine: Engine, audio_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    res = upload(liming, empty)
    assert res.status_code == 422 and "empty" in res.json()["detail"]
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all " * 40)
    res = upload(liming, text)
    assert res.status_code == 422 and "not a readable audio file" in res.json()["detail"]
    res = liming.post("/api/v1/calls", data={"opportunity_id": "1"})
    assert res.status_code == 422 and "audio" in res.json()["detail"]
    foreign = opp_of(demo_engine, "zhaolei")
    assert upload(liming, audio_dir / "w0121.wav", opportunity_id=foreign).status_code == 404
    settings = liming.app.state.settings  # type: ignore[attr-defined]
    liming.app.state.settings = settings.model_copy(update={"max_upload_mb": 0})  # type: ignore[attr-defined]
    res = upload(liming, audio_dir / "w0121.wav")
    assert res.status_code == 413 and "upload limit" in res.json()["detail"]
    blobs = settings.data_dir / "blobs"
    assert not blobs.exists() or not any(p.is_file() for p in blobs.rglob("*"))  # nothing half-stored


def test_unauthenticated(client_for: Callable[[str | None], TestClient]) -> None:
    assert client_for(None).get("/api/v1/calls/1").status_code == 401
