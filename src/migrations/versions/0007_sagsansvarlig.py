"""The sagsansvarlig of every case, and the ledger of who was told about which frist.

Existing cases get the sagsbehandler who registered them (a krisecenter's stays stay undistributed).

Revision ID: 0007_sagsansvarlig
Revises: 0006_system_fields
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0007_sagsansvarlig"
down_revision = "0006_system_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("sagsansvarlig_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_cases_sagsansvarlig", "users", ["sagsansvarlig_id"], ["id"])
        batch.create_index("ix_cases_sagsansvarlig_id", ["sagsansvarlig_id"])
    op.execute(
        "UPDATE cases SET sagsansvarlig_id = opened_by_id WHERE opened_by_id IN "
        "(SELECT user_id FROM user_roles WHERE role = 'sagsbehandler')"
    )
    op.create_table(
        "deadline_notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadlines.id"), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("outbox_key", sa.String(length=200), nullable=True),
        sa.UniqueConstraint("deadline_id", "recipient", "kind", name="uq_deadline_notice"),
    )
    op.create_index("ix_deadline_notices_deadline_id", "deadline_notices", ["deadline_id"])


def downgrade() -> None:
    op.drop_index("ix_deadline_notices_deadline_id", table_name="deadline_notices")
    op.drop_table("deadline_notices")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_sagsansvarlig_id")
        batch.drop_constraint("fk_cases_sagsansvarlig", type_="foreignkey")
        batch.drop_column("sagsansvarlig_id")
