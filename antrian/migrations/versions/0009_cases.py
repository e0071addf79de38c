"""The IUMK case: cases, their four steps, hand-overs between teams, yearly number rows

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _dt(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("tickets.id"), unique=True),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("team", sa.String(20), nullable=False),
        sa.Column("applicant_name", sa.String(120), nullable=False),
        # Encrypted at rest (antrian/cases/personal_data.py): ciphertext as text.
        sa.Column("nik", sa.Text()),
        sa.Column("phone", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("npwp", sa.Text()),
        sa.Column("legal_form", sa.String(20), nullable=False),
        sa.Column("business_name", sa.String(160), nullable=False),
        sa.Column("business_address", sa.Text(), nullable=False),
        sa.Column("kbli", sa.String(5)),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("receipt_number", sa.String(20), unique=True),
        sa.Column("nib", sa.String(13)),
        sa.Column("opened_by_id", sa.Integer(), sa.ForeignKey("staff.id")),
        _dt("opened_dt", nullable=False),
        _dt("closed_dt"),
        _dt("purged_dt"),
    )
    op.create_table(
        "case_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id")),
        _dt("started_dt", nullable=False),
        _dt("ended_dt"),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.UniqueConstraint("case_id", "step", name="uq_case_step"),
    )
    op.create_index("ix_case_steps_case_id", "case_steps", ["case_id"])
    op.create_table(
        "case_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("team", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id")),
        _dt("assigned_dt", nullable=False),
    )
    op.create_index("ix_case_assignments_case_id", "case_assignments", ["case_id"])
    op.create_table(
        "yearly_counters",
        sa.Column("series", sa.String(20), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("yearly_counters")
    op.drop_table("case_assignments")
    op.drop_table("case_steps")
    op.drop_table("cases")
