"""Durable jobs: huey worker, Call row as truth, crash + restart, retries, idempotent re-upload, cancel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crm.db import make_engine, migrate
from crm.models import Call, User
from crm.scope import scope_for
from crm.settings import Settings
from tests.transcription.conftest import write_wav
from transcription import hooks, runner
from transcription.errors import TransientError
from transcription.jobs import Worker, enqueue
from transcription.runner import blob_store, run_call
from transcription.submit import cancel_call, submit_call

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(tmp_path: Path, model_cache_dir: Path) -> Iterator[tuple[Settings, Engine, int]]:
    url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    eng = make_engine(url)
    migrate(eng)
    with Session(eng) as s:
        user = User(username="rep1", display_name="李明", role="rep")
        s.add(user)
        s.commit()
        uid = user.id
    settings = Settings(database_url=url, data_dir=tmp_path / "var", model_cache_dir=model_cache_dir, env="test")
    yield settings, eng, uid
    eng.dispose()


def submit(settings: Settings, eng: Engine, uid: int, path: Path, **kw: Any) -> tuple[int, bool]:
    with Session(eng) as s:
        user = s.get(User, uid)
        assert user is not None
        res = submit_call(s, scope_for(user), uid, path, store=blob_store(settings), settings=settings, **kw)
        s.commit()
        return res.call.id, res.created


def call_row(eng: Engine, call_id: int) -> Call:
    with Session(eng) as s:
        call = s.get(Call, call_id)
        assert call is not None
        s.expunge(call)
        return call


def wait_for(eng: Engine, call_id: int, states: set[str], timeout: float = 150) -> Call:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        call = call_row(eng, call_id)
        if call.status in states:
            return call
        time.sleep(0.2)
    raise AssertionError(f"call {call_id} stuck in {call_row(eng, call_id).status}")


def test_worker_transcribes_and_runs_hooks(world: tuple[Settings, Engine, int], audio_dir: Path,
                                           transcriber: Any) -> None:
    settings, eng, uid = world
    seen: list[int] = []

    def hook(session: Session, call: Call) -> None:
        seen.append(call.id)
        raise RuntimeError("insights engine down")  # a consumer's failure never loses the transcript

    hooks.register(hook)
    try:
        call_id, created = submit(settings, eng, uid, audio_dir / "w0121.m4a")
        assert created and call_row(eng, call_id).status == "queued"
        worker = Worker(settings)
        worker.start()  # recover() enqueues the queued call
        try:
            call = wait_for(eng, call_id, {"done", "failed"})
        finally:
            worker.stop()  # graceful: joins the job, so its hooks have run and recorded their error
    finally:
        hooks.unregister(hook)
    call = call_row(eng, call_id)  # "done" is visible before the hooks finish; re-read after the join
    assert call.status == "done" and call.progress == 100 and call.attempts == 1
    assert call.transcript and "交易" in call.transcript["text"]
    assert call.error and "insights engine down" in call.error
    assert seen == [call_id]


def test_crashed_worker_is_replaced(world: tuple[Settings, Engine, int], audio_dir: Path,
                                    monkeypatch: pytest.MonkeyPatch, transcriber: Any) -> None:
    """kill -9 a `dealwise worker` mid-job: the call stays 'running'; a restarted worker finishes it."""
    settings, eng, uid = world
    call_id, _ = submit(settings, eng, uid, audio_dir / "jfk.ogg")
    env = {**os.environ, "DEALWISE_DATABASE_URL": settings.database_url, "DEALWISE_DATA_DIR": str(settings.data_dir),
           "DEALWISE_MODEL_CACHE_DIR": str(settings.models_dir), "DEALWISE_ASR_LANGUAGE": "en",
           "DEALWISE_ENV": "test"}
    proc = subprocess.Popen([sys.executable, "-m", "api.cli.main", "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(eng, call_id, {"running", "done"}, timeout=120)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if call_row(eng, call_id).status == "done":
        pytest.skip("the worker finished before it could be killed")
    assert call_row(eng, call_id).status == "running"
    monkeypatch.setattr(runner, "LEASE_S", 0.5)  # the dead worker's heartbeat is stale after 0.5 s
    time.sleep(0.6)
    worker = Worker(settings.model_copy(update={"asr_language": "en"}))
    worker.start()
    try:
        call = wait_for(eng, call_id, {"done", "failed"})
    finally:
        worker.stop()
    assert call.status == "done", call.error
    assert call.attempts == 2
    assert "country" in (call.transcript or {}).get("text", "")


def test_live_lease_is_not_stolen(world: tuple[Settings, Engine, int], audio_dir: Path) -> None:
    settings, eng, uid = world
    call_id, _ = submit(settings, eng, uid, audio_dir / "w0121.wav")
    assert runner.claim(eng, call_id)
    assert not runner.claim(eng, call_id)  # a second worker backs off while the heartbeat is fresh
    with pytest.raises(TransientError, match="held by another worker"):
        run_call(call_id, settings)


def test_transient_error_is_retried_then_succeeds(world: tuple[Settings, Engine, int], audio_dir: Path,
                                                  transcriber: Any) -> None:
    settings, eng, uid = world
    call_id, _ = submit(settings, eng, uid, audio_dir / "w0121.wav")

    class Flaky:
        def transcribe(self, *a: Any, **kw: Any) -> Any:
            raise OSError("disk hiccup")

    with pytest.raises(TransientError, match="disk hiccup"):
        run_call(call_id, settings, transcriber=Flaky())  # type: ignore[arg-type]
    call = call_row(eng, call_id)
    assert call.status == "queued" and "will retry" in (call.error or "")
    assert run_call(call_id, settings, transcriber=transcriber).status == "done"
    assert call_row(eng, call_id).attempts == 2


def test_bad_audio_fails_with_reason(world: tuple[Settings, Engine, int], tmp_path: Path) -> None:
    settings, eng, uid = world
    import numpy as np

    call_id, _ = submit(settings, eng, uid, write_wav(tmp_path / "quiet.wav", np.zeros(16000, dtype=np.float32)))
    assert run_call(call_id, settings).status == "failed"
    assert "only silence" in (call_row(eng, call_id).error or "")


def test_reupload_is_idempotent(world: tuple[Settings, Engine, int], audio_dir: Path, tmp_path: Path) -> None:
    settings, eng, uid = world
    first, created = submit(settings, eng, uid, audio_dir / "w0121.flac")
    again, created2 = submit(settings, eng, uid, audio_dir / "w0121.flac", filename="renamed.flac")
    assert created and not created2 and first == again
    with Session(eng) as s:
        assert len(s.scalars(select(Call)).all()) == 1
    blobs = [p for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1  # content-addressed: one copy of the bytes


def test_cancel_before_run(world: tuple[Settings, Engine, int], audio_dir: Path) -> None:
    settings, eng, uid = world
    call_id, _ = submit(settings, eng, uid, audio_dir / "w0121.ogg")
    with Session(eng) as s:
        user = s.get(User, uid)
        assert user is not None
        cancel_call(s, scope_for(user), call_id)
        s.commit()
    enqueue(call_id, settings.model_copy(update={"queue_backend": "immediate"}))
    assert call_row(eng, call_id).status == "cancelled" and call_row(eng, call_id).attempts == 0


def test_an_embedded_worker_leaves_the_host_signal_handlers_alone(world: tuple[Settings, Engine, int]) -> None:
    """Ctrl-C / SIGTERM must still reach `dealwise serve` (uvicorn) after the in-process worker starts."""
    settings, _eng, _uid = world
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    worker = Worker(settings)
    worker.start()
    try:
        assert {s: signal.getsignal(s) for s in before} == before
    finally:
        worker.stop()
