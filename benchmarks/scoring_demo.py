"""Demo-workspace benchmark: point-in-time model on a time split, calibration, scoring speed.

    .venv/bin/python benchmarks/scoring_demo.py [--db /tmp/dealwise-bench/demo.db] [--cutoff-days 180]

The served model (profile "served": one booster, ≤ 150 rounds, 31 leaves) is evaluated, and the accurate
profile (CSV benchmarks) on the same split for comparison.

Seeds the demo workspace (20,000 deals, as of 2026-11-27 09:00) if the database does not exist yet.
Train: snapshots of deals closed before (as_of − cutoff); test: snapshots of deals closed after it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from crm.db import make_engine, migrate, session_scope
from crm.models import Opportunity, User
from crm.scope import scope_for
from crm.settings import Settings
from scoring import features as F
from scoring import service, store
from scoring.calibration import metrics
from scoring.forecast import backtest
from scoring.service import typed
from scoring.tabular import TrainingData
from scoring.trainer import train

AS_OF = datetime(2026, 11, 27, 9)


def month_starts(start: datetime, end: datetime) -> list[datetime]:
    out, d = [], datetime(start.year, start.month, 1)
    while d < end:
        out.append(d)
        d = datetime(d.year + (d.month == 12), 1 if d.month == 12 else d.month + 1, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "dealwise-bench" / "demo.db")
    ap.add_argument("--cutoff-days", type=int, default=180)
    args = ap.parse_args()
    fresh = not args.db.exists()
    engine = make_engine(f"sqlite:///{args.db}")
    if fresh:
        from crm.demo.seed import seed_demo

        migrate(engine)
        seed_demo(engine, as_of=AS_OF)
    cutoff = AS_OF - timedelta(days=args.cutoff_days)
    out: dict[str, object] = {"cutoff": cutoff.isoformat()}
    with session_scope(engine) as session:
        t = time.perf_counter()
        tables = F.load_tables(session)
        out["load_tables_s"] = round(time.perf_counter() - t, 2)
        train_data, snaps_tr = service.training_data(session, end=cutoff, tables=tables)
        snaps_te = F.training_snapshots(tables, start=cutoff)
        t = time.perf_counter()
        raw_te = F.build(tables, snaps_te)
        feat_s = time.perf_counter() - t
        out["feature_rows_per_s"] = round(len(snaps_te) / feat_s)
        t, c = time.perf_counter(), time.process_time()
        trained = train(train_data, version="bench", target="status", positive="won", name_check=False,
                        choice="lightgbm", profile="served")
        out["train_wall_s"], out["train_cpu_s"] = round(time.perf_counter() - t, 1), round(time.process_time() - c, 1)
        out["served_trees"] = [b.num_trees() for b in trained.model.boosters]  # type: ignore[union-attr]
        X_te = typed(trained.model.schema, raw_te)
        y_te = snaps_te["y"].to_numpy()
        m = metrics(y_te, trained.model.predict_proba(X_te))
        out["train"] = {"deals": int(snaps_tr["opportunity_id"].nunique()), "snapshots": len(snaps_tr)}
        out["test"] = {"deals": int(snaps_te["opportunity_id"].nunique()), "snapshots": len(snaps_te),
                       **{k: round(v, 4) if isinstance(v, float) else v for k, v in m.model_dump().items()}}
        first = ~snaps_te["opportunity_id"].duplicated().to_numpy()
        m0 = metrics(y_te[first], trained.model.predict_proba(X_te[first]))
        out["test_at_creation_auc"] = round(m0.auc or 0, 4)
        # the cost of serving the small model: the accurate profile (CSV benchmarks) on the same split
        t, c = time.perf_counter(), time.process_time()
        accurate = train(train_data, version="big", target="status", positive="won", name_check=False,
                    choice="lightgbm", profile="accurate")
        mb = metrics(y_te, accurate.model.predict_proba(X_te))
        out["accurate_profile"] = {"auc": round(mb.auc or 0, 4), "brier": round(mb.brier, 4), "ece": round(mb.ece, 4),
                                   "trees": [b.num_trees() for b in accurate.model.boosters],  # type: ignore[union-attr]
                                   "train_cpu_s": round(time.process_time() - c, 1),
                                   "train_wall_s": round(time.perf_counter() - t, 1)}
        nb_data = TrainingData(X=train_data.X, y=train_data.y, groups=train_data.groups, ids=train_data.ids,
                               schema=train_data.schema)
        nb = train(nb_data, version="nb", target="status", positive="won", name_check=False, choice="naive_bayes")
        mnb = metrics(y_te, nb.model.predict_proba(X_te))
        out["naive_bayes_test_auc"], out["naive_bayes_test_ece"] = round(mnb.auc or 0, 4), round(mnb.ece, 4)
        out["importances"] = dict(list(trained.card.importances.items())[:8])

        # speed (the live path; benchmarks/scoring_speed.py measures it in detail): one deal, and rescore
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{args.db}")
            reg = store.Registry(settings.data_dir)
            store.save(reg.path("bench"), trained.model, trained.card, trained.y, trained.oof)
            reg.activate("bench")
            opp_ids = list(session.scalars(select(Opportunity.id).where(Opportunity.status == "open").limit(60)))
            admin = session.scalars(select(User).where(User.role == "admin")).first()
            assert admin is not None
            scope = scope_for(admin)
            times = []
            for oid in opp_ids:
                t = time.perf_counter()
                service.score_opportunity(session, scope, oid, settings=settings, as_of=AS_OF)
                times.append((time.perf_counter() - t) * 1000)
            out["single_ms_median"] = round(statistics.median(times[10:]), 1)
            out["single_ms_p90"] = round(sorted(times[10:])[int(0.9 * len(times[10:]))], 1)
            t, c = time.perf_counter(), time.process_time()
            n = service.rescore(session, settings=settings)
            out["rescore_all_open"] = {"deals": n, "wall_s": round(time.perf_counter() - t, 2),
                                       "cpu_s": round(time.process_time() - c, 2)}
            session.rollback()

        # forecast backtest: each whole month after the cutoff, forecast at its first day
        model = trained.model
        starts = month_starts(cutoff + timedelta(days=31), AS_OF)
        res = backtest(tables, lambda raw: model.predict_proba(typed(model.schema, raw)), list(itertools.pairwise(starts)))
        out["backtest"] = [r.model_dump(mode="json") for r in res]
        out["backtest_mean_accuracy"] = round(sum(r.accuracy for r in res) / len(res), 4)
        out["backtest_within_15pct"] = f"{sum(r.accuracy >= 0.85 for r in res)}/{len(res)}"
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
