"""Infrastructure (issue 20): letters that leave, the citizen's address from CPR, statutory statistics.

- ``letters``: ``message_uuid`` (the stable MeMo message id, fixed when the letter is dated, so a retry
  after a crash is the same message to Digital Post), ``next_attempt_at`` (retry with backoff),
  ``lease_until`` (a scheduler that took the letter owns it until then; a crash frees it), and
  ``print_batch_id`` (the day's physical-post batch the letter was put in).
- ``print_batches``: one PDF per day for the physical post (an address page before each letter).
- ``parties``: where the citizen's address came from (``cpr`` or ``manuel``), a note for the
  caseworker, and when the CPR register was last asked.
- ``statistics_deliveries``: the monthly statistics file per month, produced by the scheduler.

Revision ID: 0013_infra
Revises: 0012_catalogue
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0013_infra"
down_revision = "0012_catalogue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False, unique=True),
        sa.Column("letters", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("letters") as batch:
        batch.add_column(sa.Column("message_uuid", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("lease_until", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("print_batch_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_letters_print_batch", "print_batches", ["print_batch_id"], ["id"])
        batch.create_unique_constraint("uq_letters_message_uuid", ["message_uuid"])
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("address_source", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("address_note", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("looked_up_at", UTCDateTime(), nullable=True))
    op.execute("UPDATE parties SET address_source = 'manuel' WHERE street IS NOT NULL")
    op.create_table(
        "statistics_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("month", sa.String(length=7), nullable=False, unique=True),
        sa.Column("produced_at", UTCDateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("csv", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("statistics_deliveries")
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("looked_up_at")
        batch.drop_column("address_note")
        batch.drop_column("address_source")
    with op.batch_alter_table("letters") as batch:
        batch.drop_constraint("uq_letters_message_uuid", type_="unique")
        batch.drop_constraint("fk_letters_print_batch", type_="foreignkey")
        batch.drop_column("print_batch_id")
        batch.drop_column("lease_until")
        batch.drop_column("next_attempt_at")
        batch.drop_column("message_uuid")
    op.drop_table("print_batches")
