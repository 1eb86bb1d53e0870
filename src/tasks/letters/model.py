"""Letters to the citizen and bundles for Ankestyrelsen."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class Letter(Base):
    """A letter to the citizen (afgørelse, genvurdering) or a bundle for Ankestyrelsen, as a PDF.

    The PDF holds personal data: it is only served behind login, to those who may see the case,
    and every download is access-logged.  Immutable once written."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    klagefrist_ends_on: Mapped[date | None]
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
