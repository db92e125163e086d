"""Link words in a question to the CRM's own values: reps, teams, regions, products, lines, industries,
lead sources and accounts (exact, with 区/组 variants, English first names, prefixes and fuzzy spelling).

The small vocabularies are read once per database and cached for a minute; accounts are matched by
their full name or by a prefix of their core name (city and legal suffix removed), within the scope.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from dataclasses import dataclass, field

from opencc import OpenCC
from rapidfuzz import fuzz, process
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from crm.models import Account, MarketingSpend, Product, Region, Team, User
from crm.scope import Scope

CJK = re.compile(r"[\u4e00-\u9fff]")
LEGAL = re.compile(r"(股份)?有限(责任)?公司$|集团$|公司$")
TTL_S = 600.0  # reload at least this often (renames)
CHECK_S = 2.0  # look for added/removed rows at most this often


@dataclass
class Entity:
    dimension: str
    value: str
    span: tuple[int, int]
    text: str
    manager_team: str | None = None  # a manager's name stands for their team


@dataclass
class Ambiguity:
    text: str
    options: list[tuple[str, str]]  # (dimension, value)
    span: tuple[int, int]


_T2S = OpenCC("t2s")


def fold(text: str) -> str:
    """Lower case and Simplified characters (華東 → 华东): how questions and the CRM's names are compared."""
    low = text.lower()
    return low if low.isascii() else _T2S.convert(low)


@dataclass
class Vocab:
    terms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # lower term → [(dim, value)]
    managers: dict[str, str] = field(default_factory=dict)  # display name → team name
    teams: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    ascii_terms: list[str] = field(default_factory=list)
    account_prefix: dict[str, set[int]] = field(default_factory=dict)
    account_name: dict[int, str] = field(default_factory=dict)
    loaded_at: float = 0.0
    index: Index | None = None  # built from the fields above on first use (`index_of`)
    signature: tuple[object, ...] = ()
    checked_at: float = 0.0

    def add(self, term: str, dim: str, value: str) -> None:
        key = fold(term)
        if not key.strip():
            return
        entries = self.terms.setdefault(key, [])
        if (dim, value) not in entries:
            entries.append((dim, value))


@dataclass
class Index:
    """Lookups derived from a `Vocab` once, so linking a question does not scan every term."""

    size: tuple[int, ...]
    rank: dict[str, int]  # term → position in longest-first order (the order `link` tries terms in)
    by_first2: dict[str, list[str]]  # first two characters → terms of length ≥ 2
    by_char: dict[str, list[str]]  # the one-character terms
    account_heads: set[str]  # first three characters of every account key
    industries: list[str]
    product_prefixes: list[tuple[str, list[str]]]  # a shared word prefix of ≥ 2 products → those products
    region_rx: list[tuple[str, str, re.Pattern[str]]]  # (region, lower name, '华东(的)?组' pattern)


def _size(v: Vocab) -> tuple[int, ...]:
    return (len(v.terms), len(v.account_prefix), len(v.products), len(v.regions), len(v.teams))


def index_of(v: Vocab) -> Index:
    """`v`'s lookup index, rebuilt when terms, accounts, products, regions or teams were added."""
    size = _size(v)
    if v.index is not None and v.index.size == size:
        return v.index
    ordered = sorted(v.terms, key=len, reverse=True)
    by_first2: dict[str, list[str]] = {}
    by_char: dict[str, list[str]] = {}
    for t in ordered:
        (by_first2.setdefault(t[:2], []) if len(t) >= 2 else by_char.setdefault(t, [])).append(t)
    prefixes: dict[str, set[str]] = {}
    for p in v.products:
        words = fold(p).split()
        for k in range(2, len(words)):
            prefixes.setdefault(" ".join(words[:k]), set()).add(p)
    v.index = Index(
        size=size, rank={t: i for i, t in enumerate(ordered)}, by_first2=by_first2, by_char=by_char,
        account_heads={k[:3] for k in v.account_prefix if len(k) >= 3},
        industries=sorted({val for opts in v.terms.values() for d, val in opts if d == "industry"}),
        product_prefixes=[(pre, sorted(prods)) for pre, prods in prefixes.items() if len(prods) >= 2],
        region_rx=[(r, fold(r), re.compile(re.escape(fold(r)) + r"(?:的)?(?:组|团队|小组)")) for r in v.regions])
    return v.index


def _terms_in(text: str, idx: Index) -> list[str]:
    """Every term that occurs in `text`, in longest-first order: a term of ≥ 2 characters starts with a
    two-character slice of the text, so only those terms are searched for."""
    cands: set[str] = set()
    for i in range(len(text)):
        if (one := idx.by_char.get(text[i])) is not None:
            cands.update(one)
        if (two := idx.by_first2.get(text[i:i + 2])) is not None:
            cands.update(t for t in two if text.startswith(t, i))
    return sorted(cands, key=idx.rank.__getitem__)


_CACHE: dict[str, Vocab] = {}
_LOCK = threading.Lock()


def _signature(session: Session) -> tuple[object, ...]:
    """Cheap change detector: row counts and newest ids of the linked tables."""
    row = session.execute(text(
        "SELECT (SELECT COUNT(*) FROM accounts), (SELECT MAX(id) FROM accounts), (SELECT COUNT(*) FROM users), "
        "(SELECT MAX(id) FROM users), (SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM teams), "
        "(SELECT COUNT(*) FROM regions)")).one()
    return tuple(row)


def vocab_for(session: Session) -> Vocab:
    """The linking vocabulary, reloaded when the tables change (or after TTL_S, for renames)."""
    key = url_key(session)
    now = time.monotonic()
    with _LOCK:
        v = _CACHE.get(key)
        if v is not None and now - v.checked_at < CHECK_S:
            return v
    sig = _signature(session)
    with _LOCK:
        if v is not None and v.signature == sig and now - v.loaded_at < TTL_S:
            v.checked_at = now
            return v
    v = load_vocab(session)
    v.signature, v.checked_at = sig, time.monotonic()
    with _LOCK:
        _CACHE[key] = v
    return v


_URL_KEYS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def url_key(session: Session) -> str:
    """The engine's URL as a cache key (rendering a URL costs ~10 µs, so it is kept per engine)."""
    engine = session.get_bind().engine
    key = _URL_KEYS.get(engine)
    if key is None:
        key = _URL_KEYS[engine] = str(engine.url)
    return key


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _is_ascii(s: str) -> bool:
    return not CJK.search(s)


def load_vocab(session: Session) -> Vocab:
    v = Vocab()
    teams = {t.id: t for t in session.scalars(select(Team))}
    v.teams = sorted(t.name for t in teams.values())
    for t in teams.values():
        v.add(t.name, "team", t.name)
        v.add(t.name.replace("一组", "1组").replace("二组", "2组").replace("三组", "3组"), "team", t.name)
    v.regions = sorted(session.scalars(select(Region.name)))
    for r in v.regions:
        v.add(r, "region", r)
        for suffix in ("区", "地区", "大区", "区域", " region", " office", " regional office"):
            v.add(r + suffix, "region", r)
    for u in session.scalars(select(User).where(User.role.in_(["rep", "manager"]))):
        name = u.display_name or u.username
        if u.role == "manager" and u.team_id in teams:
            v.managers[name] = teams[u.team_id].name
        v.add(name, "rep", name)
        if " " in name:
            first, last = name.split()[0], name.split()[-1]
            v.add(first, "rep", name)
            v.add(last, "rep", name)
    for p in session.scalars(select(Product)):
        v.products.append(p.name)
        v.add(p.name, "product", p.name)
        if " " in p.name:
            v.add(p.name.replace(" ", ""), "product", p.name)
        for a in p.aliases or []:
            v.add(str(a), "product", p.name)
        line = p.product_line
        if _is_ascii(line):
            v.add(line, "product_line", line)
        for suffix in ("产品线", "线", "系列", " series", " line", " product line"):
            v.add(line + suffix, "product_line", line)
    industries = [i for i in session.scalars(select(Account.industry).where(Account.industry.is_not(None)).distinct()) if i]
    for ind in industries:
        v.add(ind, "industry", ind)
        v.add(ind + "行业", "industry", ind)
    _add_industry_prefixes(v, industries)
    _add_industry_zh(v, industries)
    sources = set(session.scalars(select(Account.source).where(Account.source.is_not(None)).distinct()))
    sources |= set(session.scalars(select(MarketingSpend.channel).distinct()))
    for src in sorted(s for s in sources if s):
        if src and src != "maven":
            v.add(src, "lead_source", src)
    v.ascii_terms = [t for t in v.terms if _is_ascii(t) and len(t) >= 5]
    _load_accounts(session, v)
    v.loaded_at = time.monotonic()
    return v


def _add_industry_prefixes(v: Vocab, industries: list[str]) -> None:
    """'tech' → technology, 'telecom' → telecommunications: an English prefix (4+ letters) of exactly one
    industry, when it is no other term."""
    words = [i for i in industries if _is_ascii(i) and len(i) > 4]
    for ind in words:
        low = ind.lower()
        for n in range(4, len(low)):
            pre = low[:n]
            if pre not in v.terms and sum(w.lower().startswith(pre) for w in words) == 1:
                v.add(pre, "industry", ind)


# Chinese words for the usual English sector names, as stems ('technolgy' is how the Maven sample spells it)
ZH_SECTORS = {"科技": ("tech",), "技术": ("tech",), "医疗": ("medic", "health"), "零售": ("retail",), "软件": ("software",),
              "娱乐": ("entertain",), "金融": ("financ",), "营销": ("marketing",), "市场营销": ("marketing",),
              "电信": ("telecom",), "通信": ("telecom",), "服务": ("servic",), "就业": ("employ",), "招聘": ("employ",)}


def _add_industry_zh(v: Vocab, industries: list[str]) -> None:
    """'科技行业' → technology when the CRM's industries are English: the one industry starting with the stem.
    Only with a sector suffix: company names hold these words too (博瑞医疗, 云帆物流科技)."""
    words = [i for i in industries if _is_ascii(i)]
    for zh, stems in ZH_SECTORS.items():
        hits = {w for w in words for s in stems if w.lower().startswith(s)}
        if len(hits) == 1:
            value = hits.pop()
            for term in (f"{zh}{suffix}" for suffix in ("行业", "业", "领域", "板块", "类客户", "类公司")):
                if term not in v.terms:
                    v.add(term, "industry", value)


def account_core(name: str, city: str | None) -> str:
    core = LEGAL.sub("", name.strip())
    if city and core.startswith(city) and len(core) > len(city) + 1:
        core = core[len(city):]
    return core


def _load_accounts(session: Session, v: Vocab) -> None:
    for aid, name, city in session.execute(select(Account.id, Account.name, Account.city)):
        v.account_name[aid] = name
        low = fold(name)
        v.account_prefix.setdefault(low, set()).add(aid)
        if _is_ascii(name):
            first = low.split()[0]
            if len(first) >= 4:
                v.account_prefix.setdefault(first, set()).add(aid)
            continue
        core = account_core(name, city)
        for n in range(3, len(core) + 1):
            v.account_prefix.setdefault(core[:n], set()).add(aid)


def _spans_free(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return all(e <= a or s >= b for a, b in taken)


def _ascii_boundary(text: str, s: int, e: int) -> bool:
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    return not (before.isalnum() and before.isascii()) and not (after.isalnum() and after.isascii())


def link(text: str, vocab: Vocab, session: Session, scope: Scope,
         taken: list[tuple[int, int]]) -> tuple[list[Entity], list[Ambiguity]]:
    """Entities found in `text` (lower-cased already), longest first, avoiding `taken` spans."""
    found: list[Entity] = []
    ambiguous: list[Ambiguity] = []
    idx = index_of(vocab)
    _link_accounts(text, vocab, idx, session, scope, taken, found, ambiguous)
    _link_team_prefix(text, vocab, idx, taken, found, ambiguous)
    _link_product_prefix(text, idx, taken, ambiguous)
    _link_industry_partial(text, vocab, idx, taken, found, ambiguous)
    for term in _terms_in(text, idx):
        start = 0
        while (i := text.find(term, start)) >= 0:
            start = i + 1
            e = i + len(term)
            if not _spans_free(taken, i, e) or (_is_ascii(term) and not _ascii_boundary(text, i, e)):
                continue
            options = vocab.terms[term]
            if len(options) > 1:
                ambiguous.append(Ambiguity(term, options, (i, e)))
            else:
                dim, value = options[0]
                ent = Entity(dim, value, (i, e), term)
                if dim == "rep" and value in vocab.managers:
                    ent.manager_team = vocab.managers[value]
                found.append(ent)
            taken.append((i, e))
    _link_fuzzy_ascii(text, vocab, taken, found)
    return found, ambiguous


def _link_accounts(text: str, vocab: Vocab, idx: Index, session: Session, scope: Scope,
                   taken: list[tuple[int, int]], found: list[Entity], ambiguous: list[Ambiguity]) -> None:
    n = len(text)
    i = 0
    while i < n:
        if text[i:i + 3] not in idx.account_heads:  # every key is ≥ 3 characters long
            i += 1
            continue
        hit = None
        for e in range(min(n, i + 40), i + 2, -1):
            ids = vocab.account_prefix.get(text[i:e])
            if ids and _spans_free(taken, i, e) and (not _is_ascii(text[i:e]) or _ascii_boundary(text, i, e)):
                hit = (e, ids)
                break
        if hit is None:
            i += 1
            continue
        e, ids = hit
        visible = set(session.scalars(select(Account.id).where(Account.id.in_(list(ids)[:50]),
                                                                scope.owner_filter(Account.owner_id))))
        names = sorted({vocab.account_name[a] for a in visible})
        if len(names) == 1:
            found.append(Entity("account", names[0], (i, e), text[i:e]))
        elif len(names) > 1:
            ambiguous.append(Ambiguity(text[i:e], [("account", nm) for nm in names[:8]], (i, e)))
        if names:
            taken.append((i, e))
        i = e


def _link_team_prefix(text: str, vocab: Vocab, idx: Index, taken: list[tuple[int, int]], found: list[Entity],
                      ambiguous: list[Ambiguity]) -> None:
    for region, low, rx in idx.region_rx:
        if low not in text:
            continue
        for m in rx.finditer(text):
            if not _spans_free(taken, m.start(), m.end()):
                continue
            teams = [t for t in vocab.teams if t.lower().startswith(region.lower())]
            if len(teams) == 1:
                found.append(Entity("team", teams[0], m.span(), m.group(0)))
            elif teams:
                ambiguous.append(Ambiguity(m.group(0), [("team", t) for t in teams], m.span()))
            if teams:
                taken.append(m.span())


_INDUSTRY_WORD = re.compile(r"([\u4e00-\u9fff]{2})(?:行业|业|类|领域|板块)")
_ASCII_WORD = re.compile(r"[a-z][a-z']{4,}")


def _link_industry_partial(text: str, vocab: Vocab, idx: Index, taken: list[tuple[int, int]], found: list[Entity],
                           ambiguous: list[Ambiguity]) -> None:
    """'制造业' when the CRM has 装备制造 and 电子制造: ask which; '医疗行业' → 医疗健康; the same for the usual
    English sector words when the CRM's industries are Chinese ('manufacturing customers')."""
    if _ASCII_WORD.search(text):
        _link_en_sector(text, idx, taken, found, ambiguous)
    for m in _INDUSTRY_WORD.finditer(text):
        span = (m.start(), m.end())
        if not _spans_free(taken, *span) or m.group(0).lower() in vocab.terms:
            continue
        cands = [v for v in idx.industries if m.group(1) in v]
        if len(cands) == 1:
            found.append(Entity("industry", cands[0], span, m.group(0)))
            taken.append(span)
        elif len(cands) > 1:
            ambiguous.append(Ambiguity(m.group(0), [("industry", c) for c in cands], span))
            taken.append(span)


# English sector words → the Chinese word an industry name would contain
EN_SECTORS = {"manufactur": "制造", "medical": "医疗", "healthcare": "医疗", "health care": "医疗", "retail": "零售",
              "financ": "金融", "logistic": "物流", "education": "教育", "training": "培训", "energy": "能源",
              "power": "电力", "automotive": "汽车", "auto parts": "汽车", "electronic": "电子", "consumer": "消费",
              "chemical": "化工", "building material": "建材", "furnish": "家居", "agricultur": "农",
              "foreign trade": "外贸", "professional service": "专业服务"}
_EN_SECTOR = re.compile(r"\b(" + "|".join(sorted(EN_SECTORS, key=len, reverse=True)) + r")[a-z]*")


def _link_en_sector(text: str, idx: Index, taken: list[tuple[int, int]], found: list[Entity],
                    ambiguous: list[Ambiguity]) -> None:
    for m in _EN_SECTOR.finditer(text):
        span = (m.start(), m.end())
        if not _spans_free(taken, *span):
            continue
        zh = EN_SECTORS[m.group(1)]
        cands = [v for v in idx.industries if zh in v]
        if len(cands) == 1:
            found.append(Entity("industry", cands[0], span, m.group(0)))
            taken.append(span)
        elif len(cands) > 1:
            ambiguous.append(Ambiguity(m.group(0), [("industry", c) for c in cands], span))
            taken.append(span)


FUZZY_STOP = {"series", "sales", "region", "regions", "product", "products", "revenue", "rates", "total", "deals",
              "which", "quarter", "month", "bookings", "average", "pipeline", "compare", "customers", "accounts",
              "agents", "share", "since", "tasks", "trend", "visits", "calls", "meetings", "value", "every", "across", "selling", "sellers", "earned", "money", "worth", "closed", "running",
              "shares", "first", "paying"}


def _link_fuzzy_ascii(text: str, vocab: Vocab, taken: list[tuple[int, int]], found: list[Entity]) -> None:
    if not vocab.ascii_terms:
        return
    for m in _ASCII_WORD.finditer(text):
        if not _spans_free(taken, m.start(), m.end()) or m.group(0) in FUZZY_STOP:
            continue
        best = process.extractOne(m.group(0), vocab.ascii_terms, scorer=fuzz.ratio, score_cutoff=88)
        if best is None:
            continue
        options = vocab.terms[best[0]]
        if len(options) == 1:
            dim, value = options[0]
            found.append(Entity(dim, value, m.span(), m.group(0)))
            taken.append(m.span())


def _link_product_prefix(text: str, idx: Index, taken: list[tuple[int, int]],
                         ambiguous: list[Ambiguity]) -> None:
    """'GTX Plus' when both 'GTX Plus Pro' and 'GTX Plus Basic' exist: ask which."""
    for pre, prods in idx.product_prefixes:
        start = 0
        while (i := text.find(pre, start)) >= 0:  # non-overlapping, as re.finditer on the escaped prefix
            start = i + len(pre)
            if _spans_free(taken, i, start) and _ascii_boundary(text, i, start):
                ambiguous.append(Ambiguity(pre, [("product", p) for p in prods], (i, start)))
                taken.append((i, start))
