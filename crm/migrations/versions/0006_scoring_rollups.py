"""rollups for live scoring: per-deal aggregates (marked dirty by triggers), per-account and per-rep closed counts

Live scoring of every open deal aggregated all history (4.7M activities, every closed deal of the accounts and
reps) on each run. These tables hold the aggregates; triggers on activities, tasks, stage history and
opportunities keep them right on every write path:
- scoring_account_rollups / scoring_rep_rollups: won, lost (and won amount) of closed deals, updated in place;
- scoring_rollup_dirty: the deals whose rows (or their own, account's or region's fields) changed;
  `crm.rollups.refresh` recomputes their scoring_deal_rollups row set-based (one row per open deal with
  everything live scoring reads). Dirty deals are scored from history until then.
The upgrade backfills the account and rep rollups and marks every open deal dirty; `crm.db.migrate` then
runs `refresh`, which computes their rows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 15:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# what a child table's row means to its deal's rollup: (table, columns whose update matters)
CHILDREN = {
    'activities': 'opportunity_id, type, occurred_at',
    'tasks': 'opportunity_id, status, created_at, completed_at',
    'opportunity_stage_history': 'opportunity_id, to_stage, changed_at, amount, expected_close',
}
OPP_COLUMNS = ('status, closed_at, amount, account_id, owner_id, stage, expected_close, created_at, '
               'budget_confirmed_at, decision_maker_engaged_at, product_line, source')
# the open deals whose rollup copies an account's or a region's fields
ACCOUNT_DEALS = "SELECT id FROM opportunities WHERE account_id = NEW.id AND status = 'open'"
REGION_DEALS = ("SELECT o.id FROM opportunities o JOIN accounts a ON a.id = o.account_id "
                "WHERE a.region_id = NEW.id AND o.status = 'open'")


def _won(r: str) -> str:
    return f"CASE WHEN {r}.status = 'won' AND {r}.closed_at IS NOT NULL THEN 1 ELSE 0 END"


def _lost(r: str) -> str:
    return f"CASE WHEN {r}.status = 'lost' AND {r}.closed_at IS NOT NULL THEN 1 ELSE 0 END"


def _won_amount(r: str) -> str:
    return f"CASE WHEN {r}.status = 'won' AND {r}.closed_at IS NOT NULL THEN COALESCE({r}.amount, 0) ELSE 0 END"


def _add(r: str, sign: str, pg: bool) -> list[str]:
    """Upserts adding (sign '') or removing (sign '-') row r's closed-deal contribution."""
    acc, rep = ('a.', 'p.') if pg else ('', '')
    alias_a, alias_p = (' AS a', ' AS p') if pg else ('', '')
    return [
        f"INSERT INTO scoring_account_rollups{alias_a} (account_id, won, lost, won_amount) VALUES ({r}.account_id, "
        f"{sign}({_won(r)}), {sign}({_lost(r)}), {sign}({_won_amount(r)})) ON CONFLICT (account_id) DO UPDATE SET "
        f"won = {acc}won + excluded.won, lost = {acc}lost + excluded.lost, "
        f"won_amount = {acc}won_amount + excluded.won_amount",
        f"INSERT INTO scoring_rep_rollups{alias_p} (owner_id, won, lost) VALUES ({r}.owner_id, {sign}({_won(r)}), "
        f"{sign}({_lost(r)})) ON CONFLICT (owner_id) DO UPDATE SET won = {rep}won + excluded.won, "
        f"lost = {rep}lost + excluded.lost",
    ]


def _sqlite_triggers() -> list[str]:
    mark = "INSERT OR IGNORE INTO scoring_rollup_dirty (opportunity_id) SELECT {r}.{c} WHERE {r}.{c} IS NOT NULL"
    out = []
    for table, cols in CHILDREN.items():
        m_new, m_old = mark.format(r='NEW', c='opportunity_id'), mark.format(r='OLD', c='opportunity_id')
        out += [
            f"CREATE TRIGGER trg_{table}_rollup_ins AFTER INSERT ON {table} BEGIN {m_new}; END",
            f"CREATE TRIGGER trg_{table}_rollup_del AFTER DELETE ON {table} BEGIN {m_old}; END",
            f"CREATE TRIGGER trg_{table}_rollup_upd AFTER UPDATE OF {cols} ON {table} BEGIN {m_new}; {m_old}; END",
        ]
    m_new, m_old = mark.format(r='NEW', c='id'), mark.format(r='OLD', c='id')
    add_new, rm_old = '; '.join(_add('NEW', '', False)), '; '.join(_add('OLD', '-', False))
    out += [
        f"CREATE TRIGGER trg_opportunities_rollup_ins AFTER INSERT ON opportunities BEGIN {m_new}; {add_new}; END",
        f"CREATE TRIGGER trg_opportunities_rollup_del AFTER DELETE ON opportunities BEGIN {m_old}; {rm_old}; END",
        f"CREATE TRIGGER trg_opportunities_rollup_upd AFTER UPDATE OF {OPP_COLUMNS} ON opportunities "
        f"BEGIN {m_new}; {m_old}; {rm_old}; {add_new}; END",
        "CREATE TRIGGER trg_accounts_rollup_upd AFTER UPDATE OF industry, size, region_id ON accounts "
        f"BEGIN INSERT OR IGNORE INTO scoring_rollup_dirty (opportunity_id) {ACCOUNT_DEALS}; END",
        "CREATE TRIGGER trg_regions_rollup_upd AFTER UPDATE OF name ON regions "
        f"BEGIN INSERT OR IGNORE INTO scoring_rollup_dirty (opportunity_id) {REGION_DEALS}; END",
    ]
    return out


def _pg_triggers() -> list[str]:
    # DO UPDATE (not DO NOTHING) locks the dirty row, so a refresh that deletes it waits for this commit
    mark = ("INSERT INTO scoring_rollup_dirty (opportunity_id) VALUES ({r}.{c}) ON CONFLICT (opportunity_id) "
            "DO UPDATE SET opportunity_id = excluded.opportunity_id")
    child = f"""CREATE OR REPLACE FUNCTION scoring_rollup_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' AND NEW.opportunity_id IS NOT NULL THEN {mark.format(r='NEW', c='opportunity_id')}; END IF;
  IF TG_OP <> 'INSERT' AND OLD.opportunity_id IS NOT NULL THEN {mark.format(r='OLD', c='opportunity_id')}; END IF;
  RETURN NULL;
END $$"""
    opp = f"""CREATE OR REPLACE FUNCTION scoring_rollup_opportunity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN {mark.format(r='OLD', c='id')}; {'; '.join(_add('OLD', '-', True))}; END IF;
  IF TG_OP <> 'DELETE' THEN {mark.format(r='NEW', c='id')}; {'; '.join(_add('NEW', '', True))}; END IF;
  RETURN NULL;
END $$"""
    out = [child, opp]
    for name, deals in (('account', ACCOUNT_DEALS), ('region', REGION_DEALS)):
        out.append(f"""CREATE OR REPLACE FUNCTION scoring_rollup_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO scoring_rollup_dirty (opportunity_id) {deals}
    ON CONFLICT (opportunity_id) DO UPDATE SET opportunity_id = excluded.opportunity_id;
  RETURN NULL;
END $$""")
    for table, cols in CHILDREN.items():
        out.append(f"CREATE TRIGGER trg_{table}_rollup AFTER INSERT OR DELETE OR UPDATE OF {cols} ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION scoring_rollup_mark()")
    out.append(f"CREATE TRIGGER trg_opportunities_rollup AFTER INSERT OR DELETE OR UPDATE OF {OPP_COLUMNS} "
               "ON opportunities FOR EACH ROW EXECUTE FUNCTION scoring_rollup_opportunity()")
    out.append("CREATE TRIGGER trg_accounts_rollup AFTER UPDATE OF industry, size, region_id ON accounts "
               "FOR EACH ROW EXECUTE FUNCTION scoring_rollup_account()")
    out.append("CREATE TRIGGER trg_regions_rollup AFTER UPDATE OF name ON regions "
               "FOR EACH ROW EXECUTE FUNCTION scoring_rollup_region()")
    return out


def upgrade() -> None:
    big, money = sa.BigInteger(), sa.Numeric(precision=16, scale=2, asdecimal=False)
    op.create_table(
        'scoring_deal_rollups',
        sa.Column('opportunity_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('amount', money, nullable=False),
        *[sa.Column(f'{name}_label', sa.Integer(), nullable=True)
          for name in ('stage', 'industry', 'product_line', 'source', 'account_size', 'region')],
        sa.Column('expected_close_us', big, nullable=True),
        sa.Column('created_us', big, nullable=False),
        sa.Column('budget_confirmed_us', big, nullable=True),
        sa.Column('dm_engaged_us', big, nullable=True),
        sa.Column('activities', sa.Integer(), nullable=False),
        sa.Column('calls', sa.Integer(), nullable=False),
        sa.Column('visits', sa.Integer(), nullable=False),
        sa.Column('activity_last_us', big, nullable=True),
        sa.Column('tasks_open', sa.Integer(), nullable=False),
        sa.Column('stage_changes', sa.Integer(), nullable=False),
        sa.Column('entered_us', big, nullable=True),
        sa.Column('close_pushes', sa.Integer(), nullable=False),
        sa.Column('first_amount', money, nullable=False),
        sa.Column('max_at_us', big, nullable=False),
        sa.Column('recent_from_us', big, nullable=False),
        sa.Column('recent', sa.Integer(), nullable=False),
        sa.Column('recent_min_us', big, nullable=True),
        sa.PrimaryKeyConstraint('opportunity_id', name=op.f('pk_scoring_deal_rollups')),
    )
    op.create_table(
        'scoring_labels',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_labels')),
        sa.UniqueConstraint('text', name=op.f('uq_scoring_labels_text')),
    )
    op.create_table(
        'scoring_rollup_dirty',
        sa.Column('opportunity_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('opportunity_id', name=op.f('pk_scoring_rollup_dirty')),
    )
    op.create_table(
        'scoring_account_rollups',
        sa.Column('account_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('won', sa.Integer(), nullable=False),
        sa.Column('lost', sa.Integer(), nullable=False),
        sa.Column('won_amount', sa.Numeric(precision=16, scale=2, asdecimal=False), nullable=False),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_scoring_account_rollups')),
    )
    op.create_table(
        'scoring_rep_rollups',
        sa.Column('owner_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('won', sa.Integer(), nullable=False),
        sa.Column('lost', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('owner_id', name=op.f('pk_scoring_rep_rollups')),
    )
    pg = op.get_bind().dialect.name == 'postgresql'
    for ddl in _pg_triggers() if pg else _sqlite_triggers():
        op.execute(ddl)
    o = 'opportunities'
    op.execute(f"INSERT INTO scoring_account_rollups (account_id, won, lost, won_amount) SELECT account_id, "
               f"SUM({_won(o)}), SUM({_lost(o)}), SUM({_won_amount(o)}) FROM opportunities GROUP BY account_id")
    op.execute(f"INSERT INTO scoring_rep_rollups (owner_id, won, lost) SELECT owner_id, SUM({_won(o)}), "
               f"SUM({_lost(o)}) FROM opportunities GROUP BY owner_id")
    # every open deal is marked: its rollup row is derived data, computed by the application's own code
    # (`crm.rollups.refresh`, run by `crm.db.migrate` after the upgrade and by every rescore), so this revision
    # never runs application code that may change after it; until then the deals are scored from history
    op.execute("INSERT INTO scoring_rollup_dirty (opportunity_id) SELECT id FROM opportunities WHERE status = 'open'")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in [*CHILDREN, 'opportunities']:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_rollup ON {table}")
        op.execute("DROP TRIGGER IF EXISTS trg_accounts_rollup ON accounts")
        op.execute("DROP TRIGGER IF EXISTS trg_regions_rollup ON regions")
        for fn in ('mark', 'opportunity', 'account', 'region'):
            op.execute(f"DROP FUNCTION IF EXISTS scoring_rollup_{fn}()")
    else:
        for table in [*CHILDREN, 'opportunities']:
            for kind in ('ins', 'del', 'upd'):
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_rollup_{kind}")
        op.execute("DROP TRIGGER IF EXISTS trg_accounts_rollup_upd")
        op.execute("DROP TRIGGER IF EXISTS trg_regions_rollup_upd")
    for table in ('scoring_rep_rollups', 'scoring_account_rollups', 'scoring_rollup_dirty', 'scoring_labels',
                  'scoring_deal_rollups'):
        op.drop_table(table)
