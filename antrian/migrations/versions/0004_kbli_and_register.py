"""KBLI codes the case form offers, and the Buku Register with its yearly counter

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import json
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    kbli = op.create_table(
        "kbli_codes",
        sa.Column("code", sa.String(5), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_search", sa.String(300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(120), nullable=True),
        sa.Column("changed_dt", sa.DateTime(timezone=True), nullable=True),
    )
    # The list shipped with this release; later additions are the office's own (Kelola KBLI).
    shipped = json.loads(
        resources.files("antrian.cases").joinpath("data", "kbli2020.json").read_text("utf-8")
    )
    op.bulk_insert(
        kbli,
        [
            {"code": r["code"], "title": r["title"], "title_search": r["title"].lower(),
             "active": True}
            for r in shipped["codes"]
        ],
    )
    op.create_table(
        "register_counters",
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("register_number", sa.String(80), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("applicant_name", sa.String(160), nullable=False),
        sa.Column("business_name", sa.String(200), nullable=False),
        sa.Column("kbli", sa.String(5), nullable=False),
        sa.Column("nib", sa.String(13), nullable=False),
        sa.Column("licence_number", sa.String(120), nullable=False),
        sa.Column("officer", sa.String(160), nullable=False),
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("search_text", sa.String(400), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("year", "number", name="uq_register_number"),
    )
    op.create_index("ix_register_issued", "register_entries", ["issued_on", "id"])
    op.create_index("ix_register_entries_case_id", "register_entries", ["case_id"])
    op.create_index("ix_register_entries_kbli", "register_entries", ["kbli"])
    op.create_index("ix_register_entries_nib", "register_entries", ["nib"])


def downgrade() -> None:
    op.drop_table("register_entries")
    op.drop_table("register_counters")
    op.drop_table("kbli_codes")
