"""Roles of the SOP: accounts with the old `staff` role become `front_office`

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Role order as antrian.roles.ROLES keeps it (copied: a migration must not follow later code).
ORDER = ("front_office", "back_office", "technical", "supervisor", "admin")

staff = sa.table("staff", sa.column("id", sa.Integer), sa.column("roles", sa.String))


def _rename(roles: str, old: str, new: str, order: tuple[str, ...]) -> str:
    held = {new if role == old else role for role in roles.split(",") if role}
    return ",".join(role for role in order if role in held)


def _rewrite(old: str, new: str, order: tuple[str, ...]) -> None:
    conn = op.get_bind()
    for row in conn.execute(sa.select(staff.c.id, staff.c.roles)).all():
        roles = _rename(row.roles, old, new, order)
        if roles != row.roles:
            conn.execute(staff.update().where(staff.c.id == row.id).values(roles=roles))


def upgrade() -> None:
    _rewrite("staff", "front_office", ORDER)


def downgrade() -> None:
    # Before 0013 there were only `staff` and `admin`: the other roles have no old name.
    _rewrite("front_office", "staff", ("staff", "admin"))
