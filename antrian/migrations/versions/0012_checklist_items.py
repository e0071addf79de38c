"""The kiosk's requirement checklist as data per service, edited by the admin

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from antrian.catalogue import IUMK_CHECKLIST

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    items = op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "service_id", sa.Integer(), sa.ForeignKey("services.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("label_id", sa.String(length=160), nullable=False),
        sa.Column("label_en", sa.String(length=160), nullable=False),
        sa.Column("missing_id", sa.Text(), nullable=False),
        sa.Column("missing_en", sa.Text(), nullable=False),
        sa.Column("business_only", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.UniqueConstraint("service_id", "key", name="uq_checklist_key"),
    )  # fmt: skip
    # Services that asked for the checklist keep the one they had (it was in the code).
    services = sa.table("services", sa.column("id"), sa.column("needs_checklist"))
    ids = [row[0] for row in op.get_bind().execute(
        sa.select(services.c.id).where(services.c.needs_checklist.is_(True))
    )]  # fmt: skip
    op.bulk_insert(
        items,
        [
            {"service_id": sid, "sort_order": n, "business_only": False, **item}
            for sid in ids
            for n, item in enumerate(IUMK_CHECKLIST)
        ],
    )


def downgrade() -> None:
    op.drop_table("checklist_items")
