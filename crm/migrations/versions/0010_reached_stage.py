"""opportunities.reached_order: the furthest stage a deal has entered (not counting lost stages), kept by triggers

The funnel and stage-to-stage conversion count the deals that entered a stage or a later one. That was an IN list
over the stage history (4.5M rows at 1M deals: 0.6-0.9 s per level). Triggers now keep, on the deal, the highest
`stages.order` among the non-lost stages in its history:
- history insert: the new stage's order if it is higher;
- history delete, or an update of to_stage or opportunity_id: the old deal's maximum is recomputed from its history,
  then the new row counts as an insert;
- any change to `stages` (a reordered, renamed, added or removed stage): every deal is recomputed. That is a full
  pass (about a minute at 1M deals); pipeline edits are rare admin actions.
The column is not among the columns the scoring rollup triggers watch. The upgrade backfills it and indexes
(owner_id, reached_order, created_at).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 03:05:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

INDEX = 'ix_opportunities_reached'
ORDER_OF_NEW = "(SELECT s.\"order\" FROM stages s WHERE s.name = NEW.to_stage AND s.kind <> 'lost')"
MAX_OF = ("(SELECT max(s.\"order\") FROM opportunity_stage_history h JOIN stages s ON s.name = h.to_stage "
          "WHERE h.opportunity_id = {opp} AND s.kind <> 'lost')")
RAISE = (f"UPDATE opportunities SET reached_order = {ORDER_OF_NEW} WHERE id = NEW.opportunity_id "
         f"AND {ORDER_OF_NEW} IS NOT NULL AND (reached_order IS NULL OR reached_order < {ORDER_OF_NEW})")
RECOMPUTE = f"UPDATE opportunities SET reached_order = {MAX_OF.format(opp='OLD.opportunity_id')} WHERE id = OLD.opportunity_id"
RECOMPUTE_ALL = f"UPDATE opportunities SET reached_order = {MAX_OF.format(opp='opportunities.id')}"


def _sqlite_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER trg_stage_history_reached_ins AFTER INSERT ON opportunity_stage_history BEGIN {RAISE}; END",
        f"CREATE TRIGGER trg_stage_history_reached_del AFTER DELETE ON opportunity_stage_history BEGIN {RECOMPUTE}; END",
        "CREATE TRIGGER trg_stage_history_reached_upd AFTER UPDATE OF to_stage, opportunity_id ON "
        f"opportunity_stage_history BEGIN {RECOMPUTE}; {RAISE}; END",
        f"CREATE TRIGGER trg_stages_reached_ins AFTER INSERT ON stages BEGIN {RECOMPUTE_ALL}; END",
        f"CREATE TRIGGER trg_stages_reached_del AFTER DELETE ON stages BEGIN {RECOMPUTE_ALL}; END",
        f"CREATE TRIGGER trg_stages_reached_upd AFTER UPDATE OF name, \"order\", kind ON stages BEGIN {RECOMPUTE_ALL}; END",
    ]


def _pg_triggers() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION stage_history_reached() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {RECOMPUTE}; END IF;
  IF TG_OP <> 'DELETE' THEN {RAISE}; END IF;
  RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION stages_reached() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {RECOMPUTE_ALL};
  RETURN NULL;
END $$""",
        "CREATE TRIGGER trg_stage_history_reached AFTER INSERT OR DELETE OR UPDATE OF to_stage, opportunity_id "
        "ON opportunity_stage_history FOR EACH ROW EXECUTE FUNCTION stage_history_reached()",
        "CREATE TRIGGER trg_stages_reached AFTER INSERT OR DELETE OR UPDATE OF name, \"order\", kind ON stages "
        "FOR EACH STATEMENT EXECUTE FUNCTION stages_reached()",
    ]


def upgrade() -> None:
    op.add_column('opportunities', sa.Column('reached_order', sa.Integer(), nullable=True))
    pg = op.get_bind().dialect.name == 'postgresql'
    op.execute("UPDATE opportunities SET reached_order = r.reached FROM (SELECT h.opportunity_id, "
               "max(s.\"order\") AS reached FROM opportunity_stage_history h JOIN stages s ON s.name = h.to_stage "
               "WHERE s.kind <> 'lost' GROUP BY h.opportunity_id) AS r WHERE r.opportunity_id = opportunities.id")
    for ddl in _pg_triggers() if pg else _sqlite_triggers():
        op.execute(ddl)
    op.create_index(INDEX, 'opportunities', ['owner_id', 'reached_order', 'created_at'])
    if not pg:
        op.execute('ANALYZE opportunities')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS trg_stage_history_reached ON opportunity_stage_history")
        op.execute("DROP TRIGGER IF EXISTS trg_stages_reached ON stages")
        op.execute("DROP FUNCTION IF EXISTS stage_history_reached()")
        op.execute("DROP FUNCTION IF EXISTS stages_reached()")
    else:
        for t in ('stage_history_reached_ins', 'stage_history_reached_del', 'stage_history_reached_upd',
                  'stages_reached_ins', 'stages_reached_del', 'stages_reached_upd'):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{t}")
    op.drop_index(INDEX, table_name='opportunities')
    op.execute('ALTER TABLE opportunities DROP COLUMN reached_order')  # plain ALTER: a batch copy breaks triggers
