"""Foundation benchmark: demo seed time, and p50/p95 of the scoped opportunity list.

    .venv/bin/python -m benchmarks.foundation_seed --opportunities 20000
    .venv/bin/python -m benchmarks.foundation_seed --database-url sqlite:////tmp/dw_bench/1m.db   # existing DB

The list query is timed end to end through the HTTP API (FastAPI TestClient, so no socket), and the
same page hand-written as raw SQL on the same database in the same process is the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from crm.db import make_engine, migrate
from crm.demo.seed import seed_demo
from crm.settings import Settings

ROUNDS = 60


def _pct(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {"p50_ms": round(statistics.median(s) * 1000, 2), "p95_ms": round(s[int(len(s) * 0.95) - 1] * 1000, 2)}


def _time(fn: Any, rounds: int = ROUNDS) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def measure_list(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    app = create_app(Settings(database_url=url, env="test", log_level="WARNING"), engine)
    client = TestClient(app)
    results: dict[str, Any] = {}
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT username, id FROM users WHERE username IN ('liming','wangfang','admin')")).all())
        team = conn.scalar(text("SELECT team_id FROM users WHERE username='wangfang'"))
    raw = {
        "liming": ("SELECT * FROM opportunities WHERE owner_id = :u ORDER BY id DESC LIMIT 50", {"u": ids["liming"]}),
        "wangfang": ("SELECT * FROM opportunities WHERE owner_id IN (SELECT id FROM users WHERE team_id = :t) "
                     "ORDER BY id DESC LIMIT 50", {"t": team}),
        "admin": ("SELECT * FROM opportunities ORDER BY id DESC LIMIT 50", {}),
    }
    health = _time(lambda: client.get("/healthz"))
    results["healthz_baseline"] = _pct(health)  # the HTTP stack alone (TestClient, middleware, routing)
    for user, (sql, params) in raw.items():
        headers = {"Authorization": f"Bearer dw_demo_{user}"}

        def api_call(h: dict[str, str] = headers) -> None:
            resp = client.get("/api/v1/opportunities", params={"limit": 50}, headers=h)
            assert resp.status_code == 200

        def raw_call(q: str = sql, p: dict[str, Any] = params) -> None:
            with engine.connect() as conn:
                conn.execute(text(q), p).fetchall()
                conn.execute(text(f"SELECT count(*) FROM ({q.split(' ORDER BY')[0]})"), p).scalar()

        api, base = _time(api_call), _time(raw_call)
        results[user] = {**_pct(api), "raw_sql": _pct(base),
                         "ratio_p50": round(statistics.median(api) / statistics.median(base), 2)}
    engine.dispose()
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--opportunities", type=int, default=20000)
    ap.add_argument("--database-url", help="measure an existing seeded database instead of seeding one")
    args = ap.parse_args()
    out: dict[str, Any] = {}
    url = args.database_url
    if not url:
        tmp = Path(tempfile.mkdtemp())
        url = f"sqlite:///{tmp / 'bench.db'}"
        engine = make_engine(url)
        migrate(engine)
        cpu = time.process_time()
        result = seed_demo(engine, opportunities=args.opportunities, as_of=datetime(2026, 11, 27, 9))
        out["seed"] = {"opportunities": args.opportunities, "wall_s": result.seconds,
                       "cpu_s": round(time.process_time() - cpu, 2), "counts": result.counts}
        engine.dispose()
    out["list_opportunities"] = measure_list(url)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
