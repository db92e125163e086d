"""Turn computed rows into an `Answer`: one line of narrative in the question's language, a table, the
value when it is one number, an ECharts option where a chart reads better, and the plan as applied.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from crm.scope import Scope
from retrieval.catalog import BY_NAME, DIMENSIONS, METRICS
from retrieval.compiler import Computed, has_time_dim
from retrieval.plan import Answer, Clarification, PlanDisclosure, QueryPlan, Result

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€"}
ACTIVITY_LABELS = {"visit": ("拜访", "visit"), "call": ("电话", "call"), "meeting": ("会议", "meeting"),
                   "message": ("消息", "message")}


def fmt(value: Any, unit: str, lang: str, currency: str = "CNY") -> str:
    if value is None:
        return "无数据" if lang == "zh" else "n/a"
    if not isinstance(value, int | float):
        return str(value)
    if unit == "currency":
        return f"{SYMBOLS.get(currency, currency + ' ')}{value:,.0f}"
    if unit == "percent":
        return f"{value * 100:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}×"
    if unit == "days":
        return f"{value:.1f} 天" if lang == "zh" else f"{value:.1f} days"
    return f"{value:,.0f}"


def scope_note(scope: Scope, lang: str) -> str:
    if scope.role == "admin":
        return ""
    if lang == "zh":
        return "（仅统计你本人的数据）" if scope.role == "rep" else "（仅统计你团队的数据）"
    return " (your own data only)" if scope.role == "rep" else " (your team's data only)"


def _label(plan: QueryPlan, lang: str) -> str:
    m = BY_NAME[plan.metric]
    if plan.metric == "conversion" and plan.stages:
        a, b = plan.stages
        return f"{a}→{b}转化率" if lang == "zh" else f"{a}→{b} conversion rate"
    return m.label_zh if lang == "zh" else m.label_en


def _context(plan: QueryPlan, comp: Computed, lang: str) -> str:
    parts = []
    if comp.period is not None:
        last = comp.period.end - timedelta(days=1)
        parts.append(comp.period.label if lang == "zh" else f"{comp.period.start:%Y-%m-%d} to {last:%Y-%m-%d}")
    for f in plan.filters:
        if f.dimension in plan.dimensions and len(f.values) > 1:
            continue
        vals = [ACTIVITY_LABELS.get(v, (v, v))[0 if lang == "zh" else 1] for v in f.values]
        parts.append("、".join(vals) if lang == "zh" else "/".join(vals))
    # no period asked: the answer covers all dates, and says so
    ever = comp.period is None and BY_NAME[plan.metric].default_period == "all" and not has_time_dim(plan)
    if lang == "zh":
        sep = " " if ever and parts and parts[-1][-1:].isascii() else ""  # 'Melvin Marxen team 历史累计'
        return " ".join(parts) + sep + ("历史累计" if ever else "") + ("的" if parts or ever else "")
    return ", ".join([*parts, "all time"] if ever else parts)


def narrative(plan: QueryPlan, comp: Computed, lang: str, currency: str) -> str:
    m = BY_NAME[plan.metric]
    label = _label(plan, lang)
    ctx = _context(plan, comp, lang)
    f = lambda v: fmt(v, m.unit, lang, currency)  # noqa: E731
    zh = lang == "zh"
    if comp.extra.get("funnel"):
        steps = " → ".join(f"{r[0]} {r[1]:,}" for r in comp.rows)
        return (f"{ctx}漏斗：{steps}；{comp.extra['from']}→成交整体转化率 {fmt(comp.value, 'percent', lang)}。" if zh
                else f"Funnel{' for ' + ctx if ctx else ''}: {steps}; overall {comp.extra['from']}→won {fmt(comp.value, 'percent', lang)}.")
    if comp.extra.get("pareto"):
        dim = DIMENSIONS[comp.columns[0]]["zh" if zh else "en"]
        return (f"{ctx}前 20% 的{dim}（{comp.extra['top_n']}/{comp.extra['items']} 个）贡献了 {fmt(comp.value, 'percent', lang)} 的成交额。" if zh
                else f"The top 20 % of {dim}s ({comp.extra['top_n']} of {comp.extra['items']}) bring {fmt(comp.value, 'percent', lang)} of bookings{' (' + ctx + ')' if ctx else ''}.")
    if not comp.rows:
        return f"{ctx}没有可计算{label}的数据。" if zh else f"No data to compute {label}{' for ' + ctx if ctx else ''}."
    n = len(plan.dimensions)
    if plan.comparison in ("yoy", "pop") and n == 0:
        v, p, ch = comp.rows[0][0], comp.rows[0][1], comp.rows[0][2]
        word = ("同比" if plan.comparison == "yoy" else "环比") if zh else ("year over year" if plan.comparison == "yoy" else "vs the previous period")
        change = "—" if ch is None else (f"{ch * 100:+.1f} 个百分点" if zh else f"{ch * 100:+.1f} pts") if m.unit in ("percent", "ratio") else f"{ch * 100:+.1f}%"
        return (f"{ctx}{label}为 {f(v)}，{comp.comparison_period.label if comp.comparison_period else '上期'}为 {f(p)}，{word} {change}。" if zh
                else f"{label.capitalize()}{' for ' + ctx if ctx else ''} is {f(v)} against {f(p)} {word} ({change}).")
    if plan.comparison == "share" and n == 0:
        v, s = comp.rows[0][0], comp.rows[0][1]
        return (f"{ctx}{label}为 {f(v)}，占总体的 {fmt(s, 'percent', lang)}。" if zh
                else f"{label.capitalize()}{' for ' + ctx if ctx else ''} is {f(v)}, {fmt(s, 'percent', lang)} of the total.")
    if n == 0:
        return f"{ctx}{label}为 {f(comp.rows[0][0])}。" if zh else f"{label.capitalize()}{' for ' + ctx if ctx else ''}: {f(comp.rows[0][0])}."
    dim = DIMENSIONS[plan.dimensions[0]]["zh" if zh else "en"]
    vi = n
    if plan.order and plan.limit == 1:
        top = comp.rows[0]
        hi = (plan.order == "desc")
        word = ("最高" if hi else "最低") if zh else ("highest" if hi else "lowest")
        return (f"{ctx}{label}{word}的{dim}是 {top[0]}（{f(top[vi])}）。" if zh
                else f"The {dim} with the {word} {label}{' for ' + ctx if ctx else ''} is {top[0]} ({f(top[vi])}).")
    shown = comp.rows[:5]
    items = ("、" if zh else ", ").join(f"{r[0]}（{f(r[vi])}）" if zh else f"{r[0]} ({f(r[vi])})" for r in shown)
    more = "" if len(comp.rows) <= 5 else (f" 等 {len(comp.rows)} 项" if zh else f" and {len(comp.rows) - 5} more")
    if plan.order:
        hi = plan.order == "desc"
        if zh:
            return f"{ctx}{label}{'最高' if hi else '最低'}的前 {len(comp.rows)} 个{dim}：{items}{more}。"
        return f"{'Top' if hi else 'Bottom'} {len(comp.rows)} {dim}s by {label}{' for ' + ctx if ctx else ''}: {items}{more}."
    return (f"{ctx}按{dim}的{label}：{items}{more}。" if zh
            else f"{label.capitalize()} by {dim}{' for ' + ctx if ctx else ''}: {items}{more}.")


def chart(plan: QueryPlan, comp: Computed, lang: str) -> dict[str, Any] | None:
    label = _label(plan, lang)
    if comp.extra.get("funnel"):
        return {"title": {"text": label}, "tooltip": {"trigger": "item"},
                "series": [{"type": "funnel", "sort": "none", "data": [{"name": r[0], "value": r[1]} for r in comp.rows]}]}
    if comp.extra.get("pareto"):
        return {"title": {"text": label}, "tooltip": {"trigger": "axis"}, "legend": {},
                "xAxis": {"type": "category", "data": [str(r[0]) for r in comp.rows]},
                "yAxis": [{"type": "value"}, {"type": "value", "max": 1, "axisLabel": {"formatter": "{value}"}}],
                "series": [{"type": "bar", "name": "bookings", "data": [r[1] for r in comp.rows]},
                           {"type": "line", "name": "cumulative share", "yAxisIndex": 1, "data": [r[3] for r in comp.rows]}]}
    n = len(plan.dimensions)
    if n == 0 or not comp.rows:
        return None
    cats = [str(r[0]) for r in comp.rows]
    is_time = plan.dimensions[0].startswith("time:")
    series = [{"type": "line" if is_time else "bar", "name": label, "data": [r[n] for r in comp.rows]}]
    if plan.comparison in ("yoy", "pop"):
        series.append({"type": "line" if is_time else "bar", "name": "previous", "data": [r[n + 1] for r in comp.rows]})
    return {"title": {"text": label}, "tooltip": {"trigger": "axis"}, "legend": {},
            "xAxis": {"type": "category", "data": cats}, "yAxis": {"type": "value"}, "series": series}


def disclosure(plan: QueryPlan, comp: Computed | None, scope: Scope, lang: str, source: str) -> PlanDisclosure:
    m = BY_NAME[plan.metric]
    return PlanDisclosure(
        metric=m.name, metric_label=_label(plan, lang), definition=m.definition_zh if lang == "zh" else m.definition_en,
        filters=plan.filters, period=comp.period if comp else plan.period,
        comparison_period=comp.comparison_period if comp else None, dimensions=plan.dimensions,
        comparison=plan.comparison, order=plan.order, limit=plan.limit, stages=plan.stages,
        scope=scope.description, sql="\n;\n".join(comp.sql) if comp and comp.sql and scope.is_company_wide else None,
        source=source)


def metric_answer(plan: QueryPlan, comp: Computed, scope: Scope, lang: str, currency: str,
                  source: str = "offline") -> Answer:
    m = BY_NAME[plan.metric]
    text = narrative(plan, comp, lang, currency) + scope_note(scope, lang)
    rows = [[_plain(x) for x in r] for r in comp.rows]
    return Answer(kind="metric", text=text, result=Result(columns=comp.columns, rows=rows),
                  value=comp.value, unit=currency if m.unit == "currency" else m.unit, chart=chart(plan, comp, lang),
                  plan=disclosure(plan, comp, scope, lang, source), language="zh" if lang == "zh" else "en")


def _plain(x: Any) -> Any:
    return round(x, 6) if isinstance(x, float) else x


def refusal(lang: str, reason: str | None = None) -> Answer:
    names = "、".join(m.label_zh for m in METRICS) if lang == "zh" else ", ".join(m.label_en for m in METRICS)
    if lang == "zh":
        text = f"这个问题没有对应的指标，我不猜测。可以问的指标有：{names}。"
        if reason:
            text = f"{reason} 可以问的指标有：{names}。"
    else:
        text = f"No metric fits this question, so I won't guess. You can ask about: {names}."
        if reason:
            text = f"{reason} You can ask about: {names}."
    return Answer(kind="refusal", text=text, language="zh" if lang == "zh" else "en")


def clarification_answer(c: Clarification, lang: str) -> Answer:
    opts = "、".join(c.options) if lang == "zh" else ", ".join(c.options)
    text = f"{c.question}可选：{opts}。" if lang == "zh" else f"{c.question} Options: {opts}."
    return Answer(kind="clarification", text=text, clarification=c, language="zh" if lang == "zh" else "en")
