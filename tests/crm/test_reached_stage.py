"""`opportunities.reached_order` (kept by triggers, migration 0010) equals the highest order of the non-lost stages
in each deal's history, after the seed, after random history writes (ORM and bulk SQL) and after pipeline edits,
on both backends."""

from __future__ import annotations

import random

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from crm.models import Opportunity, Stage, StageHistory


def mismatches(s: Session) -> list[tuple[int, object, object]]:
    recount = dict(s.execute(select(StageHistory.opportunity_id, func.max(Stage.order))
                             .join(Stage, Stage.name == StageHistory.to_stage).where(Stage.kind != "lost")
                             .group_by(StageHistory.opportunity_id)).all())
    kept = s.execute(select(Opportunity.id, Opportunity.reached_order)).all()
    return [(i, r, recount.get(i)) for i, r in kept if r != recount.get(i)]


def test_the_seed_leaves_every_deal_with_its_furthest_stage(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        assert s.scalar(select(func.count()).where(Opportunity.reached_order.is_not(None))) > 0
        assert mismatches(s) == []


def test_random_history_writes_and_pipeline_edits_keep_it_right(demo_engine: Engine) -> None:
    rng = random.Random(5)
    with Session(demo_engine) as s:
        opps = list(s.scalars(select(Opportunity.id).order_by(Opportunity.id).limit(40)))
        stages = list(s.scalars(select(Stage.name)))
        for step in range(120):
            ids = list(s.scalars(select(StageHistory.id).where(StageHistory.opportunity_id.in_(opps))))
            kind = rng.choice(["orm", "sql", "delete", "move", "restage", "restage"])
            opp, stage = rng.choice(opps), rng.choice(stages)
            if kind == "orm":
                s.add(StageHistory(opportunity_id=opp, from_stage=None, to_stage=stage))
            elif kind == "sql":
                s.execute(insert(StageHistory).values(opportunity_id=opp, to_stage=stage, changed_at=func.now()))
            elif not ids:
                continue
            elif kind == "delete":
                s.execute(delete(StageHistory).where(StageHistory.id == rng.choice(ids)))
            elif kind == "move":
                s.execute(update(StageHistory).where(StageHistory.id == rng.choice(ids)).values(opportunity_id=opp))
            else:
                s.execute(update(StageHistory).where(StageHistory.id == rng.choice(ids)).values(to_stage=stage))
            s.flush()
            if step % 30 == 29:
                assert mismatches(s) == [], step
        # pipeline edits: reorder two stages, mark one lost, add one; every deal follows
        a, b = s.scalars(select(Stage).where(Stage.kind == "open").order_by(Stage.order).limit(2)).all()
        a.order, b.order = b.order, a.order
        s.flush()
        assert mismatches(s) == []
        s.execute(update(Stage).where(Stage.name == a.name).values(kind="lost"))
        s.add(Stage(name="复盘", order=99, kind="open"))
        s.flush()
        assert mismatches(s) == []
        s.execute(delete(StageHistory).where(StageHistory.opportunity_id == opps[0]))
        assert s.scalar(select(Opportunity.reached_order).where(Opportunity.id == opps[0])) is None
        s.commit()
        assert mismatches(s) == []
