"""Pages light up from the app's routes: detection of the other issues' endpoints by their shape."""

from __future__ import annotations

from fastapi import FastAPI

from api.web.capabilities import detect
from tests.web.conftest import visible


def test_detects_routes_by_shape() -> None:
    app = FastAPI()

    @app.post("/api/v1/ask")
    def ask() -> None: ...

    @app.post("/api/v1/suggestions/{suggestion_id}/accept")
    def accept(suggestion_id: int) -> None: ...

    @app.get("/api/v1/calls/{call_id}/audio")
    def audio(call_id: int) -> None: ...

    @app.get("/api/v1/opportunities/{opp}/suggestions")
    def sugg(opp: int) -> None: ...

    caps = detect(app)
    assert caps.has("ask") and not caps.has("chat") and not caps.has("calls_upload")
    assert caps.path("suggestion_accept") == "/api/v1/suggestions/{suggestion_id}/accept"
    assert caps.path("call_audio") == "/api/v1/calls/{call_id}/audio"
    assert caps.has("suggestions") and not caps.has("suggestion_reject")


def test_unavailable_pages_say_so(web_app, browser_for) -> None:
    paths = set(web_app.openapi()["paths"])
    for page, api in (("/ask", "/api/v1/ask"), ("/chat", "/api/v1/chat")):
        html = visible(browser_for("liming").get(page).text)
        assert ('class="unavailable"' in html) == (api not in paths)
