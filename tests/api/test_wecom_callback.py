"""The WeCom callback end to end: verification, status codes, async replies, dedupe, message types."""

from __future__ import annotations

import io
import json
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.wecom.client import WeComClient
from api.wecom.jobs import QueueRunner
from api.wecom.messages import parse_message
from api.wecom.runtime import WeComApp
from crm.models import Conversation, InboundEvent
from crm.settings import Settings
from tests.fakes.wecom_client import AES_KEY, CORP_ID, TOKEN, CallbackSender
from tests.fakes.wecom_server import FakeWeCom
from tests.tools.world import make_world

VECTORS = json.loads((Path(__file__).parents[1] / "fixtures/wecom/wecom_crypto_test_vectors.json").read_text())["vectors"]


def wecom_settings(tmp_path, fake: FakeWeCom, **kw) -> Settings:
    base = {"wecom_corp_id": CORP_ID, "wecom_agent_id": "1000002", "wecom_secret": fake.secret, "wecom_token": TOKEN,
            "wecom_aes_key": AES_KEY, "wecom_api_base": fake.base_url}
    base.update(kw)
    return Settings(data_dir=tmp_path / "var", env="test", **base)


RUNNERS: list[QueueRunner] = []


@pytest.fixture(autouse=True)
def _stop_consumers():
    yield
    while RUNNERS:
        RUNNERS.pop().shutdown()


class Harness:
    """The app with an injected WeComApp whose WeCom queue (real SQLite huey) is consumed by threads here."""

    def __init__(self, tmp_path, fake: FakeWeCom, transcribe=None, **kw) -> None:
        self.world = make_world(tmp_path)
        self.settings = wecom_settings(tmp_path, fake, **kw)
        self.fake = fake
        app = create_app(self.settings, self.world.engine)
        self.runner = QueueRunner(self.settings, consumer="thread", workers=2, periodic=False).start()
        RUNNERS.append(self.runner)
        self.enqueued: list[int] = []
        self.wecom = WeComApp.from_settings(
            self.settings, self.world.engine, runner=self.runner,
            client=WeComClient(CORP_ID, fake.secret, "1000002", fake.base_url, sleep=lambda s: None),
            transcribe_voice=transcribe or (lambda p: "我今天有哪些待办"), enqueue_call=self.enqueued.append)
        app.state.wecom = self.wecom
        self.client = TestClient(app)
        self.sender = CallbackSender()

    def post(self, plaintext: str, **kw):
        query, body = self.sender.post(plaintext, **kw)
        return self.client.post(f"/wecom/callback?{query}", content=body)

    def settle(self) -> None:
        self.runner.wait_idle()


@pytest.fixture()
def fake():
    with FakeWeCom(corp_id=CORP_ID) as f:
        yield f


@pytest.fixture()
def h(tmp_path, fake):
    return Harness(tmp_path, fake)


@pytest.mark.parametrize("v", [v for v in VECTORS if "expected_http_response_body" in v], ids=lambda v: v["id"])
def test_get_verification_with_published_vectors(tmp_path, fake, v):
    settings = wecom_settings(tmp_path, fake, wecom_token=v["token"], wecom_aes_key=v["encoding_aes_key"],
                              wecom_corp_id=v["receiveid_expected"], wecom_timestamp_window_s=0)
    app = create_app(settings, make_world(tmp_path).engine)
    client = TestClient(app)
    url = (f"/wecom/callback?msg_signature={v['msg_signature']}&timestamp={v['timestamp']}&nonce={v['nonce']}"
           f"&echostr={v.get('echostr_url_encoded') or v['encrypt'].replace('+', '%2B').replace('/', '%2F').replace('=', '%3D')}")
    r = client.get(url)
    assert r.status_code == 200 and r.text == v["expected_http_response_body"]
    assert client.get(url.replace(v["nonce"], v["nonce"] + "1")).status_code == 403
    app.state.wecom.runner.shutdown()


@pytest.mark.parametrize("v", [v for v in VECTORS if "post_body_xml" in v], ids=lambda v: v["id"])
def test_post_with_published_vectors(tmp_path, v):
    with FakeWeCom(corp_id=v["receiveid_expected"]) as fake:
        settings = wecom_settings(tmp_path, fake, wecom_token=v["token"], wecom_aes_key=v["encoding_aes_key"],
                                  wecom_corp_id=v["receiveid_expected"], wecom_timestamp_window_s=0)
        app = create_app(settings, make_world(tmp_path).engine)
        client = TestClient(app)
        r = client.post(f"/wecom/callback?msg_signature={v['msg_signature']}&timestamp={v['timestamp']}"
                        f"&nonce={v['nonce']}", content=v["post_body_xml"])
        assert r.status_code == 200 and r.text == "success"
        app.state.wecom.runner.wait_idle(180)  # the consumer is a spawned process: slow to start under load
        sender = parse_message(v["expected_plaintext_msg"]).from_user
        app.state.wecom.runner.shutdown()
        [refusal] = fake.texts_to(sender)  # an unknown WeCom user: one polite refusal (sent by a worker process)
        assert "Dealwise" in refusal


def test_status_codes(h):
    xml = h.sender.text_xml("zhaolei", "hi", 1)
    assert h.post(xml, bad_signature=True).status_code == 403
    assert h.post(xml, timestamp=str(int(time.time()) - 3600)).status_code == 403
    other = CallbackSender(corp_id="ww_other_corp")
    query, body = other.post(xml)
    assert h.client.post(f"/wecom/callback?{query}", content=body).status_code == 403  # wrong receiveid
    assert h.client.post(f"/wecom/callback?{query}", content="<xml><Encrypt>").status_code == 400
    assert h.client.post(f"/wecom/callback?{query}", content="not xml at all").status_code == 400
    assert h.client.post(f"/wecom/callback?{query}", content="<xml><ToUserName>x</ToUserName></xml>").status_code == 400
    ts, nonce, enc = str(int(time.time())), "42", "bm90IGEgY2lwaGVydGV4dA=="
    from api.wecom.crypto import signature

    sig = signature(TOKEN, ts, nonce, enc)
    r = h.client.post(f"/wecom/callback?msg_signature={sig}&timestamp={ts}&nonce={nonce}",
                      content=f"<xml><Encrypt><![CDATA[{enc}]]></Encrypt></xml>")
    assert r.status_code == 400  # valid signature, ciphertext that does not decrypt
    assert h.client.get("/wecom/callback").status_code == 400
    h.settle()
    assert h.fake.sent == []


def test_not_configured_is_503(tmp_path):
    client = TestClient(create_app(Settings(data_dir=tmp_path / "var", env="test"), make_world(tmp_path).engine))
    assert client.get("/wecom/callback?msg_signature=a&timestamp=1&nonce=1&echostr=x").status_code == 503


def test_text_gets_an_assistant_reply(h):
    r = h.post(h.sender.text_xml("zhaolei", "我今天有哪些待办", 1001))
    assert r.status_code == 200 and r.text == "success"
    h.settle()
    [reply] = h.fake.texts_to("zhaolei")
    assert "待办" in reply and "给云帆物流发报价方案" in reply
    assert h.fake.sent[0]["agentid"] == 1000002 and h.fake.sent[0]["msgtype"] == "markdown"  # a list


def test_duplicates_are_dropped_but_distinct_messages_are_not(h):
    xml = h.sender.text_xml("zhaolei", "我今天有哪些待办", 2001)
    for _ in range(4):
        assert h.post(xml).status_code == 200
    h.post(h.sender.text_xml("zhaolei", "我今天有哪些待办", 2002))
    h.settle()
    assert len(h.fake.texts_to("zhaolei")) == 2


def test_events_dedupe_by_user_time_and_event(h):
    h.post(h.sender.event_xml("zhaolei", "enter_agent", 1700000000))
    h.post(h.sender.event_xml("zhaolei", "enter_agent", 1700000000))
    h.post(h.sender.event_xml("zhaolei", "enter_agent", 1700000001))
    h.post(h.sender.event_xml("zhaolei", "view", 1700000002))  # other events: no reply
    h.settle()
    texts = h.fake.texts_to("zhaolei")
    assert len(texts) == 2 and all("Dealwise" in t for t in texts)


def test_unknown_user_gets_a_polite_refusal_and_nothing_else(h):
    h.post(h.sender.text_xml("stranger", "列出所有客户", 3001))
    h.settle()
    assert h.fake.texts_to("stranger") == ["抱歉，你的企业微信账号还没有开通 Dealwise，请联系管理员。"]
    with h.world.session() as s:
        assert s.scalar(select(func.count()).select_from(Conversation)) == 0


def test_voice_note_is_transcribed_and_answered(h):
    h.fake.media["voice1"] = (b"#!AMR\n" + b"\0" * 64, "audio/amr")
    h.post(h.sender.media_xml("zhaolei", "voice", "voice1", 4001, "<Format><![CDATA[amr]]></Format>"))
    h.settle()
    [reply] = h.fake.texts_to("zhaolei")
    assert reply.startswith("🎙️ 听到：我今天有哪些待办") and "给云帆物流发报价方案" in reply


def test_dictated_visit_report_is_logged_as_a_note(tmp_path, fake):
    report = "今天下午拜访了云帆物流，李娜说他们的预算下个月才能批下来，陈刚对实施周期比较关心"
    h = Harness(tmp_path, fake, transcribe=lambda p: report)
    h.fake.media["v2"] = (b"#!AMR\n", "audio/amr")
    h.post(h.sender.media_xml("zhaolei", "voice", "v2", 4002, "<Format>amr</Format>"))
    h.settle()
    [reply] = h.fake.texts_to("zhaolei")
    assert "已记录" in reply


def _wav_bytes(seconds: float = 1.0) -> bytes:
    t = np.arange(int(16000 * seconds)) / 16000
    pcm = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def test_audio_file_becomes_a_queued_call(h):
    h.fake.media["f1"] = (_wav_bytes(), "audio/wav")
    h.post(h.sender.media_xml("zhaolei", "file", "f1", 5001, "<FileName><![CDATA[拜访云帆.wav]]></FileName>"))
    h.settle()
    assert len(h.enqueued) == 1
    assert "已收到录音" in h.fake.texts_to("zhaolei")[0]
    assert h.wecom.watcher_of(h.enqueued[0]) == "zhaolei"
    from api.wecom.dispatch import notify_call_done

    assert notify_call_done(h.wecom, h.enqueued[0]) is True
    assert notify_call_done(h.wecom, h.enqueued[0]) is False  # told once
    assert "拜访云帆.wav" in h.fake.texts_to("zhaolei")[-1]


def test_non_audio_file_is_declined(h):
    h.fake.media["f2"] = (b"%PDF-1.4", "application/pdf")
    h.post(h.sender.media_xml("zhaolei", "file", "f2", 5002, "<FileName>报价.pdf</FileName>"))
    h.settle()
    assert h.enqueued == [] and "只支持" in h.fake.texts_to("zhaolei")[0]


def test_callback_acknowledges_before_processing_finishes(tmp_path, fake):
    gate = threading.Event()

    def slow(path):
        gate.wait(5)
        return "我今天有哪些待办"

    h = Harness(tmp_path, fake, transcribe=slow)
    h.fake.media["slow"] = (b"#!AMR\n", "audio/amr")
    t0 = time.perf_counter()
    r = h.post(h.sender.media_xml("zhaolei", "voice", "slow", 6001, "<Format>amr</Format>"))
    elapsed = time.perf_counter() - t0
    assert r.status_code == 200 and h.fake.sent == []  # answered while the voice note is still being transcribed
    assert elapsed < 2.0
    gate.set()
    h.settle()
    assert len(h.fake.texts_to("zhaolei")) == 1
    with h.world.session() as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == 1


def test_a_retry_reaching_another_process_is_dropped_by_the_queue_claim(h):
    twin = WeComApp.from_settings(h.settings, h.world.engine, runner=h.runner, client=h.wecom.client,
                                  transcribe_voice=lambda p: "", enqueue_call=h.enqueued.append)
    msg = parse_message(h.sender.text_xml("zhaolei", "我今天有哪些待办", 7001))
    assert h.wecom.accept(msg)
    assert not twin.accept(msg)  # new to the twin's memory, but the queue's insert-if-absent claim fails
    h.settle()
    assert len(h.fake.texts_to("zhaolei")) == 1


def test_a_retry_through_another_queue_is_dropped_by_the_inbound_event(h, tmp_path):
    other = QueueRunner(h.settings.model_copy(update={"data_dir": tmp_path / "other"}), consumer="thread",
                        periodic=False).start()
    RUNNERS.append(other)
    twin = WeComApp.from_settings(other.settings, h.world.engine, runner=other, client=h.wecom.client,
                                  transcribe_voice=lambda p: "", enqueue_call=h.enqueued.append)
    msg = parse_message(h.sender.text_xml("zhaolei", "我今天有哪些待办", 7002))
    assert h.wecom.accept(msg) and twin.accept(msg)  # two queues: both claim it there …
    h.settle()
    other.wait_idle()
    assert len(h.fake.texts_to("zhaolei")) == 1  # … and the InboundEvent row lets one of them answer
    with h.world.session() as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == 1


def test_queued_messages_survive_a_restart(tmp_path, fake):
    """Acknowledged while no consumer runs (the server went down), answered by the next consumer."""
    h = Harness(tmp_path, fake)
    h.runner.shutdown()
    h.post(h.sender.text_xml("zhaolei", "我今天有哪些待办", 8001))
    h.post(h.sender.text_xml("zhaolei", "我今天有哪些待办", 8001))
    time.sleep(0.3)
    assert h.fake.sent == []
    later = QueueRunner(h.settings, consumer="thread", periodic=False).start()
    RUNNERS.append(later)
    later.submitted = 1  # the queued message, enqueued before this consumer existed
    later.wait_idle()
    assert len(h.fake.texts_to("zhaolei")) == 1


def test_a_failed_enqueue_releases_the_claim_so_the_retry_is_processed(h, monkeypatch):
    xml = h.sender.text_xml("zhaolei", "我今天有哪些待办", 9001)
    real = h.runner.submit_message

    def broken(msg):
        raise OSError("queue unavailable")

    monkeypatch.setattr(h.runner, "submit_message", broken)
    client = TestClient(h.client.app, raise_server_exceptions=False)
    query, body = h.sender.post(xml)
    assert client.post(f"/wecom/callback?{query}", content=body).status_code == 500  # WeCom will retry
    with h.world.session() as s:
        assert s.scalar(select(func.count()).select_from(InboundEvent)) == 0
    monkeypatch.setattr(h.runner, "submit_message", real)
    assert h.post(xml).status_code == 200
    h.settle()
    assert len(h.fake.texts_to("zhaolei")) == 1
