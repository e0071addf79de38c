"""Registered kiosk PCs with their own printer; a printer per counter

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosk_devices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("printer_url", sa.String(length=300), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    with op.batch_alter_table("counters") as batch_op:
        batch_op.add_column(sa.Column("printer_url", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch_op:
        batch_op.drop_column("printer_url")
    op.drop_table("kiosk_devices")
