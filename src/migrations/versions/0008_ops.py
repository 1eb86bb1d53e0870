"""Operations and web-side trust: scheduler heartbeats, the client address of failed logins, SSO subjects.

Revision ID: 0008_ops
Revises: 0007_sagsansvarlig
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0008_ops"
down_revision = "0007_sagsansvarlig"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_heartbeats",
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker"),
    )
    op.create_index("ix_scheduler_heartbeats_at", "scheduler_heartbeats", ["at"], unique=False)
    op.add_column("login_attempts", sa.Column("client", sa.String(length=64), nullable=True))
    op.create_index("ix_login_attempts_client", "login_attempts", ["client", "at"], unique=False)
    op.add_column("users", sa.Column("sso_subject", sa.String(length=300), nullable=True))
    op.create_index("ix_users_sso_subject", "users", ["sso_subject"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_sso_subject", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("sso_subject")
    op.drop_index("ix_login_attempts_client", table_name="login_attempts")
    with op.batch_alter_table("login_attempts") as batch:
        batch.drop_column("client")
    op.drop_index("ix_scheduler_heartbeats_at", table_name="scheduler_heartbeats")
    op.drop_table("scheduler_heartbeats")
