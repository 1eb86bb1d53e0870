"""Log in with a password: bearer tokens (8 hours, revocable, stored hashed), throttled failed logins."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from tasks.accounts import login_throttle
from tasks.accounts.login_throttle import TooManyAttempts
from tasks.accounts.model import ApiToken, User, UserRole
from tasks.service.actors import Actor
from tasks.service.errors import Unauthenticated
from tasks.service.uow import UnitOfWork

TOKEN_LIFETIME = timedelta(hours=8)

_TOKEN_HOLDER = (
    select(ApiToken.revoked_at, ApiToken.expires_at, User.id, User.username, User.team, User.active, UserRole.role)
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


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
    """The user behind a bearer token; expired, revoked or unknown tokens are refused.

    Every API request asks, so it is one statement (a row per role) rather than token, user and roles
    loaded as objects one after another."""
    with uow.read_only():
        rows = uow.session.execute(_TOKEN_HOLDER, {"token_hash": _digest(token)}).all()
        if not rows or rows[0].revoked_at is not None or rows[0].expires_at <= now:
            raise Unauthenticated("Ugyldigt eller udløbet adgangstoken")
        holder = rows[0]
        if not holder.active:
            raise Unauthenticated("Brugeren er deaktiveret")
        return Actor(holder.id, holder.username, frozenset(r.role for r in rows if r.role is not None), holder.team)


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
