"""Letters: afgørelsesbreve and genvurderinger as PDFs, with the klagefrist they state.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("klagefrist_ends_on", sa.Date(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_letters_case_id", "letters", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_letters_case_id", table_name="letters")
    op.drop_table("letters")
