"""Cost of the free-form SQL guard (scoped temp views, authorizer/role, time limit, fresh connection) against
the same query hand-written over the base tables, in the same process (CPU time, median of N rounds).

    .venv/bin/python benchmarks/ask_freeform_overhead.py --db /path/to/demo.db [--rounds 30]
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import select, text

from crm.db import make_engine
from crm.models import User
from crm.scope import scope_for
from retrieval.sql_guard import run_readonly

GUARDED = ("SELECT product_line, COUNT(*) AS n, SUM(amount) AS total FROM v_opportunities "
           "WHERE status = 'won' GROUP BY product_line ORDER BY total DESC")
HAND = ("SELECT product_line, COUNT(*) AS n, SUM(amount) AS total FROM opportunities "
        "WHERE status = 'won' AND owner_id = :u GROUP BY product_line ORDER BY total DESC")


def cpu_ms(fn: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        fn()  # type: ignore[operator]
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--user", default="liming")
    args = ap.parse_args()
    engine = make_engine(f"sqlite:///{args.db}")
    with engine.connect() as conn:
        user = conn.execute(select(User).where(User.username == args.user)).one()
    scope = scope_for(user)  # type: ignore[arg-type]
    got = run_readonly(engine, scope, GUARDED, 5.0, 1000).rows
    with engine.connect() as conn:
        want = [list(r) for r in conn.execute(text(HAND), {"u": scope.user_id})]
    assert got == want, (got, want)

    def hand() -> None:
        with engine.connect() as conn:
            conn.execute(text(HAND), {"u": scope.user_id}).fetchall()

    g = cpu_ms(lambda: run_readonly(engine, scope, GUARDED, 5.0, 1000), args.rounds)
    h = cpu_ms(hand, args.rounds)
    print(f"rows={len(got)} guarded={g:.2f} ms CPU  hand-written={h:.2f} ms CPU  overhead={g - h:.2f} ms ({g / h:.2f}x)")


if __name__ == "__main__":
    main()
