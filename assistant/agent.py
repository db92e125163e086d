"""LLM mode: a langchain 1.x agent (`create_agent`) over ChatOpenAI with any OpenAI-compatible `base_url`.

- native tool calls; a JSON router fallback ({"tool": ..., "arguments": ...}) for models that write
  tool requests as text, or for endpoints without tool support (`llm_tool_mode="json"`);
- bounded model steps and a token budget per turn (`llm_max_steps`, `llm_max_tokens_per_turn`);
- tool results go to the model as JSON data (PII masked when `pii_mask`), never as instructions;
- `stream` yields server-sent-event payloads: tool traces, answer tokens, then the final reply.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.tools import StructuredTool
from langchain_openai import ChatOpenAI

from assistant.insights.pii import mask, unmask
from assistant.router import detect_lang
from assistant.types import ConversationState, Lang, Reply, ToolTrace
from crm.settings import Settings

if TYPE_CHECKING:
    from assistant.service import Assistant

log = logging.getLogger(__name__)
SYSTEM_PROMPT = "assistant_system.v1.md"
JSON_TOOLS_PROMPT = "assistant_json_tools.v1.md"
HISTORY_TURNS = 8
_JSON_OBJ = re.compile(r"\{.*\}", re.S)

BUDGET_MESSAGES = {
    "zh": "这个问题需要的步骤超出了单轮上限，我先停在这里。可以把问题拆小一点再问我。",
    "en": "That needed more steps than one turn allows, so I stopped here. Try asking in smaller pieces.",
}


def _prompt(name: str) -> str:
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def parse_json_request(content: Any) -> dict[str, Any] | None:
    """{"tool": name, "arguments": {...}} or {"answer": text} written as text, else None."""
    if not isinstance(content, str) or "{" not in content:
        return None
    text = content.strip()
    if text.startswith("```"):
        text = re.sub(r"^```(?:json)?\s*|\s*```$", "", text)
    m = _JSON_OBJ.search(text)
    if not m:
        return None
    try:
        obj = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("tool"), str):
        args = obj.get("arguments") or obj.get("args") or {}
        return {"tool": obj["tool"], "arguments": args if isinstance(args, dict) else {}}
    if isinstance(obj.get("answer"), str):
        return {"answer": obj["answer"]}
    return None


class TurnGuard(AgentMiddleware):  # type: ignore[type-arg]
    """Bounds one turn (model steps, tokens) and turns JSON-written tool requests into tool calls."""

    def __init__(self, max_steps: int, max_tokens: int, lang: Lang, json_mode: bool) -> None:
        super().__init__()
        self.max_steps = max_steps
        self.max_tokens = max_tokens
        self.lang = lang
        self.json_mode = json_mode
        self.steps = 0
        self.tokens = 0
        self.fallback_calls = 0
        self.stopped: str | None = None

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> Any:
        if self.steps >= self.max_steps or self.tokens >= self.max_tokens:
            self.stopped = "steps" if self.steps >= self.max_steps else "tokens"
            return ModelResponse(result=[AIMessage(content=BUDGET_MESSAGES[self.lang])])
        if self.json_mode:
            request = request.override(tools=[])
        response = handler(request)
        self.steps += 1
        out: list[BaseMessage] = []
        for msg in response.result:
            if isinstance(msg, AIMessage):
                usage: dict[str, Any] = dict(msg.usage_metadata or {})
                self.tokens += int(usage.get("total_tokens", 0) or 0)
                if not msg.tool_calls:
                    parsed = parse_json_request(msg.content)
                    if parsed and "tool" in parsed:
                        self.fallback_calls += 1
                        msg = AIMessage(content="", tool_calls=[{
                            "name": parsed["tool"], "args": parsed["arguments"],
                            "id": f"json_{self.steps}_{self.fallback_calls}", "type": "tool_call"}],
                            usage_metadata=msg.usage_metadata)
                    elif parsed and "answer" in parsed:
                        msg = AIMessage(content=parsed["answer"], usage_metadata=msg.usage_metadata)
            out.append(msg)
        return ModelResponse(result=out, structured_response=response.structured_response)


class LLMAgent:
    """Builds a fresh langchain agent per turn, bound to the assistant's (scoped) toolbox."""

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_enabled:
            raise ValueError("LLM mode needs DEALWISE_LLM_BASE_URL and DEALWISE_LLM_MODEL")
        self.settings = settings

    def model(self) -> ChatOpenAI:
        s = self.settings
        key = s.llm_api_key.get_secret_value() if s.llm_api_key else "not-needed"
        return ChatOpenAI(base_url=s.llm_base_url, model=s.llm_model or "", api_key=key,  # type: ignore[arg-type]
                          timeout=s.llm_timeout_s, max_retries=1, temperature=0)

    # --- building one turn ---------------------------------------------------------------------------
    def _tools(self, assistant: Assistant, traces: list[ToolTrace], pii: dict[str, str]) -> list[StructuredTool]:
        tools = []
        for tool in assistant.toolbox.tools.values():

            def run(_name: str = tool.name, **kwargs: Any) -> str:
                args = unmask({k: v for k, v in kwargs.items() if v is not None}, pii)
                result = assistant.call_tool(_name, args)
                traces.append(ToolTrace(name=_name, arguments=args, ok=result.ok, summary=result.summary,
                                        result_size=result.size))
                payload = json.dumps({"ok": result.ok, "error": result.error, "data": result.data},
                                     ensure_ascii=False, default=str)
                if self.settings.pii_mask:
                    payload, mapping = mask(payload)
                    pii.update(mapping)
                return payload

            tools.append(StructuredTool.from_function(func=run, name=tool.name, description=tool.description,
                                                      args_schema=tool.args_model))
        return tools

    def _system(self, assistant: Assistant, lang: Lang, json_mode: bool) -> str:
        ctx = assistant.ctx
        text = _prompt(SYSTEM_PROMPT).format(
            user_name=ctx.user.display_name or ctx.user.username, role=ctx.user.role, today=ctx.today.isoformat(),
            timezone=ctx.timezone, scope=ctx.scope.description, lang_name="中文" if lang == "zh" else "English")
        if json_mode:
            specs = "\n".join(json.dumps({"name": t.name, "description": t.description,
                                          "parameters": t.args_model.model_json_schema()}, ensure_ascii=False)
                              for t in assistant.toolbox.tools.values())
            text += "\n\n" + _prompt(JSON_TOOLS_PROMPT).format(tool_specs=specs)
        return text

    def _messages(self, assistant: Assistant, conv_id: int, text: str) -> list[BaseMessage]:
        msgs: list[BaseMessage] = []
        for m in assistant.store.history(conv_id, limit=HISTORY_TURNS * 2):
            if m["role"] == "user":
                msgs.append(HumanMessage(m["content"]))
            elif m["role"] == "assistant":
                msgs.append(AIMessage(m["content"]))
        msgs.append(HumanMessage(text))
        return msgs

    def _prepare(self, assistant: Assistant, text: str) -> tuple[Any, TurnGuard, list[ToolTrace], dict[str, str], Lang]:
        lang = detect_lang(text)
        json_mode = self.settings.llm_tool_mode == "json"
        traces: list[ToolTrace] = []
        pii: dict[str, str] = {}
        guard = TurnGuard(self.settings.llm_max_steps, self.settings.llm_max_tokens_per_turn, lang, json_mode)
        graph = create_agent(self.model(), tools=self._tools(assistant, traces, pii),
                             system_prompt=SystemMessage(self._system(assistant, lang, json_mode)), middleware=[guard])
        return graph, guard, traces, pii, lang

    def _config(self) -> dict[str, Any]:
        return {"recursion_limit": 4 * self.settings.llm_max_steps + 4}

    # --- running -------------------------------------------------------------------------------------
    def run(self, assistant: Assistant, text: str, conv_id: int, state: ConversationState) -> Reply:
        graph, _guard, traces, pii, lang = self._prepare(assistant, text)
        result = graph.invoke({"messages": self._messages(assistant, conv_id, text)}, config=self._config())
        return self._reply(result["messages"], traces, pii, lang)

    def stream(self, assistant: Assistant, text: str, conv_id: int, state: ConversationState) -> Iterator[dict[str, Any]]:
        """Events: {"event": "tool", ...}, {"event": "token", "text"}, and last {"event": "done", "reply"}."""
        graph, guard, traces, pii, lang = self._prepare(assistant, text)
        final: list[BaseMessage] = []
        seen = 0
        for mode, payload in graph.stream({"messages": self._messages(assistant, conv_id, text)},
                                          config=self._config(), stream_mode=["messages", "values"]):
            if mode == "messages":
                chunk, _meta = payload
                if (isinstance(chunk, AIMessageChunk) and chunk.content and not chunk.tool_call_chunks
                        and not guard.json_mode and isinstance(chunk.content, str)):
                    yield {"event": "token", "text": unmask(chunk.content, pii)}
            else:
                final = payload["messages"]
            while seen < len(traces):
                yield {"event": "tool", **traces[seen].model_dump(mode="json")}
                seen += 1
        yield {"event": "done", "reply": self._reply(final, traces, pii, lang).model_dump(mode="json")}

    @staticmethod
    def _reply(messages: list[BaseMessage], traces: list[ToolTrace], pii: dict[str, str], lang: Lang) -> Reply:
        answer = ""
        for m in reversed(messages):
            if isinstance(m, AIMessage) and not m.tool_calls:
                answer = m.content if isinstance(m.content, str) else json.dumps(m.content, ensure_ascii=False)
                break
        return Reply(text=str(unmask(answer, pii)).strip(), lang=lang, traces=traces, mode="llm")
