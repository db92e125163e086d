"""The router set through an LLM (any OpenAI-compatible endpoint, e.g. the embedded xllamacpp server):
the first tool the model picks, and its arguments, scored like the offline router.

    DEALWISE_LLM_BASE_URL=http://127.0.0.1:8081/v1 DEALWISE_LLM_MODEL=local \\
        .venv/bin/python benchmarks/router_llm_bench.py [router_set.jsonl] [--json-mode] [--limit N]
    .venv/bin/python benchmarks/router_llm_bench.py --embedded [--threads 1] [--limit N]   # the local-llm extra

help/reset/greeting items expect no tool call. Nothing is executed: tools are only offered.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from assistant.agent import _prompt, parse_json_request
from assistant.gazetteer import Gazetteer
from assistant.intent_train import set_gazetteer
from assistant.types import Intent
from benchmarks.router_bench import TODAY, check, load
from crm.settings import Settings
from tools.registry import ALL_TOOLS

NO_TOOL = {"help", "reset", "greeting"}


def system_prompt(json_mode: bool) -> str:
    text = _prompt("assistant_system.v1.md").format(user_name="赵磊", role="rep", today=TODAY.isoformat(),
                                                    timezone="Asia/Shanghai", scope="your own data", lang_name="the user's")
    if json_mode:
        specs = "\n".join(json.dumps({"name": t.name, "description": t.description,
                                      "parameters": t.args_model.model_json_schema()}, ensure_ascii=False) for t in ALL_TOOLS)
        text += "\n\n" + _prompt("assistant_json_tools.v1.md").format(tool_specs=specs)
    return text


def to_intent(name: str | None, args: dict, gaz: Gazetteer) -> Intent:
    if name is None:
        return Intent(name="help")
    out = dict(args)
    if out.get("account"):
        m = gaz.find(str(out["account"]))
        out["account"] = m.name if m else out["account"]
    if name == "complete_task":
        out.setdefault("query", out.get("query") or "")
    if isinstance(out.get("due"), str):
        out["due"] = out["due"][:10]
    return Intent(name=name, args=out)


def main() -> None:
    path = next((a for a in sys.argv[1:] if a.endswith(".jsonl")), "router_set.jsonl")
    json_mode = "--json-mode" in sys.argv
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    s = Settings()
    if "--embedded" in sys.argv:  # the optional local model, served in this process
        from assistant.local_model import serve

        threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
        t0 = time.perf_counter()
        local = serve(s.models_dir / "local-llm", threads=threads)
        print(f"embedded server up in {time.perf_counter() - t0:.1f} s at {local.base_url}", file=sys.stderr)
        s = s.model_copy(update={"llm_base_url": local.base_url, "llm_model": local.model, "llm_timeout_s": 1800.0})
    if not s.llm_enabled:
        sys.exit("set DEALWISE_LLM_BASE_URL and DEALWISE_LLM_MODEL")
    model = ChatOpenAI(base_url=s.llm_base_url, model=s.llm_model or "", temperature=0, timeout=s.llm_timeout_s,
                       api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else "x")  # type: ignore[arg-type]
    bound = model if json_mode else model.bind_tools([t.json_schema() for t in ALL_TOOLS])
    gaz = set_gazetteer()
    ok = 0
    items = [i for i in load(path) if not i.get("context")][:limit]
    seconds = []
    for item in items:
        t0 = time.perf_counter()
        msg = bound.invoke([SystemMessage(system_prompt(json_mode)), HumanMessage(item["text"])])
        seconds.append(time.perf_counter() - t0)
        calls = getattr(msg, "tool_calls", None) or []
        if calls:
            got = to_intent(calls[0]["name"], calls[0]["args"], gaz)
        else:
            parsed = parse_json_request(msg.content)
            got = to_intent(parsed["tool"], parsed["arguments"], gaz) if parsed and "tool" in parsed else to_intent(None, {}, gaz)
        want = dict(item)
        good = got.name == "help" if want["intent"] in NO_TOOL else not check(want, got)
        ok += good
        if not good:
            raw = str(msg.content or "").replace("\n", " ")[:160]
            print(f"#{item['id']} {item['text']} → {got.name} {got.args}  [model said: {raw!r}]", flush=True)
    print(json.dumps({"set": path, "n": len(items), "correct": ok, "accuracy": round(ok / len(items), 4),
                      "json_mode": json_mode, "model": s.llm_model, "seconds_p50": round(statistics.median(seconds), 1),
                      "seconds_max": round(max(seconds), 1), "first_message_s": round(seconds[0], 1),
                      "load_average_1m": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
