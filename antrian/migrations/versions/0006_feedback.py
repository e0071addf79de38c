"""Complaints with their yearly counter, and the SKM survey

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_DT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "complaint_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),  # encrypted (EncryptedText)
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("handler_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("received_dt", UTC_DT, nullable=False),
        sa.Column("taken_dt", UTC_DT, nullable=True),
        sa.Column("answered_dt", UTC_DT, nullable=True),
        sa.Column("closed_dt", UTC_DT, nullable=True),
        sa.Column("contact_purged_dt", UTC_DT, nullable=True),
        sa.UniqueConstraint("year", "number", name="uq_complaint_number"),
    )
    op.create_index("ix_complaints_status", "complaints", ["status", "received_dt"])
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        *(sa.Column(f"u{n}", sa.SmallInteger(), nullable=False) for n in range(1, 10)),
        sa.Column("comment", sa.Text(), nullable=True),
        *(
            sa.CheckConstraint(f"u{n} BETWEEN 1 AND 4", name=f"ck_surveys_u{n}")
            for n in range(1, 10)
        ),
    )
    op.create_index("ix_surveys_day", "surveys", ["service_day"])
    op.create_table(
        "surveyed_tickets",
        sa.Column(
            "ticket_id",
            sa.Integer(),
            sa.ForeignKey("tickets.id"),
            primary_key=True,
            autoincrement=False,
        ),
    )


def downgrade() -> None:
    op.drop_table("surveyed_tickets")
    op.drop_index("ix_surveys_day", "surveys")
    op.drop_table("surveys")
    op.drop_index("ix_complaints_status", "complaints")
    op.drop_table("complaints")
    op.drop_table("complaint_counters")
