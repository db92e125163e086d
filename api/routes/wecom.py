"""The WeCom callback: GET verifies the URL, POST receives encrypted messages.

Bad signature, wrong receiveid or a stale timestamp → 403; malformed XML or ciphertext → 400;
WeCom not configured → 503. A valid POST is acknowledged at once ("success"); the message is
processed in the background and answered through message/send. Retries are dropped by MsgId.
"""

from __future__ import annotations

import logging
import threading

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse

from api.wecom.crypto import DecryptError, ReceiveIdError, SignatureError, TimestampError, WeComCryptoError
from api.wecom.messages import MalformedXML, parse_envelope, parse_message
from api.wecom.runtime import NotConfigured, WeComApp

log = logging.getLogger("dealwise.wecom")
router = APIRouter(tags=["wecom"])
_LOCK = threading.Lock()
MAX_BODY = 256 * 1024


def wecom_app(request: Request) -> WeComApp:
    """The app's WeCom runtime, built on first use (tests may set `app.state.wecom` themselves)."""
    state = request.app.state
    existing = getattr(state, "wecom", None)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    with _LOCK:
        if getattr(state, "wecom", None) is None:
            try:
                app = WeComApp.from_settings(state.settings, state.engine)
            except NotConfigured as exc:
                raise HTTPException(503, str(exc)) from exc
            state.wecom = app
            state.shutdown_hooks.append(app.runner.shutdown)
            _watch_calls(app)
    return state.wecom  # type: ignore[no-any-return]


def _watch_calls(app: WeComApp) -> None:
    """Tell the sender when a recording they sent in WeCom has been processed."""
    try:
        from transcription import hooks
    except ImportError:
        return
    from api.wecom.dispatch import notify_call_done

    def wecom_notify(_session: object, call: object) -> None:
        call_id = getattr(call, "id", None)
        if call_id is not None:  # a thread: the job must not wait on WeCom; most calls have no watcher
            threading.Thread(target=notify_call_done, args=(app, call_id), daemon=True).start()

    hooks.register(wecom_notify)


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
    if not app.accept(msg):
        log.info("wecom duplicate dropped", extra={"key": msg.dedupe_key})
    return PlainTextResponse("success")
