"""`opportunities.first_activity_at` (kept by triggers, migration 0008) equals the earliest activity of each deal
after the seed and after random mixes of inserts, deletes and updates (ORM and bulk SQL), on both backends."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from crm.models import Activity, Opportunity


def mismatches(s: Session) -> list[tuple[int, object, object]]:
    firsts = dict(s.execute(select(Activity.opportunity_id, func.min(Activity.occurred_at))
                            .where(Activity.opportunity_id.is_not(None)).group_by(Activity.opportunity_id)).all())
    kept = s.execute(select(Opportunity.id, Opportunity.first_activity_at)).all()
    return [(i, at, firsts.get(i)) for i, at in kept if at != firsts.get(i)]


def test_the_seed_leaves_every_deal_with_its_first_activity(demo_engine: Engine) -> None:
    with Session(demo_engine) as s:
        assert s.scalar(select(func.count()).where(Opportunity.first_activity_at.is_not(None))) > 0
        assert mismatches(s) == []


def test_random_writes_keep_it_equal_to_a_recount(demo_engine: Engine) -> None:
    rng = random.Random(11)
    with Session(demo_engine) as s:
        opps = list(s.scalars(select(Opportunity.id).order_by(Opportunity.id).limit(40)))
        owner = s.scalar(select(Opportunity.owner_id).where(Opportunity.id == opps[0]))
        t0 = s.scalar(select(func.min(Activity.occurred_at)))
        assert t0 is not None and owner is not None
        for step in range(120):
            ids = list(s.scalars(select(Activity.id).where(Activity.opportunity_id.in_(opps))))
            kind = rng.choice(["orm_insert", "sql_insert", "delete", "move", "retime", "retime", "detach"])
            at = t0 + timedelta(days=rng.randint(-30, 400), minutes=rng.randint(0, 999))
            opp = rng.choice(opps)
            if kind == "orm_insert":
                s.add(Activity(type="call", opportunity_id=opp, owner_id=owner, occurred_at=at, summary="x"))
            elif kind == "sql_insert":
                s.execute(insert(Activity).values(type="visit", opportunity_id=opp, owner_id=owner, occurred_at=at,
                                                  summary="y", participants=[], created_at=at))
            elif not ids:
                continue
            elif kind == "delete":
                s.execute(delete(Activity).where(Activity.id == rng.choice(ids)))
            elif kind == "move":
                s.execute(update(Activity).where(Activity.id == rng.choice(ids)).values(opportunity_id=opp))
            elif kind == "retime":
                s.execute(update(Activity).where(Activity.id == rng.choice(ids)).values(occurred_at=at))
            else:
                s.execute(update(Activity).where(Activity.id == rng.choice(ids)).values(opportunity_id=None))
            s.flush()
            if step % 20 == 19:
                assert mismatches(s) == [], step
        # a deal whose every activity is deleted has no first activity
        s.execute(delete(Activity).where(Activity.opportunity_id == opps[0]))
        assert s.scalar(select(Opportunity.first_activity_at).where(Opportunity.id == opps[0])) is None
        s.commit()
        assert mismatches(s) == []
