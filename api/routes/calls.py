"""Call recordings over HTTP: upload (202 + background transcription), status, transcript, audio.

Every read goes through the caller's Scope: a call outside it is a 404. Bad audio is a 4xx whose
message names the problem; nothing is stored for a rejected upload.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Query, Response, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import CurrentUser, ScopeDep, SessionDep, SettingsDep
from api.pagination import Page, PageParams, page_params, paginate
from crm.models import Call
from crm.settings import Settings
from transcription.errors import AudioError, AudioTooLargeError
from transcription.formats import MEDIA_TYPES, render
from transcription.jobs import Worker, enqueue
from transcription.runner import blob_store
from transcription.submit import cancel_call, submit_call
from transcription.types import Transcript

log = logging.getLogger("dealwise.calls")
router = APIRouter(prefix="/api/v1", tags=["calls"])
PageDep = Annotated[PageParams, Depends(page_params)]


class CallOut(BaseModel):
    id: int
    status: str
    progress: float
    error: str | None = None
    filename: str
    content_type: str | None = None
    size_bytes: int
    duration_s: float | None = None
    opportunity_id: int | None = None
    account_id: int | None = None
    owner_id: int
    call_time: datetime | None = None
    attempts: int
    created_at: datetime
    updated_at: datetime
    duplicate: bool = False
    transcript: dict[str, Any] | None = None
    insights: dict[str, Any] | None = None

    model_config = {"from_attributes": True}


def _out(call: Call, full: bool = True, duplicate: bool = False) -> CallOut:
    out = CallOut.model_validate(call)
    out.duplicate = duplicate
    if not full:
        out.transcript = out.insights = None
    return out


def _audio_error(exc: AudioError) -> HTTPException:
    code = status.HTTP_413_CONTENT_TOO_LARGE if isinstance(exc, AudioTooLargeError) else 422
    return HTTPException(code, detail=str(exc), headers={"X-Error-Code": exc.code})


async def _spool(upload: UploadFile, settings: Settings) -> Path:
    """Copy the upload to a temp file under data_dir, refusing it past the size limit."""
    limit = settings.max_upload_mb * 1024 * 1024
    tmp_dir = settings.data_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.filename or "").suffix[:10]
    fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload.", suffix=suffix)
    size = 0
    with open(fd, "wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                Path(name).unlink(missing_ok=True)
                raise _audio_error(AudioTooLargeError(
                    f"{upload.filename or 'the upload'} is over the {settings.max_upload_mb} MB upload limit"))
            out.write(chunk)
    return Path(name)


@router.post("/calls", status_code=status.HTTP_202_ACCEPTED, response_model=CallOut)
async def upload_call(
    session: SessionDep,
    scope: ScopeDep,
    user: CurrentUser,
    settings: SettingsDep,
    response: Response,
    audio: UploadFile | None = None,
    file: UploadFile | None = None,
    opportunity_id: Annotated[int | None, Form()] = None,
    account_id: Annotated[int | None, Form()] = None,
    call_time: Annotated[datetime | None, Form()] = None,
) -> CallOut:
    """Upload a recording (multipart field `audio` or `file`); transcription runs in the background."""
    upload = audio or file
    if upload is None:
        raise HTTPException(422, "audio: attach the recording as the multipart field 'audio'")
    path = await _spool(upload, settings)
    try:
        result = submit_call(
            session, scope, user.id, path, store=blob_store(settings), settings=settings,
            filename=upload.filename or "", content_type=upload.content_type,
            opportunity_id=opportunity_id, account_id=account_id, call_time=call_time,
        )
    except AudioError as exc:
        raise _audio_error(exc) from exc
    finally:
        path.unlink(missing_ok=True)
    session.commit()
    call = result.call
    if call.status == "queued":
        enqueue(call.id, settings)
        session.refresh(call)
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return _out(call, full=False, duplicate=not result.created)


@router.get("/calls", response_model=Page[CallOut])
def list_calls(session: SessionDep, scope: ScopeDep, page: PageDep, opportunity_id: int | None = None,
               status_: Annotated[str | None, Query(alias="status")] = None) -> Page[CallOut]:
    stmt = scope.apply(select(Call), Call)
    if opportunity_id is not None:
        stmt = stmt.where(Call.opportunity_id == opportunity_id)
    if status_:
        stmt = stmt.where(Call.status == status_)
    rows, total, nxt = paginate(session, stmt, page, [Call.created_at.desc(), Call.id.desc()])
    return Page(items=[_out(r, full=False) for r in rows], total=total, next=nxt)


@router.get("/calls/{call_id}", response_model=CallOut)
def get_call(call_id: int, session: SessionDep, scope: ScopeDep) -> CallOut:
    """Status, progress (% of audio), error, transcript and insights of one call."""
    return _out(scope.get(session, Call, call_id))


@router.post("/calls/{call_id}/cancel", response_model=CallOut)
def cancel(call_id: int, session: SessionDep, scope: ScopeDep) -> CallOut:
    return _out(cancel_call(session, scope, call_id), full=False)


@router.get("/calls/{call_id}/transcript")
def get_transcript(call_id: int, session: SessionDep, scope: ScopeDep,
                   format: Literal["json", "txt", "srt", "vtt"] = "json") -> Response:
    call = scope.get(session, Call, call_id)
    if call.transcript is None:
        return JSONResponse({"detail": f"call {call_id} has no transcript yet (status {call.status})",
                             "status": call.status, "progress": call.progress}, status_code=409)
    transcript = Transcript.model_validate(call.transcript)
    if format == "json":
        return JSONResponse(transcript.model_dump(mode="json", exclude_none=True))
    return Response(render(transcript, format), media_type=MEDIA_TYPES[format])


@router.get("/calls/{call_id}/audio")
def get_audio(call_id: int, session: SessionDep, scope: ScopeDep, settings: SettingsDep) -> FileResponse:
    """The stored recording for the web player (HTTP Range supported)."""
    call = scope.get(session, Call, call_id)
    store = blob_store(settings)
    if not store.exists(call.blob_key):
        raise HTTPException(404, f"the audio of call {call_id} is not stored")
    return FileResponse(store.local_path(call.blob_key), media_type=call.content_type or "application/octet-stream",
                        filename=call.filename or None, content_disposition_type="inline")


# --- wiring: the in-process worker (insights and indexing register their own hooks) -----------------------------------
def _start_worker(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    if not settings.worker_in_process or settings.queue_backend == "immediate" or settings.env == "test":
        return
    worker = Worker(settings)
    worker.start()
    app.state.shutdown_hooks.append(worker.stop)
    log.info("in-process transcription worker started (%s queue)", settings.queue_backend)


try:
    from api.app import startup_hooks

    if _start_worker not in startup_hooks:
        startup_hooks.append(_start_worker)
except ImportError:  # pragma: no cover - api.app always exists in this tree
    pass
