"""The group-robot digest: a team's daily or weekly KPIs and deals at risk, posted to its WeCom group
through the robot webhook (markdown ≤ 4096 bytes, ≤ 20 messages a minute per robot)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from api.wecom.split import MARKDOWN_LIMIT, split_message

Period = Literal["daily", "weekly"]
ROBOT_PER_MINUTE = 20
RISK_REASONS = {"past_close_date": "已过预计签约日", "no_recent_activity": "14天无跟进", "low_win_probability": "赢单概率低"}


def period_bounds(period: Period, today: date) -> tuple[date, date]:
    """daily: yesterday; weekly: the last full Monday–Sunday week. [start, end)."""
    if period == "daily":
        return today - timedelta(days=1), today
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday


def _money(v: float) -> str:
    return f"{v / 1e4:,.1f}万" if abs(v) >= 1e4 else f"{v:,.0f}元"


def render_markdown(d: dict[str, Any], period: Period) -> str:
    title = "日报" if period == "daily" else "周报"
    span = d["start"] if d["start"] == d["end"] else f"{d['start']} ~ {d['end']}"
    rate = f"{d['win_rate']:.0%}" if d.get("win_rate") is not None else "—"
    lines = [
        f"## {d['team']} 销售{title}（{span}）",
        f"> 赢单：<font color=\"info\">{d['won_count']} 个 · {_money(d['won_amount'])}</font>",
        f"> 输单：{d['lost_count']} 个 · 赢率 {rate}",
        f"> 新增商机：{d['new_opportunities']} 个 · 跟进记录：{d['activities']} 条",
        f"> 在跟商机：{d['open_count']} 个 · {_money(d['open_amount'])}",
    ]
    risky = d.get("at_risk") or []
    if risky:
        lines.append("")
        lines.append("**<font color=\"warning\">风险商机</font>**")
        for i, o in enumerate(risky, 1):
            why = "、".join(RISK_REASONS.get(r, r) for r in o["reasons"])
            lines.append(f"{i}. {o['name']}（{o.get('account') or ''}）{_money(o['amount'])} · {why}")
    return "\n".join(lines)


class RobotLimiter:
    """At most `per_minute` posts per robot key in any 60-second window (blocks until allowed)."""

    def __init__(self, per_minute: int = ROBOT_PER_MINUTE, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> None:
        with self._lock:
            q = self._sent.setdefault(key, deque())
            now = self.clock()
            while q and now - q[0] >= 60:
                q.popleft()
            if len(q) >= self.per_minute:
                self.sleep(60 - (now - q[0]))
                q.popleft()
            q.append(self.clock())


def webhook_url(api_base: str, key: str) -> str:
    """The robot webhook URL for a bare key (as WeCom shows it: …/cgi-bin/webhook/send?key=KEY)."""
    return f"{api_base.rstrip('/')}/cgi-bin/webhook/send?key={quote(key, safe='')}"


def check_webhook_url(url: str) -> str:
    """The URL itself when it is an http(s) robot webhook with a key; ValueError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or not parse_qs(parts.query).get("key"):
        raise ValueError("a group robot webhook URL looks like https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")
    if len(url.strip()) > 500:
        raise ValueError("the webhook URL is longer than 500 characters")
    return url.strip()


_LIMITER = RobotLimiter()  # one per process: every post to a robot from this process shares its budget


def post_markdown(url: str, content: str, *, http: httpx.Client | None = None,
                  limiter: RobotLimiter | None = None) -> int:
    """Post markdown to a group robot's webhook URL, split to its 4096-byte limit. Returns how many messages."""
    client = http or httpx.Client(timeout=10.0)
    limiter = limiter or _LIMITER
    chunks = split_message(content, MARKDOWN_LIMIT)
    for chunk in chunks:
        limiter.wait(url)
        resp = client.post(url, json={"msgtype": "markdown", "markdown": {"content": chunk}})
        resp.raise_for_status()
        data = resp.json()
        if int(data.get("errcode", 0)):
            raise RuntimeError(f"robot webhook error {data.get('errcode')}: {data.get('errmsg')}")
    return len(chunks)
