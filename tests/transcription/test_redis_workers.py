"""Two `dealwise worker` processes on one Redis queue share the calls, each transcribed once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import make_engine, migrate
from crm.models import Call, User
from crm.scope import scope_for
from crm.settings import Settings
from transcription.jobs import enqueue
from transcription.runner import blob_store
from transcription.submit import submit_call

REDIS_URL = os.environ.get("DEALWISE_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.skipif(not REDIS_URL, reason="DEALWISE_TEST_REDIS_URL not set")]


def test_two_redis_workers_share_the_queue(tmp_path: Path, audio_dir: Path, model_cache_dir: Path,
                                           model_path: Any) -> None:
    import redis

    assert REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    eng = make_engine(url)
    migrate(eng)
    settings = Settings(database_url=url, data_dir=tmp_path / "var", model_cache_dir=model_cache_dir, env="test",
                        queue_backend="redis", redis_url=REDIS_URL)
    files = ["w0121.wav", "w0121.flac", "w0121.ogg", "w0121.m4a"]
    with Session(eng) as s:
        user = User(username="r", display_name="李明", role="rep")
        s.add(user)
        s.flush()
        ids = [submit_call(s, scope_for(user), user.id, audio_dir / f, store=blob_store(settings),
                           settings=settings).call.id for f in files]
        s.commit()
    env = {**os.environ, "DEALWISE_DATABASE_URL": url, "DEALWISE_DATA_DIR": str(settings.data_dir),
           "DEALWISE_MODEL_CACHE_DIR": str(model_cache_dir), "DEALWISE_QUEUE_BACKEND": "redis",
           "DEALWISE_REDIS_URL": REDIS_URL, "DEALWISE_ENV": "test", "DEALWISE_ASR_THREADS": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "api.cli.main", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        for call_id in ids:  # duplicates on the queue are harmless: the claim makes each job run once
            enqueue(call_id, settings)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with Session(eng) as s:
                states = s.scalars(select(Call.status).where(Call.id.in_(ids))).all()
            if all(st in ("done", "failed") for st in states):
                break
            time.sleep(0.5)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    with Session(eng) as s:
        calls = s.scalars(select(Call).where(Call.id.in_(ids))).all()
        assert [c.status for c in calls] == ["done"] * len(files), [c.error for c in calls]
        assert all(c.attempts == 1 for c in calls)
        assert all("交易" in (c.transcript or {}).get("text", "") for c in calls)
    eng.dispose()
