"""The WeCom app at run time: crypto, API client, the job queue runner, dedupe, helpers for dispatch.

The callback only verifies, decrypts, claims the delivery in the queue's store and enqueues it on the
WeCom job queue, so WeCom gets its answer within milliseconds. The consumer makes the durable claim
(a unique InboundEvent row) before it replies through `message/send`: a delivery is answered once.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from api.wecom.client import WeComClient
from api.wecom.crypto import WeComCrypto
from api.wecom.messages import InboundMessage
from crm.db import session_scope
from crm.models import InboundEvent, User, utcnow
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

    def discard(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)


def claim_key(engine: Engine, key: str, source: str = "wecom") -> bool:
    """Insert a unique InboundEvent row; False when the key is already there (exact across processes).
    One Core INSERT (no ORM session): this runs in the callback's acknowledgement path."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(InboundEvent).values(key=key[:200], source=source, created_at=utcnow()))
    except IntegrityError:
        return False
    return True


def release_key(engine: Engine, key: str) -> None:
    with session_scope(engine) as s:
        s.execute(delete(InboundEvent).where(InboundEvent.key == key[:200]))


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
    """Where claimed messages go after the callback has answered (the WeCom job queue: api/wecom/jobs.py)."""

    def submit_message(self, msg: InboundMessage) -> bool: ...

    def wait_idle(self, timeout: float = 30.0) -> None: ...

    def shutdown(self) -> None: ...


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
        """The app for these settings; without a runner, messages are only enqueued (no consumer here)."""
        from api.wecom.jobs import QueueRunner, register_app

        corp, agent, secret, token, aes = require_config(settings)
        app = cls(
            settings=settings, engine=engine,
            crypto=WeComCrypto(token, aes, corp, window_s=settings.wecom_timestamp_window_s),
            client=client or WeComClient(corp, secret, agent, settings.wecom_api_base),
            runner=runner or QueueRunner(settings),
            transcribe_voice=transcribe_voice or default_voice_transcriber(settings),
            enqueue_call=enqueue_call,
        )
        register_app(app)
        return app

    # --- the synchronous part of the callback --------------------------------------------------------
    def claim(self, key: str) -> bool:
        """Record a delivery in the database; False when it was seen before (by any process)."""
        return claim_key(self.engine, key)

    def accept(self, msg: InboundMessage) -> bool:
        """The acknowledgement path: drop a retry (this process's memory, then the queue's own exact
        claim) or enqueue the message. Errors propagate (HTTP 500) with nothing left claimed, so
        WeCom's retry gets another chance instead of being dropped."""
        key = msg.dedupe_key
        if not self.recent.add(key):  # this process saw it: no storage round trip
            return False
        try:
            return self.runner.submit_message(msg)
        except Exception:
            self.recent.discard(key)
            raise

    def process_queued(self, msg: InboundMessage) -> None:
        """In the consumer: the durable claim (InboundEvent, exact across queues and restarts), then the reply."""
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
