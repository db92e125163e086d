"""Web workspace: sign-in with WeCom OAuth (snsapi_base), for users opening Dealwise inside WeCom.

GET /auth/wecom → WeCom's authorize page (state in a short-lived HttpOnly cookie) → GET /auth/wecom/callback
with `code` → `auth/getuserinfo` → the active user whose `wecom_userid` matches → a new API token in the
`dealwise_token` cookie, as the token sign-in does.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from api.deps import SESSION_COOKIE, SessionDep
from api.routes.web_auth import COOKIE_DAYS, home_for
from api.web.render import render, safe_next
from api.wecom.client import WeComAPIError, WeComClient
from crm.auth import issue_token
from crm.models import User
from crm.settings import Settings

router = APIRouter(include_in_schema=False)
AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
STATE_COOKIE = "dealwise_oauth"
STATE_MAX_AGE = 600


def wecom_login_enabled(settings: Settings) -> bool:
    return bool(settings.wecom_corp_id and settings.wecom_agent_id and settings.wecom_secret)


def _client(request: Request) -> WeComClient:
    """The app's WeCom client for OAuth look-ups (tests may set `app.state.web_wecom_client`)."""
    state = request.app.state
    client: WeComClient | None = getattr(state, "web_wecom_client", None)
    if client is None:
        s: Settings = state.settings
        assert s.wecom_corp_id and s.wecom_agent_id and s.wecom_secret
        client = WeComClient(s.wecom_corp_id, s.wecom_secret.get_secret_value(), s.wecom_agent_id, s.wecom_api_base)
        state.web_wecom_client = client
    return client


def _fail(request: Request, message: str) -> Response:
    resp = render(request, "login.html", None, status_code=401, next="/", error=message, wecom_url="/auth/wecom")
    resp.delete_cookie(STATE_COOKIE, path="/auth/wecom")
    return resp


@router.get("/auth/wecom")
def wecom_start(request: Request, next: str | None = None) -> Response:
    settings: Settings = request.app.state.settings
    if not wecom_login_enabled(settings):
        return _fail(request, "wecom.off")
    state = secrets.token_urlsafe(18)
    query = urlencode({"appid": settings.wecom_corp_id, "redirect_uri": str(request.url_for("wecom_callback")),
                       "response_type": "code", "scope": "snsapi_base", "state": state,
                       "agentid": settings.wecom_agent_id})
    resp = RedirectResponse(f"{AUTHORIZE_URL}?{query}#wechat_redirect", status_code=303)
    resp.set_cookie(STATE_COOKIE, f"{state}|{safe_next(next)}", max_age=STATE_MAX_AGE, httponly=True,
                    samesite="lax", secure=request.url.scheme == "https", path="/auth/wecom")
    return resp


@router.get("/auth/wecom/callback", name="wecom_callback")
def wecom_callback(request: Request, session: SessionDep, code: str = "", state: str = "") -> Response:
    saved, _, target = (request.cookies.get(STATE_COOKIE) or "").partition("|")
    if not code or not state or not saved or not hmac.compare_digest(saved, state):
        return _fail(request, "wecom.state")
    try:
        data = _client(request)._authed("GET", "/cgi-bin/auth/getuserinfo", params={"code": code}).json()
    except (WeComAPIError, ValueError):
        return _fail(request, "wecom.code")
    userid = data.get("userid") or data.get("UserId")
    user = session.scalar(select(User).where(User.wecom_userid == userid, User.is_active)) if userid else None
    if user is None:
        return _fail(request, "wecom.unknown")
    token = issue_token(session, user, name="web-wecom")
    target = safe_next(target)
    resp = RedirectResponse(home_for(user.role) if target == "/" else target, status_code=303)
    resp.set_cookie(SESSION_COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="lax",
                    secure=request.url.scheme == "https", path="/")
    resp.delete_cookie(STATE_COOKIE, path="/auth/wecom")
    return resp
