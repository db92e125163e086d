"""Engine choice: rules by default, the LLM engine when configured (rules on any LLM failure)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Literal

from assistant.insights.rules import extract_rules
from assistant.insights.types import CallInsights, CrmNames, OrgProfile
from crm.settings import Settings, get_settings
from transcription.types import Transcript

log = logging.getLogger(__name__)


def extract_insights(
    transcript: Transcript,
    org: OrgProfile,
    crm: CrmNames | None = None,
    call_time: datetime | date | None = None,
    settings: Settings | None = None,
    engine: Literal["auto", "rules", "llm"] = "auto",
) -> CallInsights:
    """Insights for one call. `engine="auto"` uses the LLM when settings enable it."""
    settings = settings or get_settings()
    if engine == "rules" or (engine == "auto" and not settings.llm_enabled):
        return extract_rules(transcript, org, crm, call_time)
    from assistant.insights.llm import LlmError, extract_llm

    try:
        return extract_llm(transcript, org, crm, call_time, settings)
    except LlmError as exc:
        if engine == "llm":
            raise
        log.warning("LLM insights failed, using rules: %s", exc)
        return extract_rules(transcript, org, crm, call_time)
