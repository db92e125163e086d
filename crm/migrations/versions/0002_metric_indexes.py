"""indexes for Ask Dealwise metrics (first wins per account, funnel stage reach)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:25:00
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_opportunities_status_account', 'opportunities', ['status', 'account_id', 'closed_at', 'amount'])
    op.create_index('ix_stage_history_to_stage', 'opportunity_stage_history', ['to_stage', 'opportunity_id'])


def downgrade() -> None:
    op.drop_index('ix_stage_history_to_stage', table_name='opportunity_stage_history')
    op.drop_index('ix_opportunities_status_account', table_name='opportunities')
