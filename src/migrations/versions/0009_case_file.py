"""The case as its file: task submissions, journalnotater, documents, drafts, notifications, what a klage is about,
complaints about the execution of help, refused stays.

Notes and task submissions are append-only like the journal (database triggers).

Revision ID: 0009_case_file
Revises: 0008_ops
"""

import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = "0009_case_file"
down_revision = "0008_ops"
branch_labels = None
depends_on = None

APPEND_ONLY = ("notes", "task_submissions")


def upgrade() -> None:
    op.create_table(
        "task_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("human_tasks.id"), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("bpmn_id", sa.String(length=100), nullable=False),
        sa.Column("form", sa.String(length=200), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_index("ix_task_submissions_case_id", "task_submissions", ["case_id"])
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_notes_case", "notes", ["case_id", "at"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mime_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_documents_case", "documents", ["case_id", "uploaded_at"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("human_tasks.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("saved_at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("task_id", "user_id", name="uq_drafts_task_user"),
    )
    op.create_index("ix_drafts_task_id", "drafts", ["task_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False, unique=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("human_tasks.id"), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_notifications_user", "notifications", ["user_id", "read_at", "id"])
    op.create_table(
        "execution_complaints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("complaint", sa.Text(), nullable=False),
        sa.Column("registered_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=100), nullable=False),
    )
    op.create_index("ix_execution_complaints_case_id", "execution_complaints", ["case_id"])
    op.create_table(
        "stay_refusals",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("refused_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("registered_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=100), nullable=False),
    )
    with op.batch_alter_table("klager") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=20), nullable=False, server_default="afgoerelse"))
        batch.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("complaint", sa.Text(), nullable=False, server_default=""))
        batch.create_foreign_key("fk_klager_letter", "letters", ["letter_id"], ["id"])
    _append_only()


def _append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sagsflow_append_only()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
    else:
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
    with op.batch_alter_table("klager") as batch:
        batch.drop_constraint("fk_klager_letter", type_="foreignkey")
        batch.drop_column("complaint")
        batch.drop_column("letter_id")
        batch.drop_column("subject")
    op.drop_table("stay_refusals")
    op.drop_index("ix_execution_complaints_case_id", table_name="execution_complaints")
    op.drop_table("execution_complaints")
    op.drop_index("ix_notifications_user", table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_drafts_task_id", table_name="drafts")
    op.drop_table("drafts")
    op.drop_index("ix_documents_case", table_name="documents")
    op.drop_table("documents")
    op.drop_index("ix_notes_case", table_name="notes")
    op.drop_table("notes")
    op.drop_index("ix_task_submissions_case_id", table_name="task_submissions")
    op.drop_table("task_submissions")
