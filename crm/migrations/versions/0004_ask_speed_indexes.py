"""covering indexes for Ask Dealwise at scale (closed deals, activities by time); refresh planner statistics

Closed-deal metrics (bookings, win rate, deal counts, sizes and cycles by rep, source, product line, account,
with or without a period) read only this index instead of the table; activity counts over a period read
`(occurred_at, type, owner_id)`. ANALYZE gives SQLite's planner statistics for the new indexes (and for
those of 0002 on databases seeded before it); without them it prefers unselective indexes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 13:10:00
"""
from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

CLOSED_COVER = ['status', 'closed_at', 'owner_id', 'source', 'product_line', 'account_id', 'amount', 'created_at']


def upgrade() -> None:
    op.create_index('ix_opportunities_closed_cover', 'opportunities', CLOSED_COVER)
    op.create_index('ix_activities_time_type_owner', 'activities', ['occurred_at', 'type', 'owner_id'])
    op.execute('ANALYZE opportunities')
    op.execute('ANALYZE activities')


def downgrade() -> None:
    op.drop_index('ix_activities_time_type_owner', table_name='activities')
    op.drop_index('ix_opportunities_closed_cover', table_name='opportunities')
