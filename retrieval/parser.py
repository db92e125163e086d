"""Offline question → `QueryPlan` (Chinese and English): metric synonyms, entities, periods, cuts,
comparisons, ranking and top-N. Returns a plan, or a clarification (ambiguous entity), or a refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from crm.models import Team, User
from crm.scope import Scope
from retrieval.asides import ASIDE, CORRECTION, GOAL_NOISE, OKR_GOAL, PURPOSE, ROLE, preamble
from retrieval.catalog import BY_NAME
from retrieval.entities import CJK, Ambiguity, Entity, link, vocab_for
from retrieval.frames import frame_metric
from retrieval.normalize import normalize
from retrieval.parser_patterns import (
    FUNNEL_WORDS,
    FUTURE_OK,
    MAIN_STAGES,
    RETRIEVAL_RX,
    SPAN_METRICS,
    STAGE_ORDER,
)
from retrieval.parser_rx import (
    ACROSS_WHOLE,
    ACTIVITY_WORDS,
    CONTRIB,
    CUM_SHARE,
    EN_NOUN_DIM_CUES,
    HIMSELF,
    MY_TEAM,
    PARETO,
    REGIONAL,
    SELF,
    SELLER_GAP_EN,
    SELLER_GAP_ZH,
    SELLER_GROUPS,
    VAGUE_PERF,
    Rx,
    find_metric,
    ranking,
    rx_for,
    singular,
)
from retrieval.plan import Clarification, Filter, QueryPlan
from retrieval.rx_fast import compile_fast
from retrieval.timeparse import (
    RECENT,
    Period,
    find_period,
    previous_period,
    recent_period,
    year_ago,
)

_WS = compile_fast(r"\s+")
_WHO = compile_fast(r"谁|\bwho\b")
_EXCLUDED = compile_fast(r"(?:不含|不包括|不算|除了|除去)[^，,。？?()]{1,12}|[^，,。？?()（）、]{1,6}(?:不算|不计|除外)|\b(?:excl\.?|excluding|not counting|except)\s+[^,.?()]{1,30}")
_SAME_PERIOD = compile_fast(r"当(?:季度?|月)(?!度)")
_ENGLISH_WORDS = compile_fast(r"\b[a-z]{3,}\b.*\b[a-z]{3,}\b")  # two English words: the stage names may be Chinese


@dataclass
class Parsed:
    plan: QueryPlan | None = None
    clarification: Clarification | None = None
    refusal: str | None = None
    retrieval: bool = False
    language: str = "zh"
    notes: list[str] = field(default_factory=list)




def _stage_pair(m: re.Match[str]) -> tuple[str, str]:
    """The funnel stages a stage-pair match names ('opportunities to won' → 商机, 成交)."""
    g = m.groupdict()
    if g.get("a") is not None:
        a, b = g["a"], g["b"]
    elif g.get("a2") is not None:  # the later forms: 'leads … how many opportunities … relative to that'
        a, b = g["a2"], g["b2"]
    else:  # 'opps opened vs leads that came in, as a %': either order names the same pair
        x, y = FUNNEL_WORDS[g["va"].lower()], FUNNEL_WORDS[g["vb"].lower()]
        return (x, y) if STAGE_ORDER[x] <= STAGE_ORDER[y] else (y, x)
    return FUNNEL_WORDS[a.lower()], FUNNEL_WORDS[b.lower()]


def _forward(m: re.Match[str]) -> bool:
    """The pair goes down the funnel: 'opportunities to leads' in 'a ratio of opportunities to leads' names none."""
    a, b = _stage_pair(m)
    return STAGE_ORDER[a] < STAGE_ORDER[b]


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1]:]



def _compared(p1: Period, p2: Period) -> tuple[Period, str | None]:
    """Two periods named in one question: the later one and 'pop'/'yoy' when the other is its previous period or
    the same period a year earlier; else the first one and no comparison."""
    for a, b in ((p1, p2), (p2, p1)):
        ago, before = year_ago(a), previous_period(a)
        if (b.start, b.end) == (ago.start, ago.end):
            return a, "yoy"
        if (b.start, b.end) == (before.start, before.end):
            return a, "pop"
    return p1, None


def language_of(question: str, entity_spans: list[tuple[int, int]]) -> str:
    text = question
    for s, e in entity_spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return "zh" if CJK.search(text) else "en"


def _with_each(question: str, norm: str, span: tuple[int, int], options: list[str]) -> list[str]:
    """The question asked again with each option in place of the ambiguous words (in the question as typed when
    normalising kept its length, so spans line up; else in its normalised form)."""
    base = question if len(question) == len(norm) else norm
    return [_WS.sub(" ", base[: span[0]] + opt + base[span[1]:]).strip() for opt in options]


SELLERS = ("rep", "team", "region")


def _seller_doing(work: str, entities: list[Entity], ambiguous: list[Ambiguity]) -> bool:
    """'华东组最近表现得怎么样', '李明表现如何', '各组表现怎么样', 'how is 李明 doing': a rep, team or region (the
    asker's own team, or each of them) right before the vague word, or inside the English phrase, nothing else
    between."""
    spans = [e.span for e in entities if e.dimension in SELLERS]
    spans += [a.span for a in ambiguous if any(d in SELLERS for d, _v in a.options)]
    spans += [m.span() for rx in (MY_TEAM, SELF, SELLER_GROUPS) for m in rx.finditer(work)]
    for m in VAGUE_PERF.finditer(work):
        if m.group("who") is None:
            before = [e for _s, e in spans if e <= m.start()]
            if before and SELLER_GAP_ZH.fullmatch(work, max(before), m.start()):
                return True
            continue
        a, b = m.span("who")
        inside = [(s, e) for s, e in spans if a <= s and e <= b]
        rest = "".join(" " if any(s <= i < e for s, e in inside) else ch for i, ch in enumerate(work[a:b], a))
        if inside and SELLER_GAP_EN.fullmatch(rest):
            return True
    return False


_CLOSE_DAY = compile_fast(r"关单|结单|签约日|成交日|到期|截止|\bclos(?:e|es|ing)\b|\bdue\b")
_YEAR_SAID = compile_fast(r"\d{4}|年|\byears?\b|\byrs?\b|\bquarter\b|季")  # a relative period ('last quarter') has a year too
_MONTHS_SAID = compile_fast(r"\d{1,2}\s*月|[一二三四五六七八九十]+月|\d{1,2}/\d{1,2}|"
                          r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def _names_again(first: Period, second: Period, said: str) -> bool:
    """The second period found names the first again: the same days, or the same days of the year said as months
    without a year ('2025年Q3，也就是7月1日到9月30日': the dates fall in 2025, not this year)."""
    if (second.start, second.end) == (first.start, first.end):
        return True
    days = (first.start.month, first.start.day, first.end.month, first.end.day)
    return (second.start.month, second.start.day, second.end.month, second.end.day) == days and bool(
        _MONTHS_SAID.search(said)) and not _YEAR_SAID.search(said)


def _main_stages(work: str, R: Rx) -> int:
    """How many of the funnel's main stages (线索, 商机, 报价, 成交) the text names."""
    return len({FUNNEL_WORDS[m.group(0).lower()] for m in R.stage.finditer(work)} & MAIN_STAGES)


def _from_leads_on(work: str, R: Rx) -> bool:
    """'从线索进来，到变成商机，到报价，再到签下来': the funnel said as its first stage and two more, each after 到."""
    stages = list(R.stage.finditer(work))
    return bool(stages) and FUNNEL_WORDS.get(stages[0].group(0).lower()) == "线索" and sum(
        "到" in work[max(0, m.start() - 5):m.start()] for m in stages[1:]) > 1


def parse(session: Session, scope: Scope, question: str, today: date, recent_days: int = 30) -> Parsed:
    text = norm = normalize(question)
    R = rx_for(text)
    if pre := preamble(text):
        text = _blank(text, pre)  # '我下周要给同事做个总结，想先心里有数。…': why one asks, not what
    if (ctx := R.context.match(text)) and ctx.end() < len(text):
        text = _blank(text, ctx.span())  # who asks and why is not part of the question
    for rq in R.request.finditer(text):
        text = _blank(text, rq.span())  # 'kindly share …': a request, not a share
    if goal := OKR_GOAL.match(text):  # 'KR3：回款从每季度3000万提到4000万——这个季度到账多少？'
        for noise in GOAL_NOISE.finditer(text, 0, goal.end()):
            text = _blank(text, noise.span())
    for aside in PURPOSE.finditer(text):
        text = _blank(text, aside.span())  # 'As the CFO, …, so that I can close the year': who asks and what for
    for aside in ASIDE.finditer(text):
        text = _blank(text, aside.span())  # '(不是产品系列)' names a cut only to rule it out; ', cheers' signs off
    out = Parsed()
    vocab = vocab_for(session)
    if (role := ROLE.match(text)) and not any(
            e.dimension in ("team", "region", "rep") for e in link(text[: role.end()], vocab, session, scope, [])[0]):
        text = _blank(text, role.span())  # 'As a finance planner, …': who asks, unless it names a team ('作为华东一组组长')
    taken: list[tuple[int, int]] = []
    work = text
    # comparisons first: their words contain period words (去年同期, 上月)
    comparison = None
    for kind, rx in (("yoy", R.yoy), ("pop", R.pop)):
        if m := rx.search(work):
            comparison = kind
            work = _blank(work, m.span())
    period = None
    for fix in CORRECTION.finditer(work):  # '上个月，不对，这个月': the period after the correction counts
        while pm := find_period(work[: fix.start()], today):
            work = _blank(work, pm.span)
        work = _blank(work, fix.span())
    for now in R.as_of_now.finditer(work):  # '截至今日…早于今天': each says 'as of now', none is a period
        work = _blank(work, now.span())
    if pm := find_period(work, today):
        period = pm.period
        work = _blank(work, pm.span)
        for same in _SAME_PERIOD.finditer(work):  # '上个季度…他本人当季的指标': 当季 names that quarter again
            work = _blank(work, same.span())
        taken.append(pm.span)
        if comparison is None and (pm2 := find_period(work, today)):  # 'December vs November': a named 环比/同比
            if not work[min(pm.span[1], pm2.span[0]):max(pm.span[1], pm2.span[0])].strip(" 的,，()（）"):
                work = _blank(work, pm2.span)  # '7到9月这个季度', '本月（十一月）': the second names the first again
                pm2 = find_period(work, today)
            while pm2 is not None and _names_again(period, pm2.period, work[pm2.span[0]:pm2.span[1]]):
                work = _blank(work, pm2.span)  # "this month's … (Dec 2017) … against November": the same month again
                pm2 = find_period(work, today)
            if pm2 is not None:
                period, comparison = _compared(period, pm2.period)
                if comparison:
                    work = _blank(work, pm2.span)
                    taken.append(pm2.span)
    top_share = None
    if pct := R.pct_top.search(work):
        top_share = pct
        work = _blank(work, pct.span())
    # a stage pair: '商机到成交', 'A之后…推进到B', 'B数除以A数', 'B数做分子，A数做分母', '以A为分母、B为分子'
    conv = next((m for rx in (R.conv_after, R.conv, R.conv_ratio, R.conv_fraction, R.conv_fraction_rev, R.conv_en,
                              R.conv_of_ratio, R.conv_slash, R.conv_latter, R.conv_former, R.conv_ratio_of_en,
                              R.conv_vs_en, R.conv_reached_en)
                 if (m := rx.search(work)) and _forward(m)), None)
    stages = None
    if conv and find_metric(work, R)[0] in SPAN_METRICS:
        conv = None  # 'from opening the opportunity to winning it, how long': the stages only name a span
    pairs = {_stage_pair(m) for m in R.conv.finditer(work)}
    # the same pair said twice is still one pair; the funnel may be named in a request prefix ('帮我拉一张销售漏斗：…')
    chain = len(pairs) > 1 or R.funnel.search(norm) or (conv is not None and (
        _from_leads_on(work, R) or _main_stages(work, R) > 2))  # 'leads…opps…a quote…signed'
    if conv and chain:
        for c in list(R.stage.finditer(work)):
            work = _blank(work, c.span())
        conv = None
    if conv:  # only a pair going down the funnel is kept (`_forward`): 'won to deals' names none
        stages = _stage_pair(conv)
        work = _blank(work, conv.span())
    if stages is None and R.created_won.search(work):
        stages = ("商机", "成交")
    metric, mspan = find_metric(work, R)
    if top_share and metric in (None, "bookings"):
        metric, mspan = "contribution", None  # 'the top 20 % of customers' share of bookings' is the Pareto share
    if stages and metric in (None, "conversion", "win_rate", "deals_created", "deals_won", "deals_lost"):
        metric = "conversion"
    elif stages is None and ((metric in (None, "open_pipeline") and chain) or (
            metric in (None, "deals_created", "deals_won") and _main_stages(work, R) > 2)):
        metric = "conversion"  # '从线索到商机到报价再到成交', '线索数、商机数、报价数、赢单数': the funnel
    elif stages and metric is not None:
        stages = None  # '从建商机到成交平均花多久' is a cycle: the stages only named its span
    if metric is None and stages is None and not chain:
        metric = frame_metric(text)  # no phrase or synonym: the metric its parts describe (periods left in: "due < today")
    if mspan:
        work = _blank(work, mspan)
        taken.append(mspan)
    entities, ambiguous = link(work, vocab, session, scope, taken)
    names = [e.span for e in entities]
    if _ENGLISH_WORDS.search(text) and CJK.search(text):  # 'what share of 方案报价 went on to 谈判审批': an English question
        names += [m.span() for m in R.stage.finditer(text)]
    out.language = language_of(text, names)
    if R.offtopic.search(text):
        out.refusal = "no_metric"
        return out
    if metric is None and _seller_doing(work, entities, ambiguous):
        metric = "bookings"  # how a seller is doing is their 业绩; the answer names the metric it used
    if metric is None:
        if RETRIEVAL_RX.search(text):
            out.retrieval = True
            return out
        out.refusal = "no_metric"
        return out
    mdef = BY_NAME[metric]
    future = R.future.search(text)
    if future and metric == "forecast_accuracy" and future.group(0).startswith("predict") and not R.future.search(
            text, future.end()):
        future = None  # 'our predicted amount against the won amount': past predictions, not a prediction
    if metric not in FUTURE_OK and (future or (period is not None and period.start > today)):
        out.refusal = "future"  # realised metrics only: no predictions
        return out
    if R.own_fin.search(text) and any(e.dimension == "account" for e in entities):
        out.refusal = "customer_financials"
        return out
    if ambiguous:
        amb: Ambiguity = ambiguous[0]
        opts = [v for _d, v in amb.options]
        amb_dims = {d for d, _v in amb.options}
        q = (f"“{amb.text}”指的是哪一个？" if out.language == "zh" else f"Which one do you mean by '{amb.text}'?")
        out.clarification = Clarification(question=q, options=opts,
                                           dimension=amb_dims.pop() if len(amb_dims) == 1 else None,
                                           questions=_with_each(question, norm, amb.span, opts))
        return out
    filters: dict[str, list[str]] = {}
    for ent in entities:
        if ent.dimension == "rep" and ent.manager_team and not HIMSELF.search(text):
            teams = filters.setdefault("team", [])
            if ent.manager_team not in teams:  # 'Cara Losch's team … Cara Losch's team': one team, not a comparison
                teams.append(ent.manager_team)
                out.notes.append(f"{ent.value} → {ent.manager_team}")
            continue
        vals = filters.setdefault(ent.dimension, [])
        if ent.value not in vals:
            vals.append(ent.value)
        work = _blank(work, ent.span)
    if MY_TEAM.search(work) and scope.team_id is not None and "team" not in filters:
        team = session.get(Team, scope.team_id)
        if team is not None:
            filters["team"] = [team.name]
    elif SELF.search(work) and scope.role == "rep" and "rep" not in filters:
        me = session.get(User, scope.user_id)
        if me is not None:
            filters["rep"] = [me.display_name or me.username]
    if metric == "activity_count":
        kinds = _EXCLUDED.sub(" ", text)  # '只算电话，不含拜访和会议': the kinds ruled out are not the kind asked
        for wrx, typ in ACTIVITY_WORDS:
            if wrx.search(kinds):
                filters.setdefault("activity_type", [typ])
                break
    dims: list[str] = []
    for dim, crx in (R.time_cues_no_trend if comparison in ("yoy", "pop") else R.time_cues_trend).hits(work):
        if crx.search(work):
            dims.append(dim)
            break
    for dim, crx in R.dim_cues.hits(work):  # '活动类型为电话' names a filter's dimension, not a cut
        if crx.search(work) and dim not in dims and dim in mdef.dimensions and len(filters.get(dim, ())) != 1:
            dims.append(dim)
            break
    else:
        for dim, crx in EN_NOUN_DIM_CUES.hits(work):
            if dim in mdef.dimensions and dim not in filters and (
                    crx.search(work) or (dim == "region" and REGIONAL.search(work))):
                dims.append(dim)
                break
    order, limit = ranking(work, mdef.higher_is_better, R)
    if (order or metric == "contribution") and not [d for d in dims if not d.startswith("time:")]:
        for dim, crx in R.bare_dims:
            if crx.search(work) and dim in mdef.dimensions and dim not in filters:
                dims.append(dim)
                break
        else:
            if _WHO.search(work) and "rep" in mdef.dimensions and "rep" not in filters:
                dims.append("rep")  # 'who are the top 3' with nothing else named: people
    if metric == "contribution" and filters and not dims and CONTRIB.search(text) and not PARETO.search(text):
        metric, mdef, comparison = "bookings", BY_NAME["bookings"], "share"  # '华东贡献了全公司多少' is 华东's share
    rate = mdef.unit in ("percent", "ratio") and metric != "contribution"  # a share of a rate means the rate
    if not comparison and not rate and (R.share.search(work) or (
            mdef.unit in ("currency", "count") and R.share_of_total.search(work))):
        comparison = "share"
    if (comparison == "share" or order) and metric == "bookings" and dims and CUM_SHARE.search(work):
        metric, mdef, comparison = "contribution", BY_NAME["contribution"], None  # shares with their running total
    if ACROSS_WHOLE.search(work) and not order:
        dims = [d for d in dims if d.startswith("time:")]
    multi = [d for d, vs in filters.items() if len(vs) > 1]
    if not comparison and multi:  # two values of one dimension compare them
        comparison = "vs"
    if comparison == "vs" and multi and multi[0] not in dims:
        dims.insert(0, multi[0])
    if comparison == "vs" and multi and multi[0] != "rep" and "rep" in dims and _WHO.search(work):
        dims.remove("rep")  # '华南跟华东比，谁高': who is one of the two compared, not a person
    dims = [d for d in dims if not (d in filters and len(filters[d]) == 1)]
    if order and limit is None and singular(work, R):
        limit = 1
    dims = [d for d in dims if d in mdef.dimensions][:2]
    if metric == "conversion" and dims and stages is None:
        stages = ("商机", "成交")
    if (mdef.default_period == "now" and period is not None and (period.start, period.end) == (today, today + timedelta(days=1))
            and not _CLOSE_DAY.search(text)):
        period = None  # 'every deal still in play today': a snapshot as of now, not deals closing today
    if (period is None and comparison not in ("yoy", "pop") and mdef.default_period == "all"
            and not any(d.startswith("time:") for d in dims) and RECENT.search(work)):
        period = recent_period(today, recent_days)  # '最近的赢单率', 'win rate lately': the last N days, said so
    try:
        plan = QueryPlan(metric=metric, dimensions=dims,
                         filters=[Filter(dimension=d, values=v) for d, v in filters.items()
                                  if d in mdef.dimensions or d in ("rep", "team", "region")],
                         period=period, comparison=comparison, order=order if dims else None,
                         limit=limit if dims else None, stages=stages)
    except ValueError as exc:
        out.refusal = f"invalid:{exc}"
        return out
    out.plan = plan
    return out

