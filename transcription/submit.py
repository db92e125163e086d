"""Accept a call recording: check it, store it content-addressed, create (or find) its Call row.

Nothing is half-stored: the audio is probed before anything is written, the blob is written
atomically, and the Call row is added in the caller's transaction. Re-uploading the same bytes for
the same opportunity (or, without one, by the same owner) returns the existing call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account, Call, Opportunity
from crm.models.base import utcnow
from crm.scope import Scope
from crm.settings import Settings
from transcription.audio import probe
from transcription.blobstore import BlobStore, sha256_file


@dataclass
class Submitted:
    call: Call
    created: bool  # False: the same audio was already uploaded for this opportunity/owner


def dedupe_key(sha256: str, opportunity_id: int | None, owner_id: int) -> str:
    return f"{sha256}:opp:{opportunity_id}" if opportunity_id is not None else f"{sha256}:owner:{owner_id}"


def submit_call(
    session: Session,
    scope: Scope,
    owner_id: int,
    path: Path,
    *,
    store: BlobStore,
    settings: Settings,
    filename: str = "",
    content_type: str | None = None,
    opportunity_id: int | None = None,
    account_id: int | None = None,
    call_time: datetime | None = None,
) -> Submitted:
    """Validate and store; raises crm NotFound for out-of-scope links, AudioError for bad audio."""
    opp = scope.get(session, Opportunity, opportunity_id) if opportunity_id is not None else None
    if account_id is not None:
        scope.get(session, Account, account_id)
    elif opp is not None:
        account_id = opp.account_id
    info = probe(Path(path), settings.max_upload_mb * 1024 * 1024, settings.max_audio_seconds)
    sha = sha256_file(path)
    key = dedupe_key(sha, opportunity_id, owner_id)
    existing = session.scalars(select(Call).where(Call.dedupe_key == key)).first()
    if existing is not None:
        if existing.status in ("failed", "cancelled"):
            existing.status, existing.progress, existing.error = "queued", 0.0, None
            existing.attempts = 0
            existing.updated_at = utcnow()
        return Submitted(existing, created=False)
    blob_key, _sha, size = store.put_file(path)
    call = Call(
        owner_id=owner_id,
        opportunity_id=opportunity_id,
        account_id=account_id,
        filename=(filename or Path(path).name)[:255],
        content_type=content_type,
        audio_sha256=sha,
        blob_key=blob_key,
        size_bytes=size,
        duration_s=round(info.duration, 3) if info.duration else None,
        call_time=call_time,
        status="queued",
        progress=0.0,
        attempts=0,
        dedupe_key=key,
    )
    session.add(call)
    session.flush()
    return Submitted(call, created=True)


def cancel_call(session: Session, scope: Scope, call_id: int) -> Call:
    call = scope.get(session, Call, call_id)
    if call.status in ("queued", "running"):
        call.status = "cancelled"
        call.updated_at = utcnow()
    return call
