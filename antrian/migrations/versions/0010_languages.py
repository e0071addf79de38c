"""Two languages: the language a ticket was taken in, English service texts

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The default services' English texts (antrian/catalogue.py), for an office seeded before.
ENGLISH = {
    "A": (
        "Help to get your NIB and IUMK through OSS.",
        "Bring a working e-mail address, your ID card (NIK), NPWP, and for a business its deed.",
    ),
    "B": (
        "Create your OSS account (oss.go.id) with an officer.",
        "Bring a working e-mail address, your ID card (NIK) and your phone.",
    ),
    "C": (
        "Questions about licences and permits.",
        "Write your questions down to make the consultation quicker.",
    ),
    "D": ("Tell us about a problem with our service.", "Bring any evidence for your complaint."),
    "E": (
        "Collect your NIB/IUMK or other finished documents.",
        "Bring your document receipt (Tanda Terima Berkas) and your ID card.",
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(
            sa.Column("lang", sa.String(length=5), nullable=False, server_default="id")
        )
    with op.batch_alter_table("services") as batch_op:
        batch_op.add_column(
            sa.Column("description_en", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("prepare_en", sa.Text(), nullable=False, server_default=""))
    services = sa.table(
        "services", sa.column("code"), sa.column("description_en"), sa.column("prepare_en")
    )
    for code, (description, prepare) in ENGLISH.items():
        op.execute(
            services.update()
            .where(services.c.code == code)
            .values(description_en=description, prepare_en=prepare)
        )


def downgrade() -> None:
    with op.batch_alter_table("services") as batch_op:
        batch_op.drop_column("prepare_en")
        batch_op.drop_column("description_en")
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("lang")
