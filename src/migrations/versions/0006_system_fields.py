"""System fields as columns: the case's links, stay start, kvalitetsstandard versions, earlier runs; teams.

Client ``details`` were once mixed with fields the system decides (the case a klage is about, the
klagefrist, a stay's start, the earlier runs of a re-opened case).  They move to columns and tables
the services set; ``details`` keeps only what the client sent.  Teams become data.  The outbox gets
a lease for the mail being sent (no SMTP while a database lock is held).

Revision ID: 0006_system_fields
Revises: 0005_feel_expressions
"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0006_system_fields"
down_revision = "0005_feel_expressions"
branch_labels = None
depends_on = None

SYSTEM_KEYS = (
    "stay_started_on",
    "kvalitetsstandard",
    "parent_case_id",
    "klage_received_on",
    "decision_received_on",
    "klagefrist",
    "klage_rettidig",
    "tidligere_forloeb",
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("stay_started_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("parent_case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("standard_versions", sa.JSON(), nullable=True))
        batch.create_foreign_key("fk_cases_parent_case", "cases", ["parent_case_id"], ["id"])
        batch.create_index("ix_cases_parent_case_id", ["parent_case_id"])
    op.create_table(
        "klager",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("parent_case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("decision_received_on", sa.Date(), nullable=False),
        sa.Column("klagefrist", UTCDateTime(timezone=True), nullable=False),
        sa.Column("in_time", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_klager_parent_case_id", "klager", ["parent_case_id"])
    op.create_table(
        "case_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("process_instances.id"), nullable=False),
        sa.Column("ended_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=True),
    )
    op.create_index("ix_case_runs_case_id", "case_runs", ["case_id"])
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False, unique=True),
        sa.Column("mailbox_email", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True))
    _move_system_fields()
    _teams_from_users_and_cases()


def _move_system_fields() -> None:
    bind = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("details", sa.JSON),
        sa.column("stay_started_on", sa.Date),
        sa.column("parent_case_id", sa.Integer),
        sa.column("standard_versions", sa.JSON),
    )
    klager = sa.table(
        "klager",
        sa.column("case_id", sa.Integer),
        sa.column("parent_case_id", sa.Integer),
        sa.column("received_on", sa.Date),
        sa.column("decision_received_on", sa.Date),
        sa.column("klagefrist", UTCDateTime(timezone=True)),
        sa.column("in_time", sa.Boolean),
    )
    runs = sa.table(
        "case_runs",
        sa.column("case_id", sa.Integer),
        sa.column("instance_id", sa.Integer),
        sa.column("ended_at", UTCDateTime(timezone=True)),
        sa.column("reason", sa.String),
        sa.column("outcome", sa.String),
    )
    for case_id, raw in bind.execute(sa.select(cases.c.id, cases.c.details)).all():
        details = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        values = {
            "stay_started_on": _day(details.get("stay_started_on")),
            "parent_case_id": details.get("parent_case_id"),
            "standard_versions": details.get("kvalitetsstandard") or {},
            "details": {k: v for k, v in details.items() if k not in SYSTEM_KEYS},
        }
        bind.execute(cases.update().where(cases.c.id == case_id).values(**values))
        if details.get("parent_case_id") and details.get("klagefrist"):
            bind.execute(
                klager.insert().values(
                    case_id=case_id,
                    parent_case_id=details["parent_case_id"],
                    received_on=_day(details.get("klage_received_on")),
                    decision_received_on=_day(details.get("decision_received_on")),
                    klagefrist=datetime.fromisoformat(details["klagefrist"]).astimezone(UTC),
                    in_time=bool(details.get("klage_rettidig")),
                )
            )
        for run in details.get("tidligere_forloeb") or []:
            bind.execute(
                runs.insert().values(
                    case_id=case_id,
                    instance_id=run["instance_id"],
                    ended_at=datetime.fromisoformat(run["ended_at"]).astimezone(UTC),
                    reason=run.get("reason") or "",
                    outcome=run.get("outcome"),
                )
            )


def _teams_from_users_and_cases() -> None:
    bind = op.get_bind()
    names = {
        name
        for (name,) in bind.execute(
            sa.text("SELECT team FROM users WHERE team IS NOT NULL UNION SELECT team FROM cases WHERE team IS NOT NULL")
        )
    }
    for name in sorted(names):
        bind.execute(
            sa.text("INSERT INTO teams (name, active, created_at) VALUES (:name, TRUE, CURRENT_TIMESTAMP)"),
            {"name": name},
        )


def _day(value):
    from datetime import date

    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("lease_until")
    op.drop_table("teams")
    op.drop_index("ix_case_runs_case_id", table_name="case_runs")
    op.drop_table("case_runs")
    op.drop_index("ix_klager_parent_case_id", table_name="klager")
    op.drop_table("klager")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_parent_case_id")
        batch.drop_constraint("fk_cases_parent_case", type_="foreignkey")
        batch.drop_column("standard_versions")
        batch.drop_column("parent_case_id")
        batch.drop_column("stay_started_on")
