"""A klage: the link from a klage case to the case whose afgørelse it is about, with the klagefrist judged.

Every field is set by the service that registers the klage (``tasks.klager.registration``) after
checking that the actor may see the main case and that it has an afgørelse; a client can never
point a klage at another case by sending data.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column
from tasks.cases.model import Case


class KlageSubject(StrEnum):
    """What the citizen complains about."""

    AFGOERELSE = "afgoerelse"  # an afgørelse (its letter): genvurdering, then Ankestyrelsen
    AFVIST_OPHOLD = "afvist_ophold"  # a krisecenter's refusal of a stay (§ 109): re-assessed, then Ankestyrelsen

    @property
    def label_da(self) -> str:
        return {"afgoerelse": "Afgørelse", "afvist_ophold": "Afslag på ophold (§ 109)"}[self.value]


class Klage(Base):
    __tablename__ = "klager"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    parent_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    received_on: Mapped[date]
    decision_received_on: Mapped[date]
    klagefrist: Mapped[datetime]
    in_time: Mapped[bool]
    subject: Mapped[KlageSubject] = mapped_column(enum_column(KlageSubject), default=KlageSubject.AFGOERELSE)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    complaint: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    parent: Mapped[Case] = relationship(foreign_keys=[parent_case_id])


class ExecutionComplaint(Base):
    """A complaint about how help is carried out (udførelsen), not about a decision.

    It goes to the municipality, not to Ankestyrelsen: it is registered on the case it concerns, journalled, and
    the case's team is told; the sagsbehandler answers it on the case (a journalnotat, a new decision if needed)."""

    __tablename__ = "execution_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    received_on: Mapped[date]
    complaint: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(100))
