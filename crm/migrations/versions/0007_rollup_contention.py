"""rollups: an opportunity update touches its account's and rep's rollup rows only when its contribution can change

On PostgreSQL, 0006's trigger function ran the remove-old/add-new upserts on the account and rep rollup rows on
every update of the listed opportunity columns. Each upsert locks its row until commit, so two amount or stage
edits of different open deals of one rep waited for each other, and edits of several deals in opposite rep order
deadlocked. `scoring_rollup_opportunity()` now runs them on UPDATE only when status, whether closed_at is null,
account_id, owner_id, or (for a won deal) amount differ; the dirty marks, INSERT and DELETE are unchanged.
SQLite: nothing to do (one writer at a time, so no lock contention; its 0006 triggers stay as they are).
The downgrade restores 0006's function body, rebuilt here from a copy of 0006's text (no application imports).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 18:10:00
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# 0006's dirty mark: DO UPDATE (not DO NOTHING) locks the dirty row, so a refresh that deletes it waits for this commit
MARK = ("INSERT INTO scoring_rollup_dirty (opportunity_id) VALUES ({r}.id) ON CONFLICT (opportunity_id) "
        "DO UPDATE SET opportunity_id = excluded.opportunity_id")
# what decides a deal's closed-deal contribution (won, lost, won_amount of its account and rep); for the same
# status and closed-ness, OLD is won exactly when NEW is, so NEW's status alone says whether amount counts
CONTRIBUTION_CHANGES = ("OLD.status IS DISTINCT FROM NEW.status OR (OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL) "
                        "OR OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.owner_id IS DISTINCT FROM NEW.owner_id "
                        "OR (NEW.status IS NOT DISTINCT FROM 'won' AND OLD.amount IS DISTINCT FROM NEW.amount)")


def _won(r: str) -> str:
    return f"CASE WHEN {r}.status = 'won' AND {r}.closed_at IS NOT NULL THEN 1 ELSE 0 END"


def _lost(r: str) -> str:
    return f"CASE WHEN {r}.status = 'lost' AND {r}.closed_at IS NOT NULL THEN 1 ELSE 0 END"


def _won_amount(r: str) -> str:
    return f"CASE WHEN {r}.status = 'won' AND {r}.closed_at IS NOT NULL THEN COALESCE({r}.amount, 0) ELSE 0 END"


def _add(r: str, sign: str) -> str:
    """0006's upserts adding (sign '') or removing (sign '-') row r's closed-deal contribution (PostgreSQL)."""
    return '; '.join([
        f"INSERT INTO scoring_account_rollups AS a (account_id, won, lost, won_amount) VALUES ({r}.account_id, "
        f"{sign}({_won(r)}), {sign}({_lost(r)}), {sign}({_won_amount(r)})) ON CONFLICT (account_id) DO UPDATE SET "
        f"won = a.won + excluded.won, lost = a.lost + excluded.lost, "
        f"won_amount = a.won_amount + excluded.won_amount",
        f"INSERT INTO scoring_rep_rollups AS p (owner_id, won, lost) VALUES ({r}.owner_id, {sign}({_won(r)}), "
        f"{sign}({_lost(r)})) ON CONFLICT (owner_id) DO UPDATE SET won = p.won + excluded.won, "
        f"lost = p.lost + excluded.lost",
    ])


def _function(body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION scoring_rollup_opportunity() RETURNS trigger LANGUAGE plpgsql AS $$
{body}
END $$"""


# 0006's function, character for character
OPP_0006 = _function(f"""BEGIN
  IF TG_OP <> 'INSERT' THEN {MARK.format(r='OLD')}; {_add('OLD', '-')}; END IF;
  IF TG_OP <> 'DELETE' THEN {MARK.format(r='NEW')}; {_add('NEW', '')}; END IF;
  RETURN NULL;""")
# the same statements in the same order; on UPDATE the rollup upserts only when the contribution can change
OPP_0007 = _function(f"""DECLARE
  counts boolean := true;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    counts := {CONTRIBUTION_CHANGES};
  END IF;
  IF TG_OP <> 'INSERT' THEN
    {MARK.format(r='OLD')};
    IF counts THEN {_add('OLD', '-')}; END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    {MARK.format(r='NEW')};
    IF counts THEN {_add('NEW', '')}; END IF;
  END IF;
  RETURN NULL;""")


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(OPP_0007)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(OPP_0006)
