"""Log in with a password: bearer tokens (8 hours, revocable, stored hashed), throttled failed logins."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from tasks.accounts import login_throttle
from tasks.accounts.login_throttle import TooManyAttempts
from tasks.accounts.model import ApiToken, User
from tasks.service.actors import Actor
from tasks.service.errors import Unauthenticated
from tasks.service.uow import UnitOfWork

TOKEN_LIFETIME = timedelta(hours=8)


def issue_token(
    uow: UnitOfWork, username: str, password: str, now: datetime, client: str | None = None
) -> tuple[str, datetime]:
    """Check the password and return a new bearer token with its expiry.

    Failed logins are throttled per username and per client address (``accounts.login_throttle``)."""
    with uow:
        login_throttle.check(uow.session, username, client, now)
        user = uow.session.scalar(select(User).where(User.username == username))
        if user is None or not uow.passwords.matches(user.password_hash, password) or not user.active:
            if user is None:
                uow.passwords.matches(None, password)  # same time as a wrong password
            login_throttle.record_failure(uow.session, username, client, now)
            uow.commit()
            raise Unauthenticated("Forkert brugernavn eller adgangskode")
        token, expires = new_token(uow, user.id, now)
        uow.commit()
    return token, expires


def new_token(uow: UnitOfWork, user_id: int, now: datetime) -> tuple[str, datetime]:
    """Add a bearer token for a user inside the caller's unit of work (password or single sign-on)."""
    token = secrets.token_urlsafe(32)
    expires = now + TOKEN_LIFETIME
    uow.session.add(ApiToken(user_id=user_id, token_hash=_digest(token), created_at=now, expires_at=expires))
    return token, expires


def actor_for_token(uow: UnitOfWork, token: str, now: datetime) -> Actor:
    """The user behind a bearer token; expired, revoked or unknown tokens are refused."""
    with uow.read_only():
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise Unauthenticated("Ugyldigt eller udløbet adgangstoken")
        user = uow.session.get(User, row.user_id)
        if user is None or not user.active:
            raise Unauthenticated("Brugeren er deaktiveret")
        return Actor.of(user)


def revoke_token(uow: UnitOfWork, token: str, now: datetime) -> None:
    with uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
        uow.commit()


def find_user(uow: UnitOfWork, username: str) -> Actor | None:
    user = uow.session.scalar(select(User).where(User.username == username))
    return Actor.of(user) if user is not None else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


__all__ = ["TooManyAttempts", "actor_for_token", "issue_token", "new_token", "revoke_token"]
