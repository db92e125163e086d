"""Ask Dealwise speed: p50/p95 latency of `ask` over the demo question set, and the overhead of the
full path (parse + compile + execute + answer) against the same queries hand-written in SQL, same run.

    .venv/bin/python benchmarks/ask_speed.py --db /tmp/dealwise-ask-bench/demo.db [--rounds 3]
    .venv/bin/python benchmarks/ask_speed.py --db /tmp/dealwise-ask-bench/big.db --rounds 1   # 1M opportunities
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from crm.db import make_engine
from crm.models import User
from crm.scope import scope_for
from retrieval.ask import ask

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 27)
Q4 = {"s": datetime(2026, 10, 1), "e": datetime(2027, 1, 1)}
Y26 = {"s": datetime(2026, 1, 1), "e": datetime(2027, 1, 1)}
OCT = {"s": datetime(2026, 10, 1), "e": datetime(2026, 11, 1)}
# (question, the same query written by hand, its parameters)
PAIRS: list[tuple[str, str, dict[str, object]]] = [
    ("本季度华东区的赢单率是多少？",
     "SELECT SUM(CASE WHEN o.status='won' THEN 1.0 ELSE 0 END) / COUNT(*) FROM opportunities o "
     "JOIN users u ON u.id=o.owner_id JOIN regions r ON r.id=u.region_id WHERE r.name='华东' "
     "AND o.status IN ('won','lost') AND o.closed_at >= :s AND o.closed_at < :e", Q4),
    ("上个月回款最多的前5个客户",
     "SELECT a.name, SUM(c.amount) v FROM collections c JOIN accounts a ON a.id=c.account_id "
     "WHERE c.received_on >= :s AND c.received_on < :e GROUP BY a.name ORDER BY v DESC LIMIT 5",
     {"s": OCT["s"].date(), "e": OCT["e"].date()}),
    ("今年以来的成交额是多少",
     "SELECT SUM(amount) FROM opportunities WHERE status='won' AND closed_at >= :s AND closed_at < :e", Y26),
    ("各团队本季度的成交额",
     "SELECT t.name, SUM(o.amount) FROM opportunities o JOIN users u ON u.id=o.owner_id JOIN teams t ON t.id=u.team_id "
     "WHERE o.status='won' AND o.closed_at >= :s AND o.closed_at < :e GROUP BY t.name", Q4),
    ("哪个行业的赢单率最高",
     "SELECT a.industry, SUM(CASE WHEN o.status='won' THEN 1.0 ELSE 0 END) / COUNT(*) v FROM opportunities o "
     "JOIN accounts a ON a.id=o.account_id WHERE o.status IN ('won','lost') GROUP BY a.industry ORDER BY v DESC LIMIT 1", {}),
    ("今年按月的成交额趋势",
     "SELECT strftime('%Y-%m', closed_at) m, SUM(amount) FROM opportunities WHERE status='won' "
     "AND closed_at >= :s AND closed_at < :e GROUP BY m", Y26),
]


def timed(fn, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("/tmp/dealwise-ask-bench/demo.db"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--user", default="admin")
    args = ap.parse_args()
    engine = make_engine(f"sqlite:///{args.db}")
    questions = [json.loads(line)["q"] for line in (HERE / "data" / "ask_questions_demo.jsonl").read_text().splitlines()]
    with Session(engine) as s:
        scope = scope_for(s.scalars(select(User).where(User.username == args.user)).one())
        n_opps = s.execute(text("SELECT COUNT(*) FROM opportunities")).scalar()
        ask(s, scope, "成交额", today=TODAY)  # warm the entity cache, as a running server would be
        lat: list[float] = []
        slow: list[tuple[float, str]] = []
        for q in questions:
            ts = timed(lambda q=q: ask(s, scope, q, today=TODAY), args.rounds)
            lat += ts
            slow.append((max(ts), q))
        ratios = []
        for q, sql, params in PAIRS:
            a = statistics.median(timed(lambda q=q: ask(s, scope, q, today=TODAY), args.rounds + 2))
            h = statistics.median(timed(lambda sql=sql, params=params: s.execute(text(sql), params).all(), args.rounds + 2))
            ratios.append((q, a, h, a / h))
    print(f"{args.db.name}: {n_opps:,} opportunities, {len(questions)} questions x {args.rounds} rounds as {args.user}")
    print(f"ask latency: p50 {pct(lat, 0.5) * 1000:.0f} ms, p95 {pct(lat, 0.95) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms")
    for t, q in sorted(slow, reverse=True)[:5]:
        print(f"   slowest: {t * 1000:.0f} ms  {q}")
    print("vs hand-written SQL (median of runs, same process):")
    for q, a, h, r in ratios:
        print(f"   {r:5.2f}x  ask {a * 1000:6.1f} ms  sql {h * 1000:6.1f} ms  {q}")
    print(f"overhead ratio: median {statistics.median(r for *_, r in ratios):.2f}x, max {max(r for *_, r in ratios):.2f}x")


if __name__ == "__main__":
    main()
