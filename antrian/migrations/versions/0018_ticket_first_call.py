"""A ticket keeps its first call (the reports' waiting time)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch): SQLite adds it in place, without copying the tickets.
    op.add_column("tickets", sa.Column("first_called_dt", sa.DateTime(timezone=True)))
    # The first call of every ticket called so far, from its calls (their index on ticket_id).
    op.execute(
        "UPDATE tickets SET first_called_dt = "
        "(SELECT min(calls.called_dt) FROM calls WHERE calls.ticket_id = tickets.id) "
        "WHERE call_count > 0"
    )


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("first_called_dt")
