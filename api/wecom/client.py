"""The WeCom API client: access token cached and refreshed, message/send, media/get, retries."""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from api.wecom.split import TEXT_LIMIT, split_message

log = logging.getLogger(__name__)

TOKEN_ERRORS = {40014, 42001, 42009}  # invalid / expired access token → refresh and retry
RETRYABLE_ERRCODES = {-1, 45009, 45033}  # system busy, frequency limits


class WeComAPIError(RuntimeError):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeCom API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeComClient:
    """One app's client. Thread-safe token cache; `sleep` is injectable for tests."""

    def __init__(
        self,
        corp_id: str,
        secret: str,
        agent_id: str | int,
        api_base: str,
        *,
        http: httpx.Client | None = None,
        max_retries: int = 3,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = int(agent_id)
        self.api_base = api_base.rstrip("/")
        self.http = http or httpx.Client(timeout=10.0)
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self.token_fetches = 0

    # --- token -------------------------------------------------------------------------------------
    def access_token(self, force: bool = False) -> str:
        with self._lock:
            if not force and self._token and self.clock() < self._expires_at:
                return self._token
            data = self._request("GET", "/cgi-bin/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret})
            self.token_fetches += 1
            self._token = str(data["access_token"])
            # refresh a little early: WeCom tokens live 7200 s
            self._expires_at = self.clock() + max(60, int(data.get("expires_in", 7200)) - 300)
            return self._token

    def invalidate_token(self) -> None:
        with self._lock:
            self._token = None
            self._expires_at = 0.0

    # --- transport ---------------------------------------------------------------------------------
    @staticmethod
    def _json(resp: httpx.Response) -> dict[str, Any] | None:
        """The JSON body, or None for binary answers (media/get success)."""
        ctype = resp.headers.get("content-type", "")
        if ctype.startswith(("application/json", "text/plain")):
            return dict(resp.json())
        return None

    def _with_retries(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """Retry transport errors, HTTP 5xx and busy/rate errcodes with exponential backoff."""
        last: WeComAPIError | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.sleep(self.backoff_s * (2 ** (attempt - 1)))
            try:
                resp = self.http.request(method, self.api_base + path, **kw)
            except httpx.TransportError as exc:
                last = WeComAPIError(-1, f"transport error: {exc}")
                continue
            if resp.status_code >= 500:
                last = WeComAPIError(-1, f"HTTP {resp.status_code}")
                continue
            data = self._json(resp)
            code = int(data.get("errcode", 0)) if data else 0
            if code in RETRYABLE_ERRCODES:
                last = WeComAPIError(code, str(data.get("errmsg", "")) if data else "")
                continue
            return resp
        assert last is not None
        raise last

    def _request(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        data = self._json(self._with_retries(method, path, **kw)) or {}
        code = int(data.get("errcode", 0))
        if code:
            raise WeComAPIError(code, str(data.get("errmsg", "")))
        return data

    def _authed(self, method: str, path: str, params: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        """A call with the access token; on 40014/42001/42009 refresh the token once and retry."""
        for attempt in range(2):
            query = {**(params or {}), "access_token": self.access_token(force=attempt > 0)}
            resp = self._with_retries(method, path, params=query, **kw)
            data = self._json(resp)
            code = int(data.get("errcode", 0)) if data else 0
            if code in TOKEN_ERRORS and attempt == 0:
                log.info("wecom token rejected (%s); refreshing", code)
                self.invalidate_token()
                continue
            if code:
                raise WeComAPIError(code, str(data.get("errmsg", "")) if data else "")
            return resp
        raise WeComAPIError(42001, "access token refresh failed")

    # --- API ---------------------------------------------------------------------------------------
    def send(self, touser: str, msgtype: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = {"touser": touser, "msgtype": msgtype, "agentid": self.agent_id, msgtype: body}
        return dict(self._authed("POST", "/cgi-bin/message/send", json=payload).json())

    def send_text(self, touser: str, text: str, *, markdown: bool = False) -> int:
        """Send a reply split to the size limit; returns the number of messages sent."""
        chunks = split_message(text, TEXT_LIMIT)  # app messages: 2048 bytes for text and markdown alike
        for chunk in chunks:
            self.send(touser, "markdown" if markdown else "text", {"content": chunk})
        return len(chunks)

    def upload_image(self, png: bytes, filename: str = "chart.png") -> str:
        resp = self._authed("POST", "/cgi-bin/media/upload", params={"type": "image"},
                            files={"media": (filename, png, "image/png")})
        return str(resp.json()["media_id"])

    def send_image(self, touser: str, png: bytes) -> None:
        media_id = self.upload_image(png)
        self.send(touser, "image", {"media_id": media_id})

    def get_media(self, media_id: str) -> tuple[bytes, str]:
        """media/get → (bytes, content type). WeCom answers JSON only on error."""
        resp = self._authed("GET", "/cgi-bin/media/get", params={"media_id": media_id})
        return resp.content, resp.headers.get("content-type", "application/octet-stream")


def robot_image_payload(png: bytes) -> dict[str, Any]:
    """The group-robot image body: base64 + md5 of the bytes."""
    return {"msgtype": "image", "image": {"base64": base64.b64encode(png).decode(), "md5": hashlib.md5(png).hexdigest()}}
