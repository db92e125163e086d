"""What the scoring rollups cost on writes: the same writes with and without the rollup triggers (migration 0006).

    .venv/bin/python benchmarks/scoring_rollup_writes.py --workdir /tmp/rw [--opportunities 20000]

Seeds the demo workspace twice into fresh SQLite files, once as migrated (triggers mark deals, the seed ends
with `crm.rollups.refresh`) and once with the rollup triggers dropped before seeding (what the seed did before
0006: no marks, nothing to refresh). On each it then times, in CPU seconds (`time.process_time`):
10k activity inserts in one statement (as importers do), 1,000 activity inserts each in its own transaction,
1,000 deal closes (status/closed_at updates), and `refresh` of the deals those writes marked.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, select, text, update

from crm.db import make_engine, migrate
from crm.demo.seed import seed_demo
from crm.models import Activity, Opportunity
from crm.rollups import refresh

AS_OF = datetime(2026, 11, 23, 18, 0)


def _cpu(fn) -> float:  # type: ignore[no-untyped-def]
    c = time.process_time()
    fn()
    return round(time.process_time() - c, 3)


def _drop_triggers(engine: Engine) -> None:
    with engine.begin() as conn:
        for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                         "AND name LIKE 'trg_%rollup%'")).all():
            conn.execute(text(f"DROP TRIGGER {name}"))


def _writes(engine: Engine, rng: random.Random) -> dict[str, float]:
    with engine.connect() as conn:
        deals = list(conn.execute(select(Opportunity.id, Opportunity.account_id, Opportunity.owner_id)
                                  .where(Opportunity.status == "open")).all())
    rows = [{"type": rng.choice(["call", "visit", "wechat"]), "opportunity_id": d[0], "account_id": d[1],
             "owner_id": d[2], "occurred_at": AS_OF - timedelta(hours=rng.random() * 48), "participants": [],
             "summary": "x", "created_at": AS_OF} for d in (rng.choice(deals) for _ in range(10_000))]
    out: dict[str, float] = {}

    def bulk() -> None:
        with engine.begin() as conn:
            conn.execute(insert(Activity), rows)

    def singles() -> None:
        for r in rows[:1000]:
            with engine.begin() as conn:
                conn.execute(insert(Activity), [r])

    def closes() -> None:
        with engine.begin() as conn:
            for d in rng.sample(deals, 1000):
                conn.execute(update(Opportunity).where(Opportunity.id == d[0])
                             .values(status="won", stage="赢单", closed_at=AS_OF))

    out["insert_10k_activities_bulk"] = _cpu(bulk)
    out["insert_1k_activities_one_tx_each"] = _cpu(singles)
    out["close_1k_deals"] = _cpu(closes)
    with engine.begin() as conn:
        c = time.process_time()
        out["refresh_marked_deals"] = refresh(conn)
        out["refresh_cpu_s"] = round(time.process_time() - c, 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--opportunities", type=int, default=20_000)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {}
    for label, triggers in (("without_triggers", False), ("with_triggers", True)):
        path = args.workdir / f"{label}.db"
        path.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        if not triggers:
            _drop_triggers(engine)
        seed_cpu = _cpu(lambda engine=engine: seed_demo(engine, opportunities=args.opportunities, as_of=AS_OF))
        result[label] = {"seed_cpu_s": seed_cpu, **_writes(engine, random.Random(0))}
        engine.dispose()
    result["load_average"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
