"""The post-transcription hook: when a call's transcript is stored, extract and write back its insights.

`install()` registers it with `transcription.hooks` (idempotent), together with the retrieval index hook
that runs after it; the API's insights router and the CLI's insights module call it on import, so both the
API process and `dealwise` workers run them. `reindex()` is for the other writers of insights (re-process,
analyze-call).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from crm.models import OrgProfile as OrgRow

log = logging.getLogger("dealwise.insights")
INSIGHTS_ORDER = 10  # before rescoring (50) and indexing (90), which read the call's insights


def insights_hook(session: Any, call: Any) -> None:
    """Insights for a freshly transcribed call; skipped (with a log line) while no org profile is loaded."""
    from assistant.insights.writeback import process_call

    if session.scalars(select(OrgRow.id)).first() is None:
        log.info("call %s: no organization profile loaded, insights skipped", call.id)
        return
    with session.begin_nested():  # a failure leaves the stored transcript untouched
        process_call(session, call)


def reindex(session: Any, call: Any) -> bool:
    """Bring the retrieval index in line with a call whose insights were just (re)written. A failure is
    logged and reported as False, never raised: the transcript and the write-back stay stored."""
    try:
        from retrieval.index import index_hook
    except ImportError:
        return False
    try:
        index_hook(session, call)
    except Exception:
        log.exception("call %s: re-indexing failed (the index catches up on the next sync)", call.id)
        return False
    return True


def install() -> None:
    """Register the insights hook (order 10) and the retrieval index hook that runs after it."""
    try:
        from transcription import hooks
    except ImportError:  # transcription without hooks: nothing to register with
        return
    hooks.register(insights_hook, order=INSIGHTS_ORDER)
    try:
        from retrieval.index import install_hook
    except ImportError:
        return
    install_hook()
