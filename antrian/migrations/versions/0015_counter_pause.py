"""A counter can be closed for a while (istirahat, salat, rapat)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counters") as batch_op:
        batch_op.add_column(sa.Column("paused_reason", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("paused_dt", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch_op:
        batch_op.drop_column("paused_dt")
        batch_op.drop_column("paused_reason")
