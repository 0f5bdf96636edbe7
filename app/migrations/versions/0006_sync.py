"""sync change log

Revision ID: 0006_sync
Revises: 0005_allowance
Create Date: 2026-11-23

Every row that exists when change capture starts is enqueued once, oldest first, so the
first sync file carries the whole centre.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_sync"
down_revision = "0005_allowance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_change",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_change")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sync_change_row", "sync_change", ["entity", "row_id"])
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in sorted(inspector.get_table_names()):
        columns = {c["name"] for c in inspector.get_columns(table)}
        if table == "audit_entry":
            stamp, version = "at", "1"
        elif {"row_version", "updated_at", "updated_by_device"} <= columns:
            stamp, version = "updated_at", "row_version"
        else:
            continue
        bind.execute(sa.text(
            f"INSERT INTO sync_change (entity, row_id, row_version, changed_at) "  # noqa: S608
            f"SELECT :entity, id, {version}, {stamp} FROM {table} ORDER BY {stamp}"),
            {"entity": table})


def downgrade() -> None:
    op.drop_index("ix_sync_change_row", table_name="sync_change")
    op.drop_table("sync_change")
