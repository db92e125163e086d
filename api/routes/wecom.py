"""The WeCom callback: GET verifies the URL, POST receives encrypted messages.

Bad signature, wrong receiveid or a stale timestamp → 403; malformed XML or ciphertext → 400;
WeCom not configured → 503. A valid POST is claimed in the WeCom queue's own store (so retries are
dropped by MsgId or event key), enqueued and acknowledged ("success"); a queue consumer makes the durable
InboundEvent claim and answers through message/send.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from sqlalchemy import Engine

from api.wecom.crypto import DecryptError, ReceiveIdError, SignatureError, TimestampError, WeComCryptoError
from api.wecom.jobs import QueueRunner
from api.wecom.messages import MalformedXML, parse_envelope, parse_message
from api.wecom.runtime import NotConfigured, WeComApp, require_config
from crm.settings import Settings

log = logging.getLogger("dealwise.wecom")
router = APIRouter(tags=["wecom"])
_LOCK = threading.Lock()
MAX_BODY = 256 * 1024
_NOTIFY_HOOK: Callable[[Any, Any], None] | None = None


def _runner_for(settings: Settings, engine: Engine) -> QueueRunner:
    """The embedded default consumes the WeCom queue in a niced child process (with the digest
    schedule); with `worker_in_process` off, `dealwise wecom worker` consumes it elsewhere."""
    settings = settings.model_copy(update={"database_url": engine.url.render_as_string(hide_password=False)})
    embedded = settings.worker_in_process and settings.queue_backend != "immediate"
    return QueueRunner(settings, consumer="process" if embedded else "none", periodic=True).start()


def _install(state: Any, settings: Settings) -> WeComApp:
    """Build the WeCom runtime on `app.state`: its queue runner (stopped at shutdown) and the call-done notices."""
    runner = _runner_for(settings, state.engine)
    state.wecom = WeComApp.from_settings(settings, state.engine, runner=runner)
    state.shutdown_hooks.append(runner.shutdown)
    _watch_calls(settings)
    return state.wecom  # type: ignore[no-any-return]


def wecom_app(request: Request) -> WeComApp:
    """The app's WeCom runtime, built on first use (tests may set `app.state.wecom` themselves)."""
    state = request.app.state
    existing = getattr(state, "wecom", None)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    with _LOCK:
        if getattr(state, "wecom", None) is None:
            try:
                require_config(state.settings)
            except NotConfigured as exc:
                raise HTTPException(503, str(exc)) from exc
            _install(state, state.settings)
    return state.wecom  # type: ignore[no-any-return]


def _watch_calls(settings: Settings) -> None:
    """Tell the sender when a recording they sent in WeCom has been processed (a job on the WeCom queue)."""
    try:
        from transcription import hooks
    except ImportError:
        return
    from api.wecom.jobs import wecom_queue

    def wecom_notify(_session: object, call: object) -> None:
        call_id = getattr(call, "id", None)
        if call_id is not None:  # most calls have no watcher; the job checks and returns
            wecom_queue(settings).call_done(call_id)

    global _NOTIFY_HOOK
    if _NOTIFY_HOOK is not None:  # one notice hook per process, for the newest runtime's settings
        hooks.unregister(_NOTIFY_HOOK)
    _NOTIFY_HOOK = hooks.register(wecom_notify)


def _start_at_boot(app: FastAPI) -> None:
    """Outside tests, start the WeCom consumer (and its digest schedule) with the server when configured."""
    settings: Settings = app.state.settings
    if settings.env == "test" or not settings.worker_in_process or settings.queue_backend == "immediate":
        return
    try:
        require_config(settings)
    except NotConfigured:
        return
    _install(app.state, settings)
    log.info("WeCom queue consumer started (%s queue)", settings.queue_backend)


def _crypto_error(exc: WeComCryptoError) -> HTTPException:
    if isinstance(exc, SignatureError | ReceiveIdError | TimestampError):
        return HTTPException(403, str(exc))
    if isinstance(exc, DecryptError):
        return HTTPException(400, str(exc))
    return HTTPException(400, str(exc))


@router.get("/wecom/callback", response_class=PlainTextResponse)
def verify_url(request: Request, msg_signature: str = "", timestamp: str = "", nonce: str = "",
               echostr: str = "") -> PlainTextResponse:
    """URL verification: answer with the decrypted echostr, as plain text."""
    app = wecom_app(request)
    if not (msg_signature and timestamp and nonce and echostr):
        raise HTTPException(400, "msg_signature, timestamp, nonce and echostr are required")
    try:
        plain = app.crypto.verify_url(msg_signature, timestamp, nonce, echostr)
    except WeComCryptoError as exc:
        raise _crypto_error(exc) from exc
    return PlainTextResponse(plain)


@router.post("/wecom/callback", response_class=PlainTextResponse)
async def receive(request: Request, msg_signature: str = "", timestamp: str = "", nonce: str = "") -> PlainTextResponse:
    """An encrypted message or event: verify, decrypt, dedupe, queue; answer "success" at once."""
    app = wecom_app(request)
    body = await request.body()
    if len(body) > MAX_BODY:
        raise HTTPException(413, "callback body too large")
    try:
        envelope = parse_envelope(body.decode("utf-8", errors="strict"))
    except (MalformedXML, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"malformed callback body: {exc}") from exc
    try:
        plain = app.crypto.decrypt_message(msg_signature, timestamp, nonce, envelope["Encrypt"])
    except WeComCryptoError as exc:
        raise _crypto_error(exc) from exc
    try:
        msg = parse_message(plain)
    except MalformedXML as exc:
        raise HTTPException(400, f"malformed message: {exc}") from exc
    if not await run_in_threadpool(app.accept, msg):  # two small writes: keep them off the event loop
        log.info("wecom duplicate dropped", extra={"key": msg.dedupe_key})
    return PlainTextResponse("success")


try:
    from api.app import startup_hooks

    if _start_at_boot not in startup_hooks:
        startup_hooks.append(_start_at_boot)
except ImportError:  # pragma: no cover - api.app always exists in this tree
    pass
