"""Errors a use case raises.  The web layer maps them to HTTP; nothing here knows HTTP."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(DomainError):
    """The thing does not exist, or the user may not know that it does."""


class Forbidden(DomainError):
    """The user may see it but not do this."""


class Conflict(DomainError):
    """The request was valid but came too late: already completed, stale version, taken by another."""


class Invalid(DomainError):
    """Bad input; ``errors`` maps each offending field to its messages."""


class Unauthenticated(DomainError):
    """No valid credentials."""


class TooLarge(DomainError):
    """An upload over the size limit."""


class UnsupportedType(DomainError):
    """An upload whose real type (read from its bytes) is not one Sagsflow accepts."""


class Unavailable(DomainError):
    """Something the command needs is missing on this machine (e.g. the letters' font); try again later."""
