"""WeCom OAuth sign-in: the redirect flow against the fake WeCom server (state checked, code exchanged)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine

from crm.settings import Settings
from tests.fakes.wecom_server import FakeWeCom
from tests.web.conftest import visible


@pytest.fixture
def wecom_client(demo_engine: Engine, tmp_path: Path) -> Iterator[tuple[TestClient, FakeWeCom]]:
    from api.app import create_app

    with FakeWeCom() as fake:
        settings = Settings(database_url=str(demo_engine.url.render_as_string(hide_password=False)),
                            data_dir=tmp_path / "var", env="test", wecom_corp_id=fake.corp_id,
                            wecom_agent_id="1000002", wecom_secret=SecretStr(fake.secret),
                            wecom_api_base=fake.base_url)
        with TestClient(create_app(settings, demo_engine), follow_redirects=False) as client:
            yield client, fake


def _start(client: TestClient, next_path: str = "/") -> str:
    r = client.get(f"/auth/wecom?next={next_path}")
    assert r.status_code == 303
    url = urlparse(r.headers["location"])
    q = parse_qs(url.query)
    assert url.netloc == "open.weixin.qq.com" and url.fragment == "wechat_redirect"
    assert q["appid"] == ["wwcorp"] and q["scope"] == ["snsapi_base"] and q["agentid"] == ["1000002"]
    assert q["redirect_uri"][0].endswith("/auth/wecom/callback")
    assert "httponly" in r.headers["set-cookie"].lower()
    return q["state"][0]


def test_oauth_signs_the_user_in(wecom_client) -> None:
    client, fake = wecom_client
    state = _start(client, "/deals")
    fake.oauth_codes["c0de"] = "liming"
    r = client.get(f"/auth/wecom/callback?code=c0de&state={state}")
    assert r.status_code == 303 and r.headers["location"] == "/deals"
    assert client.get("/api/v1/me").json()["username"] == "liming"
    assert client.get("/deals").status_code == 200


def test_bad_state_unknown_code_or_user_are_refused(wecom_client) -> None:
    client, fake = wecom_client
    state = _start(client)
    fake.oauth_codes["c0de"] = "liming"
    r = client.get("/auth/wecom/callback?code=c0de&state=forged")
    assert r.status_code == 401 and "登录请求已过期" in visible(r.text)
    state = _start(client)
    r = client.get(f"/auth/wecom/callback?code=nope&state={state}")
    assert r.status_code == 401 and "企业微信未确认" in visible(r.text)
    state = _start(client)
    fake.oauth_codes["c1"] = "nobody-here"
    r = client.get(f"/auth/wecom/callback?code=c1&state={state}")
    assert r.status_code == 401 and "尚未关联" in visible(r.text)
    assert client.get("/api/v1/me").status_code == 401


def test_login_page_offers_wecom_and_goes_straight_there_inside_wecom(wecom_client) -> None:
    client, _fake = wecom_client
    assert 'href="/auth/wecom?next=%2F"' in client.get("/login").text
    r = client.get("/login?next=/calls", headers={"user-agent": "Mozilla/5.0 wxwork/4.1.0 MicroMessenger"})
    assert r.status_code == 303 and r.headers["location"] == "/auth/wecom?next=%2Fcalls"


def test_without_wecom_settings_the_button_is_hidden(browser_for) -> None:
    c = browser_for(None)
    assert "/auth/wecom" not in c.get("/login").text
    assert c.get("/auth/wecom").status_code == 401
