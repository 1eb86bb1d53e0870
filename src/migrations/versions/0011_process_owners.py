"""Process owners: documentation models, the version in force and its history (rollbacks).

- ``process_versions.executable``: False for a documentation model (kept, shown, never run);
  every version stored before is executable.
- ``process_instances.called_versions``: the versions of deployed processes a case's running call
  activities run (a call keeps its version while it runs).
- ``version_activations``: which version of a process or decision table new cases use, from when,
  set by whom and why (deploy, redeploy, rollback); append-only like the journal.  Each key's
  newest version is recorded as the one in force.

Revision ID: 0011_process_owners
Revises: 0010_case_record
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0011_process_owners"
down_revision = "0010_case_record"
branch_labels = None
depends_on = None

APPEND_ONLY = ("version_activations",)


def upgrade() -> None:
    with op.batch_alter_table("process_versions") as batch:
        batch.add_column(sa.Column("executable", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("process_instances") as batch:
        batch.add_column(sa.Column("called_versions", sa.JSON(), nullable=True))
    op.create_table(
        "version_activations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("previous_version", sa.Integer(), nullable=True),
        sa.Column("activated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("activated_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
    )
    op.create_index("ix_version_activations_key", "version_activations", ["kind", "key", "id"])
    for kind, table, key in (("process", "process_versions", "process_key"), ("decision", "decision_versions", "decision_key")):
        op.execute(
            'INSERT INTO version_activations (kind, "key", version, version_id, previous_version, activated_at, '
            "activated_by, reason) "
            f"SELECT '{kind}', v.{key}, v.version, v.id, NULL, v.deployed_at, 'system', 'initial' FROM {table} v "
            f"WHERE v.version = (SELECT MAX(w.version) FROM {table} w WHERE w.{key} = v.{key}) ORDER BY v.{key}"
        )
    _append_only(APPEND_ONLY)


def _append_only(tables: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in tables:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sagsflow_append_only()"
            )
    else:
        for table in tables:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
    op.drop_index("ix_version_activations_key", table_name="version_activations")
    op.drop_table("version_activations")
    with op.batch_alter_table("process_instances") as batch:
        batch.drop_column("called_versions")
    with op.batch_alter_table("process_versions") as batch:
        batch.drop_column("executable")
