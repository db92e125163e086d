"""Build the assistant for one caller from settings: offline by default, the LLM agent when configured."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.agent import LLMAgent
from assistant.service import Assistant
from crm.models import User
from crm.settings import Settings
from tools.base import ToolContext


def build_assistant(session: Session, user: User, settings: Settings, *, channel: str = "api",
                    extras: dict[str, object] | None = None) -> Assistant:
    ctx = ToolContext.for_user(session, user, timezone=settings.timezone)
    if extras:
        ctx.extras.update(extras)
    agent = LLMAgent(settings) if settings.llm_enabled else None
    return Assistant(ctx, channel=channel, agent=agent)
