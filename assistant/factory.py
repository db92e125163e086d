"""Build the assistant for one caller from settings: offline by default, the LLM agent when configured."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.service import Assistant
from crm.models import User
from crm.settings import Settings
from tools.base import ToolContext


def build_assistant(session: Session, user: User, settings: Settings, *, channel: str = "api",
                    extras: dict[str, object] | None = None) -> Assistant:
    ctx = ToolContext.for_user(session, user, timezone=settings.timezone)
    if extras:
        ctx.extras.update(extras)
    agent = None
    if settings.llm_enabled:
        from assistant.agent import LLMAgent  # langchain is heavy: import it only in LLM mode

        agent = LLMAgent(settings)
    intent_model = None
    if settings.router_model == "hybrid":
        from assistant.intent_model import default_model

        intent_model = default_model()
    return Assistant(ctx, channel=channel, agent=agent, intent_model=intent_model)
