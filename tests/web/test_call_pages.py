"""Calls list and call page: scoped, the transcript/insights state the page polls, upload shown when available."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.web.conftest import visible
from tests.web.world import add_call


def test_call_page_and_state_are_scoped(demo_engine: Engine, browser_for) -> None:
    call_id, _opp, _sug = add_call(demo_engine, "liming")
    mine = browser_for("liming")
    page = mine.get(f"/calls/{call_id}")
    assert page.status_code == 200 and "客户电话.wav" in page.text
    state = mine.get(f"/web/calls/{call_id}/state").json()
    assert state["status"] == "done" and len(state["transcript"]["segments"]) == 3
    assert state["insights"]["budget"]["evidence"]["turn"] == 1
    other = browser_for("zhaolei")
    assert other.get(f"/calls/{call_id}").status_code == 404
    assert other.get(f"/web/calls/{call_id}/state").status_code == 404
    assert browser_for(None).get(f"/web/calls/{call_id}/state").status_code == 401


def test_calls_list(demo_engine: Engine, browser_for) -> None:
    call_id, opp_id, _ = add_call(demo_engine, "liming", status="running")
    page = visible(browser_for("liming").get("/calls").text)
    assert f'href="/calls/{call_id}"' in page and f'href="/deals/{opp_id}"' in page and "处理中 40%" in page
    assert f'href="/calls/{call_id}"' not in browser_for("zhaolei").get("/calls").text
    assert f'href="/calls/{call_id}"' in browser_for("wangfang").get("/calls").text


def test_upload_box_follows_the_calls_api(web_app, browser_for) -> None:
    page = visible(browser_for("liming").get("/calls").text)
    has_api = "post" in web_app.openapi()["paths"].get("/api/v1/calls", {})
    assert ('id="dropzone"' in page) == has_api
    assert ('class="unavailable"' in page) == (not has_api)
