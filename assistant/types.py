"""The types the assistant works with: intents, tool traces, replies and per-user state."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Lang = Literal["zh", "en"]

INTENTS = (
    "create_task", "complete_task", "log_note", "search_accounts", "get_account", "get_opportunity",
    "list_my_opportunities", "list_tasks", "score_opportunity", "ask_metrics", "search_calls", "daily_brief",
    "analyze_call", "help", "reset", "greeting", "unknown",
)


class Intent(BaseModel):
    """What the user asked for: a tool name (or help/reset/unknown) and its arguments."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    lang: Lang = "zh"
    confidence: float = 1.0
    used_context: bool = False  # an account was taken from the conversation ("它的预算")


class ToolTrace(BaseModel):
    """One tool call as shown to API callers: name, arguments, and a summary (never the raw rows)."""

    name: str
    arguments: dict[str, Any]
    ok: bool
    summary: str
    result_size: int = 0


class Reply(BaseModel):
    text: str
    lang: Lang = "zh"
    markdown: bool = False
    traces: list[ToolTrace] = Field(default_factory=list)
    chart: dict[str, Any] | None = None  # an ECharts option, when an answer carries one
    conversation_id: int | None = None
    mode: Literal["offline", "llm"] = "offline"


class ConversationState(BaseModel):
    """What the assistant remembers between turns (persisted as JSON)."""

    last_account: str | None = None
    last_opportunity_id: int | None = None
    last_intent: str | None = None
    lang: Lang = "zh"
    turns: int = 0
