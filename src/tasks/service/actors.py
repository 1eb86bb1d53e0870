"""Who is acting: a plain value passed to every use case (never an ORM object or a Flask global)."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.accounts.model import User


@dataclass(frozen=True)
class Actor:
    id: int
    username: str
    roles: frozenset[str]
    team: str | None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.role_names, user.team)

    def holds(self, role: str) -> bool:
        return role in self.roles


SYSTEM = "system"
