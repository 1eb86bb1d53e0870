"""The typed afgørelse keeps why it deviates from the kvalitetsstandard.

- ``afgoerelser.afvigelse_grunde``: what Sagsflow found against the catalogue (serviceniveau above the
  suggestion, age outside the ydelse's conditions, ...), as it was when the decision was made.
- ``afgoerelser.afvigelse_begrundelse``: the caseworker's reason for deviating, which the faglig konsulent
  approved.

Revision ID: 0015_afvigelse_record
Revises: 0014_letter_copies
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_afvigelse_record"
down_revision = "0014_letter_copies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("afgoerelser") as batch:
        batch.add_column(sa.Column("afvigelse_grunde", sa.Text(), nullable=True))
        batch.add_column(sa.Column("afvigelse_begrundelse", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("afgoerelser") as batch:
        batch.drop_column("afvigelse_begrundelse")
        batch.drop_column("afvigelse_grunde")
