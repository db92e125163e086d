"""Call-insight accuracy (per field, dev vs held-out) and rules-engine speed.

    .venv/bin/python benchmarks/insights_eval.py [--modes labelled,unlabelled,asr] [--engine rules|llm] [--json]

Sets: dev = ../shared/data/calls/dev*.txt (tuned on), held-out = benchmarks/data/insights_gold/*.txt
(written before the engine, never tuned on). Modes: `labelled` (销售：/客户： prefixes kept), `unlabelled`
(prefixes stripped), `asr` / `asr_stereo` / `asr_8k` (the pipeline's own transcript of NAME.wav /
NAME_stereo.m4a / NAME_8k.mp3; skipped when there is no audio or no transcription pipeline). A `+crm`
suffix (`asr+crm`) runs the real upload flow: the call is uploaded against its opportunity, so the
transcriber gets the account, contacts and rep (benchmarks.call_context, as asr_cer.py) and the engine
gets the CRM's accounts and contacts; without it only the org profile is known.

Scoring per call: company (same after normalisation), budget (equal), decision date (equal, or inside an
A/B range) are 0/1; contacts (by name), competitors, products are set F1 (both empty = 1); next steps are
F1 where a step counts when its action matches (character-bigram overlap ≥ 0.4 of the shorter) and its due
is right or inside an A/B range (null = null). A field's score is the mean over calls; `overall` is the mean
over the seven fields.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.insights import OrgProfile, extract_insights  # noqa: E402
from assistant.insights.entities import _core  # noqa: E402
from assistant.insights.text import parse_plain, strip_labels  # noqa: E402
from benchmarks.call_context import CALL_CONTEXT, crm_names  # noqa: E402
from transcription.types import Transcript  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "calls"
HELD_OUT = ROOT / "benchmarks" / "data" / "insights_gold"
AUDIO = {"asr": ".wav", "asr_stereo": "_stereo.m4a", "asr_8k": "_8k.mp3"}  # own-ASR modes: which recording
FIELDS = ["company", "contacts", "budget", "decision_date", "competitors", "products", "next_steps"]


def _in(day: str | None, gold: str | None) -> bool:
    if gold is None or day is None:
        return gold is None and day is None
    if "/" in gold:
        a, b = gold.split("/")
        return a <= day <= b
    return day == gold


def _f1(pred: list[str], gold: list[str], same: Any = None) -> float:
    same = same or (lambda a, b: a.lower() == b.lower())
    if not pred and not gold:
        return 1.0
    used: set[int] = set()
    tp = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(p, g):
                used.add(i)
                tp += 1
                break
    if tp == 0:
        return 0.0
    prec, rec = tp / len(pred), tp / len(gold)
    return 2 * prec * rec / (prec + rec)


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\w]", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def action_match(a: str, b: str) -> bool:
    ba, bb = _bigrams(a), _bigrams(b)
    return len(ba & bb) / max(1, min(len(ba), len(bb))) >= 0.4


def _same_company(p: str | None, g: str | None) -> bool:
    if p is None or g is None:
        return p is None and g is None
    cp, cg = _core(p), _core(g)
    return p == g or cp == cg or cg in p or cp in g


def score_call(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, float]:
    steps_p = [f"{s['action']}|{s['due']}" for s in pred["next_steps"]]
    steps_g = [f"{s['action']}|{s['due']}" for s in gold["next_steps"]]

    def step_same(p: str, g: str) -> bool:
        pa, pd = p.split("|")
        ga, gd = g.split("|")
        return action_match(pa, ga) and _in(None if pd == "None" else pd, None if gd == "None" else gd)

    budget = pred["budget"]["amount_cny"] if pred["budget"] else None
    return {
        "company": float(_same_company(pred["customer"]["company"], gold["customer_company"])),
        "contacts": _f1([c["name"] for c in pred["contacts"]], [c["name"] for c in gold["contacts"]]),
        "budget": float(
            budget == gold["budget_cny"]
            or (
                budget is not None and gold["budget_cny"] is not None and abs(budget - gold["budget_cny"]) < 1
            )
        ),
        "decision_date": float(_in(pred["decision_date"], gold["decision_date"])),
        "competitors": _f1([c["name"] for c in pred["competitors"]], gold["competitors"]),
        "products": _f1([p["name"] for p in pred["products"]], gold["products"]),
        "next_steps": _f1(steps_p, steps_g, step_same),
    }


def _asr_transcript(wav: Path, org_json: Path, context: str | None = None) -> Transcript | None:
    """The pipeline's own transcript of a call (transcription.pipeline, embedded Whisper base, settings'
    threads) with the org profile's names and, given the rep's username, the CRM context the call is
    uploaded against (benchmarks.call_context, as asr_cer.py). Cached in /tmp by audio, org, context and
    pipeline source. None when the pipeline is missing."""
    import hashlib
    import tempfile

    try:
        from benchmarks.call_context import crm_vocab
        from crm.settings import get_settings
        from transcription.model_cache import resolve_model
        from transcription.pipeline import TranscribeOptions, default_transcriber
        from transcription.vocab import from_org_json
    except ImportError:
        return None
    code = b"".join(p.read_bytes() for p in sorted((ROOT / "transcription").glob("*.py")))
    cache = Path(tempfile.gettempdir()) / "dealwise-insights-asr"
    key = hashlib.sha256(wav.read_bytes() + org_json.read_bytes() + code + (context or "").encode()).hexdigest()[:16]
    hit = cache / f"pipeline-{wav.stem}-{key}.json"
    if hit.exists():
        return Transcript.model_validate_json(hit.read_text(encoding="utf-8"))
    vocab = from_org_json(org_json)
    if context:
        vocab = crm_vocab(vocab, context)
    st = get_settings()
    tr = default_transcriber(resolve_model(st.asr_model, st.models_dir), threads=st.asr_threads).transcribe(
        wav, TranscribeOptions(vocabulary=vocab)
    )
    cache.mkdir(parents=True, exist_ok=True)
    hit.write_text(tr.model_dump_json(), encoding="utf-8")
    return tr


def run(modes: list[str], engine: str, only: list[str] | None = None) -> dict[str, Any]:
    org_json = SHARED / "org.json" if SHARED.exists() else ROOT / "tests/fixtures/calls/org.json"
    org = OrgProfile.load(org_json)
    sets = {"dev": sorted(SHARED.glob("dev*.txt")), "held_out": sorted(HELD_OUT.glob("*.txt"))}
    sets = {k: v for k, v in sets.items() if not only or k in only}
    report: dict[str, Any] = {}
    for mode in modes:
        with_crm = mode.endswith("+crm")  # the call uploaded against its opportunity: CRM names known
        for name, files in sets.items():
            per_call: dict[str, dict[str, float]] = {}
            for txt in files:
                gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
                call_time = datetime.fromisoformat(gold["call_time"])
                raw = txt.read_text(encoding="utf-8")
                if mode == "labelled":
                    tr = parse_plain(raw)
                elif mode == "unlabelled":
                    tr = parse_plain(strip_labels(raw))
                else:
                    audio = txt.parent / (txt.stem + AUDIO[mode.removesuffix("+crm")])
                    context = CALL_CONTEXT.get(txt.stem) if with_crm else None
                    if with_crm and context is None:
                        continue  # only calls with a CRM upload context
                    tr_opt = _asr_transcript(audio, org_json, context) if audio.exists() else None
                    if tr_opt is None:
                        continue
                    tr = tr_opt
                crm = crm_names() if with_crm else None
                pred = extract_insights(tr, org, crm, call_time=call_time, engine=engine)  # type: ignore[arg-type]
                per_call[txt.stem] = score_call(pred.model_dump(mode="json"), gold["gold"])
            if not per_call:
                report[f"{mode}/{name}"] = "skipped (no transcript source)"
                continue
            fields = {f: round(statistics.mean(c[f] for c in per_call.values()), 3) for f in FIELDS}
            fields["overall"] = round(statistics.mean(fields[f] for f in FIELDS), 3)
            report[f"{mode}/{name}"] = {"calls": len(per_call), "fields": fields, "per_call": per_call}
    return report


def speed(repeats: int = 30) -> dict[str, float]:
    """Rules engine on a ~10-minute call (dev turns repeated to ~2,700 characters, about 4.5 chars/s)."""
    import jieba

    org = OrgProfile.load(ROOT / "tests/fixtures/calls/org.json")
    lines: list[str] = []
    srcs = sorted((ROOT / "tests/fixtures/calls").glob("dev*.txt"))
    while sum(len(x) for x in lines) < 2700:
        for p in srcs:
            lines += p.read_text(encoding="utf-8").splitlines()
    tr = parse_plain("\n".join(lines))
    jieba.initialize()
    extract_insights(tr, org, call_time=date(2026, 11, 23), engine="rules")  # warm-up (regex, dictionaries)

    def timed(fn: Any) -> tuple[float, float]:
        """(median, min) CPU seconds of the process: less sensitive than wall time to a shared machine."""
        ts = []
        for _ in range(repeats):
            t0 = time.process_time()
            fn()
            ts.append(time.process_time() - t0)
        return statistics.median(ts), min(ts)

    rules, rules_min = timed(lambda: extract_insights(tr, org, call_time=date(2026, 11, 23), engine="rules"))
    base, _base_min = timed(lambda: jieba.lcut(tr.text))
    return {
        "chars": len(tr.text),
        "turns": len(tr.segments),
        "rules_cpu_ms_median": round(rules * 1000, 2),
        "rules_cpu_ms_min": round(rules_min * 1000, 2),
        "jieba_lcut_cpu_ms_median": round(base * 1000, 2),
        "ratio_vs_jieba_lcut": round(rules / base, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--modes", default="labelled,unlabelled,asr")
    ap.add_argument("--engine", default="rules", choices=["rules", "llm", "auto"])
    ap.add_argument("--sets", default="dev,held_out")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    rep = run(args.modes.split(","), args.engine, args.sets.split(","))
    if not args.no_speed:
        rep["speed"] = speed()
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
        return
    for k, v in rep.items():
        if k == "speed":
            print("speed", v)
        elif isinstance(v, str):
            print(f"{k:22s} {v}")
        else:
            print(f"{k:22s} n={v['calls']} " + " ".join(f"{f}={x:.2f}" for f, x in v["fields"].items()))


if __name__ == "__main__":
    main()
