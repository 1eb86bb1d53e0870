"""Letters II: representatives' copies, held letters, address protection.

- ``letters.copy_of_id`` and ``letters.party_id``: a copy to a representative is a letter row of its own
  (its own dispatch record, message id, retries and print batch), made from the original when the
  original is sent; unique per original and representative, so a retry never makes a second copy.
- ``parties.address_protected``: the CPR register's adressebeskyttelse (or the caseworker's entry).

Revision ID: 0014_letter_copies
Revises: 0013_infra
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_letter_copies"
down_revision = "0013_infra"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letters") as batch:
        batch.add_column(sa.Column("copy_of_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_letters_copy_of", "letters", ["copy_of_id"], ["id"])
        batch.create_foreign_key("fk_letters_party", "parties", ["party_id"], ["id"])
        batch.create_unique_constraint("uq_letters_copy_party", ["copy_of_id", "party_id"])
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("address_protected", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("address_protected")
    with op.batch_alter_table("letters") as batch:
        batch.drop_constraint("uq_letters_copy_party", type_="unique")
        batch.drop_constraint("fk_letters_party", type_="foreignkey")
        batch.drop_constraint("fk_letters_copy_of", type_="foreignkey")
        batch.drop_column("party_id")
        batch.drop_column("copy_of_id")
