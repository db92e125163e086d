"""The durable job queue: huey (SqliteHuey under data_dir, RedisHuey for N workers on N machines).

The queue only carries call ids; the Call row and the stored audio are the truth. A worker that
starts (or restarts after a crash) re-enqueues every queued or running call (`recover`); the
conditional claim in `runner` makes a duplicate message harmless.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper
from huey.exceptions import RetryTask

from crm.db import engine_for
from crm.settings import Settings, get_settings
from transcription.errors import TransientError
from transcription.runner import pending_call_ids, run_call

log = logging.getLogger("dealwise.transcription.jobs")
RETRIES = 5
RETRY_DELAY_S = 5
RETRY_BACKOFF = 2.0

_LOCK = threading.Lock()
_QUEUES: dict[tuple[str, str, str], tuple[Huey, TaskWrapper]] = {}


def _make_huey(settings: Settings) -> Huey:
    if settings.queue_backend == "redis":
        return RedisHuey("dealwise-calls", url=settings.redis_url, utc=True)
    if settings.queue_backend == "immediate":
        return MemoryHuey("dealwise-calls", immediate=True, utc=True)
    path = settings.data_dir / "jobs" / "queue.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("dealwise-calls", filename=str(path), utc=True)


def queue_for(settings: Settings | None = None) -> tuple[Huey, TaskWrapper]:
    """The huey instance and its `transcribe_call` task for these settings (built once per process)."""
    settings = settings or get_settings()
    key = (settings.queue_backend, str(settings.data_dir.resolve()), settings.redis_url)
    with _LOCK:
        if key not in _QUEUES:
            huey = _make_huey(settings)

            @huey.task(retries=RETRIES, retry_delay=RETRY_DELAY_S, retry_backoff=RETRY_BACKOFF,
                       name="transcribe_call")
            def transcribe_call(call_id: int) -> str:
                try:
                    return run_call(call_id, settings).status
                except TransientError as exc:
                    log.warning("call %s: transient failure, retrying: %s", call_id, exc)
                    raise RetryTask(str(exc)) from exc

            _QUEUES[key] = (huey, transcribe_call)
        return _QUEUES[key]


def enqueue(call_id: int, settings: Settings | None = None) -> None:
    """Queue one call (after its row is committed)."""
    _huey, task = queue_for(settings)
    task(call_id)


def recover(settings: Settings | None = None) -> list[int]:
    """Re-enqueue every queued or running call: what a restarted worker does first."""
    settings = settings or get_settings()
    ids = pending_call_ids(engine_for(settings.database_url))
    for call_id in ids:
        enqueue(call_id, settings)
    if ids:
        log.info("re-enqueued %d pending call(s): %s", len(ids), ids[:20])
    return ids


def start_in_background(consumer: Any) -> None:
    """Start a huey consumer's threads without its signal handlers: huey's start() would install them in the host
    process (uvicorn, tests) and swallow the Ctrl-C/SIGTERM meant for it; the host stops the consumer instead."""
    consumer._set_signal_handlers = lambda: None
    consumer.start()


class Worker:
    """A huey consumer run in background threads (the API's in-process worker, tests) or blocking (CLI)."""

    def __init__(self, settings: Settings | None = None, workers: int = 1, **consumer_opts: Any) -> None:
        self.settings = settings or get_settings()
        self.huey, _ = queue_for(self.settings)
        consumer_opts.setdefault("periodic", False)
        consumer_opts.setdefault("check_worker_health", True)
        consumer_opts.setdefault("scheduler_interval", 1)
        self.consumer = self.huey.create_consumer(workers=workers, worker_type="thread", **consumer_opts)

    def start(self) -> None:
        """Run in background threads; the host process (uvicorn, tests) keeps its own SIGINT/SIGTERM handling."""
        recover(self.settings)
        start_in_background(self.consumer)

    def stop(self, graceful: bool = True) -> None:
        self.consumer.stop(graceful=graceful)

    def run_forever(self) -> None:
        recover(self.settings)
        self.consumer.run()
