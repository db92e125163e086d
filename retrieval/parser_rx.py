"""The parser's cue patterns, compiled once, and the readers that need only them: the metric named in a
question (`find_metric`), its ranking and top-N (`ranking`, `singular`). `retrieval.parser` assembles the plan.

Every pattern is compiled once at import (a module-level `re.search(str, …)` pays a cache lookup and flag
conversion per call).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retrieval.catalog import ACTIVITY_TYPE_WORDS, METRICS
from retrieval.frames import refine
from retrieval.parser_patterns import (
    AS_OF_NOW_RX,
    ASC_RX,
    BARE_DIMS,
    BEST_WORDS,
    CONTEXT_RX,
    CONV_AFTER_RX,
    CONV_EN_RX,
    CONV_FORMER_RX,
    CONV_FRACTION_REV_RX,
    CONV_FRACTION_RX,
    CONV_LATTER_RX,
    CONV_OF_RATIO_RX,
    CONV_RATIO_OF_EN_RX,
    CONV_RATIO_RX,
    CONV_REACHED_EN_RX,
    CONV_RX,
    CONV_SLASH_RX,
    CONV_VS_EN_RX,
    CREATED_WON_SHARE_RX,
    DESC_RX,
    DIM_CUES,
    EN_NOUN_DIMS,
    EN_NOUN_TAIL,
    FAST_WORDS,
    FIRST_RX,
    FUNNEL_RX,
    FUTURE_RX,
    METRIC_PATTERNS,
    MY_TEAM_RX,
    NOT_A_METRIC_AFTER,
    OFFTOPIC_RX,
    OWN_FINANCIALS_RX,
    PCT_TOP_RX,
    POP_RX,
    RANK_RX,
    REQUEST_RX,
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
from retrieval.rx_fast import compile_fast
from retrieval.rx_prefilter import Req, Triggers, always, bits, required, space_free, union
from retrieval.timeparse import zh_number


def _c(rx: str, flags: int = re.I) -> re.Pattern[str]:
    return compile_fast(rx, flags)


class Cues(list[tuple[str, re.Pattern[str]]]):
    """(key, pattern) pairs searched in order, first hit wins; `hits(text)` is the pairs that may match: those
    whose literal prefilter (`rx_prefilter.required`) occurs in the text, found in one pass over it. `extra`
    names more patterns the caller also tries for a key (their literals keep that key's pair). Patterns
    compiled case-insensitively have no prefilter: `hits` is then all pairs, or nothing when one alternation
    of them all finds no match (it matches iff one of its branches does)."""

    def __init__(self, pairs: list[tuple[str, re.Pattern[str]]], flags: int, extra: dict[str, str] | None = None):
        super().__init__(pairs)
        extra = extra or {}
        self.reqs: list[Req | None] | None = None
        self.any: re.Pattern[str] | None = None
        if not flags & re.I:
            reqs = [union([required(rx.pattern, flags), *(required(extra[k], flags) for k in extra if k == key)])
                    for key, rx in pairs]
            self.reqs, self._triggers, self._always = reqs, Triggers.of(reqs), always(reqs)
            return
        parts = [rx.pattern for _k, rx in pairs] + list(extra.values())
        if not any(_BACKREF.search(p) for p in parts):  # numbered/named backrefs would change meaning
            try:
                self.any = compile_fast("|".join(f"(?:{p})" for p in parts), flags)
            except re.error:  # e.g. a group name used twice, or an inline global flag
                self.any = None

    def hits(self, text: str) -> list[tuple[str, re.Pattern[str]]]:
        if self.reqs is not None:
            return [self[i] for i in bits(self._always | self._triggers.mask(text))]
        return self if self.any is None or self.any.search(text) else []


_BACKREF = compile_fast(r"\\[1-9]|\(\?P=")


class Rx:
    """The case-insensitive phrase patterns, compiled with `flags`. Questions are lower-cased first
    (`normalize`) and no pattern has an upper-case literal, so IGNORECASE changes a match only for 'ı'
    (it matches 'i'); without it the engine is ~2x faster, so it is used only when the text has an 'ı'."""

    def __init__(self, f: int):
        self.yoy, self.pop, self.pct_top, self.funnel = _c(YOY_RX, f), _c(POP_RX, f), _c(PCT_TOP_RX, f), _c(FUNNEL_RX, f)
        self.stage, self.conv, self.conv_after = _c(STAGE_RX, f), _c(CONV_RX.pattern, f), _c(CONV_AFTER_RX, f)
        self.conv_ratio, self.conv_fraction = _c(CONV_RATIO_RX, f), _c(CONV_FRACTION_RX, f)
        self.conv_fraction_rev, self.conv_en = _c(CONV_FRACTION_REV_RX, f), _c(CONV_EN_RX, f)
        self.conv_of_ratio, self.conv_slash = _c(CONV_OF_RATIO_RX, f), _c(CONV_SLASH_RX, f)
        self.conv_latter, self.conv_former = _c(CONV_LATTER_RX, f), _c(CONV_FORMER_RX, f)
        self.conv_ratio_of_en, self.conv_vs_en = _c(CONV_RATIO_OF_EN_RX, f), _c(CONV_VS_EN_RX, f)
        self.conv_reached_en = _c(CONV_REACHED_EN_RX, f)
        self.created_won, self.future, self.own_fin = _c(CREATED_WON_SHARE_RX, f), _c(FUTURE_RX, f), _c(OWN_FINANCIALS_RX, f)
        self.metric_patterns = Cues([(name, _c(rx, f)) for name, rx in METRIC_PATTERNS], f)
        self.weak_patterns = Cues([(name, _c(rx, f)) for name, rx in WEAK_PATTERNS], f)
        self.time_cues_trend = Cues([(dim, _c(rx.replace("TREND", TREND_WORDS_RX), f)) for dim, rx in TIME_CUES], f)
        self.time_cues_no_trend = Cues([(dim, _c(rx.replace("TREND", "(?!x)x"), f)) for dim, rx in TIME_CUES], f)  # 同比/环比
        self.dim_cues = Cues([(dim, _c(rx, f)) for dim, rx in DIM_CUES], f)
        self.bare_dims = [(dim, _c(rx, f)) for dim, rx in BARE_DIMS]
        self.share, self.share_of_total = _c(SHARE_RX, f), _c(SHARE_OF_TOTAL_RX, f)
        self.desc, self.asc, self.topn, self.rank = _c(DESC_RX, f), _c(ASC_RX, f), _c(TOPN_RX, f), _c(RANK_RX, f)
        self.first, self.offtopic, self.context = _c(FIRST_RX, f), _c(OFFTOPIC_RX, f), _c(CONTEXT_RX, f)
        self.as_of_now, self.request = _c(AS_OF_NOW_RX, f), _c(REQUEST_RX, f)
        self.plural = _c(r"哪些|排名|排行|排序|排个名|排个序|排一排|排一下|排下序|各|每个|每位|分别|\brank|\beach\b|\ball\b(?!\s+(?:deals|opportunities|opps|the way)\b)|\b(?:which|what) (?:\w+ )?(?:reps|agents|"
                         r"customers|accounts|products|regions|teams|industries|sectors)\b|\bare\b(?!\s+(?:we|you|they|our)\b)", f)


    def bind(self, text: str) -> Rx:
        """This pattern set for one question: the patterns and cue pairs whose literal prefilter does not occur
        in `text` are left out (a pattern becomes `NEVER`). The parser only blanks parts of the question out
        (replaces them with spaces), so a space-free literal absent from the question is absent from every
        later working text: the view stays exact for them. Case-insensitive sets are returned as they are."""
        if not hasattr(self, "_triggers"):
            return self
        view = object.__new__(Rx)
        d = view.__dict__
        d.update(self._template)
        for name in self._lists:
            d[name] = Hits()
        for b in bits(self._always | self._triggers.mask(text)):
            name, item, single = self._bits[b]
            if single:
                d[name] = item
            else:
                d[name].append(item)
        return view

    def _index(self) -> None:
        """Bit i of a question's trigger mask keeps the i-th pattern or cue pair (`bind`); the patterns get
        space-free literal prefilters (`rx_prefilter`), and those without one keep their bit always set."""
        patterns = list(self.__dict__.items())
        self._bits: list[tuple[str, Any, bool]] = []
        reqs: list[Req | None] = []
        self._template: dict[str, Any] = {}
        self._lists: list[str] = []
        for name, value in patterns:
            if isinstance(value, re.Pattern):
                if (req := space_free(required(value.pattern, value.flags))) is not None:
                    self._template[name] = NEVER
                    self._bits.append((name, value, True))
                    reqs.append(req)
            elif isinstance(value, Cues | list):
                cue_reqs = value.reqs if isinstance(value, Cues) and value.reqs is not None else [
                    required(rx.pattern, rx.flags) for _k, rx in value]
                self._lists.append(name)
                for pair, req in zip(value, cue_reqs, strict=True):
                    self._bits.append((name, pair, False))
                    reqs.append(space_free(req))
        self._triggers, self._always = Triggers.of(reqs), always(reqs)


class Hits(list[tuple[str, re.Pattern[str]]]):
    """Cue pairs already filtered for one question (`Rx.bind`): `hits` is all of them."""

    def hits(self, _text: str) -> Hits:
        return self


class _Never:
    """A pattern that cannot match this question (its prefilter is absent): every search finds nothing."""

    def search(self, *_a: object) -> None:
        return None

    match = fullmatch = search

    def findall(self, *_a: object) -> list[str]:
        return []

    def finditer(self, *_a: object) -> Iterator[re.Match[str]]:
        return iter(())


NEVER = _Never()
FOLD, PLAIN = Rx(re.I), Rx(0)
PLAIN._index()
assert CONV_RX.flags & re.I


def rx_for(text: str) -> Rx:
    """The pattern set for a normalised question (case-folding only for a dotless 'ı'), bound to it."""
    return FOLD if "ı" in text else PLAIN.bind(text)


HIMSELF = _c(r"本人|自己|himself|herself", 0)
MY_TEAM, SELF = _c(MY_TEAM_RX, 0), _c(SELF_RX, 0)
ACTIVITY_WORDS = [(_c(re.escape(word) if not word.isascii() else rf"\b{word}\b", 0), typ)
                   for word, typ in sorted(ACTIVITY_TYPE_WORDS.items(), key=lambda kv: -len(kv[0]))]
REGIONAL_RX = r"\bregional\b"
EN_NOUN_DIM_CUES = Cues([(dim, _c(rf"\b(?:{rx})\b{EN_NOUN_TAIL}", 0)) for dim, rx in EN_NOUN_DIMS], 0,
                      extra={"region": REGIONAL_RX})  # the loop also tries REGIONAL
REGIONAL = _c(REGIONAL_RX, 0)
CONTRIB, PARETO = _c(r"贡献|contribut", 0), _c(r"帕累托|二八|pareto|80/20", 0)
# each item's share with the running share ('各占多少，也要累计的百分比'): the Pareto table
CUM_SHARE = _c(r"累计[^，,。？?]{0,8}(?:百分比|占比|比重|比例|份额|占了?多少|percent|%)|\bcum share\b|\bcumulative (?:share|percent(?:age)?|%)|\brunning (?:share|percent(?:age)?)", 0)
# 'the whole company … total across every team': one total, the teams only say it is summed over all of them
ACROSS_WHOLE = _c(r"\ball(?: the)? company\b(?!\s*(?:accounts|customers|'s))|(?:\b(?:whole|entire) (?:company|firm)\b|\bcompany[- ]wide\b|\btotal company\b|\bcompany total\b).{0,80}(?:\bacross (?:every|all|each) \w+|"
                  r"\ball \w+ included\b|\bincluding all \w+|\ball \w+ (?:and \w+ )?together\b|\bevery \w+,? not just\b|\ball (?:agents|reps|teams|regions|sales ?people|people)\s*(?:[:,.?]|$)|"
                  r"\bevery \w+ (?:and every \w+ )?(?:added up|summed|combined|rolled up)\b|\bevery \w+ included\b|\ball \w+ put together\b)|"
                  r"\bacross (?:every|all|each) \w+.{0,60}\b(?:whole|entire) company\b", 0)
# '华东组最近表现得怎么样', 'how is the East team doing': how a seller is doing, with no metric named
VAGUE_PERF = _c(r"(?:业绩)?表现(?:得|的)?(?:怎么样|怎样|如何|咋样|好不好|好吗|情况|怎么)|(?:做|干)[得成](?:怎么样|怎样|如何|咋样)|"
                r"\bhow(?:'s| is| are| was| were| has| have| did)\s+(?P<who>.{1,40}?)\s+(?:been\s+)?"
                r"(?:doing|performing|performed|perform|done|do)\b", re.I)
# what may stand between the seller and the vague word (periods are blanked already)
SELLER_GAP_ZH = _c(r"[\s的得]*(?:(?:那个|这个|整个)?(?:组|团队|小组|大区|区域|区|部门))?[\s的得]*(?:销售|同事|人员|生意)?(?:们)?[\s的得]*(?:那帮人|这帮人|那些人|那帮|这帮|那边|这边)?[\s的得]*"
                   r"(?:最近|现在|目前|整体|总体|近期|这段时间|这阵子|一直)?[\s的得]*", 0)
SELLER_GROUPS = _c(r"(?:各|每)(?:个|一个)?(?:组|团队|小组|大区|区域|区|销售|人)|\b(?:each|every) (?:team|region|rep)\b|"
                   r"\b(?:the|our|my) (?:teams|regions|reps)\b", re.I)
SELLER_GAP_EN = _c(r"\s*(?:the\s+)?\s*(?:team|group|region|office|rep|sales\s+team)?\s*(?:overall|lately|recently|so far)?\s*", re.I)
BOTTOM = _c(r"bottom|后|倒数", 0)
BEST_FAST = BEST_WORDS + FAST_WORDS


_SCRIPT_PARTS = compile_fast(r"[\x00-\x7f]+|[^\x00-\x7f]+")
_SCRIPT_SPACE = compile_fast(r"(?<=[\x21-\x7f])\s(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s(?=[\x21-\x7f])")


def metric_of_synonym(text: str) -> str:
    """The metric a matched synonym names (spaces between Latin and Chinese parts ignored)."""
    return (SYNONYM_METRIC.get(text) or SYNONYM_METRIC.get(text.replace("-", " "))
            or SYNONYM_METRIC[_SCRIPT_SPACE.sub("", text)])


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
            rest = re.escape(syn[1:]).replace(r"\ ", r"[\s-]")  # 'days-to-close' is 'days to close'
            branches.append(rf"{c}(?<![a-z0-9]{c}){rest}(?:e?s)?(?![a-z0-9])")
            forms: tuple[str, ...] = (syn, syn + "s", syn + "es")
        else:  # a space may separate a Latin word from Chinese: 'pipeline 覆盖率'
            branches.append(r"\s?".join(re.escape(part) for part in _SCRIPT_PARTS.findall(syn)))
            forms = (syn,)
        for form in forms:
            names.setdefault(form, name)
    return compile_fast("|".join(branches)), names


SYNONYMS, SYNONYM_METRIC = _synonym_rx()


_WHICH_SALES = compile_fast(r"(?:哪一?个|哪一?位|哪些|哪名|各位|各个?|每个|每位|每名)\s?$")
_RESPONSE_NAMED = compile_fast(r"响应时间|响应时长|响应速度|\bresponse time\b")
_ALL_SALES = compile_fast(r"(?:全部|所有|全体)的?\s?$")  # '全部sales按回款排名': all the salespeople, ranked
_RANKED_AFTER = compile_fast(r"\s?(?:按|排|各自|分别)")


# a described sum or count gives way to a ratio the question names outright (赢单率, 客户终身价值, win rate)
_SUMS_AND_COUNTS = frozenset({"bookings", "collections", "deals_won", "deals_lost", "deals_created", "contribution"})
_RATIOS = frozenset({"win_rate", "conversion", "target_attainment", "clv", "cac", "clv_cac", "penetration",
                     "forecast_accuracy", "pipeline_coverage", "avg_deal_size", "avg_sales_cycle", "response_time"})


def _named_ratio(text: str) -> str | None:
    for hit in SYNONYMS.finditer(text):
        if len(hit.group(0)) >= 3 and (name := metric_of_synonym(hit.group(0))) in _RATIOS:
            return name
    return None


def find_metric(text: str, R: Rx | None = None) -> tuple[str | None, tuple[int, int] | None]:
    R = R or rx_for(text)
    for name, rx in R.metric_patterns.hits(text):
        if rx.search(text):
            if name == "avg_sales_cycle" and _RESPONSE_NAMED.search(text):
                return "response_time", None  # '商机的跟进响应时间平均是几天': the response time, named
            if name in _SUMS_AND_COUNTS and (named := _named_ratio(text)):
                return named, None  # '赢单率，按赢单数除以已结案数算': the ratio named outright, not its parts
            return refine(name, text), None  # phrase patterns may span names and ranking words: blank nothing
    best: tuple[int, int, str] | None = None
    for hit in SYNONYMS.finditer(text):
        name = metric_of_synonym(hit.group(0))
        if hit.group(0) == "sales" and (NOT_A_METRIC_AFTER.match(text, hit.end()) or _WHICH_SALES.search(text, 0, hit.start()) or (
                _ALL_SALES.search(text, 0, hit.start()) and _RANKED_AFTER.match(text, hit.end()))):
            continue  # 'sales rep', 'sales cycle', '哪个sales' (which salesperson): not bookings
        if best is None or hit.end() - hit.start() > best[1] - best[0]:
            best = (hit.start(), hit.end(), name)
    if best is None:
        for name, rx in R.weak_patterns.hits(text):
            if rx.search(text):
                return refine(name, text), None
        return None, None
    return refine(best[2], text), (best[0], best[1])


def ranking(work: str, higher_is_better: bool, R: Rx) -> tuple[str | None, int | None]:
    work = _FIRST_TIME.sub(lambda m: " " * len(m.group(0)), work)  # 第一次 is a first time, not a first place
    order = None
    if span := _SPAN_ORDER.search(work):
        order = "desc" if span["down"] else "asc"  # 'from the highest to the lowest' names both ends
    elif R.asc.search(work):
        order = "asc"
    elif R.desc.search(work):
        order = "desc"
    if any(w in work for w in BEST_FAST) and not higher_is_better and not _PLAIN_EXTREME.search(work):
        order = "asc"  # the best of a lower-is-better metric is its lowest, unless 'most'/'最多' says otherwise
    if any(w in work for w in WORST_WORDS) and not higher_is_better:
        order = "desc"
    if _COUNT_FIRST.search(work):
        order = "desc"  # '输单数量排第一': the largest count, whatever the metric's better direction
    limit = None
    # '三个区域办公室里，…最低的是哪个' names the population and '每拿到一个新客户' one item: no top-N there, but a later
    # one may be ('加一个图表：…最多的10个客户')
    m = next((t for t in R.topn.finditer(work) if not (t.group("n2") and (
        _POPULATION.match(work, t.end()) or zh_number(t.group("n2")) == 1))), None)
    if m:
        tok = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4") or m.group("n5") or m.group("n6")
        n = zh_number(tok) if tok else None
        if n and 0 < n <= 100:
            limit = n
            if order is None:
                order = "asc" if BOTTOM.search(m.group(0)) else "desc"
    if order is None and R.rank.search(work):
        order = "desc"
    return order, limit


_PLAIN_EXTREME = compile_fast(r"最多|最少|最高|最低|\b(?:most|fewest|highest|lowest)\b")
_COUNT_FIRST = compile_fast(r"(?:数量|数目|个数|笔数|单数|次数|金额)(?:排名|排)第一")
_SPAN_ORDER = compile_fast(r"\bfrom (?:the )?(?:(?P<down>highest|largest|biggest|most|top|best)|lowest|smallest|least|bottom|worst)"
                         r"(?: \w+)? (?:to|down to|up to|through) (?:the )?(?:lowest|smallest|least|bottom|worst|highest|largest|"
                         r"biggest|most|top|best)\b")
_FIRST_TIME = compile_fast(r"第一(?=次|季|个月|周|天|年|步|层|批)")
_POPULATION = compile_fast(r"[^，,。？?]{0,8}?(?<![手心这那])(?:里|中|当中|之中|之间)")  # not 手里 (in hand), 这里 (here)


def singular(work: str, R: Rx) -> bool:
    """A superlative without a count or a plural/ranking cue asks for one item."""
    return bool(R.first.search(work)) or not R.plural.search(work)
