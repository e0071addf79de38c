"""A counter's serial display port, call box port and call box account

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counters") as batch_op:
        batch_op.add_column(sa.Column("display_port", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("call_box_port", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("call_box_staff", sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch_op:
        batch_op.drop_column("call_box_staff")
        batch_op.drop_column("call_box_port")
        batch_op.drop_column("display_port")
