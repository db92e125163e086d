"""One call's transcription job, with the Call row as the durable truth (status, progress, attempts).

A job claims its call with one conditional UPDATE (queued → running, or a running call whose
heartbeat went stale after a worker crash), heartbeats through progress updates, and finishes as
done / failed (with the reason) / cancelled. Transient errors are re-raised for the queue to retry
with backoff; bad audio fails at once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.exc import OperationalError

from crm.db import engine_for, session_scope
from crm.models import Call
from crm.models.base import utcnow
from crm.settings import Settings, get_settings
from transcription import hooks
from transcription.blobstore import BlobStore, LocalBlobStore
from transcription.errors import AudioError, ModelCacheError, TransientError
from transcription.model_cache import resolve_model
from transcription.pipeline import Cancelled, TranscribeOptions, Transcriber, default_transcriber
from transcription.vocab import from_crm

log = logging.getLogger("dealwise.transcription.jobs")
LEASE_S = 90.0  # a running call without a heartbeat for this long is taken over by another worker
HEARTBEAT_S = 3.0
MAX_ATTEMPTS = 4


def blob_store(settings: Settings) -> BlobStore:
    return LocalBlobStore(settings.data_dir / "blobs")


@lru_cache(maxsize=4)
def _transcriber(model: str, device: str, compute_type: str, threads: int) -> Transcriber:
    return default_transcriber(model, device, compute_type, threads)


def transcriber_for(settings: Settings) -> Transcriber:
    model = resolve_model(settings.asr_model, settings.models_dir)
    return _transcriber(model, settings.asr_device, settings.asr_compute_type, settings.asr_threads)


@dataclass
class JobOutcome:
    call_id: int
    status: str
    detail: str = ""


def claim(engine: Engine, call_id: int, lease_s: float | None = None) -> bool:
    """Atomically move the call to running; False when it is done, cancelled or held by a live worker."""
    now = utcnow()
    stale = now - timedelta(seconds=LEASE_S if lease_s is None else lease_s)
    with engine.begin() as conn:
        res = conn.execute(
            update(Call)
            .where(Call.id == call_id,
                   or_(Call.status == "queued", (Call.status == "running") & (Call.updated_at < stale)))
            .values(status="running", attempts=Call.attempts + 1, error=None, updated_at=now)
        )
        return bool(res.rowcount)


def _set(engine: Engine, call_id: int, **values: object) -> None:
    values.setdefault("updated_at", utcnow())
    with engine.begin() as conn:
        conn.execute(update(Call).where(Call.id == call_id).values(**values))


def _status(engine: Engine, call_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(Call.status).where(Call.id == call_id)).scalar()


class Progress:
    """Throttled progress writes that double as the job's heartbeat; also polls for cancellation."""

    def __init__(self, engine: Engine, call_id: int) -> None:
        self.engine, self.call_id = engine, call_id
        self.last_write = 0.0
        self.last_value = -1.0
        self.cancel_seen = False

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        pct = round(100 * fraction, 1)
        if now - self.last_write < HEARTBEAT_S and pct - self.last_value < 5:
            return
        self.last_write, self.last_value = now, pct
        with self.engine.begin() as conn:
            res = conn.execute(update(Call).where(Call.id == self.call_id, Call.status == "running")
                               .values(progress=min(pct, 99.0), updated_at=utcnow()))
            self.cancel_seen = res.rowcount == 0

    def cancelled(self) -> bool:
        return self.cancel_seen or _status(self.engine, self.call_id) == "cancelled"


def run_call(call_id: int, settings: Settings | None = None, transcriber: Transcriber | None = None) -> JobOutcome:
    """Transcribe one stored call. Raises TransientError when the queue should retry later."""
    settings = settings or get_settings()
    engine = engine_for(settings.database_url)
    try:
        if not claim(engine, call_id):
            status = _status(engine, call_id)
            if status == "running":
                raise TransientError(f"call {call_id} is held by another worker")
            return JobOutcome(call_id, status or "missing", "nothing to do")
    except OperationalError as exc:
        raise TransientError(f"database busy: {exc}") from exc

    with session_scope(engine) as session:
        call = session.get(Call, call_id)
        assert call is not None
        attempts = call.attempts
        vocab = from_crm(session, account_id=call.account_id, opportunity_id=call.opportunity_id,
                         owner_id=call.owner_id)
        blob_key = call.blob_key
    store = blob_store(settings)
    progress = Progress(engine, call_id)
    opts = TranscribeOptions(
        language=settings.asr_language, rep_channel=settings.asr_rep_channel, vocabulary=vocab,
        beam_size=settings.asr_beam_size, max_bytes=settings.max_upload_mb * 1024 * 1024,
        max_seconds=settings.max_audio_seconds,
    )
    try:
        if not store.exists(blob_key):
            raise AudioError(f"the stored audio {blob_key[:12]}… is missing")
        transcriber = transcriber or transcriber_for(settings)
        transcript = transcriber.transcribe(Path(store.local_path(blob_key)), opts, progress, progress.cancelled)
    except Cancelled:
        _set(engine, call_id, status="cancelled")
        return JobOutcome(call_id, "cancelled")
    except (AudioError, ModelCacheError) as exc:
        _set(engine, call_id, status="failed", error=str(exc))
        return JobOutcome(call_id, "failed", str(exc))
    except (TransientError, OSError, OperationalError, MemoryError) as exc:
        final = attempts >= MAX_ATTEMPTS
        _set(engine, call_id, status="failed" if final else "queued",
             error=f"{'gave up after' if final else 'will retry after'} attempt {attempts}: {exc}")
        if final:
            return JobOutcome(call_id, "failed", str(exc))
        raise TransientError(str(exc)) from exc
    except Exception as exc:
        log.exception("transcription of call %s failed", call_id)
        _set(engine, call_id, status="failed", error=f"internal error: {type(exc).__name__}: {exc}")
        return JobOutcome(call_id, "failed", str(exc))

    with session_scope(engine) as session:
        call = session.get(Call, call_id)
        assert call is not None
        if call.status == "cancelled":
            return JobOutcome(call_id, "cancelled")
        call.transcript = transcript.model_dump(mode="json", exclude_none=True)
        call.duration_s = transcript.duration
        call.status, call.progress, call.error = "done", 100.0, None
        call.updated_at = utcnow()
    try:
        with session_scope(engine) as session:
            call = session.get(Call, call_id)
            assert call is not None
            errors = hooks.run_hooks(session, call)
    except Exception as exc:  # the transcript is already stored; a hook's commit failing must not undo it
        log.exception("post-transcription hooks failed for call %s", call_id)
        errors = [f"commit: {exc}"]
    if errors:
        _set(engine, call_id, error=("post-processing: " + "; ".join(errors))[:2000])
    return JobOutcome(call_id, "done")


def pending_call_ids(engine: Engine) -> list[int]:
    """Calls a (re)started worker must pick up: queued ones and running ones whose worker died."""
    with engine.connect() as conn:
        rows = conn.execute(select(Call.id).where(Call.status.in_(("queued", "running"))).order_by(Call.id))
        return [int(r[0]) for r in rows]
