"""Access token cache and refresh, retries with backoff, media/get, against the fake WeCom."""

import pytest

from api.wecom.client import WeComAPIError, WeComClient
from tests.fakes.wecom_server import FakeWeCom


@pytest.fixture()
def wc():
    with FakeWeCom() as fake:
        yield fake


def make(wc, **kw):
    sleeps: list[float] = []
    client = WeComClient(wc.corp_id, wc.secret, 1000002, wc.base_url, sleep=sleeps.append, **kw)
    return client, sleeps


def test_token_is_cached(wc):
    client, _ = make(wc)
    for _ in range(5):
        client.send_text("lina", "hi")
    assert wc.token_requests == 1
    assert wc.texts_to("lina") == ["hi"] * 5


def test_token_refreshes_after_expiry_clock():
    now = [0.0]
    with FakeWeCom() as wc:
        client = WeComClient(wc.corp_id, wc.secret, 1, wc.base_url, clock=lambda: now[0], sleep=lambda s: None)
        client.send_text("a", "1")
        now[0] = 7200.0
        client.send_text("a", "2")
        assert wc.token_requests == 2


@pytest.mark.parametrize("code", [40014, 42001, 42009])
def test_token_refresh_on_invalid_token(wc, code):
    client, _ = make(wc)
    client.send_text("lina", "first")
    wc.fail_next.append(code)
    client.send_text("lina", "second")
    assert wc.token_requests == 2
    assert wc.texts_to("lina") == ["first", "second"]


def test_server_token_expiry_is_recovered(wc):
    client, _ = make(wc)
    client.send_text("lina", "first")
    wc.expire_tokens()
    client.send_text("lina", "second")
    assert wc.texts_to("lina") == ["first", "second"]


def test_retries_with_backoff_on_5xx_and_busy(wc):
    client, sleeps = make(wc, backoff_s=0.1)
    client.access_token()
    wc.fail_next.extend([502, -1])
    client.send_text("lina", "x")
    assert wc.texts_to("lina") == ["x"]
    assert sleeps == [0.1, 0.2]


def test_gives_up_after_max_retries(wc):
    client, sleeps = make(wc, max_retries=2)
    client.access_token()
    wc.fail_next.extend([503] * 5)
    with pytest.raises(WeComAPIError):
        client.send_text("lina", "x")
    assert len(sleeps) == 2


def test_other_errors_are_not_retried(wc):
    client, sleeps = make(wc)
    client.access_token()
    wc.fail_next.append(81013)
    with pytest.raises(WeComAPIError) as e:
        client.send_text("nobody", "x")
    assert e.value.errcode == 81013 and sleeps == []


def test_long_text_is_split(wc):
    client, _ = make(wc)
    n = client.send_text("lina", "很长的回答。" * 600)
    assert n > 1 and len(wc.texts_to("lina")) == n


def test_media_get(wc):
    wc.media["m1"] = (b"#!AMR\n123", "audio/amr")
    client, _ = make(wc)
    data, ctype = client.get_media("m1")
    assert data == b"#!AMR\n123" and ctype == "audio/amr"
    with pytest.raises(WeComAPIError):
        client.get_media("missing")


def test_bad_secret(wc):
    client = WeComClient(wc.corp_id, "wrong", 1, wc.base_url, sleep=lambda s: None)
    with pytest.raises(WeComAPIError) as e:
        client.access_token()
    assert e.value.errcode == 40013
