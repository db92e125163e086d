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
from dataclasses import replace

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from crm.models import Account, MarketingSpend, Product, Region, Team, User
from crm.scope import Scope
from retrieval.account_links import link_account_nickname, resolve_accounts
from retrieval.industries import add_industry_prefixes, add_industry_zh, link_industry_partial
from retrieval.value_aliases import add_value_aliases
from retrieval.vocab import (
    ASCII_WORD,
    Ambiguity,
    Entity,
    Index,
    Vocab,
    index_of,
    is_ascii,
    spans_free,
    terms_in,
)
from retrieval.vocab import CJK as CJK
from retrieval.vocab import fold as fold

LEGAL = re.compile(r"(股份)?有限(责任)?公司$|集团$|公司$")
TTL_S = 600.0  # reload at least this often (renames)
CHECK_S = 2.0  # look for added/removed rows at most this often


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
    """The linking vocabulary, reloaded when the tables change (or after TTL_S, for renames); accounts only
    added since the last load are added to a copy instead (a full load reads every account: ~2 s at 125k)."""
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
    added = _with_added_accounts(session, v, sig) if v is not None and now - v.loaded_at < TTL_S else None
    v = added or load_vocab(session)
    v.signature, v.checked_at = sig, time.monotonic()
    with _LOCK:
        _CACHE[key] = v
    return v


def _with_added_accounts(session: Session, v: Vocab, sig: tuple[object, ...]) -> Vocab | None:
    """A copy of `v` with the accounts inserted since it was loaded, when nothing else changed: no other table,
    no account deleted (the rows above the old newest id make up the whole count change), no new industry or
    lead source. A question linking against `v` meanwhile is not disturbed. None: reload in full."""
    old = v.signature
    if len(old) != len(sig) or old[2:] != sig[2:]:
        return None
    n0, max0, n1, max1 = (*old[:2], *sig[:2])
    if not (isinstance(n0, int) and isinstance(max0, int) and isinstance(n1, int) and isinstance(max1, int)) \
            or max1 <= max0:
        return None
    rows = session.execute(select(Account.id, Account.name, Account.city, Account.industry, Account.source)
                           .where(Account.id > max0, Account.id <= max1)).all()
    if len(rows) != n1 - n0:
        return None
    known = {val for opts in v.terms.values() for d, val in opts if d in ("industry", "lead_source")}
    if any((ind and ind not in known) or (src and src != "maven" and src not in known)
           for _i, _n, _c, ind, src in rows):
        return None
    added = replace(v, account_name=dict(v.account_name), account_prefix=dict(v.account_prefix),
                    account_short=dict(v.account_short), index=None)
    for aid, name, city, _ind, _src in rows:
        _add_account(added, aid, name, city, copy=True)
    added.loaded_at = v.loaded_at  # renames are still caught by the TTL of the full load
    return added


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
        if is_ascii(line):
            v.add(line, "product_line", line)
        for suffix in ("产品线", "线", "系列", " series", " line", " product line"):
            v.add(line + suffix, "product_line", line)
    industries = [i for i in session.scalars(select(Account.industry).where(Account.industry.is_not(None)).distinct()) if i]
    for ind in industries:
        v.add(ind, "industry", ind)
        v.add(ind + "行业", "industry", ind)
    add_industry_prefixes(v, industries)
    add_industry_zh(v, industries)
    found = set(session.scalars(select(Account.source).where(Account.source.is_not(None)).distinct()))
    found |= set(session.scalars(select(MarketingSpend.channel).distinct()))
    sources = sorted(s for s in found if s and s != "maven")
    for src in sources:
        v.add(src, "lead_source", src)
    add_value_aliases(v, v.regions, sources)  # 'East China', 'trade shows', 'referrals'
    # fuzzy spelling is matched against real names only, not the shortened industry words ('marke' for marketing:
    # 'marked' is 91 % like it)
    v.ascii_terms = [t for t in v.terms if is_ascii(t) and len(t) >= 5 and not _shortened_industry(t, v.terms[t])]
    _load_accounts(session, v)
    v.loaded_at = time.monotonic()
    return v


def _shortened_industry(term: str, options: list[tuple[str, str]]) -> bool:
    return all(d == "industry" and v.lower() != term and v.lower().startswith(term) for d, v in options)


def account_core(name: str, city: str | None) -> str:
    core = LEGAL.sub("", name.strip())
    if city and core.startswith(city) and len(core) > len(city) + 1:
        core = core[len(city):]
    return core


def _load_accounts(session: Session, v: Vocab) -> None:
    for aid, name, city in session.execute(select(Account.id, Account.name, Account.city)):
        _add_account(v, aid, name, city)


def _add_account(v: Vocab, aid: int, name: str, city: str | None, copy: bool = False) -> None:
    """Index one account by its full name and its core name's prefixes (copy: never mutate a shared set)."""
    v.account_name[aid] = name
    low = fold(name)
    keys = [low]
    if is_ascii(name):
        first = low.split()[0]
        keys += [first] if len(first) >= 4 else []
    else:
        core = account_core(name, city)
        keys += [core[:n] for n in range(3, len(core) + 1)]
        if len(core) >= 2:  # '博瑞那边': a nickname, linked only before 那边/那家 (`account_links`)
            _index(v.account_short, core[:2], aid, copy)
    for k in keys:
        _index(v.account_prefix, k, aid, copy)


def _index(index: dict[str, set[int]], key: str, aid: int, copy: bool) -> None:
    """Add `aid` under `key`; with `copy`, into a new set (the old one may be shared with a vocabulary in use)."""
    if copy:
        index[key] = {*index.get(key, ()), aid}
    else:
        index.setdefault(key, set()).add(aid)


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
    link_industry_partial(text, vocab, idx, taken, found, ambiguous)
    for term in terms_in(text, idx):
        start = 0
        while (i := text.find(term, start)) >= 0:
            start = i + 1
            e = i + len(term)
            if not spans_free(taken, i, e) or (is_ascii(term) and not _ascii_boundary(text, i, e)):
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
    link_account_nickname(text, vocab, session, scope, taken, found, ambiguous)
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
            if ids and spans_free(taken, i, e) and (not is_ascii(text[i:e]) or _ascii_boundary(text, i, e)):
                hit = (e, ids)
                break
        if hit is None:
            i += 1
            continue
        e, ids = hit
        resolve_accounts(text[i:e], (i, e), ids, vocab, session, scope, taken, found, ambiguous)
        i = e


def _link_team_prefix(text: str, vocab: Vocab, idx: Index, taken: list[tuple[int, int]], found: list[Entity],
                      ambiguous: list[Ambiguity]) -> None:
    for region, low, rx in idx.region_rx:
        if low not in text:
            continue
        for m in rx.finditer(text):
            if not spans_free(taken, m.start(), m.end()):
                continue
            teams = [t for t in vocab.teams if t.lower().startswith(region.lower())]
            if len(teams) == 1:
                found.append(Entity("team", teams[0], m.span(), m.group(0)))
            elif teams:
                ambiguous.append(Ambiguity(m.group(0), [("team", t) for t in teams], m.span()))
            if teams:
                taken.append(m.span())


FUZZY_STOP = {"series", "sales", "region", "regions", "product", "products", "revenue", "rates", "total", "deals",
              "which", "quarter", "month", "bookings", "average", "pipeline", "compare", "customers", "accounts",
              "agents", "share", "since", "tasks", "trend", "visits", "calls", "meetings", "value", "every", "across", "selling", "sellers", "earned", "money", "worth", "closed", "running",
              "shares", "first", "paying"}


def _link_fuzzy_ascii(text: str, vocab: Vocab, taken: list[tuple[int, int]], found: list[Entity]) -> None:
    if not vocab.ascii_terms:
        return
    for m in ASCII_WORD.finditer(text):
        if not spans_free(taken, m.start(), m.end()) or m.group(0) in FUZZY_STOP:
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
            if spans_free(taken, i, start) and _ascii_boundary(text, i, start):
                ambiguous.append(Ambiguity(pre, [("product", p) for p in prods], (i, start)))
                taken.append((i, start))
