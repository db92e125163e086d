"""A scripted OpenAI-compatible HTTP server on 127.0.0.1 for LLM tests (reusable; no network).

    with FakeOpenAI() as srv:                       # srv.base_url == "http://127.0.0.1:PORT/v1"
        srv.add_json({"summary": "..."})            # next chat reply: this object as JSON text
        srv.add_text("hello")                       # next chat reply: plain text
        srv.add_tool_call("ask_metrics", {"q": 1})  # next chat reply: one tool call
        srv.add_error(500, "boom")                  # next chat reply: an HTTP error
        srv.add(lambda body: {...})                 # next chat reply computed from the request body
        ...
        srv.requests                                # every request: {"path", "headers", "body"}

Replies are consumed in order; when the script runs out the server answers 500 (or repeats the last
reply with `repeat_last=True`). `stream: true` requests get the same reply as server-sent events.
`/v1/embeddings` returns deterministic 8-dimensional vectors; `/v1/models` lists `fake-model`.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


class FakeOpenAI:
    """Scripted chat completions; records requests. Use as a context manager."""

    def __init__(self, model: str = "fake-model", repeat_last: bool = False) -> None:
        self.model = model
        self.repeat_last = repeat_last
        self.requests: list[dict[str, Any]] = []
        self._script: list[Reply] = []
        self._last: Reply | None = None
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- scripting ------------------------------------------------------------------------------
    def add(self, reply: Reply) -> FakeOpenAI:
        """A raw reply: {"content": str|None, "tool_calls": [...], "status": int, "error": str, "usage": {...}}."""
        with self._lock:
            self._script.append(reply)
        return self

    def add_text(self, text: str) -> FakeOpenAI:
        return self.add({"content": text})

    def add_json(self, obj: Any) -> FakeOpenAI:
        return self.add({"content": json.dumps(obj, ensure_ascii=False)})

    def add_tool_call(self, name: str, arguments: dict[str, Any], call_id: str | None = None) -> FakeOpenAI:
        return self.add_tool_calls([(name, arguments, call_id)])

    def add_tool_calls(self, calls: list[tuple[str, dict[str, Any], str | None]]) -> FakeOpenAI:
        tcs = [
            {
                "id": cid or f"call_{i}_{name}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
            }
            for i, (name, args, cid) in enumerate(calls)
        ]
        return self.add({"content": None, "tool_calls": tcs})

    def add_error(self, status: int = 500, message: str = "scripted error") -> FakeOpenAI:
        return self.add({"status": status, "error": message})

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    # --- lifecycle ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- internals ------------------------------------------------------------------------------
    def _next(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if self._script:
                self._last = self._script.pop(0)
                reply = self._last
            elif self.repeat_last and self._last is not None:
                reply = self._last
            else:
                return {"status": 500, "error": "fake server: script exhausted"}
        return reply(body) if callable(reply) else reply


def _handler(srv: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            return

        def _send(self, status: int, obj: Any) -> None:
            data = json.dumps(obj, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            srv.requests.append({"path": self.path, "headers": dict(self.headers), "body": None})
            if self.path.rstrip("/").endswith("/models"):
                self._send(
                    200,
                    {"object": "list", "data": [{"id": srv.model, "object": "model", "owned_by": "fake"}]},
                )
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(n) or b"{}")
            srv.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if self.path.endswith("/embeddings"):
                inputs = body.get("input")
                items = inputs if isinstance(inputs, list) else [inputs]
                data = [
                    {"object": "embedding", "index": i, "embedding": _vec(str(x))}
                    for i, x in enumerate(items)
                ]
                self._send(200, {"object": "list", "data": data, "model": body.get("model", srv.model)})
                return
            if not self.path.endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            reply = srv._next(body)
            if "status" in reply and reply["status"] != 200:
                self._send(
                    reply["status"], {"error": {"message": reply.get("error", "error"), "type": "fake"}}
                )
                return
            message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
            if reply.get("tool_calls"):
                message["tool_calls"] = reply["tool_calls"]
            finish = "tool_calls" if reply.get("tool_calls") else "stop"
            usage = reply.get("usage") or {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
            if body.get("stream"):
                self._stream(message, finish, usage)
                return
            self._send(
                200,
                {
                    "id": f"chatcmpl-{len(srv.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", srv.model),
                    "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
                    "usage": usage,
                },
            )

        def _stream(self, message: dict[str, Any], finish: str, usage: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            base = {
                "id": f"chatcmpl-{len(srv.requests)}",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": srv.model,
            }
            chunks: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
            content = message.get("content") or ""
            chunks += [{"content": content[i : i + 8]} for i in range(0, len(content), 8)]
            for i, tc in enumerate(message.get("tool_calls") or []):
                chunks.append({"tool_calls": [{"index": i, **tc}]})
            for delta in chunks:
                ev = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(ev, ensure_ascii=False)}\n\n".encode())
            last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}], "usage": usage}
            self.wfile.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
            self.wfile.flush()

    return Handler


def _vec(text: str, dim: int = 8) -> list[float]:
    h = hashlib.sha256(text.encode()).digest()
    return [(b - 128) / 128 for b in h[:dim]]
