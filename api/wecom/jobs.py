"""WeCom work on the durable huey job queue: inbound messages and the scheduled group-robot digests.

The callback claims a delivery in the queue's store and enqueues the message; a consumer claims it
durably (InboundEvent), processes it and replies through message/send. The queue is its own ("dealwise-wecom": a SQLite file beside the call
queue under data_dir/jobs, or Redis when `queue_backend=redis`), so its consumer can run in its own
niced process and never hold the HTTP server's GIL, and queued messages survive a restart.

    consumer="process"  a spawned child process runs the consumer (the API's embedded default)
    consumer="thread"   consumer threads in this process (tests)
    consumer="none"     enqueue only; `dealwise wecom worker` consumes elsewhere
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey, TaskWrapper
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR
from huey.storage import SqliteStorage

from api.wecom.messages import InboundMessage
from crm.settings import Settings
from transcription.jobs import start_in_background

if TYPE_CHECKING:
    from api.wecom.runtime import WeComApp

log = logging.getLogger("dealwise.wecom.jobs")
QUEUE_NAME = "dealwise-wecom"
ConsumerMode = Literal["process", "thread", "none"]
QueueKey = tuple[str, str, str]


@dataclass
class WeComQueue:
    huey: Huey
    inbound: TaskWrapper  # inbound(msg_json): process one claimed message
    call_done: TaskWrapper  # call_done(call_id): tell the WeCom user who sent a recording that it is analysed
    digests: TaskWrapper  # periodic, every minute: post the team digests that are due


_LOCK = threading.Lock()
_QUEUES: dict[QueueKey, WeComQueue] = {}
_APPS: dict[QueueKey, WeComApp] = {}


def queue_key(settings: Settings) -> QueueKey:
    return (settings.queue_backend, str(settings.data_dir.resolve()), settings.redis_url)


class _Storage(SqliteStorage):
    """SQLite queue storage in WAL with synchronous=NORMAL (as the main database): a commit is durable
    against a process crash without an fsync per enqueue (huey's default is FULL: ~8 ms per enqueue here)."""

    def _create_connection(self) -> Any:
        conn = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn


class _SqliteHuey(SqliteHuey):
    storage_class = _Storage


def _make_huey(settings: Settings) -> Huey:
    if settings.queue_backend == "redis":
        return RedisHuey(QUEUE_NAME, url=settings.redis_url, utc=True)
    if settings.queue_backend == "immediate":
        return MemoryHuey(QUEUE_NAME, immediate=True, utc=True)
    path = settings.data_dir / "jobs" / "wecom.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return _SqliteHuey(QUEUE_NAME, filename=str(path), utc=True)


def seen_key(dedupe_key: str) -> str:
    return f"wecom:seen:{dedupe_key}"


def register_app(app: WeComApp) -> None:
    """The WeComApp that tasks run in this process use (the first one built for these settings)."""
    with _LOCK:
        _APPS.setdefault(queue_key(app.settings), app)


def app_for(settings: Settings) -> WeComApp:
    """This process's WeComApp for these settings: a registered one, or built from the settings."""
    key = queue_key(settings)
    with _LOCK:
        app = _APPS.get(key)
    if app is None:
        from api.wecom.runtime import WeComApp
        from crm.db import engine_for

        app = WeComApp.from_settings(settings, engine_for(settings.database_url), runner=QueueRunner(settings))
        register_app(app)
        with _LOCK:
            app = _APPS[key]
    return app


def wecom_queue(settings: Settings) -> WeComQueue:
    """The WeCom queue and its tasks for these settings (built once per process)."""
    key = queue_key(settings)
    with _LOCK:
        if key not in _QUEUES:
            huey = _make_huey(settings)

            @huey.task(name="wecom_inbound")
            def wecom_inbound(msg_json: str) -> None:
                msg = InboundMessage.model_validate_json(msg_json)
                try:
                    app_for(settings).process_queued(msg)
                finally:  # the InboundEvent row is the durable claim from here on
                    huey.storage.delete_data(seen_key(msg.dedupe_key))

            @huey.task(name="wecom_call_done")
            def wecom_call_done(call_id: int) -> None:
                from api.wecom.dispatch import notify_call_done

                notify_call_done(app_for(settings), call_id)

            @huey.periodic_task(crontab(minute="*"), name="wecom_digests")
            def wecom_digests() -> None:
                from api.wecom.schedule import run_due_digests
                from crm.db import engine_for

                run_due_digests(engine_for(settings.database_url), settings, datetime.now(UTC))

            _QUEUES[key] = WeComQueue(huey, wecom_inbound, wecom_call_done, wecom_digests)
        return _QUEUES[key]


def _count_finished(huey: Huey, counter: Any) -> None:
    """Count finished inbound-message tasks in `counter` (a multiprocessing.Value shared with the parent)."""

    @huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)
    def _ended(_signal: str, task: Any, *_a: Any) -> None:
        if getattr(task, "name", "") == "wecom_inbound":
            with counter.get_lock():
                counter.value += 1


CONSUMER_OPTS: dict[str, Any] = {"initial_delay": 0.05, "backoff": 1.3, "max_delay": 1.0,
                                 "scheduler_interval": 1, "check_worker_health": True}


def _consume_in_child(settings: Settings, workers: int, periodic: bool, finished: Any) -> None:
    """The child process: niced, so acknowledgements in the parent keep the CPU; SIGINT stops it gracefully."""
    if hasattr(os, "nice"):
        os.nice(10)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    queue = wecom_queue(settings)
    _count_finished(queue.huey, finished)
    queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic, **CONSUMER_OPTS).run()


class QueueRunner:
    """Hands claimed messages to the WeCom queue and, optionally, runs its consumer."""

    def __init__(self, settings: Settings, consumer: ConsumerMode = "none", workers: int = 1,
                 periodic: bool = True) -> None:
        self.settings = settings
        self.queue = wecom_queue(settings)
        self.mode = consumer
        self.workers = workers
        self.periodic = periodic
        ctx = multiprocessing.get_context("spawn")
        self.submitted = 0  # inbound messages this runner enqueued …
        self.finished = ctx.Value("i", 0)  # … and inbound tasks its consumer finished (for wait_idle)
        self._ctx = ctx
        self._proc: Any = None
        self._consumer: Any = None
        self._lock = threading.Lock()

    def start(self) -> QueueRunner:
        if self.mode == "process" and self._proc is None:
            self._proc = self._ctx.Process(target=_consume_in_child, name="dealwise-wecom-worker", daemon=True,
                                           args=(self.settings, self.workers, self.periodic, self.finished))
            self._proc.start()
        elif self.mode == "thread" and self._consumer is None:
            _count_finished(self.queue.huey, self.finished)
            self._consumer = self.queue.huey.create_consumer(workers=self.workers, worker_type="thread",
                                                             periodic=self.periodic, **CONSUMER_OPTS)
            start_in_background(self._consumer)
        return self

    def submit_message(self, msg: InboundMessage) -> bool:
        """Claim the delivery in the queue's own store (atomic insert-if-absent: exact across processes
        sharing the queue) and enqueue it; False for a retry. The main database is not touched here, so
        an acknowledgement never waits behind a background turn's write lock."""
        storage, key = self.queue.huey.storage, seen_key(msg.dedupe_key)
        if not storage.put_if_empty(key, b"1"):
            return False
        try:
            self.queue.inbound(msg.model_dump_json())
        except Exception:
            storage.delete_data(key)
            raise
        with self._lock:
            self.submitted += 1
        return True

    def pending(self) -> int:
        """Inbound messages enqueued here and not finished yet (by this runner's consumer)."""
        return max(0, self.submitted - int(self.finished.value))

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until this runner's consumer has finished everything submitted here, or the timeout."""
        deadline = time.monotonic() + timeout
        while self.pending() and time.monotonic() < deadline:
            time.sleep(0.02)

    def shutdown(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None
        if self._proc is not None:
            import signal

            if self._proc.is_alive() and self._proc.pid is not None:
                os.kill(self._proc.pid, signal.SIGINT)  # huey: SIGINT = finish the running tasks, then exit
                self._proc.join(30)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join(5)
            self._proc = None
