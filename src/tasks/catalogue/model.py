"""One deployed content of one catalogue data file.  Immutable, like a decision table's version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class CatalogueVersion(Base):
    __tablename__ = "catalogue_versions"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_catalogue_version"),
        UniqueConstraint("key", "content_hash", name="uq_catalogue_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int]
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(100))
