"""Throughput of the Redis job queue: two `dealwise worker` processes against one.

    redis-server --port 6390 --daemonize yes
    .venv/bin/python benchmarks/asr_redis_throughput.py --redis-url redis://127.0.0.1:6390/0 [--calls 8]

Each worker process runs one job at a time with 1 CTranslate2 thread, so two workers use the two
cores. The workers are started and warmed up (one call each, untimed), then N distinct short calls
(the AISHELL clip with a different tiny noise floor each, so no two are deduplicated) are enqueued
and timed until all are done. Reported: calls per minute for 1 and 2 workers and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from crm.db import make_engine, migrate  # noqa: E402
from crm.models import Call, User  # noqa: E402
from crm.scope import scope_for  # noqa: E402
from crm.settings import Settings, get_settings  # noqa: E402
from transcription.audio import decode_all  # noqa: E402
from transcription.jobs import enqueue  # noqa: E402
from transcription.runner import blob_store  # noqa: E402
from transcription.submit import submit_call  # noqa: E402


def write_wav(path: Path, x: np.ndarray) -> Path:
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def run(workers: int, n: int, redis_url: str, clip: np.ndarray, tmp: Path) -> float:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    url = f"sqlite:///{tmp / f'tp{workers}.sqlite'}"
    eng = make_engine(url)
    migrate(eng)
    base = get_settings()
    settings = Settings(database_url=url, data_dir=tmp / f"var{workers}", model_cache_dir=base.models_dir,
                        queue_backend="redis", redis_url=redis_url)
    rng = np.random.default_rng(workers)
    with Session(eng) as s:
        user = User(username="bench", display_name="李明", role="rep")
        s.add(user)
        s.flush()
        ids = []
        for i in range(n + workers):
            path = write_wav(tmp / f"c{workers}_{i}.wav", clip + rng.normal(0, 1e-4, clip.shape).astype(np.float32))
            ids.append(submit_call(s, scope_for(user), user.id, path, store=blob_store(settings),
                                   settings=settings).call.id)
        s.commit()
    env = {**os.environ, "DEALWISE_DATABASE_URL": url, "DEALWISE_DATA_DIR": str(settings.data_dir),
           "DEALWISE_MODEL_CACHE_DIR": str(base.models_dir), "DEALWISE_QUEUE_BACKEND": "redis",
           "DEALWISE_REDIS_URL": redis_url, "DEALWISE_ASR_THREADS": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "api.cli.main", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]

    def wait(which: list[int]) -> None:
        while True:
            with Session(eng) as s:
                states = s.scalars(select(Call.status).where(Call.id.in_(which))).all()
            if all(st in ("done", "failed") for st in states):
                return
            time.sleep(0.2)

    try:
        warm, timed = ids[:workers], ids[workers:]
        for cid in warm:
            enqueue(cid, settings)
        wait(warm)
        start = time.perf_counter()
        for cid in timed:
            enqueue(cid, settings)
        wait(timed)
        elapsed = time.perf_counter() - start
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        eng.dispose()
    return n / elapsed * 60


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--redis-url", default=os.environ.get("DEALWISE_TEST_REDIS_URL", "redis://127.0.0.1:6390/0"))
    ap.add_argument("--calls", type=int, default=8)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    clip = decode_all(ROOT / "tests" / "fixtures" / "audio" / "w0121.wav")[0]
    with tempfile.TemporaryDirectory() as tmp:
        one = run(1, args.calls, args.redis_url, clip, Path(tmp))
        two = run(2, args.calls, args.redis_url, clip, Path(tmp))
    result = {"calls": args.calls, "clip_s": round(len(clip) / 16000, 2), "one_worker_calls_per_min": round(one, 2),
              "two_workers_calls_per_min": round(two, 2), "speedup": round(two / one, 2)}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
