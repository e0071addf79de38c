"""Indexes for the cases of a report period and for the open cases

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_opened", "cases", ["opened_dt"])
    op.create_index("ix_cases_status", "cases", ["status"])


def downgrade() -> None:
    op.drop_index("ix_cases_status", table_name="cases")
    op.drop_index("ix_cases_opened", table_name="cases")
