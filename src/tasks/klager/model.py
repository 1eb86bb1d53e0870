"""A klage: the link from a klage case to the case whose afgørelse it is about, with the klagefrist judged.

Every field is set by the service that registers the klage (``tasks.klager.registration``) after
checking that the actor may see the main case and that it has an afgørelse; a client can never
point a klage at another case by sending data.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base
from tasks.cases.model import Case


class Klage(Base):
    __tablename__ = "klager"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    parent_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    received_on: Mapped[date]
    decision_received_on: Mapped[date]
    klagefrist: Mapped[datetime]
    in_time: Mapped[bool]

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    parent: Mapped[Case] = relationship(foreign_keys=[parent_case_id])
