"""On PostgreSQL, the engine state is compressed with lz4 instead of pglz.

Every command and every timer rewrites ``process_instances.state`` (about 30 KB of JSON for a pathway case),
and PostgreSQL compresses a value that large before storing it.  Measured on the bench machine (PostgreSQL 15,
one 30 KB state, UPDATE and COMMIT): 0.60-0.80 ms with pglz, 0.39-0.45 ms with lz4; reading it back is the
same.  Rows keep how they were compressed until they are next written, which a running case's next command
does.  A server built without lz4 keeps pglz; SQLite does not compress.

Revision ID: 0016_state_lz4
Revises: 0015_afvigelse_record
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_state_lz4"
down_revision = "0015_afvigelse_record"
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    found = op.get_bind().execute(
        sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    )
    return bool(found.scalar())


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql" and _lz4_available():
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET COMPRESSION default")
