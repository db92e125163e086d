"""Web workspace: sign-in/out with a token (the `dealwise_token` cookie), the language switch, static assets."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from api.deps import SESSION_COOKIE, SessionDep
from api.web.i18n import LANG_COOKIE, LANGS
from api.web.render import STATIC_DIR, page_user, render, safe_next
from crm.auth import user_for_token

router = APIRouter(include_in_schema=False)
COOKIE_DAYS = 30


def home_for(role: str) -> str:
    return "/dashboard" if role in ("manager", "admin") else "/deals"


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    user = page_user(request, session)
    return RedirectResponse(home_for(user.role) if user else "/login", status_code=303)


def _wecom_url(request: Request, next: str) -> str | None:
    s = request.app.state.settings
    if not (s.wecom_corp_id and s.wecom_agent_id and s.wecom_secret):
        return None
    return "/auth/wecom?" + urlencode({"next": next})


@router.get("/login")
def login_form(request: Request, session: SessionDep, next: str | None = None) -> Response:
    target = safe_next(next)
    wecom = _wecom_url(request, target)
    if wecom and "wxwork" in request.headers.get("user-agent", "").lower():
        return RedirectResponse(wecom, status_code=303)  # inside WeCom: sign in without a token
    return render(request, "login.html", page_user(request, session), next=target, error=None, wecom_url=wecom)


@router.post("/login")
def login(request: Request, session: SessionDep, token: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    user = user_for_token(session, token.strip()) if token.strip() else None
    if user is None:
        return render(request, "login.html", None, status_code=401, next=safe_next(next),
                      error="login.invalid", wecom_url=_wecom_url(request, safe_next(next)))
    target = safe_next(next)
    resp = RedirectResponse(home_for(user.role) if target == "/" else target, status_code=303)
    resp.set_cookie(SESSION_COOKIE, token.strip(), max_age=COOKIE_DAYS * 86400, httponly=True, samesite="lax",
                    secure=request.url.scheme == "https", path="/")
    return resp


@router.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return resp


@router.get("/lang/{code}")
def set_lang(code: str, next: str | None = None) -> Response:
    if code not in LANGS:
        raise HTTPException(404, f"unknown language {code!r}; use one of {', '.join(LANGS)}")
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return resp


@router.get("/static/{path:path}")
def static(path: str, v: str | None = None) -> Response:
    """Files under api/web/static only; versioned URLs are cached for a year."""
    base = STATIC_DIR.resolve()
    file = (base / path).resolve()
    if not file.is_file() or base not in file.parents:
        raise HTTPException(404, "no such file")
    headers = {"Cache-Control": "public, max-age=31536000, immutable" if v else "no-cache",
               "X-Content-Type-Options": "nosniff"}
    media = "text/javascript; charset=utf-8" if file.suffix == ".js" else None
    return FileResponse(file, headers=headers, media_type=media)
