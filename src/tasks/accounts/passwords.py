"""Password hashing (argon2), injected so tests can use a cheap but real setting.

The production default is argon2-cffi's own (RFC 9106 low-memory profile).  Verifying against a
dummy hash when a username does not exist keeps the response time the same, so login timing does
not reveal which usernames exist; the dummy is made once per hasher, on first use.
"""

from __future__ import annotations

from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    @classmethod
    def fast_for_tests(cls) -> Passwords:
        """Real argon2 with the smallest cost: the same code path, a thousandth of the time."""
        return cls(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def matches(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; also spends the same time when there is no user."""
        try:
            return self._hasher.verify(stored_hash or self._dummy_hash, password) and stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash("dummy-password-for-timing")
