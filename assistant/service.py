"""The assistant: one turn of a conversation, offline (router + templates) or with an LLM agent.

    reply = Assistant(ctx, channel="wecom").handle("云帆物流那个单子能拿下吗")

Tool results are data: in offline mode they only ever fill templates; nothing a note or a
transcript says is routed or executed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from assistant import replies
from assistant.gazetteer import Gazetteer
from assistant.intent_model import IntentModel
from assistant.router import RESET, detect_lang, route
from assistant.state import remember
from assistant.types import ConversationState, Intent, Lang, Reply, ToolTrace
from tools.base import ToolContext, ToolResult
from tools.conversations import ConversationStore, visible_account_names
from tools.registry import build_toolbox

log = logging.getLogger(__name__)

_VISIT_REPORT = re.compile(r"拜访|见了|聊了|沟通了|开会|客户(说|表示|反馈)|visited|met with|meeting with", re.I)


def _clean(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if v is not None}


class Assistant:
    """Bound to one caller (through `ctx`); `handle` runs one turn and persists it."""

    def __init__(self, ctx: ToolContext, *, channel: str = "api", agent: Any | None = None,
                 intent_model: IntentModel | None = None) -> None:
        self.ctx = ctx
        self.intent_model = intent_model  # the offline router's learned second opinion (None = rules only)
        self.toolbox = build_toolbox(ctx)
        self.store = ConversationStore(ctx, channel)
        self.agent = agent  # an LLM agent (assistant.agent.LLMAgent) or None for offline mode

    # --- one turn ------------------------------------------------------------------------------------
    def handle(self, text: str, conversation_id: int | None = None, *, source: str = "text") -> Reply:
        conv_id, raw_state = self.store.open(conversation_id)
        state = ConversationState.model_validate(raw_state or {})
        text = (text or "").strip()
        if self.agent is not None and text and not RESET.search(text):
            reply = self.agent.run(self, text, conv_id, state)
        else:
            reply, state = self.offline_turn(text, state, source=source)
            self.store.save(conv_id, state.model_dump())
        reply.conversation_id = conv_id
        self.store.append(conv_id, "user", text)
        self.store.append(conv_id, "assistant", reply.text, [tr.model_dump(mode="json") for tr in reply.traces])
        return reply

    def stream(self, text: str, conversation_id: int | None = None) -> Iterator[dict[str, Any]]:
        """One turn as events: `tool` traces, `token` pieces of the answer, then `done` with the reply."""
        conv_id, raw_state = self.store.open(conversation_id)
        state = ConversationState.model_validate(raw_state or {})
        text = (text or "").strip()
        reply: Reply | None = None
        if self.agent is not None and text and not RESET.search(text):
            for event in self.agent.stream(self, text, conv_id, state):
                if event["event"] == "done":
                    reply = Reply.model_validate(event["reply"])
                else:
                    yield event
        else:
            reply, state = self.offline_turn(text, state)
            self.store.save(conv_id, state.model_dump())
            for trace in reply.traces:
                yield {"event": "tool", **trace.model_dump(mode="json")}
            for piece in re.findall(r".{1,40}(?:[。！？.!?\n]|$)", reply.text, flags=re.S):
                if piece:
                    yield {"event": "token", "text": piece}
        assert reply is not None
        reply.conversation_id = conv_id
        self.store.append(conv_id, "user", text)
        self.store.append(conv_id, "assistant", reply.text, [tr.model_dump(mode="json") for tr in reply.traces])
        yield {"event": "done", "reply": reply.model_dump(mode="json")}

    def offline_turn(self, text: str, state: ConversationState, *, source: str = "text") -> tuple[Reply, ConversationState]:
        lang = detect_lang(text) if text else state.lang
        if not text:
            return Reply(text=replies.t(lang, "unknown"), lang=lang), state
        gaz = Gazetteer.of(visible_account_names(self.ctx))
        intent = route(text, gaz, self.ctx.today, state, self.intent_model)
        if (source == "voice" and intent.name not in ("create_task", "complete_task", "reset") and len(text) >= 30
                and _VISIT_REPORT.search(text) and not re.search(r"[?？吗呢]\s*$", text)):  # a dictated visit report
            intent = Intent(name="log_note", args={"text": text, "account": intent.args.get("account"), "type": "visit"},
                            lang=intent.lang)
        if intent.name == "reset":
            return Reply(text=replies.t(lang, "reset"), lang=lang), ConversationState(lang=lang)
        if intent.name in ("help", "greeting", "unknown"):
            return Reply(text=self.canned(intent.name, lang), lang=lang), remember(state, intent)
        if intent.used_context and state.last_opportunity_id and intent.name in ("get_opportunity", "score_opportunity"):
            intent.args = {"opportunity_id": state.last_opportunity_id}
        args = _clean(intent.args)
        result = self.call_tool(intent.name, args)
        trace = ToolTrace(name=intent.name, arguments=args, ok=result.ok, summary=result.summary,
                          result_size=result.size)
        if result.ok:
            text_out = replies.compose(intent, result.data, lang)
            new_state = remember(state, intent, result.data)
        else:
            text_out = replies.error_reply(intent, result.error, result.data, lang, self.ctx.scope.description)
            new_state = remember(state, Intent(name=intent.name, lang=lang))
        chart = None
        answer = result.data.get("answer") if isinstance(result.data.get("answer"), dict) else None
        if answer and isinstance(answer.get("chart"), dict):
            chart = answer["chart"]
        return Reply(text=text_out, lang=lang, traces=[trace], chart=chart), new_state

    def canned(self, key: str, lang: str) -> str:
        """help / greeting / unknown / refused replies in the user's language."""
        lg: Lang = "en" if lang == "en" else "zh"
        if key == "greeting":
            name = self.ctx.user.display_name or self.ctx.user.username
            return replies.t(lg, "greeting", name=name if lg == "zh" else f" {name}", help=replies.t(lg, "help"))
        return replies.t(lg, key)

    def call_tool(self, name: str, args: dict[str, Any]) -> ToolResult:
        return self.toolbox.call(name, args)

    def history(self, conversation_id: int) -> list[dict[str, Any]]:
        return self.store.history(conversation_id)
