"""The post-transcription hook: when a call's transcript is stored, extract and write back its insights.

`install()` registers it with `transcription.hooks` (idempotent). The API's insights router and the CLI's
insights module call it on import, so both the API process and `dealwise` workers run it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from crm.models import OrgProfile as OrgRow

log = logging.getLogger("dealwise.insights")


def insights_hook(session: Any, call: Any) -> None:
    """Insights for a freshly transcribed call; skipped (with a log line) while no org profile is loaded."""
    from assistant.insights.writeback import process_call

    if session.scalars(select(OrgRow.id)).first() is None:
        log.info("call %s: no organization profile loaded, insights skipped", call.id)
        return
    with session.begin_nested():  # a failure leaves the stored transcript untouched
        process_call(session, call)


def install() -> None:
    try:
        from transcription import hooks
    except ImportError:  # transcription without hooks: nothing to register with
        return
    hooks.register(insights_hook)
