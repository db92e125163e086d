"""Batch rescoring after imports and after call processing.

- `rescore_imported(session, after_id)`: after an import committed, rescore the open deals it touched: the new
  open deals (id > after_id) and the open deals sharing an account or an owner with any new deal (their account
  history and the rep's win rate changed).
- `call_rescore_hook(session, call)`: a post-transcription hook that rescores the call's opportunity once its
  insights are written. `install()` registers it at the default hook order, after the insights hook (10) and
  before the retrieval index (90).

Both do nothing while no model is active. A failure is logged and rolled back to a savepoint (the import
helper swallows it; the call hook lets `transcription.hooks.run_hooks` record it on the call), so the import
or the transcript is never lost.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm.models import Opportunity
from crm.settings import Settings, get_settings

log = logging.getLogger("dealwise.scoring")


# scoring.service / scoring.store import LightGBM and pandas: imported lazily, so wiring this module into the
# CLI and the app costs nothing until a deal is actually rescored


def has_active_model(settings: Settings | None = None) -> bool:
    from scoring import store

    settings = settings or get_settings()
    return store.Registry(settings.data_dir).active_version() is not None


def last_opportunity_id(session: Session) -> int:
    """The highest opportunity id before an import (0 for an empty table)."""
    return int(session.scalar(select(func.max(Opportunity.id))) or 0)


def affected_open_deals(session: Session, after_id: int) -> list[int]:
    """Open deals created after `after_id`, plus open deals of the same accounts or owners."""
    o = Opportunity
    new = select(o.account_id, o.owner_id).where(o.id > after_id).subquery()
    stmt = select(o.id).where(o.status == "open", or_(
        o.id > after_id, o.account_id.in_(select(new.c.account_id)), o.owner_id.in_(select(new.c.owner_id))))
    return list(session.scalars(stmt.order_by(o.id)))


def _safe_rescore(session: Session, ids: list[int], what: str, settings: Settings | None) -> int | None:
    if not ids or not has_active_model(settings):
        return None
    from scoring import service

    try:
        with session.begin_nested():
            return service.rescore(session, ids, settings=settings)
    except Exception:
        log.exception("rescoring after %s failed (%d deals); nothing was written", what, len(ids))
        return None


def rescore_imported(session: Session, after_id: int, settings: Settings | None = None) -> int | None:
    """Rescore the open deals an import touched; None when no model is active or on failure (logged)."""
    try:
        ids = affected_open_deals(session, after_id)
    except Exception:
        log.exception("could not find the deals touched by the import")
        return None
    return _safe_rescore(session, ids, "import", settings)


def call_rescore_hook(session: Any, call: Any) -> None:
    """Post-transcription hook: rescore the call's opportunity (its insights are written by then)."""
    opp_id = getattr(call, "opportunity_id", None)
    if opp_id is None or not has_active_model():
        return
    from scoring import service

    # errors propagate to transcription.hooks.run_hooks, which logs them, rolls back this hook's savepoint and
    # records them on the call; the transcript and insights stay stored
    n = service.rescore(session, [int(opp_id)])
    log.info("call %s: rescored opportunity %s (%d)", call.id, opp_id, n)


def install() -> None:
    """Register the call hook (idempotent; hooks run by order, so wiring order does not matter)."""
    from transcription import hooks

    hooks.register(call_rescore_hook)
