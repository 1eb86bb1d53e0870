"""A party to a case and where letters to it go."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, enum_column


class PartyKind(StrEnum):
    BORGER = "borger"
    REPRAESENTANT = "repraesentant"  # partsrepræsentant, værge, bisidder: gets a copy of every letter


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind))
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(100), default="")
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    digital_post_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime]

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The address as it is printed in a letter's window: street, then postal code and town."""
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        return tuple(line for line in (self.street, town) if line)

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.postal_code and self.city)

    def describe(self) -> str:
        relation = f" ({self.relation})" if self.relation else ""
        return f"{self.name}{relation}"
