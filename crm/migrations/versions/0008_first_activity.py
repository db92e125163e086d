"""opportunities.first_activity_at: the time of a deal's first activity, kept by triggers on activities

The follow-up response time (days from a deal's creation to its first activity) grouped all 4.7M activities by
deal on every question over all history: 2.5-3.2 s at 1M deals. A CRM keeps such a date on the record itself;
here triggers on activities keep it right on every write path (ORM, importers, raw SQL):
- insert: the new time if it is earlier (the opportunity row is written, and on PostgreSQL locked, only then);
- delete, or an update of opportunity_id or occurred_at: the old deal's minimum is recomputed when the old row
  was its first one (one seek on ix_activities_opp_time), then the new row counts as an insert.
The column is not among the columns the scoring rollup triggers watch, so setting it marks nothing dirty.
The upgrade backfills the column from activities and indexes (owner_id, first_activity_at, created_at), so the
metric over all history reads one index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 02:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEX = 'ix_opportunities_first_activity'
SET_EARLIER = ("UPDATE opportunities SET first_activity_at = NEW.occurred_at WHERE id = NEW.opportunity_id "
               "AND (first_activity_at IS NULL OR first_activity_at > NEW.occurred_at)")
RECOMPUTE = ("UPDATE opportunities SET first_activity_at = (SELECT min(a.occurred_at) FROM activities a "
             "WHERE a.opportunity_id = OLD.opportunity_id) WHERE id = OLD.opportunity_id "
             "AND first_activity_at = OLD.occurred_at")


def _sqlite_triggers() -> list[str]:
    return [
        "CREATE TRIGGER trg_activities_first_ins AFTER INSERT ON activities "
        f"WHEN NEW.opportunity_id IS NOT NULL BEGIN {SET_EARLIER}; END",
        "CREATE TRIGGER trg_activities_first_del AFTER DELETE ON activities "
        f"WHEN OLD.opportunity_id IS NOT NULL BEGIN {RECOMPUTE}; END",
        "CREATE TRIGGER trg_activities_first_upd AFTER UPDATE OF opportunity_id, occurred_at ON activities "
        f"BEGIN {RECOMPUTE}; {SET_EARLIER}; END",
    ]


def _pg_triggers() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION activities_first_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.opportunity_id IS NOT NULL THEN {RECOMPUTE}; END IF;
  IF TG_OP <> 'DELETE' AND NEW.opportunity_id IS NOT NULL THEN {SET_EARLIER}; END IF;
  RETURN NULL;
END $$""",
        "CREATE TRIGGER trg_activities_first_at AFTER INSERT OR DELETE OR UPDATE OF opportunity_id, occurred_at "
        "ON activities FOR EACH ROW EXECUTE FUNCTION activities_first_at()",
    ]


def upgrade() -> None:
    op.add_column('opportunities', sa.Column('first_activity_at', sa.DateTime(), nullable=True))
    pg = op.get_bind().dialect.name == 'postgresql'
    op.execute("UPDATE opportunities SET first_activity_at = f.first_at FROM (SELECT opportunity_id, "
               "min(occurred_at) AS first_at FROM activities WHERE opportunity_id IS NOT NULL "
               "GROUP BY opportunity_id) AS f WHERE f.opportunity_id = opportunities.id")
    for ddl in _pg_triggers() if pg else _sqlite_triggers():
        op.execute(ddl)
    op.create_index(INDEX, 'opportunities', ['owner_id', 'first_activity_at', 'created_at'])
    if not pg:
        op.execute('ANALYZE opportunities')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS trg_activities_first_at ON activities")
        op.execute("DROP FUNCTION IF EXISTS activities_first_at()")
    else:
        for kind in ('ins', 'del', 'upd'):
            op.execute(f"DROP TRIGGER IF EXISTS trg_activities_first_{kind}")
    op.drop_index(INDEX, table_name='opportunities')
    # plain ALTER (SQLite >= 3.35): a batch copy of the table would break the triggers that name it
    op.execute('ALTER TABLE opportunities DROP COLUMN first_activity_at')
