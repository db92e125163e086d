"""POST /api/v1/chat and GET /api/v1/chat/{id} over the demo workspace: scoped, persisted, streamable."""

import json

import pytest


@pytest.fixture()
def zhaolei(client_for):
    return client_for("zhaolei")


def test_chat_turn_with_traces(zhaolei):
    r = zhaolei.post("/api/v1/chat", json={"message": "云帆物流那个单子能拿下吗"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mode"] == "offline" and body["traces"][0]["name"] == "score_opportunity"
    assert body["traces"][0]["arguments"] == {"account": "杭州云帆物流科技有限公司"}
    assert "云帆" in body["reply"]
    follow = zhaolei.post("/api/v1/chat", json={"message": "它的预算是多少", "conversation_id": body["conversation_id"]})
    assert follow.json()["traces"][0]["name"] == "get_opportunity"


def test_history_is_private(zhaolei, client_for):
    cid = zhaolei.post("/api/v1/chat", json={"message": "我今天有哪些待办"}).json()["conversation_id"]
    hist = zhaolei.get(f"/api/v1/chat/{cid}")
    assert hist.status_code == 200
    assert [m["role"] for m in hist.json()["messages"]] == ["user", "assistant"]
    assert client_for("liming").get(f"/api/v1/chat/{cid}").status_code == 404
    assert client_for("admin").get(f"/api/v1/chat/{cid}").status_code == 404
    r = client_for("liming").post("/api/v1/chat", json={"message": "hi", "conversation_id": cid})
    assert r.status_code == 404


def test_bad_input_and_auth(zhaolei, client_for):
    assert zhaolei.post("/api/v1/chat", json={"message": ""}).status_code == 422
    assert zhaolei.post("/api/v1/chat", json={}).status_code == 422
    assert client_for(None).post("/api/v1/chat", json={"message": "hi"}).status_code == 401


def test_streaming_offline(zhaolei):
    with zhaolei.stream("POST", "/api/v1/chat", json={"message": "我今天有哪些待办", "stream": True}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = [(b.split("\n")[0][len("event: "):], json.loads(b.split("\n")[1][len("data: "):]))
              for b in raw.strip().split("\n\n")]
    assert events[0][0] == "tool" and events[-1][0] == "done"
    text = "".join(d["text"] for e, d in events if e == "token")
    assert text == events[-1][1]["reply"]["text"]


def test_streaming_unknown_conversation_is_404(zhaolei):
    r = zhaolei.post("/api/v1/chat", json={"message": "hi", "conversation_id": 999999, "stream": True})
    assert r.status_code == 404


def test_streaming_llm_mode_over_http(demo_engine, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from crm.settings import Settings
    from tests.fakes.openai_server import FakeOpenAI

    with FakeOpenAI() as srv:
        srv.add_tool_call("list_tasks", {"when": "today"})
        srv.add_text("今天有几条待办，先处理逾期的。")
        settings = Settings(database_url=str(demo_engine.url.render_as_string(hide_password=False)),
                            data_dir=tmp_path / "var", env="test", llm_base_url=srv.base_url, llm_model="fake-model")
        with TestClient(create_app(settings, demo_engine), headers={"Authorization": "Bearer dw_demo_zhaolei"}) as c:
            with c.stream("POST", "/api/v1/chat", json={"message": "我今天有哪些待办"},
                          headers={"Accept": "text/event-stream"}) as r:
                raw = "".join(r.iter_text())
            assert "event: tool" in raw and "event: token" in raw
            done = json.loads(raw.strip().split("\n\n")[-1].split("\n")[1][len("data: "):])
            assert done["reply"]["mode"] == "llm" and done["reply"]["text"] == "今天有几条待办，先处理逾期的。"
            hist = c.get(f"/api/v1/chat/{done['reply']['conversation_id']}").json()["messages"]
            assert hist[-1]["tool_traces"][0]["name"] == "list_tasks"
        assert srv.chat_requests[-1]["stream"] is True
