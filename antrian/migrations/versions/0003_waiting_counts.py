"""Tickets waiting per service and day, kept on the daily counter row

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daily_counters") as batch_op:
        batch_op.add_column(
            sa.Column("waiting_priority", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("waiting_ordinary", sa.Integer(), nullable=False, server_default="0")
        )
    # A queue can hold tickets of a day on which its service issued none (transfers in).
    op.execute(
        """
        INSERT INTO daily_counters (service_id, service_day, last_number)
        SELECT DISTINCT t.service_id, t.service_day, 0 FROM tickets t
        WHERE t.status = 'waiting' AND NOT EXISTS (
            SELECT 1 FROM daily_counters d
            WHERE d.service_id = t.service_id AND d.service_day = t.service_day
        )
        """
    )
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


def downgrade() -> None:
    with op.batch_alter_table("daily_counters") as batch_op:
        batch_op.drop_column("waiting_ordinary")
        batch_op.drop_column("waiting_priority")
