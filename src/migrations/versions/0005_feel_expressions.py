"""Stored diagrams and decision tables: Python expressions become FEEL.

Revision ID: 0005_feel_expressions
Revises: 0004

From this version on the engine reads FEEL only and no Python evaluator exists (issue 11), so
every stored process version and decision-table version is translated in place by
``migrations.python_to_feel`` (which reads the old text with ``ast.parse`` and never runs it), and
its content hash recomputed.  A version the translator cannot read is left as it was and reported:
its instances then stop with a Danish message naming the element instead of running Python.
Running instances need nothing: their state holds data and timer times, no expressions.
"""

import hashlib
import json
import logging

import sqlalchemy as sa
from alembic import op

from migrations import python_to_feel

revision = "0005_feel_expressions"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _process_hash(bpmn_xml: str, forms: object) -> str:
    # the same identity as engine.diagrams.content_hash at the time of this migration
    return hashlib.sha256(bpmn_xml.encode() + json.dumps(forms, sort_keys=True).encode()).hexdigest()


def upgrade() -> None:
    connection = op.get_bind()
    versions = sa.table(
        "process_versions",
        sa.column("id", sa.Integer),
        sa.column("bpmn_xml", sa.Text),
        sa.column("forms", sa.JSON),
        sa.column("content_hash", sa.String),
    )
    for row in connection.execute(sa.select(versions.c.id, versions.c.bpmn_xml, versions.c.forms)).all():
        try:
            translated = python_to_feel.bpmn(row.bpmn_xml)
        except (python_to_feel.Untranslatable, ValueError) as exc:
            log.warning("Procesversion %s blev ikke oversat til FEEL: %s", row.id, exc)
            continue
        connection.execute(
            versions.update()
            .where(versions.c.id == row.id)
            .values(bpmn_xml=translated, content_hash=_process_hash(translated, row.forms))
        )
    tables = sa.table(
        "decision_versions",
        sa.column("id", sa.Integer),
        sa.column("dmn_xml", sa.Text),
        sa.column("content_hash", sa.String),
    )
    for row in connection.execute(sa.select(tables.c.id, tables.c.dmn_xml)).all():
        try:
            translated = python_to_feel.dmn(row.dmn_xml)
        except (python_to_feel.Untranslatable, ValueError) as exc:
            log.warning("Tabelversion %s blev ikke oversat til FEEL: %s", row.id, exc)
            continue
        digest = hashlib.sha256(translated.encode("utf-8")).hexdigest()
        connection.execute(
            tables.update().where(tables.c.id == row.id).values(dmn_xml=translated, content_hash=digest)
        )


def downgrade() -> None:
    # FEEL cannot be turned back into the Python the old engine evaluated, and should not be.
    pass
