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


class AddressSource(StrEnum):
    CPR = "cpr"  # from the CPR register (SF1520)
    MANUEL = "manuel"  # entered by a caseworker


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
    address_source: Mapped[str | None] = mapped_column(String(20))  # AddressSource, or None: no address yet
    address_note: Mapped[str | None] = mapped_column(String(300))  # for the caseworker, in Danish
    looked_up_at: Mapped[datetime | None]  # when the CPR register last answered for this citizen
    address_protected: Mapped[bool] = mapped_column(Boolean, default=False)  # navne- og adressebeskyttelse

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The address as it is printed in a letter's window: street, then postal code and town."""
        town = " ".join(p for p in (self.postal_code, self.city) if p)
        return tuple(line for line in (self.street, town) if line)

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.postal_code and self.city)

    def from_register(
        self,
        name: str | None,
        address: tuple[str, str, str] | None,
        exempt: bool,
        at: datetime,
        protected: bool = False,
    ) -> None:
        """The CPR register's answer, cached on the case: its address (when it has one), Digital Post status and
        address protection."""
        self.address_protected = protected
        if address is not None:
            self.street, self.postal_code, self.city = address
        self.digital_post_exempt = exempt
        self.name = self.name or name or ""
        self.looked_up_at = at
        self.address_source = AddressSource.CPR if address is not None else self.address_source
        self.address_note = (
            "Adresse og Digital Post-status er hentet fra CPR-registret"
            if address is not None
            else "CPR-registret har ingen adresse på borgeren: indtast den manuelt"
        )

    def enter_by_hand(self, address: tuple[str, str, str], exempt: bool, note: str) -> None:
        self.street, self.postal_code, self.city = address
        self.digital_post_exempt = exempt
        self.address_source = AddressSource.MANUEL
        self.address_note = note[:300]

    def describe(self) -> str:
        relation = f" ({self.relation})" if self.relation else ""
        return f"{self.name}{relation}"
