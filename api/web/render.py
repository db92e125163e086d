"""Page plumbing: the Jinja2 environment, the signed-in user from the cookie, and rendering with i18n."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from api.deps import SESSION_COOKIE
from api.web.capabilities import capabilities
from api.web.i18n import LANG_COOKIE, bundle, pick_lang, translate
from crm.auth import user_for_token
from crm.models import User

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'self'")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
    env.filters["money"] = money
    env.filters["pct"] = pct
    env.globals["static"] = static_url
    return env


@lru_cache(maxsize=64)
def _digest(path: str) -> str:
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    """A content-versioned URL, so static files can be cached for a long time."""
    return f"/static/{path}?v={_digest(path)}"


def money(value: float | None, lang: str = "zh") -> str:
    if value is None:
        return "—"
    v = float(value)
    if lang == "zh":
        if abs(v) >= 1e8:
            return f"¥{v / 1e8:.2f}亿"
        if abs(v) >= 1e4:
            return f"¥{v / 1e4:,.1f}万"
        return f"¥{v:,.0f}"
    if abs(v) >= 1e6:
        return f"¥{v / 1e6:,.2f}M"
    if abs(v) >= 1e3:
        return f"¥{v / 1e3:,.0f}k"
    return f"¥{v:,.0f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def lang_of(request: Request) -> str:
    return pick_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def page_user(request: Request, session: Session) -> User | None:
    """The user of the session cookie (pages never take bearer tokens), or None."""
    token = request.cookies.get(SESSION_COOKIE)
    user = user_for_token(session, token) if token else None
    if user is not None:
        request.state.user_id = user.id
    return user


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only same-site absolute paths (never //host or a scheme), else the home page."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def render(request: Request, template: str, user: User | None, status_code: int = 200, *,
           nav: str = "", data: Any = None, **ctx: Any) -> HTMLResponse:
    lang = lang_of(request)
    caps = capabilities(request.app)

    def t(key: str, **kw: Any) -> str:
        text = translate(key, lang)
        return text.format(**kw) if kw else text

    page_data = {"lang": lang, "i18n": bundle(lang), "caps": caps.found, "data": data,
                 "echarts": static_url("vendor/echarts/echarts.min.js"),
                 "user": {"id": user.id, "role": user.role, "name": user.display_name or user.username} if user else None}
    html = environment().get_template(template).render(
        request=request, user=user, lang=lang, t=t, caps=caps, nav=nav,
        page_json=json.dumps(page_data, ensure_ascii=False, default=str).replace("</", "<\\/"),
        money=lambda v: money(v, lang), **ctx)
    resp = HTMLResponse(html, status_code=status_code)
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def not_found(request: Request, user: User | None) -> HTMLResponse:
    return render(request, "notfound.html", user, status_code=404)
