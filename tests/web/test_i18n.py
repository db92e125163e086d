"""Every UI string the templates and scripts use exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from api.web.i18n import STRINGS, pick_lang, translate

WEB = Path(__file__).resolve().parents[2] / "api" / "web"


def test_every_literal_key_is_translated() -> None:
    used: set[str] = set()
    for f in WEB.glob("templates/*.html"):
        used |= set(re.findall(r"\bt\('([a-z_.\-]+)'", f.read_text(encoding="utf-8")))
    for f in WEB.glob("static/js/*.js"):
        used |= set(re.findall(r"\bt\(\"([a-z_.\-]+)\"", f.read_text(encoding="utf-8")))
    prefixes = {k for k in used if k.endswith(".")}  # built keys like 'status.' ~ s.status
    missing = sorted(k for k in used - prefixes if k not in STRINGS)
    missing += sorted(p for p in prefixes if not any(k.startswith(p) for k in STRINGS))
    assert used and not missing, missing
    assert all(zh and en for zh, en in STRINGS.values())


def test_chinese_by_default() -> None:
    assert pick_lang(None, "en-US,en") == "zh" and pick_lang("en", None) == "en" and pick_lang("fr", None) == "zh"
    assert translate("nav.deals", "zh") == "商机" and translate("nav.deals", "en") == "Deals"
    assert translate("no.such.key", "en") == "no.such.key"
