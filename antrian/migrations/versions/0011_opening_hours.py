"""Office hours per weekday, closed days, a daily quota per service

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# antrian/queue/opening.py DEFAULT_HOURS: Monday-Thursday 08:00-15:00, Friday 08:00-15:30.
DEFAULT_HOURS = [(day, "08:00", "15:00") for day in range(4)] + [(4, "08:00", "15:30")]


def upgrade() -> None:
    hours = op.create_table(
        "office_hours",
        sa.Column("weekday", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("opens", sa.String(length=5), nullable=False),
        sa.Column("closes", sa.String(length=5), nullable=False),
    )
    op.create_table(
        "closed_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("reason", sa.String(length=120), nullable=False),
    )
    with op.batch_alter_table("services") as batch_op:
        batch_op.add_column(sa.Column("daily_quota", sa.Integer(), nullable=True))
    op.bulk_insert(
        hours, [{"weekday": d, "opens": opens, "closes": closes} for d, opens, closes in DEFAULT_HOURS]
    )


def downgrade() -> None:
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("daily_quota")
    op.drop_table("closed_days")
    op.drop_table("office_hours")
