"""Persisted conversations: one user's own threads and their messages (SQL lives here, not in assistant/)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from crm.errors import NotFound
from crm.models import Account, Conversation, Message, utcnow
from tools.base import ToolContext


class ConversationStore:
    """Conversations belong to exactly one user; another user's id is 'not found'."""

    def __init__(self, ctx: ToolContext, channel: str = "api") -> None:
        self.ctx = ctx
        self.channel = channel

    def _get(self, conversation_id: int) -> Conversation:
        conv = self.ctx.session.scalars(select(Conversation).where(
            Conversation.id == conversation_id, Conversation.user_id == self.ctx.user.id)).first()
        if conv is None:
            raise NotFound(f"conversation {conversation_id} not found")
        return conv

    def open(self, conversation_id: int | None) -> tuple[int, dict[str, Any]]:
        """(id, state) of the given conversation, or of the user's latest on this channel, or a new one."""
        conv: Conversation | None
        if conversation_id is not None:
            conv = self._get(conversation_id)
        else:
            conv = self.ctx.session.scalars(select(Conversation).where(
                Conversation.user_id == self.ctx.user.id, Conversation.channel == self.channel)
                .order_by(Conversation.updated_at.desc(), Conversation.id.desc())).first()
            if conv is None:
                conv = Conversation(user_id=self.ctx.user.id, channel=self.channel, state={})
                self.ctx.session.add(conv)
                self.ctx.session.flush()
        return conv.id, dict(conv.state or {})

    def save(self, conversation_id: int, state: dict[str, Any]) -> None:
        conv = self._get(conversation_id)
        conv.state = state
        conv.updated_at = utcnow()
        self.ctx.session.flush()

    def append(self, conversation_id: int, role: str, content: str, traces: list[dict[str, Any]] | None = None) -> None:
        self.ctx.session.add(Message(conversation_id=conversation_id, role=role, content=content,
                                     tool_traces=traces or []))
        self.ctx.session.flush()

    def history(self, conversation_id: int, limit: int = 50) -> list[dict[str, Any]]:
        self._get(conversation_id)
        rows = list(self.ctx.session.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                             .order_by(Message.id.desc()).limit(limit)))
        return [{"role": m.role, "content": m.content, "tool_traces": m.tool_traces,
                 "created_at": m.created_at.isoformat()} for m in reversed(rows)]


def visible_account_names(ctx: ToolContext, limit: int = 20000) -> list[str]:
    """Names of the customers this caller may see (the router's gazetteer)."""
    cache = ctx.extras.setdefault("_account_names", None)
    if cache is None:
        cache = list(ctx.session.scalars(select(Account.name).where(ctx.scope.clause_for(Account)).limit(limit)))
        ctx.extras["_account_names"] = cache
    return list(cache)
