"""The case record: parties, afgørelser, bevillinger, and letters with their dispatch record.

Existing letters were rendered at the decision and said they went by Digital Post that day: they are
recorded as sent by Digital Post then (``dispatched_at`` = ``created_at``).

Revision ID: 0010_case_record
Revises: 0009_case_file
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0010_case_record"
down_revision = "0009_case_file"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relation", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("digital_post_exempt", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("added_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_parties_case_id", "parties", ["case_id"])
    with op.batch_alter_table("letters") as batch:
        batch.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=True)
        batch.add_column(sa.Column("content", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("state", sa.String(length=20), nullable=False, server_default="sendt"))
        batch.add_column(sa.Column("dispatched_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("letter_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("received_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_error", sa.String(length=500), nullable=True))
        batch.create_index("ix_letters_state", ["state"])
    op.execute(
        "UPDATE letters SET channel = 'digital_post', dispatched_at = created_at, sent_at = created_at "
        "WHERE state = 'sendt'"
    )
    op.create_table(
        "afgoerelser",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("udfald", sa.String(length=20), nullable=False),
        sa.Column("ydelse", sa.String(length=40), nullable=True),
        sa.Column("serviceniveau", sa.String(length=300), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("begrundelse_regler", sa.Text(), nullable=False),
        sa.Column("begrundelse_faktiske_forhold", sa.Text(), nullable=False),
        sa.Column("begrundelse_hovedhensyn", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("partshoering", sa.String(length=20), nullable=False),
        sa.Column("partshoering_sendt", sa.Date(), nullable=True),
        sa.Column("partshoering_undtagelse", sa.String(length=200), nullable=True),
        sa.Column("partshoering_begrundelse", sa.Text(), nullable=True),
        sa.Column("afvigelse", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("letter_id", sa.Integer(), sa.ForeignKey("letters.id"), nullable=True),
    )
    op.create_index("ix_afgoerelser_case_id", "afgoerelser", ["case_id"])
    op.create_table(
        "bevillinger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), sa.ForeignKey("afgoerelser.id"), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), sa.ForeignKey("afgoerelser.id"), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), sa.ForeignKey("bevillinger.id"), nullable=True),
        sa.Column("ydelse", sa.String(length=40), nullable=False),
        sa.Column("serviceniveau", sa.String(length=100), nullable=False),
        sa.Column("omfang", sa.String(length=200), nullable=False),
        sa.Column("leverandoer", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("slut", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("egenbetaling", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_bevillinger_case_id", "bevillinger", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_bevillinger_case_id", table_name="bevillinger")
    op.drop_table("bevillinger")
    op.drop_index("ix_afgoerelser_case_id", table_name="afgoerelser")
    op.drop_table("afgoerelser")
    op.execute("DELETE FROM letters WHERE pdf IS NULL")
    with op.batch_alter_table("letters") as batch:
        batch.drop_index("ix_letters_state")
        for column in (
            "last_error",
            "attempts",
            "sent_at",
            "received_on",
            "letter_date",
            "dispatched_at",
            "state",
            "channel",
            "content",
        ):
            batch.drop_column(column)
        batch.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_index("ix_parties_case_id", table_name="parties")
    op.drop_table("parties")
