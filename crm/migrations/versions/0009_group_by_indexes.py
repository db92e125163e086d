"""indexes for grouping won/closed deals by product line or lead source: (dimension, status, owner_id, amount)

Over all history, bookings per product line and the win rate per lead source read the table through the
single-column product_line index (1.0 s at 1M deals) or every closed deal through the wide closed-deal index
plus a sort (1.0 s). These indexes hand SQLite the groups in order with status, owner (a manager's or rep's
scope) and amount inside: 1.0 s → 0.1 s and 0.3 s admin-wide, 0.28 → 0.03 s and 0.56 → 0.08 s for ten reps.
Questions with a period keep using the (status, closed_at, …) index.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 02:10:00
"""
from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_opportunities_line_status': ['product_line', 'status', 'owner_id', 'amount'],
    'ix_opportunities_source_status': ['source', 'status', 'owner_id', 'amount'],
}


def upgrade() -> None:
    for name, cols in INDEXES.items():
        op.create_index(name, 'opportunities', cols)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE opportunities')


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='opportunities')
