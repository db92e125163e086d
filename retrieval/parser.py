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
from retrieval.parser_patterns import (
    ASC_RX,
    BARE_DIMS,
    BEST_WORDS,
    CONV_RX,
    CREATED_WON_SHARE_RX,
    DESC_RX,
    DIM_CUES,
    EN_NOUN_DIMS,
    EN_NOUN_TAIL,
    FAST_WORDS,
    FUNNEL_WORDS,
    FUTURE_OK,
    FUTURE_RX,
    METRIC_PATTERNS,
    MY_TEAM_RX,
    NOT_A_METRIC_AFTER,
    OWN_FINANCIALS_RX,
    PCT_TOP_RX,
    POP_RX,
    RANK_RX,
    RETRIEVAL_RX,
    SELF_RX,
    SHARE_OF_TOTAL_RX,
    SHARE_RX,
    STAGE_RX,
    TIME_CUES,
    TOPN_RX,
    TREND_WORDS_RX,
    WEAK_PATTERNS,
    WORST_WORDS,
    YOY_RX,
)
from retrieval.plan import Clarification, Filter, QueryPlan
from retrieval.timeparse import find_period, zh_number


def _c(rx: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile(rx, flags)


# every pattern compiled once (a module-level `re.search(str, …)` pays a cache lookup and flag conversion per call)
_WS = re.compile(r"\s+")


class _Cues(list[tuple[str, re.Pattern[str]]]):
    """(key, pattern) pairs searched in order, first hit wins; `hits(text)` is the list, or nothing when one
    alternation of all the patterns (plus `extra` ones the caller also tries) finds no match: the
    alternation matches iff one of its branches does, so the common no-hit case costs one search."""

    def __init__(self, pairs: list[tuple[str, re.Pattern[str]]], flags: int, extra: tuple[str, ...] = ()):
        super().__init__(pairs)
        parts = [rx.pattern for _k, rx in pairs] + list(extra)
        self.any: re.Pattern[str] | None = None
        if not any(_BACKREF.search(p) for p in parts):  # numbered/named backrefs would change meaning
            try:
                self.any = re.compile("|".join(f"(?:{p})" for p in parts), flags)
            except re.error:  # e.g. a group name used twice, or an inline global flag
                self.any = None

    def hits(self, text: str) -> list[tuple[str, re.Pattern[str]]]:
        return self if self.any is None or self.any.search(text) else []


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


class _Rx:
    """The case-insensitive phrase patterns, compiled with `flags`. Questions are lower-cased first
    (`normalize`) and no pattern has an upper-case literal, so IGNORECASE changes a match only for 'ı'
    (it matches 'i'); without it the engine is ~2x faster, so it is used only when the text has an 'ı'."""

    def __init__(self, f: int):
        self.yoy, self.pop, self.pct_top, self.funnel = _c(YOY_RX, f), _c(POP_RX, f), _c(PCT_TOP_RX, f), _c(r"漏斗|funnel", f)
        self.stage, self.conv = _c(STAGE_RX, f), _c(CONV_RX.pattern, f)
        self.created_won, self.future, self.own_fin = _c(CREATED_WON_SHARE_RX, f), _c(FUTURE_RX, f), _c(OWN_FINANCIALS_RX, f)
        self.metric_patterns = _Cues([(name, _c(rx, f)) for name, rx in METRIC_PATTERNS], f)
        self.weak_patterns = _Cues([(name, _c(rx, f)) for name, rx in WEAK_PATTERNS], f)
        self.time_cues_trend = _Cues([(dim, _c(rx.replace("TREND", TREND_WORDS_RX), f)) for dim, rx in TIME_CUES], f)
        self.time_cues_no_trend = _Cues([(dim, _c(rx.replace("TREND", "(?!x)x"), f)) for dim, rx in TIME_CUES], f)  # 同比/环比
        self.dim_cues = _Cues([(dim, _c(rx, f)) for dim, rx in DIM_CUES], f)
        self.bare_dims = [(dim, _c(rx, f)) for dim, rx in BARE_DIMS]
        self.share, self.share_of_total = _c(SHARE_RX, f), _c(SHARE_OF_TOTAL_RX, f)
        self.desc, self.asc, self.topn, self.rank = _c(DESC_RX, f), _c(ASC_RX, f), _c(TOPN_RX, f), _c(RANK_RX, f)
        self.plural = _c(r"哪些|排名|排行|排序|各|每个|每位|分别|\brank|\beach\b|\ball\b|\bwhich (?:\w+ )?(?:reps|agents|"
                         r"customers|accounts|products|regions|teams|industries|sectors)\b|\bare\b", f)


_FOLD, _PLAIN = _Rx(re.I), _Rx(0)
assert CONV_RX.flags & re.I


def _rx_for(text: str) -> _Rx:
    return _FOLD if "ı" in text else _PLAIN

_HIMSELF = _c(r"本人|自己|himself|herself", 0)
_MY_TEAM, _SELF = _c(MY_TEAM_RX, 0), _c(SELF_RX, 0)
_ACTIVITY_WORDS = [(_c(re.escape(word) if not word.isascii() else rf"\b{word}\b", 0), typ)
                   for word, typ in sorted(ACTIVITY_TYPE_WORDS.items(), key=lambda kv: -len(kv[0]))]
_REGIONAL_RX = r"\bregional\b"
_EN_NOUN_DIMS = _Cues([(dim, _c(rf"\b(?:{rx})\b{EN_NOUN_TAIL}", 0)) for dim, rx in EN_NOUN_DIMS], 0,
                      extra=(_REGIONAL_RX,))  # the loop also tries _REGIONAL
_REGIONAL = _c(_REGIONAL_RX, 0)
_CONTRIB, _PARETO = _c(r"贡献|contribut", 0), _c(r"帕累托|二八|pareto|80/20", 0)
_BOTTOM = _c(r"bottom|后|倒数", 0)
_BEST_FAST = BEST_WORDS + FAST_WORDS


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
    return _WS.sub(" ", t)


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1]:]


def _synonym_rx() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every metric synonym (longest first) and the metric each matchable text names.

    Every branch starts with a literal character (an English synonym checks the word boundary after its
    first character), so the regex engine rejects a branch on one character compare: ~20x faster than a
    named group per branch. The engine takes the first branch that matches, so the first synonym in this
    order that can produce the matched text is the one that matched: the lookup gives the same metric."""
    alts: list[tuple[str, str]] = []
    for m in METRICS:
        for syn in {*(x.lower() for x in m.synonyms_zh), *(x.lower() for x in m.synonyms_en)}:
            alts.append((syn, m.name))
    alts.sort(key=lambda kv: -len(kv[0]))
    branches: list[str] = []
    names: dict[str, str] = {}
    for syn, name in alts:
        if syn.isascii():
            c = re.escape(syn[0])
            branches.append(rf"{c}(?<![a-z0-9]{c}){re.escape(syn[1:])}(?:e?s)?(?![a-z0-9])")
            forms: tuple[str, ...] = (syn, syn + "s", syn + "es")
        else:
            branches.append(re.escape(syn))
            forms = (syn,)
        for form in forms:
            names.setdefault(form, name)
    return re.compile("|".join(branches)), names


SYNONYMS, SYNONYM_METRIC = _synonym_rx()


def _find_metric(text: str, R: _Rx | None = None) -> tuple[str | None, tuple[int, int] | None]:
    R = R or _rx_for(text)
    for name, rx in R.metric_patterns.hits(text):
        if rx.search(text):
            return name, None  # phrase patterns may span names and ranking words: blank nothing
    best: tuple[int, int, str] | None = None
    for hit in SYNONYMS.finditer(text):
        name = SYNONYM_METRIC[hit.group(0)]
        if hit.group(0) == "sales" and NOT_A_METRIC_AFTER.match(text, hit.end()):
            continue  # 'sales rep', 'sales cycle': not bookings
        if best is None or hit.end() - hit.start() > best[1] - best[0]:
            best = (hit.start(), hit.end(), name)
    if best is None:
        for name, rx in R.weak_patterns.hits(text):
            if rx.search(text):
                return name, None
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
    R = _rx_for(text)
    out = Parsed()
    vocab = vocab_for(session)
    taken: list[tuple[int, int]] = []
    work = text
    # comparisons first: their words contain period words (去年同期, 上月)
    comparison = None
    for kind, rx in (("yoy", R.yoy), ("pop", R.pop)):
        if m := rx.search(work):
            comparison = kind
            work = _blank(work, m.span())
    period = None
    if pm := find_period(work, today):
        period = pm.period
        work = _blank(work, pm.span)
        taken.append(pm.span)
    top_share = None
    if pct := R.pct_top.search(work):
        top_share = pct
        work = _blank(work, pct.span())
    conv = R.conv.search(work)
    stages = None
    chain = len(R.conv.findall(work)) > 1 or R.funnel.search(work)
    if conv and chain:
        for c in list(R.stage.finditer(work)):
            work = _blank(work, c.span())
        conv = None
    if conv:
        a, b = FUNNEL_WORDS[conv["a"].lower()], FUNNEL_WORDS[conv["b"].lower()]
        if a != b:
            if "线索" in (a, b) and not ({a, b} & {"商机", "报价", "成交"}):
                pass  # 线索→初步接洽: the stage named 线索
            stages = (a, b)
            work = _blank(work, conv.span())
    if stages is None and R.created_won.search(work):
        stages = ("商机", "成交")
    metric, mspan = _find_metric(work, R)
    if top_share and metric in (None, "bookings"):
        metric, mspan = "contribution", None  # 'the top 20 % of customers' share of bookings' is the Pareto share
    if stages and metric in (None, "conversion", "win_rate", "deals_created", "deals_won", "deals_lost"):
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
    if metric not in FUTURE_OK and (R.future.search(text) or (period is not None and period.start > today)):
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
                                           dimension=amb_dims.pop() if len(amb_dims) == 1 else None)
        return out
    filters: dict[str, list[str]] = {}
    for ent in entities:
        if ent.dimension == "rep" and ent.manager_team and not _HIMSELF.search(text):
            filters.setdefault("team", []).append(ent.manager_team)
            out.notes.append(f"{ent.value} → {ent.manager_team}")
            continue
        vals = filters.setdefault(ent.dimension, [])
        if ent.value not in vals:
            vals.append(ent.value)
        work = _blank(work, ent.span)
    if _MY_TEAM.search(work) and scope.team_id is not None and "team" not in filters:
        team = session.get(Team, scope.team_id)
        if team is not None:
            filters["team"] = [team.name]
    elif _SELF.search(work) and scope.role == "rep" and "rep" not in filters:
        me = session.get(User, scope.user_id)
        if me is not None:
            filters["rep"] = [me.display_name or me.username]
    if metric == "activity_count":
        for wrx, typ in _ACTIVITY_WORDS:
            if wrx.search(text):
                filters.setdefault("activity_type", [typ])
                break
    dims: list[str] = []
    for dim, crx in (R.time_cues_no_trend if comparison in ("yoy", "pop") else R.time_cues_trend).hits(work):
        if crx.search(work):
            dims.append(dim)
            break
    for dim, crx in R.dim_cues.hits(work):
        if crx.search(work) and dim not in dims and dim in mdef.dimensions:
            dims.append(dim)
            break
    else:
        for dim, crx in _EN_NOUN_DIMS.hits(work):
            if dim in mdef.dimensions and dim not in filters and (
                    crx.search(work) or (dim == "region" and _REGIONAL.search(work))):
                dims.append(dim)
                break
    order, limit = _ranking(work, mdef.higher_is_better, R)
    if (order or metric == "contribution") and not [d for d in dims if not d.startswith("time:")]:
        for dim, crx in R.bare_dims:
            if crx.search(work) and dim in mdef.dimensions and dim not in filters:
                dims.append(dim)
                break
    if metric == "contribution" and filters and not dims and _CONTRIB.search(text) and not _PARETO.search(text):
        metric, mdef, comparison = "bookings", BY_NAME["bookings"], "share"  # '华东贡献了全公司多少' is 华东's share
    if not comparison and (R.share.search(work) or (
            mdef.unit in ("currency", "count") and R.share_of_total.search(work))):
        comparison = "share"
    multi = [d for d, vs in filters.items() if len(vs) > 1]
    if not comparison and multi:  # two values of one dimension compare them
        comparison = "vs"
    if comparison == "vs" and multi and multi[0] not in dims:
        dims.insert(0, multi[0])
    dims = [d for d in dims if not (d in filters and len(filters[d]) == 1)]
    if order and limit is None and _singular(work, R):
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


def _ranking(work: str, higher_is_better: bool, R: _Rx) -> tuple[str | None, int | None]:
    order = None
    if R.desc.search(work):
        order = "desc"
    if R.asc.search(work):
        order = "asc"
    if any(w in work for w in _BEST_FAST) and not higher_is_better:
        order = "asc"
    if any(w in work for w in WORST_WORDS) and not higher_is_better:
        order = "desc"
    limit = None
    if m := R.topn.search(work):
        tok = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4") or m.group("n5")
        n = zh_number(tok) if tok else None
        if n and 0 < n <= 100:
            limit = n
            if order is None:
                order = "asc" if _BOTTOM.search(m.group(0)) else "desc"
    if order is None and R.rank.search(work):
        order = "desc"
    return order, limit


def _singular(work: str, R: _Rx) -> bool:
    """A superlative without a count or a plural/ranking cue asks for one item."""
    return not R.plural.search(work)
