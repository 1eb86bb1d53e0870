"""The kvalitetsstandard as a catalogue: versioned catalogue files (ydelser, leverandører), the
visitationsudvalg's meetings and indstillinger, the § 141 handleplan, bestillinger to leverandører and the
leverandør's status before each opfølgning; a bevilling records its catalogue version and målgruppe.

Revision ID: 0012_catalogue
Revises: 0011_process_owners
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0012_catalogue"
down_revision = "0011_process_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("deployed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("deployed_by", sa.String(length=100), nullable=False),
        sa.UniqueConstraint("key", "version", name="uq_catalogue_version"),
        sa.UniqueConstraint("key", "content_hash", name="uq_catalogue_content"),
    )
    op.create_index("ix_catalogue_versions_key", "catalogue_versions", ["key"])
    with op.batch_alter_table("bevillinger") as batch:
        batch.add_column(sa.Column("katalog_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("maalgruppe", sa.String(length=60), nullable=True))
    op.create_table(
        "visitationsmoeder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("moede_dato", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("moede_dato", name="uq_visitationsmoede_dato"),
    )
    op.create_table(
        "indstillinger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("moede_id", sa.Integer(), sa.ForeignKey("visitationsmoeder.id"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("human_tasks.id"), nullable=True),
        sa.Column("ydelse", sa.String(length=40), nullable=False),
        sa.Column("serviceniveau", sa.String(length=100), nullable=True),
        sa.Column("aarligt_beloeb", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("kommentar", sa.Text(), nullable=True),
    )
    op.create_index("ix_indstillinger_moede_id", "indstillinger", ["moede_id"])
    op.create_index("ix_indstillinger_case_id", "indstillinger", ["case_id"])
    op.create_table(
        "handleplaner",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tilbudt_on", sa.Date(), nullable=False),
        sa.Column("besvaret_on", sa.Date(), nullable=True),
        sa.Column("maal", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.UniqueConstraint("case_id", name="uq_handleplan_case"),
    )
    op.create_table(
        "bestillinger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("bevilling_id", sa.Integer(), sa.ForeignKey("bevillinger.id"), nullable=True),
        sa.Column("leverandoer_id", sa.String(length=60), nullable=False),
        sa.Column("leverandoer_navn", sa.String(length=200), nullable=False),
        sa.Column("ydelse", sa.String(length=40), nullable=False),
        sa.Column("indsats", sa.String(length=500), nullable=False),
        sa.Column("formaal", sa.Text(), nullable=False),
        sa.Column("maal", sa.Text(), nullable=False),
        sa.Column("omfang", sa.String(length=300), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
    )
    op.create_index("ix_bestillinger_case_id", "bestillinger", ["case_id"])
    op.create_table(
        "bestilling_statusser",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bestilling_id", sa.Integer(), sa.ForeignKey("bestillinger.id"), nullable=False),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadlines.id"), nullable=True),
        sa.Column("opfoelgning_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("tekst", sa.Text(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
    )
    op.create_index("ix_bestilling_statusser_bestilling_id", "bestilling_statusser", ["bestilling_id"])


def downgrade() -> None:
    op.drop_index("ix_bestilling_statusser_bestilling_id", table_name="bestilling_statusser")
    op.drop_table("bestilling_statusser")
    op.drop_index("ix_bestillinger_case_id", table_name="bestillinger")
    op.drop_table("bestillinger")
    op.drop_table("handleplaner")
    op.drop_index("ix_indstillinger_case_id", table_name="indstillinger")
    op.drop_index("ix_indstillinger_moede_id", table_name="indstillinger")
    op.drop_table("indstillinger")
    op.drop_table("visitationsmoeder")
    with op.batch_alter_table("bevillinger") as batch:
        batch.drop_column("maalgruppe")
        batch.drop_column("katalog_version")
    op.drop_index("ix_catalogue_versions_key", table_name="catalogue_versions")
    op.drop_table("catalogue_versions")
