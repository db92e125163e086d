"""Compose replies from tool results with the templates in prompts/assistant_replies.v1.yaml (pure)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from assistant.types import Intent, Lang

TEMPLATE_FILE = "assistant_replies.v1.yaml"


@lru_cache(maxsize=1)
def templates() -> dict[str, dict[str, str]]:
    text = resources.files("prompts").joinpath(TEMPLATE_FILE).read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def t(lang: Lang, key: str, **kw: Any) -> str:
    tpl = templates()[lang].get(key) or templates()["zh"][key]
    return tpl.format(**kw)


def money(v: float | int | None, lang: Lang) -> str:
    v = float(v or 0)
    if lang == "zh":
        if abs(v) >= 1e8:
            return f"{v / 1e8:.2f}亿元"
        if abs(v) >= 1e4:
            return f"{v / 1e4:,.1f}万元".replace(".0万", "万")
        return f"{v:,.0f}元"
    return f"¥{v:,.0f}"


def _yes(v: bool, lang: Lang) -> str:
    return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")


def _sep(lang: Lang) -> str:
    return "、" if lang == "zh" else ", "


def _na(lang: Lang) -> str:
    return "—"


def error_reply(intent: Intent, error: str | None, data: dict[str, Any], lang: Lang, scope_desc: str) -> str:
    err = error or ""
    if data.get("unavailable"):
        what = {"metrics questions": ("数据问答", "Metrics questions"), "call search": ("通话搜索", "Call search"),
                "win-probability scoring": ("赢单评分", "Deal scoring")}.get(data["unavailable"], (data["unavailable"],) * 2)
        return t(lang, "unavailable", what=what[0] if lang == "zh" else what[1])
    if err.startswith("which customer") or err.startswith("which deal"):
        return t(lang, "need_account")
    if err.startswith("no customer matching") or err.startswith("no deal with"):
        mention = intent.args.get("account") or ""
        scope = {"all data": ("全部数据", "all data"), "your team's data": ("你团队的数据", "your team's data"),
                 "your own data": ("你负责的客户", "your own data")}.get(scope_desc, (scope_desc, scope_desc))
        return t(lang, "not_found", mention=mention, scope=scope[0] if lang == "zh" else scope[1])
    if err.startswith("several customers match"):
        names = err.split(": ", 1)[-1]
        return t(lang, "ambiguous", names=names)
    return t(lang, "error", error=err)


def compose(intent: Intent, data: dict[str, Any], lang: Lang) -> str:
    """The reply for a successful tool result."""
    fn = _COMPOSERS.get(intent.name)
    return fn(data, lang) if fn else t(lang, "unknown")


def _task_created(d: dict[str, Any], lang: Lang) -> str:
    due = t(lang, "task_due_part", due=d["due"]) if d.get("due") else ""
    acc = t(lang, "task_account_part", account=d["account_name"]) if d.get("account_name") else ""
    return t(lang, "task_created", title=d["title"], due_part=due, account_part=acc)


def _task_lines(tasks: list[dict[str, Any]], lang: Lang) -> str:
    return "\n".join(t(lang, "task_line", i=i, title=x["title"], due=f" · {x['due']}" if x.get("due") else "")
                     for i, x in enumerate(tasks, 1))


def _tasks(d: dict[str, Any], lang: Lang) -> str:
    label = t(lang, f"tasks_label_{d['when']}")
    if not d["tasks"]:
        return t(lang, "tasks_empty", label=label)
    return t(lang, "tasks_header", label=label, count=d["count"]) + "\n" + _task_lines(d["tasks"], lang)


def _opp_line(i: int, o: dict[str, Any], lang: Lang) -> str:
    return t(lang, "opp_line", i=i, name=o["name"], account=o.get("account") or "", stage=o["stage"],
             amount=money(o["amount"], lang), close=o.get("expected_close") or _na(lang))


def _opps(d: dict[str, Any], lang: Lang) -> str:
    if not d["opportunities"]:
        return t(lang, "opps_empty")
    head = t(lang, "opps_header", count=d["count"], total=money(d["total_amount"], lang))
    return head + "\n" + "\n".join(_opp_line(i, o, lang) for i, o in enumerate(d["opportunities"], 1))


def _opp(d: dict[str, Any], lang: Lang) -> str:
    comps = d.get("competitors") or []
    comp = ("\n竞争对手：" if lang == "zh" else "\nCompetitors: ") + _sep(lang).join(comps) if comps else ""
    return t(lang, "opp_detail", name=d["name"], account=d.get("account") or "", stage=d["stage"], status=d["status"],
             amount=money(d["amount"], lang), close=d.get("expected_close") or _na(lang),
             budget=_yes(d.get("budget_confirmed", False), lang), dm=_yes(d.get("decision_maker_engaged", False), lang),
             competitors=comp)


def _account(d: dict[str, Any], lang: Lang) -> str:
    contacts = _sep(lang).join(f"{c['name']}（{c['title']}）" if lang == "zh" and c.get("title") else
                               f"{c['name']} ({c['title']})" if c.get("title") else c["name"] for c in d["contacts"])
    opps = _sep(lang).join(f"{o['name']} · {o['stage']} · {money(o['amount'], lang)}" for o in d["opportunities"])
    acts = ""
    if d.get("recent_activities"):
        a = d["recent_activities"][0]
        acts = ("\n最近跟进：" if lang == "zh" else "\nLast activity: ") + f"{a['date']} {a['summary'][:80]}"
    return t(lang, "account_detail", name=d["name"], industry=d.get("industry") or _na(lang),
             city=d.get("city") or _na(lang), owner=d.get("owner") or _na(lang), contacts=contacts or _na(lang),
             opps=opps or _na(lang), acts=acts)


def _score(d: dict[str, Any], lang: Lang) -> str:
    opp, score = d["opportunity"], d["score"]
    p = float(score.get("probability") or 0)
    band = str(score.get("band") or ("high" if p >= 0.6 else "medium" if p >= 0.3 else "low"))
    factors = score.get("factors") or []
    names = []
    for f in factors[:3]:
        if isinstance(f, dict):
            label = str(f.get("label") or f.get("name") or "")
            pts = f.get("points")
            names.append(f"{label} {float(pts) * 100:+.0f}%" if isinstance(pts, int | float) else label)
    ftxt = (("主要因素：" if lang == "zh" else "Main factors: ") + _sep(lang).join(names)) if names and d.get("source") != "stage_default" else ""
    src = ""
    if d.get("source") == "stage_default":
        src = t(lang, "score_source_stage_default", stage=opp["stage"])
    elif d.get("source") == "stored":
        src = t(lang, "score_source_stored", when=str(score.get("scored_at", ""))[:10])
    return t(lang, "score", name=opp["name"], account=opp.get("account") or "", pct=f"{p:.0%}",
             band=t(lang, f"score_band_{band}") if band in ("high", "medium", "low") else band, factors=ftxt, source=src)


def _brief(d: dict[str, Any], lang: Lang) -> str:
    scope = {"all data": ("全公司", "company-wide"), "your team's data": ("团队", "team"),
             "your own data": ("个人", "personal")}.get(d["scope"], (d["scope"], d["scope"]))
    parts = [t(lang, "brief_header", date=d["date"], scope=scope[0] if lang == "zh" else scope[1])]
    tasks = d["tasks_due"]
    parts.append(t(lang, "brief_tasks", count=len(tasks), items=("\n" + _task_lines(tasks, lang)) if tasks else ""))
    risky = d["at_risk"]
    if risky:
        reason_names = {"past_close_date": ("已过预计签约日", "past close date"),
                        "no_recent_activity": ("14天无跟进", "no activity in 14 days"),
                        "low_win_probability": ("赢单概率低", "low win probability")}
        lines = []
        for i, o in enumerate(risky, 1):
            why = _sep(lang).join(reason_names.get(r, (r, r))[0 if lang == "zh" else 1] for r in o["reasons"])
            lines.append(f"{i}. {o['name']} · {money(o['amount'], lang)} · {why}")
        parts.append(t(lang, "brief_risk", items="\n" + "\n".join(lines)))
    y = d["yesterday"]
    parts.append(t(lang, "brief_yesterday", won_count=y["won_count"], won_amount=money(y["won_amount"], lang),
                   new_opportunities=y["new_opportunities"], activities=y["activities"]))
    return "\n".join(parts)


def _metrics(d: dict[str, Any], lang: Lang) -> str:
    ans = d.get("answer") or {}
    if isinstance(ans, dict):
        return str(ans.get("text") or ans.get("summary") or ans)
    return str(ans)


def _calls(d: dict[str, Any], lang: Lang) -> str:
    hits = d.get("hits") or []
    if not hits:
        return t(lang, "calls_empty")
    lines = []
    for i, h in enumerate(hits, 1):
        if not isinstance(h, dict):
            lines.append(f"{i}. {h}")
            continue
        quote = str(h.get("quote") or h.get("text") or "")[:120]
        where = []
        if h.get("account"):
            where.append(str(h["account"]))
        if h.get("occurred_at"):
            where.append(str(h["occurred_at"])[:10])
        if h.get("call_id"):
            at = h.get("start_s")
            stamp = f" @{int(at) // 60}:{int(at) % 60:02d}" if isinstance(at, int | float) else ""
            where.append(("通话 #" if lang == "zh" else "call #") + f"{h['call_id']}{stamp}")
        elif h.get("activity_id"):
            where.append(("记录 #" if lang == "zh" else "note #") + str(h["activity_id"]))
        speaker = {"customer": "客户", "rep": "销售"}.get(str(h.get("speaker")), "") if lang == "zh" else (h.get("speaker") or "")
        prefix = f"{speaker}：" if speaker and lang == "zh" else f"{speaker}: " if speaker else ""
        lines.append(f"{i}. {prefix}“{quote}” [{' · '.join(where)}]")
    return t(lang, "calls_header", count=len(hits)) + "\n" + "\n".join(lines)


def _accounts(d: dict[str, Any], lang: Lang) -> str:
    if not d["accounts"]:
        return t(lang, "accounts_empty")
    more = (f"，显示前 {len(d['accounts'])} 个" if lang == "zh" else f", showing {len(d['accounts'])}") \
        if d["total"] > len(d["accounts"]) else ""
    lines = [f"{i}. {a['name']} · {a.get('industry') or '—'} · {a.get('city') or '—'}" for i, a in enumerate(d["accounts"], 1)]
    return t(lang, "accounts_header", total=d["total"], more=more) + "\n" + "\n".join(lines)


def _note(d: dict[str, Any], lang: Lang) -> str:
    acc = t(lang, "note_account_part", account=d["account_name"]) if d.get("account_name") else ""
    return t(lang, "note_logged", account_part=acc, text=d["text"][:200])


def _call(d: dict[str, Any], lang: Lang) -> str:
    return t(lang, "call_status", filename=d.get("filename") or "", status=d.get("status"), progress=int(d.get("progress") or 0))


_COMPOSERS = {
    "create_task": _task_created, "complete_task": lambda d, lang: t(lang, "task_done", title=d["title"]),
    "log_note": _note, "list_tasks": _tasks, "list_my_opportunities": _opps, "get_opportunity": _opp,
    "get_account": _account, "score_opportunity": _score, "daily_brief": _brief, "ask_metrics": _metrics,
    "search_calls": _calls, "search_accounts": _accounts, "analyze_call": _call,
}
