"""Which backend capabilities are installed, read from the app's own routes (pages light up as they land)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi import FastAPI

# capability name → (HTTP method, path pattern with {param} placeholders normalised to {})
WANTED: dict[str, tuple[str, str]] = {
    "ask": ("POST", "/api/v1/ask"),
    "metrics": ("GET", "/api/v1/metrics"),
    "chat": ("POST", "/api/v1/chat"),
    "calls_upload": ("POST", "/api/v1/calls"),
    "calls_list": ("GET", "/api/v1/calls"),
    "call": ("GET", "/api/v1/calls/{}"),
    "suggestions": ("GET", "/api/v1/opportunities/{}/suggestions"),
    "score": ("GET", "/api/v1/opportunities/{}/score"),
    "forecast": ("GET", "/api/v1/forecast"),
}
# found by shape: the accept/reject endpoints and the audio endpoint may be named a little differently
PATTERNS: dict[str, tuple[str, re.Pattern[str]]] = {
    "suggestion_accept": ("POST", re.compile(r"^/api/v1/(?:opportunities/\{\}/)?suggestions/\{\}/accept$")),
    "suggestion_reject": ("POST", re.compile(r"^/api/v1/(?:opportunities/\{\}/)?suggestions/\{\}/reject$")),
    "call_audio": ("GET", re.compile(r"^/api/v1/calls/\{\}/(?:audio|recording|blob|file)$")),
}
_PARAM = re.compile(r"\{[^}]+\}")


@dataclass
class Capabilities:
    found: dict[str, str] = field(default_factory=dict)  # name → the real path template

    def has(self, name: str) -> bool:
        return name in self.found

    def path(self, name: str) -> str:
        return self.found.get(name, "")


def detect(app: FastAPI) -> Capabilities:
    """Read the app's OpenAPI paths (public, and flat however routers are nested)."""
    caps = Capabilities()
    for path, ops in app.openapi().get("paths", {}).items():
        shape = _PARAM.sub("{}", path)
        methods = {m.upper() for m in ops}
        for name, (method, wanted) in WANTED.items():
            if method in methods and shape == wanted:
                caps.found[name] = path
        for name, (method, pattern) in PATTERNS.items():
            if method in methods and pattern.match(shape):
                caps.found[name] = path
    return caps


def capabilities(app: FastAPI) -> Capabilities:
    """Cached per app (routes do not change after start-up)."""
    caps: Capabilities | None = getattr(app.state, "web_capabilities", None)
    if caps is None:
        caps = detect(app)
        app.state.web_capabilities = caps
    return caps
