"""The offline parser's CPU time per question over the demo question set (best of 7 runs of 10 loops), for
comparing two commits in the same hour: run it once per checkout, alternating.

    .venv/bin/python benchmarks/ask_parse_time.py --db /tmp/s5/db/demo.db [--root /path/to/other/checkout]
    .venv/bin/python benchmarks/ask_parse_time.py --db /tmp/s5/acc/demo.db --sets 331-394   # English-only sets' demo lines
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("/tmp/dealwise-ask-bench/demo.db"))
    ap.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose parser is timed")
    ap.add_argument("--sets", help="time the demo lines of these paraphrase sets instead ('331-394'), read from this "
                                   "checkout's benchmarks/data (the same questions for both checkouts)")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from crm.db import make_engine
    from crm.models import User
    from crm.scope import scope_for
    from retrieval.parser import parse

    if args.sets:
        lo, _, hi = args.sets.partition("-")
        questions = [d["q"] for n in range(int(lo), int(hi or lo) + 1)
                     for line in (HERE / "data" / f"ask_paraphrases_{n}.jsonl").read_text(encoding="utf-8").splitlines()
                     if line.strip() and (d := json.loads(line))["ws"] == "demo"]
        loops = 1
    else:
        lines = (HERE / "data" / "ask_questions_demo.jsonl").read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line)["q"] for line in lines]
        loops = 10
    today = date(2026, 11, 27)
    with Session(make_engine(f"sqlite:///{args.db}")) as s:
        scope = scope_for(s.scalars(select(User).where(User.username == "admin")).one())
        for q in questions:  # warm the vocabulary and the regex caches
            parse(s, scope, q, today)
        best = float("inf")
        for _ in range(7):
            t = time.process_time()
            for _ in range(loops):
                for q in questions:
                    parse(s, scope, q, today)
            best = min(best, (time.process_time() - t) / (loops * len(questions)))
    print(f"{args.root}: parse per question {best * 1e6:.0f} µs (CPU, best of 7, {len(questions)} questions)")


if __name__ == "__main__":
    main()
