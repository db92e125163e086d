"""drop ix_opportunities_product_line: ix_opportunities_line_status (0009) starts with the same column

The single-column index on opportunities.product_line is a prefix of (product_line, status, owner_id, amount),
so any lookup or range on product_line can use the wider index; the narrow one only cost a write per insert and
update (and disk: about 20 MB at 1M deals).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 16:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_opportunities_product_line', table_name='opportunities')


def downgrade() -> None:
    op.create_index('ix_opportunities_product_line', 'opportunities', ['product_line'])
