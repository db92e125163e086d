"""A fake WeCom API on 127.0.0.1: gettoken, message/send, media/get, media/upload,
auth/getuserinfo (OAuth), and the group-robot webhook. Records every call.

    with FakeWeCom() as wc:
        client = WeComClient("corp", "secret", 1000002, wc.base_url)
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


class FakeWeCom:
    def __init__(self, corp_id: str = "wwcorp", secret: str = "s3cret") -> None:
        self.corp_id = corp_id
        self.secret = secret
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.sent: list[dict[str, Any]] = []
        self.webhook_posts: list[dict[str, Any]] = []
        self.uploads: list[bytes] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self.oauth_codes: dict[str, str] = {}
        self.fail_next: list[int] = []  # HTTP statuses / errcodes to answer with before succeeding
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeWeCom:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def texts_to(self, user: str) -> list[str]:
        with self.lock:
            return [m[m["msgtype"]].get("content", "") for m in self.sent if m.get("touser") == user]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, obj: dict[str, Any], status: int = 200) -> None:
                body = json.dumps(obj, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _injected_failure(self) -> bool:
                with fake.lock:
                    code = fake.fail_next.pop(0) if fake.fail_next else None
                if code is None:
                    return False
                if 500 <= code < 600:
                    self._json({"errcode": -1, "errmsg": "server error"}, status=code)
                else:
                    self._json({"errcode": code, "errmsg": "injected"})
                return True

            def _token_ok(self, q: dict[str, list[str]]) -> bool:
                tok = (q.get("access_token") or [""])[0]
                with fake.lock:
                    ok = tok in fake.tokens
                if not ok:
                    self._json({"errcode": 42001 if tok else 41001, "errmsg": "access_token expired"})
                return ok

            def _body(self) -> bytes:
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def do_GET(self) -> None:
                url = urlparse(self.path)
                q = parse_qs(url.query)
                if url.path == "/_fake/stats":  # for benchmarks running the fake in another process
                    with fake.lock:
                        stats = {"sent": list(fake.sent), "token_requests": fake.token_requests}
                    self._json(stats)
                    return
                if url.path == "/cgi-bin/gettoken":
                    with fake.lock:
                        fake.token_requests += 1
                    if q.get("corpid", [""])[0] != fake.corp_id or q.get("corpsecret", [""])[0] != fake.secret:
                        self._json({"errcode": 40013, "errmsg": "invalid corpid"})
                        return
                    tok = uuid.uuid4().hex
                    with fake.lock:
                        fake.tokens.add(tok)
                    self._json({"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": 7200})
                    return
                if self._injected_failure() or not self._token_ok(q):
                    return
                if url.path == "/cgi-bin/media/get":
                    media = fake.media.get(q.get("media_id", [""])[0])
                    if media is None:
                        self._json({"errcode": 40007, "errmsg": "invalid media_id"})
                        return
                    data, ctype = media
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if url.path == "/cgi-bin/auth/getuserinfo":
                    userid = fake.oauth_codes.get(q.get("code", [""])[0])
                    if userid is None:
                        self._json({"errcode": 40029, "errmsg": "invalid code"})
                    else:
                        self._json({"errcode": 0, "errmsg": "ok", "userid": userid})
                    return
                self._json({"errcode": 404, "errmsg": "not found"}, status=404)

            def do_POST(self) -> None:
                url = urlparse(self.path)
                q = parse_qs(url.query)
                body = self._body()
                if url.path == "/cgi-bin/webhook/send":
                    if self._injected_failure():
                        return
                    payload = json.loads(body)
                    with fake.lock:
                        fake.webhook_posts.append({"key": q.get("key", [""])[0], **payload})
                    self._json({"errcode": 0, "errmsg": "ok"})
                    return
                if self._injected_failure() or not self._token_ok(q):
                    return
                if url.path == "/cgi-bin/message/send":
                    payload = json.loads(body)
                    mtype = payload.get("msgtype")
                    content = payload.get(mtype, {}).get("content")
                    limit = 2048 if mtype == "text" else 4096
                    if content is not None and len(content.encode()) > limit:
                        self._json({"errcode": 44004, "errmsg": "content size out of limit"})
                        return
                    with fake.lock:
                        fake.sent.append(payload)
                    self._json({"errcode": 0, "errmsg": "ok", "msgid": uuid.uuid4().hex})
                    return
                if url.path == "/cgi-bin/media/upload":
                    with fake.lock:
                        fake.uploads.append(body)
                    self._json({"errcode": 0, "errmsg": "ok", "type": "image", "media_id": uuid.uuid4().hex})
                    return
                self._json({"errcode": 404, "errmsg": "not found"}, status=404)

        return Handler


def serve_in_subprocess(corp_id: str = "wwcorp", secret: str = "s3cret") -> tuple[object, str]:
    """Start a FakeWeCom in a child process (so its threads do not share the caller's GIL).
    Returns (process, base_url); read what it received from GET {base_url}/_fake/stats."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve_child, args=(corp_id, secret, child), daemon=True)
    proc.start()
    return proc, str(parent.recv())


def _serve_child(corp_id: str, secret: str, conn: Any) -> None:
    fake = FakeWeCom(corp_id=corp_id, secret=secret)
    fake.__enter__()
    conn.send(fake.base_url)
    fake._thread.join()
