"""Drop the waiting counts (people ahead is an indexed count) and the unread queue_dt

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from antrian.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daily_counters") as batch_op:
        batch_op.drop_column("waiting_ordinary")
        batch_op.drop_column("waiting_priority")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_index("ix_tickets_waiting")
        batch_op.drop_column("queue_dt")


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("queue_dt", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE tickets SET queue_dt = issued_dt")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.alter_column("queue_dt", nullable=False)
        batch_op.create_index(
            "ix_tickets_waiting", ["status", "service_day", "service_id", "queue_dt"]
        )
    with op.batch_alter_table("daily_counters") as batch_op:
        for column in ("waiting_priority", "waiting_ordinary"):
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    for column, condition in (
        ("waiting_priority", "t.priority IS NOT NULL"),
        ("waiting_ordinary", "t.priority IS NULL"),
    ):
        op.execute(
            f"""
            UPDATE daily_counters SET {column} = (
                SELECT count(*) FROM tickets t
                WHERE t.service_id = daily_counters.service_id
                AND t.service_day = daily_counters.service_day
                AND t.status = 'waiting' AND {condition}
            )
            """
        )
