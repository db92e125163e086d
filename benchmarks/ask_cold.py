"""Ask Dealwise: what each piece of the `ask` path costs warm (run twice in a row) and cold (right after two
SQL queries, as in `ask_speed.py`'s interleave, where the queries evict the CPU caches).

    .venv/bin/python benchmarks/ask_cold.py --db /tmp/s5/db/demo.db [--pair 3] [--runs 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import make_engine
from crm.models import User
from crm.scope import scope_for
from retrieval import answer as A
from retrieval.ask import currency_of, run_plan
from retrieval.compiler import execute
from retrieval.entities import link, vocab_for
from retrieval.metrics_sql import Ctx
from retrieval.normalize import normalize
from retrieval.parser import parse
from retrieval.parser_rx import find_metric, ranking, rx_for
from retrieval.timeparse import find_period

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ask_speed import PAIRS, TODAY, _fetch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("/tmp/dealwise-ask-bench/demo.db"))
    ap.add_argument("--pair", type=int, default=3, help="which of ask_speed.PAIRS (0-5)")
    ap.add_argument("--runs", type=int, default=60)
    args = ap.parse_args()
    q, sql, params = PAIRS[args.pair]
    raw = {k: str(v) for k, v in params.items()}
    pc = time.perf_counter
    with Session(make_engine(f"sqlite:///{args.db}")) as s:
        scope = scope_for(s.scalars(select(User).where(User.username == "admin")).one())
        driver = s.connection().connection.driver_connection
        text, vocab = normalize(q), vocab_for(s)
        R = rx_for(text)
        p = parse(s, scope, q, TODAY)
        assert p.plan is not None, q
        ctx = Ctx(session=s, scope=scope, today=TODAY, dialect=s.get_bind().dialect.name)
        comp = execute(ctx, p.plan)
        pieces: dict[str, Callable[[], object]] = {
            "normalize": lambda: normalize(q), "rx_for": lambda: rx_for(text),
            "find_period": lambda: find_period(text, TODAY), "find_metric": lambda: find_metric(text, R),
            "link": lambda: link(text, vocab, s, scope, []), "ranking": lambda: ranking(text, True, R),
            "parse": lambda: parse(s, scope, q, TODAY), "execute": lambda: execute(ctx, p.plan),  # type: ignore[arg-type]
            "answer": lambda: A.metric_answer(p.plan, comp, scope, p.language, currency_of(s)),  # type: ignore[arg-type]
            "run_plan": lambda: run_plan(s, scope, p.plan, p.language, TODAY),  # type: ignore[arg-type]
            "hand query": lambda: _fetch(driver, sql, raw),
        }
        print(f"{q}  (median of {args.runs}; cold = right after the hand query and another SQL query)")
        for name, f in pieces.items():
            hot, cold = [], []
            for _ in range(args.runs):
                _fetch(driver, sql, raw)
                _fetch(driver, PAIRS[4][1], {})
                t = pc()
                f()
                cold.append(pc() - t)
                t = pc()
                f()
                hot.append(pc() - t)
            print(f"   {name:12s} warm {statistics.median(hot) * 1e6:7.0f} µs   cold {statistics.median(cold) * 1e6:7.0f} µs")


if __name__ == "__main__":
    main()
