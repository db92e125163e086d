"""Ask Dealwise speed: p50/p95 latency of `ask` over the demo question set, and the overhead of the
full path (parse + compile + execute + answer) against the same queries hand-written in SQL, same run.

`ask` keeps a memo of recent parses (`DEALWISE_ASK_PARSE_MEMO`): a repeated question skips the parser. The latency
figures and the "first ask" ratios turn the memo off (every question parsed); the "repeat" ratios keep it on, as a
server answering the same question again would.

SQLite runs in this process, so CPU time (`time.process_time`) is the latency the question costs on an idle
core; wall time is printed too, with the load average, because the machine may be shared. The database is
migrated to the newest revision first (indexes). Ratios interleave ask and hand-written SQL runs.

    .venv/bin/python benchmarks/ask_speed.py --db /tmp/dealwise-ask-bench/demo.db [--rounds 3]
    .venv/bin/python benchmarks/ask_speed.py --db /tmp/ask1m/1m.db --rounds 1 --no-pairs   # 1M opportunities
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from crm.db import make_engine, migrate
from crm.models import User
from crm.scope import scope_for
from crm.settings import get_settings
from retrieval import compiled_sql
from retrieval.ask import ask, run_plan
from retrieval.parser import parse
from retrieval.plan import Answer

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 27)
Q4: dict[str, object] = {"s": datetime(2026, 10, 1), "e": datetime(2027, 1, 1)}
Y26: dict[str, object] = {"s": datetime(2026, 1, 1), "e": datetime(2027, 1, 1)}
OCT: dict[str, datetime] = {"s": datetime(2026, 10, 1), "e": datetime(2026, 11, 1)}
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


def timed(fn, rounds: int) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """(wall, cpu) seconds of each run."""
    out = []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t, time.process_time() - c))
    return out


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def _fetch(driver: Any, sql: str, params: dict[str, str]) -> list[Any]:
    cur = driver.cursor()
    try:
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        cur.close()


def generated_sql(ask_once: Any) -> list[tuple[str, Any]]:
    """The SQL strings and parameters `ask` ran on the driver for one question (as `compiled_sql.run` sent them)."""
    seen: list[tuple[str, Any]] = []
    run = compiled_sql.run

    def spy(session: Session, prep: compiled_sql.Prepared, values: dict[str, Any], filters: Any) -> list[Any]:
        seen.append((prep.sql, prep.parameters(values, filters)))
        return run(session, prep, values, filters)

    compiled_sql.run = spy  # type: ignore[assignment]
    try:
        ask_once()
    finally:
        compiled_sql.run = run  # type: ignore[assignment]
    return seen


def _rows(answer: Answer) -> list[list[Any]]:
    return answer.result.rows if answer.result is not None else []


def same_rows(answer_rows: list[list[Any]] | None, sql_rows: Sequence[Any]) -> bool:
    """The answer's table and the hand query's rows hold the same values (any order; numbers to 1e-6)."""
    def norm(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        return sorted(tuple(round(float(x), 6) if isinstance(x, int | float) else str(x) for x in r) for r in rows)
    return norm(answer_rows or []) == norm(sql_rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path("/tmp/dealwise-ask-bench/demo.db"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--user", default="admin")
    ap.add_argument("--pair-runs", type=int, default=15, help="interleaved runs per question/SQL pair")
    ap.add_argument("--no-pairs", action="store_true", help="skip the hand-written SQL comparison")
    ap.add_argument("--no-migrate", action="store_true", help="run on the database as it is (already has the indexes)")
    args = ap.parse_args()
    engine = make_engine(f"sqlite:///{args.db}")
    if not args.no_migrate:
        migrate(engine)
    questions = [json.loads(line)["q"] for line in (HERE / "data" / "ask_questions_demo.jsonl").read_text().splitlines()]
    print(f"load average at start {load()}")
    cold = get_settings().model_copy(update={"ask_parse_memo": 0})  # every question parsed
    with Session(engine) as s:
        scope = scope_for(s.scalars(select(User).where(User.username == args.user)).one())
        n_opps = s.execute(text("SELECT COUNT(*) FROM opportunities")).scalar()
        # the first question warms the entity cache and the database pages, as a running server would be
        (cold_wall, cold_cpu), = timed(lambda: ask(s, scope, "成交额", today=TODAY), 1)
        wall: list[float] = []
        cpu: list[float] = []
        slow: list[tuple[float, float, str]] = []
        for q in questions:
            ts = timed(lambda q=q: ask(s, scope, q, today=TODAY, settings=cold), args.rounds)
            wall += [w for w, _c in ts]
            cpu += [c for _w, c in ts]
            slow.append((max(c for _w, c in ts), max(w for w, _c in ts), q))
        ratios = []
        driver = s.connection().connection.driver_connection  # the session's own DBAPI (sqlite3) connection
        for q, sql, params in [] if args.no_pairs else PAIRS:
            raw_params = {k: str(v) for k, v in params.items()}  # what SQLAlchemy's DateTime/Date bind for SQLite
            rows = _rows(ask(s, scope, q, today=TODAY))
            want, got = same_rows(rows, s.execute(text(sql), params).all()), same_rows(rows, _fetch(driver, sql, raw_params))
            if not (want and got):
                raise SystemExit(f"ask and the hand-written SQL disagree: {q}")
            gen = generated_sql(lambda q=q: ask(s, scope, q, today=TODAY))
            a: list[tuple[float, float]] = []
            h: list[tuple[float, float]] = []
            d: list[tuple[float, float]] = []
            g: list[tuple[float, float]] = []
            r: list[tuple[float, float]] = []
            f: list[tuple[float, float]] = []
            parsed = parse(s, scope, q, TODAY)
            assert parsed.plan is not None, q
            for _ in range(args.pair_runs):  # interleaved, so all five see the same load
                a += timed(lambda q=q: ask(s, scope, q, today=TODAY), 1)
                d += timed(lambda sql=sql, p=raw_params: _fetch(driver, sql, p), 1)
                h += timed(lambda sql=sql, params=params: s.execute(text(sql), params).all(), 1)
                g += timed(lambda gen=gen: [_fetch(driver, gs, gp) for gs, gp in gen], 1)
                r += timed(lambda p=parsed: run_plan(s, scope, p.plan, p.language, TODAY), 1)  # type: ignore[arg-type]
                f += timed(lambda q=q: ask(s, scope, q, today=TODAY, settings=cold), 1)
            ac, hc, dc, gc, rc, fc = (statistics.median(c for _w, c in x) for x in (a, h, d, g, r, f))
            aw, dw = (statistics.median(w for w, _c in x) for x in (a, d))
            ratios.append((q, ac, dc, ac / dc, aw / dw, hc, ac / hc, gc / dc, rc / dc, fc / dc))
    print(f"{args.db.name}: {n_opps:,} opportunities, {len(questions)} questions x {args.rounds} rounds as {args.user}")
    print(f"first (cold) question: cpu {cold_cpu * 1000:.0f} ms, wall {cold_wall * 1000:.0f} ms")
    print(f"ask latency, cpu:  p50 {pct(cpu, 0.5) * 1000:.0f} ms, p95 {pct(cpu, 0.95) * 1000:.0f} ms, "
          f"max {max(cpu) * 1000:.0f} ms")
    print(f"ask latency, wall: p50 {pct(wall, 0.5) * 1000:.0f} ms, p95 {pct(wall, 0.95) * 1000:.0f} ms, "
          f"max {max(wall) * 1000:.0f} ms")
    for c, w, q in sorted(slow, reverse=True)[:6]:
        print(f"   slowest: cpu {c * 1000:.0f} ms, wall {w * 1000:.0f} ms  {q}")
    if ratios:
        print(f"vs the same query hand-written in SQL on the session's sqlite3 connection (cursor.execute + fetchall;"
              f" median of {args.pair_runs} interleaved runs, same process; cpu); same rows checked first:")
        for q, ac, dc, rt, rw, hc, rs, gr, _np, fr in ratios:
            print(f"   {rt:5.2f}x  ask {ac * 1000:6.2f} ms  sql {dc * 1000:6.2f} ms  (first ask {fr:4.2f}x; wall ratio {rw:4.2f}x;"
                  f" via session.execute(text()) {hc * 1000:6.2f} ms, {rs:4.2f}x; ask's own SQL alone {gr:4.2f}x)  {q}")
        print("overhead ratio, a repeated question (the parse memo on):")
        print(f"   cpu: median {statistics.median(r[3] for r in ratios):.2f}x, "
              f"max {max(r[3] for r in ratios):.2f}x; wall: median {statistics.median(r[4] for r in ratios):.2f}x, "
              f"max {max(r[4] for r in ratios):.2f}x")
        print(f"overhead ratio, a question asked the first time (every question parsed; cpu): median "
              f"{statistics.median(r[9] for r in ratios):.2f}x, max {max(r[9] for r in ratios):.2f}x")
        print(f"   against session.execute(text(sql)) instead (the baseline before 2026-11-27 15:30): "
              f"median {statistics.median(r[6] for r in ratios):.2f}x, max {max(r[6] for r in ratios):.2f}x")
        print(f"   the SQL ask generated, run alone on the same cursor, vs the hand query: "
              f"median {statistics.median(r[7] for r in ratios):.2f}x, max {max(r[7] for r in ratios):.2f}x")
        print(f"   ask without the parser (run_plan on the parsed plan) vs the hand query: "
              f"median {statistics.median(r[8] for r in ratios):.2f}x, max {max(r[8] for r in ratios):.2f}x")
    print(f"load average at end {load()}")


if __name__ == "__main__":
    main()
