"""teams: WeCom group-robot webhook URL and digest cadence (the scheduled team digest)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 12:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('teams') as batch:
        batch.add_column(sa.Column('wecom_webhook_url', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('wecom_digest', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teams') as batch:
        batch.drop_column('wecom_digest')
        batch.drop_column('wecom_webhook_url')
