"""Sign-in with a token sets an HttpOnly SameSite=Lax cookie; sign-out clears it; pages need it."""

from __future__ import annotations

import pytest

from tests.web.conftest import visible


def test_sign_in_sets_a_safe_cookie_and_goes_home(browser_for) -> None:
    c = browser_for(None)
    r = c.post("/login", data={"token": "dw_demo_wangfang", "next": "/"})
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"
    cookie = r.headers["set-cookie"].lower()
    assert "dealwise_token=dw_demo_wangfang" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    rep = browser_for(None).post("/login", data={"token": "dw_demo_liming", "next": "/"})
    assert rep.headers["location"] == "/deals"


def test_wrong_token_is_refused_with_a_message(browser_for) -> None:
    r = browser_for(None).post("/login", data={"token": "dw_wrong", "next": "/"})
    assert r.status_code == 401
    assert "令牌无效" in visible(r.text) and "set-cookie" not in r.headers


@pytest.mark.parametrize("path", ["/dashboard", "/deals", "/deals/1", "/calls", "/calls/1", "/ask", "/chat"])
def test_pages_redirect_to_sign_in_when_signed_out(browser_for, path: str) -> None:
    r = browser_for(None).get(path)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_next_is_followed_only_within_the_site(browser_for) -> None:
    c = browser_for(None)
    assert c.post("/login", data={"token": "dw_demo_liming", "next": "/deals?q=x"}).headers["location"] == "/deals?q=x"
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = browser_for(None).post("/login", data={"token": "dw_demo_liming", "next": evil})
        assert r.headers["location"] == "/deals"


def test_sign_out_clears_the_cookie(browser_for) -> None:
    c = browser_for("liming")
    assert c.get("/deals").status_code == 200
    r = c.post("/logout")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert 'dealwise_token=""' in r.headers["set-cookie"] or "max-age=0" in r.headers["set-cookie"].lower()
    assert c.get("/deals").status_code == 303


def test_the_cookie_also_authenticates_the_json_api(browser_for) -> None:
    me = browser_for("zhaolei").get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "zhaolei"


def test_chinese_by_default_english_on_request(browser_for) -> None:
    c = browser_for("liming")
    assert "商机" in visible(c.get("/deals").text)
    r = c.get("/lang/en?next=/deals")
    assert r.status_code == 303 and r.headers["location"] == "/deals"
    page = visible(c.get("/deals").text)
    assert "Deals" in page and 'lang="en"' in page
    assert c.get("/lang/fr").status_code == 404
