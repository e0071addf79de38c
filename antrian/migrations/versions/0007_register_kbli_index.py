"""The register's KBLI filter pages along (kbli, issued_on, id) instead of sorting its matches

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_register_entries_kbli", table_name="register_entries")
    op.create_index("ix_register_kbli_issued", "register_entries", ["kbli", "issued_on", "id"])


def downgrade() -> None:
    op.drop_index("ix_register_kbli_issued", table_name="register_entries")
    op.create_index("ix_register_entries_kbli", "register_entries", ["kbli"])
