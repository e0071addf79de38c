"""Staff session versions (logout ends a session on the server) and shared rate counts

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from antrian.models import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "rate_counts",
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("window_dt", UTCDateTime(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_dt"),
    )


def downgrade() -> None:
    op.drop_table("rate_counts")
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("session_version")
