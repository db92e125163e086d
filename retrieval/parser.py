"""Offline question → `QueryPlan` (Chinese and English): metric synonyms, entities, periods, cuts,
comparisons, ranking and top-N. Returns a plan, or a clarification (ambiguous entity), or a refusal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from crm.models import Team, User
from crm.scope import Scope
from retrieval.catalog import ACTIVITY_TYPE_WORDS, BY_NAME, METRICS
from retrieval.entities import CJK, Ambiguity, link, vocab_for
from retrieval.plan import Clarification, Filter, QueryPlan
from retrieval.timeparse import NUM, find_period, zh_number

RETRIEVAL_RX = re.compile(r"提到|提及|说过|说了|谈到|聊到|反馈|抱怨|提出|表示|mention|said|say about|talk(ed)? about|"
                          r"complain|raised|brought up|asked about|concern", re.I)

DIM_CUES: list[tuple[str, str]] = [
    ("product_line", r"产品线|product lines?|product series|按系列|各系列|哪个系列"),
    ("lead_source", r"线索来源|来源|渠道|lead sources?|\bsources?\b|\bchannels?\b"),
    ("activity_type", r"按类型|各类型|活动类型|by type|activity type|per type"),
    ("rep", r"(?:哪个|哪位|哪些|哪名|各个?|每个|每位|每名|按|分)(?:销售(?:员|代表|人员)?|同事|人|业务员|代表)|谁|"
            r"\bwhich (?:sales ?)?(?:reps?|salespe(?:rson|ople)|agents?|sellers?)\b|\bwho\b|"
            r"\b(?:by|per|each|every|all|top|bottom) (?:sales ?)?(?:reps?|salespe(?:rson|ople)|agents?|sellers?)\b|"
            r"销售排名|销售排行"),
    ("team", r"(?:哪个|哪些|各个?|每个|按|分)(?:团队|组|小组)|\b(?:which|by|per|each|every|all) teams?\b"),
    ("region", r"(?:哪个|哪些|各个?|每个|按|分)(?:大区|区域|地区|区)|\b(?:which|by|per|each|every|all) (?:regions?|offices?|regional offices?)\b"),
    ("industry", r"(?:哪个|哪些|各个?|每个|按|分)行业|\b(?:which|by|per|each|every|all) (?:industr(?:y|ies)|sectors?)\b"),
    ("product", r"(?:哪个|哪些|哪款|各个?|每个|每款|按|分)产品|\b(?:which|by|per|each|every|all) products?\b"),
    ("account", r"(?:哪个|哪些|哪家|各个?|每个|每家|按|分)客户|客户排名|\b(?:which|by|per|each|every|all) (?:customers?|accounts?|clients?)\b"),
]
BARE_DIMS: list[tuple[str, str]] = [
    ("account", r"客户|customers?|accounts?|clients?"), ("rep", r"销售(?!额|周期|收入|金额)|人|reps?|salespe(?:rson|ople)|agents?|sellers?"),
    ("team", r"团队|组|teams?"), ("region", r"大区|区域|地区|regions?|offices?"), ("industry", r"行业|industr(?:y|ies)|sectors?"),
    ("product", r"产品|products?"),
]
TIME_CUES: list[tuple[str, str]] = [
    ("time:day", r"按天|每天|每日|逐日|日趋势|\bdaily\b|by day|per day"),
    ("time:week", r"按周|每周|逐周|周趋势|\bweekly\b|by week|per week|each week"),
    ("time:quarter", r"按季度?|每个?季度|逐季|季度趋势|分季度|\bquarterly\b|by quarter|per quarter|each quarter"),
    ("time:year", r"按年|每年|逐年|年度趋势|\byearly\b|\bannual(?:ly)?\b|by year|per year|each year"),
    ("time:month", r"按月|每个?月|逐月|月度|月趋势|分月|\bmonthly\b|by month|per month|each month|趋势|走势|变化|\btrend"),
]
DESC_RX = r"最高|最多|最大|最好|最强|最佳|最长|最慢|最快|第一|冠军|\btop\b|highest|most|best|largest|biggest|longest|slowest|greatest|leading"
ASC_RX = r"最低|最少|最小|最差|最短|最弱|垫底|倒数|\bbottom\b|lowest|least|fewest|worst|smallest|shortest|weakest"
BEST_WORDS = ("最好", "最强", "最佳", "best", "冠军", "leading", "第一")
WORST_WORDS = ("最差", "最弱", "垫底", "worst", "weakest")
FAST_WORDS = ("最快", "fastest", "quickest")
RANK_RX = r"排名|排行|排序|rank|ranking|ranked|sorted|order by"
TOPN_RX = (rf"(?:前|top\s*|排名前|bottom\s*|后|倒数)\s*(?P<n>{NUM}|one|two|three|four|five|six|seven|eight|nine|ten)"
           rf"|(?P<n2>{NUM})\s*(?:个|位|名|家|款|条|大)(?!月|季|天|周|年)"
           r"|\b(?P<n3>\d+|three|five|ten) (?:best|worst|top|highest|lowest|largest|biggest)"
           r"|\b(?:which|the|top|bottom|best|worst|first)\s+(?P<n4>\d+|two|three|four|five|six|seven|eight|nine|ten)\b")
YOY_RX = r"同比|去年同期|上年同期|year[- ]over[- ]year|\byoy\b|vs\.? (?:the )?same (?:period|quarter|month) last year|compared (?:with|to) (?:the )?same period last year|than (?:the )?same period last year"
POP_RX = (r"环比|比上个?月|较上个?月|和上个?月比|与上个?月相比|比上个?季度|较上个?季度|比上期|较上期|上期|"
          r"month[- ]over[- ]month|quarter[- ]over[- ]quarter|\bmom\b|\bqoq\b|vs\.? (?:the )?(?:previous|prior|last) (?:month|quarter|period)|"
          r"compared (?:with|to) (?:the )?(?:previous|prior|last) (?:month|quarter|period)|than (?:the )?(?:previous|prior|last) (?:month|quarter)")
SHARE_RX = r"占比|份额|比重|占多少|占总|占全|占.{0,8}(?:总|全|整体|整个|比例|多少)|share|percentage of (?:the )?total|% of (?:the )?total|proportion|portion"
VS_RX = r"对比|比较|相比|\bvs\.?\b|versus|compare|和.{1,8}比|哪个更|which is (?:higher|better|bigger)"
SELF_RX = r"我的|我自己|\bmy\b|\bme\b|\bi\b"
MY_TEAM_RX = r"我们?(?:团队|组|小组)|我的团队|我们的|\bmy team\b|\bour team\b|\bour\b"
FUNNEL_WORDS = {
    "线索": "线索", "lead": "线索", "leads": "线索",
    "商机": "商机", "opportunity": "商机", "opportunities": "商机", "opp": "商机", "opps": "商机", "deal": "商机", "deals": "商机",
    "报价": "报价", "quote": "报价", "quotes": "报价", "proposal": "报价", "quoted": "报价",
    "成交": "成交", "赢单": "成交", "won": "成交", "win": "成交", "close": "成交", "closed": "成交", "closed won": "成交", "wins": "成交",
    "初步接洽": "初步接洽", "需求确认": "需求确认", "方案报价": "方案报价", "谈判审批": "谈判审批",
}
STAGE_RX = "|".join(sorted((re.escape(k) for k in FUNNEL_WORDS), key=len, reverse=True))
CONV_RX = re.compile(rf"(?P<a>{STAGE_RX})\s*(?:到|至|→|->|转|转化为|转为|到达|变成|-to-|\bto\b)\s*(?P<b>{STAGE_RX})", re.I)


METRIC_PATTERNS: list[tuple[str, str]] = [
    ("contribution", r"贡献|帕累托|二八|pareto|80/20|contribut"),
    ("overdue_tasks", r"任务.{0,6}(?:过期|逾期|超期|到期未完成)|(?:过期|逾期|超期).{0,4}(?:任务|待办)"),
    ("win_rate", r"赢单.{0,2}(?:比例|比率)|成单.{0,2}(?:比例|比率)|\bwins? (?:the )?(?:most |least )?(?:often|frequently)|win (?:the )?(?:most|least) often"),
    ("avg_sales_cycle", r"平均.{0,4}(?:多少|几)天|多少天.{0,4}(?:成交|赢单|签单)|how (?:many days|long)\b.{0,30}\b(?:close|win|sales cycle)|days to close"),
    ("avg_deal_size", r"平均每?[单笔]|单均|平均.{0,2}(?:成交|签单|订单|合同)(?:金)?额|average (?:deal|order|contract) (?:size|value|amount)|avg\.? deal"),
    ("deals_won", r"(?:赢|签|成交)了?(?:几|多少)(?:个|笔)?单|(?:how many|number of) (?:deals|opportunities|opps)\b[^?]*\b(?:won|win)\b|\bwins\b|\b(?:win|won)\b(?! rate).{0,20}\bdeals\b"),
    ("deals_lost", r"(?:丢|输)了?(?:几|多少)?(?:个|笔)?单|(?:how many|number of) (?:deals|opportunities|opps)\b[^?]*\b(?:lost|lose)\b|\b(?:lose|lost|losing)\b.{0,20}\bdeals\b"),
    ("bookings", r"(?:成交|签)了?多少(?!个?单|笔)|卖了?多少|how much\b.{0,60}\b(?:close|closed|book|booked|sell|sold)\b|how much revenue"),
    ("activity_count", r"(?:打|拨)的?电话|电话.{0,3}(?:次数|最多|最少|多少次)|拜访了?.{0,8}(?:次|最多|最少)|见了?.{0,3}(?:几|多少)次客户"),
    ("deals_created", r"(?:新建|新增|创建|新开)了?(?:几|多少)个?商机|(?:how many|number of) (?:deals|opportunities|opps)\b[^?]*\b(?:created|opened|added|new)\b"),
    ("new_customers", r"(?:新增|新签|新)了?(?:几|多少)?(?:个|家)?客户|(?:how many|number of) new (?:customers|accounts|clients)"),
]
OWN_FINANCIALS_RX = r"'s (?:annual |yearly )?(?:revenue|turnover)|的(?:年)?(?:营收|营业额|年收入)|(?:revenue|turnover) of (?:the )?(?:company|customer)"
PCT_TOP_RX = r"(?:前|top\s*)20\s*%|20\s*%\s*(?:的)?"


@dataclass
class Parsed:
    plan: QueryPlan | None = None
    clarification: Clarification | None = None
    refusal: str | None = None
    retrieval: bool = False
    language: str = "zh"
    notes: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().strip()
    return re.sub(r"\s+", " ", t)


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1]:]


def _synonym_rx() -> re.Pattern[str]:
    alts: list[tuple[str, str]] = []
    for m in METRICS:
        for syn in {*(x.lower() for x in m.synonyms_zh), *(x.lower() for x in m.synonyms_en)}:
            body = re.escape(syn)
            if syn.isascii():
                body = rf"(?<![a-z0-9]){body}(?:e?s)?(?![a-z0-9])"
            alts.append((syn, f"(?P<m_{m.name}_{len(alts)}>{body})"))
    alts.sort(key=lambda kv: -len(kv[0]))
    return re.compile("|".join(a for _s, a in alts))


SYNONYMS = _synonym_rx()


def _find_metric(text: str) -> tuple[str | None, tuple[int, int] | None]:
    for name, rx in METRIC_PATTERNS:
        if re.search(rx, text, re.I):
            return name, None  # phrase patterns may span names and ranking words: blank nothing
    best: tuple[int, int, str] | None = None
    for hit in SYNONYMS.finditer(text):
        group = hit.lastgroup or ""
        name = group[2:].rsplit("_", 1)[0]
        if best is None or hit.end() - hit.start() > best[1] - best[0]:
            best = (hit.start(), hit.end(), name)
    if best is None:
        return None, None
    return best[2], (best[0], best[1])


def _word_bounded(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def language_of(question: str, entity_spans: list[tuple[int, int]]) -> str:
    text = question
    for s, e in entity_spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return "zh" if CJK.search(text) else "en"


def parse(session: Session, scope: Scope, question: str, today: date) -> Parsed:
    text = normalize(question)
    out = Parsed()
    vocab = vocab_for(session)
    taken: list[tuple[int, int]] = []
    work = text
    # comparisons first: their words contain period words (去年同期, 上月)
    comparison = None
    for kind, rx in (("yoy", YOY_RX), ("pop", POP_RX)):
        if m := re.search(rx, work, re.I):
            comparison = kind
            work = _blank(work, m.span())
    period = None
    if pm := find_period(work, today):
        period = pm.period
        work = _blank(work, pm.span)
        taken.append(pm.span)
    if pct := re.search(PCT_TOP_RX, work, re.I):
        work = _blank(work, pct.span())
    conv = CONV_RX.search(work)
    stages = None
    chain = len(CONV_RX.findall(work)) > 1 or re.search(r"漏斗|funnel", work, re.I)
    if conv and chain:
        for c in list(re.finditer(STAGE_RX, work, re.I)):
            work = _blank(work, c.span())
        conv = None
    if conv:
        a, b = FUNNEL_WORDS[conv["a"].lower()], FUNNEL_WORDS[conv["b"].lower()]
        if a != b:
            if "线索" in (a, b) and not ({a, b} & {"商机", "报价", "成交"}):
                pass  # 线索→初步接洽: the stage named 线索
            stages = (a, b)
            work = _blank(work, conv.span())
    metric, mspan = _find_metric(work)
    if stages and metric in (None, "conversion", "win_rate"):
        metric = "conversion"
    if mspan:
        work = _blank(work, mspan)
        taken.append(mspan)
    entities, ambiguous = link(work, vocab, session, scope, taken)
    out.language = language_of(text, [e.span for e in entities])
    if metric is None:
        if RETRIEVAL_RX.search(text):
            out.retrieval = True
            return out
        out.refusal = "no_metric"
        return out
    mdef = BY_NAME[metric]
    if re.search(OWN_FINANCIALS_RX, text, re.I) and any(e.dimension == "account" for e in entities):
        out.refusal = "customer_financials"
        return out
    if ambiguous:
        amb: Ambiguity = ambiguous[0]
        opts = [v for _d, v in amb.options]
        amb_dims = {d for d, _v in amb.options}
        q = (f"“{amb.text}”指的是哪一个？" if out.language == "zh" else f"Which one do you mean by '{amb.text}'?")
        out.clarification = Clarification(question=q, options=opts,
                                           dimension=amb_dims.pop() if len(amb_dims) == 1 else None)
        return out
    filters: dict[str, list[str]] = {}
    for ent in entities:
        if ent.dimension == "rep" and ent.manager_team and not re.search(r"本人|自己|himself|herself", text):
            filters.setdefault("team", []).append(ent.manager_team)
            out.notes.append(f"{ent.value} → {ent.manager_team}")
            continue
        vals = filters.setdefault(ent.dimension, [])
        if ent.value not in vals:
            vals.append(ent.value)
        work = _blank(work, ent.span)
    if re.search(MY_TEAM_RX, work) and scope.team_id is not None and "team" not in filters:
        team = session.get(Team, scope.team_id)
        if team is not None:
            filters["team"] = [team.name]
    elif re.search(SELF_RX, work) and scope.role == "rep" and "rep" not in filters:
        me = session.get(User, scope.user_id)
        if me is not None:
            filters["rep"] = [me.display_name or me.username]
    if metric == "activity_count":
        for word, typ in sorted(ACTIVITY_TYPE_WORDS.items(), key=lambda kv: -len(kv[0])):
            if re.search(re.escape(word) if not word.isascii() else rf"\b{word}\b", text):
                filters.setdefault("activity_type", [typ])
                break
    dims: list[str] = []
    for dim, rx in TIME_CUES:
        if re.search(rx, work, re.I):
            dims.append(dim)
            break
    for dim, rx in DIM_CUES:
        if re.search(rx, work, re.I) and dim not in dims and dim in mdef.dimensions:
            dims.append(dim)
            break
    order, limit = _ranking(work, mdef.higher_is_better)
    if (order or metric == "contribution") and not [d for d in dims if not d.startswith("time:")]:
        for dim, rx in BARE_DIMS:
            if re.search(rx, work, re.I) and dim in mdef.dimensions and dim not in filters:
                dims.append(dim)
                break
    if not comparison and re.search(SHARE_RX, work, re.I):
        comparison = "share"
    multi = [d for d, vs in filters.items() if len(vs) > 1]
    if not comparison and multi and (re.search(VS_RX, work, re.I) or True):
        comparison = "vs"
    if comparison == "vs" and multi and multi[0] not in dims:
        dims.insert(0, multi[0])
    dims = [d for d in dims if not (d in filters and len(filters[d]) == 1)]
    if order and limit is None and _singular(work):
        limit = 1
    dims = [d for d in dims if d in mdef.dimensions][:2]
    if metric == "conversion" and dims and stages is None:
        stages = ("商机", "成交")
    if stages and metric == "conversion" and not dims and not order:
        pass
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


def _ranking(work: str, higher_is_better: bool) -> tuple[str | None, int | None]:
    order = None
    if re.search(DESC_RX, work, re.I):
        order = "desc"
    if re.search(ASC_RX, work, re.I):
        order = "asc"
    if any(w in work for w in BEST_WORDS + FAST_WORDS) and not higher_is_better:
        order = "asc"
    if any(w in work for w in WORST_WORDS) and not higher_is_better:
        order = "desc"
    limit = None
    if m := re.search(TOPN_RX, work, re.I):
        tok = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")
        n = zh_number(tok) if tok else None
        if n and 0 < n <= 100:
            limit = n
            if order is None:
                order = "asc" if re.search(r"bottom|后|倒数", m.group(0)) else "desc"
    if order is None and re.search(RANK_RX, work, re.I):
        order = "desc"
    return order, limit


def _singular(work: str) -> bool:
    """A superlative without a count or a plural/ranking cue asks for one item."""
    plural = r"哪些|排名|排行|排序|各|每个|每位|分别|\brank|\beach\b|\ball\b|\bwhich (?:\w+ )?(?:reps|agents|customers|accounts|products|regions|teams|industries|sectors)\b|\bare\b"
    return not re.search(plural, work, re.I)
