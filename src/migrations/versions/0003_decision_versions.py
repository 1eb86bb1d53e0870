"""Versioned DMN decision tables (the kvalitetsstandard's sagsbehandlingsfrister and opfølgningskadence).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("dmn_xml", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("deployed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("deployed_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_key", "content_hash", name="uq_decision_content"),
        sa.UniqueConstraint("decision_key", "version", name="uq_decision_version"),
    )
    op.create_index("ix_decision_versions_decision_key", "decision_versions", ["decision_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_decision_versions_decision_key", table_name="decision_versions")
    op.drop_table("decision_versions")
