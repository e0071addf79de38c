"""Index for a service's queue of the day (people ahead, next call)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_tickets_queue", "tickets", ["service_day", "service_id", "status", "priority"]
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_queue", table_name="tickets")
