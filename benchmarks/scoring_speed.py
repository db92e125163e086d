"""Scoring speed on a trained workspace: batch opportunities/s and one deal with explanation (p50/p95).

    DEALWISE_DATA_DIR=/tmp/sc/var OMP_WAIT_POLICY=passive \\
        .venv/bin/python benchmarks/scoring_speed.py --database-url sqlite:////tmp/sc/d.db [--deals 200]

Needs an active LightGBM model (`dealwise score train --database-url ... --activate`). CPU time is
`time.process_time()` (all threads of this process); wall time is reported too, but on a shared machine it
mostly measures the load. Batch = features of every open deal (the maintained rollups, migration 0006) + one
predict per booster (+ top factors when explained); nothing is written. The same features read from history
only (the path before 0006) are timed too, in the same process, with their largest difference. Single = `score_opportunity` (scope check, SQL
features, predict with pred_contrib on a 1-row matrix, factors), model cached after the first call.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from datetime import UTC, datetime

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.db import make_engine
from crm.models import Opportunity, User
from crm.scope import scope_for
from crm.settings import get_settings
from scoring import fast, service, store
from scoring.gbm import GBMModel


def _timed(fn, repeat: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    """Best of `repeat` runs: (cpu s, wall s, result)."""
    best_c, best_w, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        best_c, best_w = min(best_c, time.process_time() - c), min(best_w, time.perf_counter() - w)
    return best_c, best_w, out


def _pct(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100)[q - 1] if len(xs) > 1 else xs[0]  # type: ignore[call-overload]


def _batch(s: Session, model: GBMModel, loaded: store.Loaded, now: datetime, args: argparse.Namespace,
           out: dict[str, object]) -> None:
    """Every open deal: SQL features, model-only predict, predict with contributions, top factors."""
    prior = float(loaded.card.params["won_rate"]) if "won_rate" in loaded.card.params else None  # type: ignore[arg-type]
    feats_c, feats_w, lf = _timed(lambda: fast.live_features(s, model.schema, now, prior=prior), args.repeat)
    # the same features from history only (no rollups, as before migration 0006), same process and load
    hist_c, hist_w, lf_h = _timed(lambda: fast.live_features(s, model.schema, now, prior=prior, rollups=False),
                                  1 if args.repeat == 1 else 2)
    assert isinstance(lf_h, fast.LiveFeatures) and isinstance(lf, fast.LiveFeatures)
    out["history_features_cpu_s"] = round(hist_c, 4)
    out["history_features_wall_s"] = round(hist_w, 4)
    assert lf_h.ids == lf.ids
    out["rollup_vs_history"] = {"max_abs_diff": float(np.nanmax(np.abs(lf_h.X - lf.X), initial=0.0)),
                                "nan_mismatches": int((np.isnan(lf_h.X) != np.isnan(lf.X)).sum())}
    assert isinstance(lf, fast.LiveFeatures)
    n = len(lf.ids)
    pred_c, pred_w, _ = _timed(lambda: fast.predict(model, lf.X, contrib=False, num_threads=args.threads),
                               args.repeat)
    expl_c = expl_w = fac_c = fac_w = math.nan
    if not args.no_factors:
        expl_c, expl_w, res = _timed(lambda: fast.predict(model, lf.X, contrib=True, num_threads=args.threads),
                                     args.repeat)
        pts = res[2]  # type: ignore[index]
        fac_c, fac_w, _ = _timed(lambda: fast.top_factors_batch(pts, lf), args.repeat)
    e2e = []  # features + predict together, every repeat: the median beside the best
    for _ in range(max(args.repeat, 3)):
        c = time.process_time()
        fast.predict(model, fast.live_features(s, model.schema, now, prior=prior).X, contrib=False,
                     num_threads=args.threads)
        e2e.append(time.process_time() - c)
    out["batch_end_to_end_opps_per_s_cpu"] = {"best": round(n / min(e2e)), "median": round(n / statistics.median(e2e)),
                                              "worst": round(n / max(e2e)), "runs": len(e2e)}
    out["open_deals"] = n
    out["batch_cpu_s"] = {"features": round(feats_c, 4), "predict": round(pred_c, 4),
                          "predict_contrib": round(expl_c, 4), "factors": round(fac_c, 4)}
    out["batch_wall_s"] = {"features": round(feats_w, 4), "predict": round(pred_w, 4),
                           "predict_contrib": round(expl_w, 4), "factors": round(fac_w, 4)}
    out["batch_opps_per_s_cpu"] = {"probabilities": round(n / (feats_c + pred_c)),
                                   "model_only": round(n / pred_c),
                                   "with_top_factors": round(n / (feats_c + expl_c + fac_c), 1)}
    out["batch_opps_per_s_wall"] = {"probabilities": round(n / (feats_w + pred_w)),
                                    "with_top_factors": round(n / (feats_w + expl_w + fac_w), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--deals", type=int, default=200, help="single-deal calls to time")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="LightGBM threads for the batch predict")
    ap.add_argument("--skip-batch", action="store_true", help="time only the single-deal path")
    ap.add_argument("--no-factors", action="store_true", help="batch: skip pred_contrib and top factors")
    args = ap.parse_args()
    settings = get_settings()
    loaded = service.active_model(settings)
    model = loaded.model
    assert isinstance(model, GBMModel), "the fast path serves LightGBM models"
    now = datetime.now(UTC).replace(tzinfo=None)
    out: dict[str, object] = {"model": loaded.card.version, "boosters": len(model.boosters),
                              "trees": [b.num_trees() for b in model.boosters]}
    engine = make_engine(args.database_url)
    with Session(engine) as s:
        if not args.skip_batch:
            _batch(s, model, loaded, now, args, out)
        admin = s.scalar(select(User).where(User.role == "admin").limit(1))
        assert admin is not None
        scope = scope_for(admin)
        ids = list(s.scalars(select(Opportunity.id).where(Opportunity.status == "open")
                             .order_by(Opportunity.id).limit(args.deals)))
        service.score_opportunity(s, scope, ids[0], settings=settings)  # warm: model load, imports
        cpu, wall = [], []
        for oid in ids:
            c, w = time.process_time(), time.perf_counter()
            service.score_opportunity(s, scope, oid, settings=settings)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        out["single_ms"] = {"n": len(ids), "cpu_p50": round(_pct(cpu, 50), 2), "cpu_p95": round(_pct(cpu, 95), 2),
                            "wall_p50": round(_pct(wall, 50), 2), "wall_p95": round(_pct(wall, 95), 2)}
    out["load_average"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
