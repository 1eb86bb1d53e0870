"""Users, passwords and bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import func, select

from tasks.access.roles import ROLES, unknown_roles
from tasks.accounts.model import ApiToken, LoginAttempt, User, UserRole
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid, Unauthenticated
from tasks.service.uow import UnitOfWork

TOKEN_LIFETIME = timedelta(hours=8)
_hasher = PasswordHasher()
# Verifying against a dummy hash when the user does not exist keeps the response time the same,
# so login timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


def add_user(
    uow: UnitOfWork,
    username: str,
    password: str,
    roles: list[str],
    now: datetime,
    team: str | None = None,
    full_name: str = "",
    email: str | None = None,
) -> int:
    """Create a user; unknown roles, a taken username or a short password are refused."""
    errors: dict[str, list[str]] = {}
    if bad := unknown_roles(roles):
        errors["roles"] = [f"Ukendt rolle: {r}. Gyldige roller: {', '.join(ROLES)}" for r in bad]
    if not roles:
        errors["roles"] = ["Mindst én rolle er påkrævet"]
    if len(password) < 8:
        errors["password"] = ["Adgangskoden skal have mindst 8 tegn"]
    if not username.strip():
        errors["username"] = ["Brugernavn er påkrævet"]
    if errors:
        raise Invalid("Brugeren kunne ikke oprettes", errors)
    with uow:
        if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"Brugernavnet '{username}' er optaget", {"username": ["Brugernavnet er optaget"]})
        user = User(
            username=username,
            password_hash=_hasher.hash(password),
            full_name=full_name,
            email=email,
            team=team,
            created_at=now,
            roles=[UserRole(role=r) for r in sorted(set(roles))],
        )
        uow.session.add(user)
        uow.session.flush()
        user_id = user.id
        uow.commit()
    return user_id


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
        if recent >= MAX_FAILED_LOGINS:
            raise TooManyAttempts("For mange mislykkede forsøg; prøv igen om 15 minutter")
        user = uow.session.scalar(select(User).where(User.username == username))
        if not _password_matches(user, password):
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


def _password_matches(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    roles: list[str]
    team: str | None
    full_name: str
    email: str | None


def create_user_as(uow: UnitOfWork, actor: Actor, fields: dict, now: datetime) -> UserView:
    """Only administrators manage users."""
    if not actor.holds("administrator"):
        raise Forbidden("Kun administratorer kan oprette brugere")
    user_id = add_user(
        uow,
        fields["username"],
        fields["password"],
        fields["roles"],
        now,
        team=fields.get("team"),
        full_name=fields.get("full_name", ""),
        email=fields.get("email"),
    )
    with uow:
        return _user_view(uow.session.get_one(User, user_id))


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    if not actor.holds("administrator"):
        raise Forbidden("Kun administratorer kan se brugerne")
    with uow:
        return [_user_view(u) for u in uow.session.scalars(select(User).order_by(User.username))]


def _user_view(user: User) -> UserView:
    return UserView(user.id, user.username, sorted(user.role_names), user.team, user.full_name, user.email)
