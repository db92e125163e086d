"""Every asset ships with the package (no CDN, no network at run time); static files are served safely."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "api" / "web"


def test_no_external_urls_in_templates_or_our_scripts() -> None:
    files = [*WEB.glob("templates/*.html"), *WEB.glob("static/js/*.js"), *WEB.glob("static/css/*.css")]
    assert files
    for f in files:
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", f.read_text(encoding="utf-8")), f
        assert "cdn" not in f.read_text(encoding="utf-8").lower(), f


def test_echarts_is_vendored_with_its_licence() -> None:
    vendor = WEB / "static" / "vendor" / "echarts"
    assert (vendor / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (vendor / "LICENSE").read_text(encoding="utf-8")


def test_static_serving(browser_for) -> None:
    c = browser_for(None)
    r = c.get("/static/vendor/echarts/echarts.min.js?v=abc")
    assert r.status_code == 200 and "immutable" in r.headers["cache-control"]
    assert r.headers["content-type"].startswith("text/javascript")
    assert c.get("/static/css/app.css").headers["cache-control"] == "no-cache"
    for bad in ("/static/../render.py", "/static/%2e%2e/render.py", "/static/nope.js", "/static/js"):
        assert c.get(bad).status_code == 404, bad
