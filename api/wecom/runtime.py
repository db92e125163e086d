"""The WeCom app at run time: crypto, API client, background runner, dedupe, and message processing.

The callback only verifies, decrypts, claims the delivery (InboundEvent) and hands the message to
the background runner, so WeCom gets its answer within milliseconds; replies go out later through
`message/send`.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from api.wecom.client import WeComClient
from api.wecom.crypto import WeComCrypto
from api.wecom.messages import InboundMessage
from crm.db import session_scope
from crm.models import InboundEvent, User
from crm.settings import Settings

log = logging.getLogger("dealwise.wecom")

VoiceTranscriber = Callable[[Path], str]


class RecentKeys:
    """A bounded, thread-safe set of recently seen delivery keys (the callback's fast dedupe)."""

    def __init__(self, size: int = 20000) -> None:
        self.size = size
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        """True when the key is new (and now remembered)."""
        with self._lock:
            if key in self._keys:
                return False
            self._keys[key] = None
            if len(self._keys) > self.size:
                self._keys.popitem(last=False)
            return True


class NotConfigured(RuntimeError):
    """A DEALWISE_WECOM_* setting is missing."""


def require_config(settings: Settings) -> tuple[str, str, str, str, str]:
    values = {
        "DEALWISE_WECOM_CORP_ID": settings.wecom_corp_id,
        "DEALWISE_WECOM_AGENT_ID": settings.wecom_agent_id,
        "DEALWISE_WECOM_SECRET": settings.wecom_secret.get_secret_value() if settings.wecom_secret else None,
        "DEALWISE_WECOM_TOKEN": settings.wecom_token.get_secret_value() if settings.wecom_token else None,
        "DEALWISE_WECOM_AES_KEY": settings.wecom_aes_key.get_secret_value() if settings.wecom_aes_key else None,
    }
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise NotConfigured("WeCom is not configured: set " + ", ".join(missing))
    corp, agent, secret, token, aes = (str(v) for v in values.values())
    return corp, agent, secret, token, aes


class Runner(Protocol):
    """Where inbound messages are processed after the callback has answered."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> None: ...

    def shutdown(self) -> None: ...


class ThreadRunner:
    """A small thread pool (the embedded default); `wait_idle` lets tests and benchmarks join it."""

    def __init__(self, workers: int = 2) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wecom")
        self._pending: set[Future[Any]] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        fut = self.pool.submit(fn, *args)
        with self._lock:
            self._pending.add(fut)
        fut.add_done_callback(self._done)

    def _done(self, fut: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(fut)
        if fut.exception() is not None:
            log.error("wecom background task failed", exc_info=fut.exception())

    def wait_idle(self, timeout: float = 30.0) -> None:
        import concurrent.futures as cf

        with self._lock:
            pending = list(self._pending)
        cf.wait(pending, timeout=timeout)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)


class ProcessRunner(ThreadRunner):
    """Messages processed in worker processes: the assistant's CPU work never holds the HTTP server's GIL,
    so acknowledgements stay fast under load. Each child builds its own WeComApp from the settings."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),  # type: ignore[assignment]
                                        initializer=_child_init, initargs=(settings,))
        self._pending = set()
        self._lock = threading.Lock()

    def submit_message(self, msg: InboundMessage) -> None:
        self.submit(_child_process, msg.model_dump_json())


_CHILD: WeComApp | None = None


def _child_init(settings: Settings) -> None:
    global _CHILD
    import os

    from crm.db import engine_for

    if hasattr(os, "nice"):
        os.nice(10)  # background turns yield the CPU to the callback's acknowledgements

    _CHILD = WeComApp.from_settings(settings, engine_for(settings.database_url), runner=ThreadRunner(workers=1))


def _child_process(msg_json: str) -> None:
    assert _CHILD is not None, "worker not initialised"
    _CHILD._claim_and_process(InboundMessage.model_validate_json(msg_json))


def default_voice_transcriber(settings: Settings) -> VoiceTranscriber:
    """Voice notes through the transcription room's Whisper (built on first use)."""

    def run(path: Path) -> str:
        from transcription.runner import transcriber_for

        transcript = transcriber_for(settings).transcribe(path)
        return transcript.text.replace("\n", "")

    return run


@dataclass
class WeComApp:
    settings: Settings
    engine: Engine
    crypto: WeComCrypto
    client: WeComClient
    runner: Runner
    transcribe_voice: VoiceTranscriber
    enqueue_call: Callable[[int], None] | None = None
    recent: RecentKeys = field(default_factory=lambda: RecentKeys())

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine, *, runner: Runner | None = None,
                      client: WeComClient | None = None, transcribe_voice: VoiceTranscriber | None = None,
                      enqueue_call: Callable[[int], None] | None = None) -> WeComApp:
        corp, agent, secret, token, aes = require_config(settings)
        return cls(
            settings=settings, engine=engine,
            crypto=WeComCrypto(token, aes, corp, window_s=settings.wecom_timestamp_window_s),
            client=client or WeComClient(corp, secret, agent, settings.wecom_api_base),
            runner=runner or ProcessRunner(settings.model_copy(
                update={"database_url": engine.url.render_as_string(hide_password=False)})),
            transcribe_voice=transcribe_voice or default_voice_transcriber(settings),
            enqueue_call=enqueue_call,
        )

    # --- the synchronous part of the callback --------------------------------------------------------
    def claim(self, key: str) -> bool:
        """Record a delivery in the database; False when it was seen before (by any process)."""
        try:
            with session_scope(self.engine) as s:
                s.add(InboundEvent(key=key[:200], source="wecom"))
        except IntegrityError:
            return False
        return True

    def accept(self, msg: InboundMessage) -> bool:
        """Drop a retry this process has already seen; queue the rest. No database work here, so the
        acknowledgement never waits behind a background turn's write lock; the durable InboundEvent
        claim runs first thing in the background (and drops retries that reached another process)."""
        if not self.recent.add(msg.dedupe_key):
            return False
        submit_message = getattr(self.runner, "submit_message", None)
        if submit_message is not None:
            submit_message(msg)
        else:
            self.runner.submit(self._claim_and_process, msg)
        return True

    def _claim_and_process(self, msg: InboundMessage) -> None:
        if not self.claim(msg.dedupe_key):
            log.info("wecom duplicate dropped", extra={"key": msg.dedupe_key})
            return
        from api.wecom.dispatch import process

        process(self, msg)

    # --- helpers for dispatch ------------------------------------------------------------------------
    def watch_call(self, call_id: int, wecom_userid: str) -> None:
        """Remember (durably) who sent a recording, so whichever process finishes it can tell them."""
        self.claim(f"wecom:watch:{call_id}:{wecom_userid}")

    def watcher_of(self, call_id: int) -> str | None:
        with session_scope(self.engine) as s:
            key = s.scalar(select(InboundEvent.key).where(InboundEvent.key.like(f"wecom:watch:{call_id}:%")))
        return key.split(":", 3)[3] if key else None

    def user_id_for(self, wecom_userid: str) -> int | None:
        with session_scope(self.engine) as s:
            return s.scalar(select(User.id).where(User.wecom_userid == wecom_userid, User.is_active))

    def save_media(self, media_id: str, suffix: str) -> Path:
        data, _ctype = self.client.get_media(media_id)
        with tempfile.NamedTemporaryFile(prefix="wecom-", suffix=suffix, delete=False) as tmp:
            tmp.write(data)
        return Path(tmp.name)
