"""Chat with the assistant over HTTP: one turn (JSON or server-sent events) and a conversation's history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from api.deps import CurrentUser, SessionDep, SettingsDep
from assistant.factory import build_assistant
from crm.models import User

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


class ChatIn(BaseModel):
    message: str = Field(min_length=1, max_length=4000)
    conversation_id: int | None = None
    stream: bool = False


class TraceOut(BaseModel):
    name: str
    arguments: dict[str, Any]
    ok: bool
    summary: str
    result_size: int


class ChatOut(BaseModel):
    conversation_id: int
    reply: str
    lang: str
    mode: str
    traces: list[TraceOut]
    chart: dict[str, Any] | None = None


class MessageOut(BaseModel):
    role: str
    content: str
    tool_traces: list[dict[str, Any]]
    created_at: str


class ConversationOut(BaseModel):
    conversation_id: int
    messages: list[MessageOut]


def _sse(event: dict[str, Any]) -> str:
    name = event.get("event", "message")
    data = {k: v for k, v in event.items() if k != "event"}
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, default=lambda o: o.isoformat() if isinstance(o, date) else str(o))}\n\n"


@router.post("", response_model=ChatOut, responses={200: {"content": {"text/event-stream": {}}}})
def chat(body: ChatIn, request: Request, session: SessionDep, user: CurrentUser, settings: SettingsDep) -> Any:
    """One turn. With `stream: true` (or `Accept: text/event-stream`) the answer arrives as server-sent
    events: `tool` (each tool call), `token` (answer text), `done` (the full reply)."""
    assistant = build_assistant(session, user, settings, channel="api")
    if body.stream or "text/event-stream" in request.headers.get("accept", ""):
        conv_id, _ = assistant.store.open(body.conversation_id)  # 404 before the stream starts
        session.commit()
        user_id = user.id
        maker = request.app.state.sessionmaker

        def events() -> Iterator[str]:
            with maker() as s:
                try:
                    owner = s.get(User, user_id)
                    assert owner is not None
                    for ev in build_assistant(s, owner, settings, channel="api").stream(body.message, conv_id):
                        yield _sse(ev)
                    s.commit()
                except Exception as exc:  # the stream has started: report the failure as an event
                    s.rollback()
                    yield _sse({"event": "error", "detail": str(exc) or type(exc).__name__})

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    reply = assistant.handle(body.message, body.conversation_id)
    assert reply.conversation_id is not None
    return ChatOut(conversation_id=reply.conversation_id, reply=reply.text, lang=reply.lang, mode=reply.mode,
                   traces=[TraceOut.model_validate(t.model_dump(mode="json")) for t in reply.traces], chart=reply.chart)


@router.get("/{conversation_id}", response_model=ConversationOut)
def get_conversation(conversation_id: int, session: SessionDep, user: CurrentUser, settings: SettingsDep) -> ConversationOut:
    """A conversation's messages (only the caller's own conversations; others are 404)."""
    assistant = build_assistant(session, user, settings, channel="api")
    msgs = assistant.history(conversation_id)
    return ConversationOut(conversation_id=conversation_id, messages=[MessageOut.model_validate(m) for m in msgs])
