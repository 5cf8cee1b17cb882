"""running the unit: permissions for rules, watchlists, dashboards, delivery, re-processing

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 00:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Snapshot of what firstline.cases.access.DEFAULT_ROLES added in this revision. Granted only to
# roles that still exist: an installation may have removed or renamed some.
GRANTS = {
    "analyst": "rules:view watchlists:view dashboard:view",
    "supervisor": "rules:view watchlists:view dashboard:view rules:manage watchlists:manage "
    "messages:view",
    "administrator": "quarantine:reprocess messages:view dashboard:view",
}


def upgrade() -> None:
    bind = op.get_bind()
    existing = {r[0] for r in bind.execute(sa.text("SELECT name FROM roles"))}
    grants = sa.table("role_permissions", sa.column("role"), sa.column("permission"))
    rows = [
        {"role": role, "permission": permission}
        for role, permissions in GRANTS.items()
        if role in existing
        for permission in permissions.split()
    ]
    if rows:
        op.bulk_insert(grants, rows)


def downgrade() -> None:
    for role, permissions in GRANTS.items():
        for permission in permissions.split():
            op.execute(
                sa.text(
                    "DELETE FROM role_permissions WHERE role = :role AND permission = :p"
                ).bindparams(role=role, p=permission)
            )
