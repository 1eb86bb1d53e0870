"""Log in with a password: bearer tokens (8 hours, revocable, stored hashed) and failed-login limits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tasks.accounts.model import ApiToken, LoginAttempt, User
from tasks.service.actors import Actor
from tasks.service.errors import Unauthenticated
from tasks.service.uow import UnitOfWork

TOKEN_LIFETIME = timedelta(hours=8)

MAX_FAILED_LOGINS = 5
LOGIN_WINDOW = timedelta(minutes=15)


class TooManyAttempts(Unauthenticated):
    """Too many failed logins for this username; try again later."""


def issue_token(uow: UnitOfWork, username: str, password: str, now: datetime) -> tuple[str, datetime]:
    """Check the password and return a new bearer token with its expiry.

    After MAX_FAILED_LOGINS failures within LOGIN_WINDOW the username is locked for the rest of the
    window (counted in the database, so every web worker sees the same count)."""
    with uow:
        recent = uow.session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.username == username, LoginAttempt.at > now - LOGIN_WINDOW)
        )
        if (recent or 0) >= MAX_FAILED_LOGINS:
            raise TooManyAttempts("For mange mislykkede forsøg; prøv igen om 15 minutter")
        user = uow.session.scalar(select(User).where(User.username == username))
        if user is None or not uow.passwords.matches(user.password_hash, password) or not user.active:
            if user is None:
                uow.passwords.matches(None, password)  # same time as a wrong password
            uow.session.add(LoginAttempt(username=username[:100], at=now))
            uow.commit()
            raise Unauthenticated("Forkert brugernavn eller adgangskode")
        token = secrets.token_urlsafe(32)
        expires = now + TOKEN_LIFETIME
        uow.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), created_at=now, expires_at=expires))
        uow.commit()
    return token, expires


def actor_for_token(uow: UnitOfWork, token: str, now: datetime) -> Actor:
    """The user behind a bearer token; expired, revoked or unknown tokens are refused."""
    with uow:
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
