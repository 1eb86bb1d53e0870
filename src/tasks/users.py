"""Users, passwords and bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select

from tasks import login_throttle
from tasks.actors import Actor
from tasks.errors import Conflict, Forbidden, Invalid, Unauthenticated
from tasks.login_throttle import TooManyAttempts  # noqa: F401  (re-exported: web.errors maps it to 429)
from tasks.models import ApiToken, User, UserRole
from tasks.roles import ROLES, unknown_roles
from tasks.uow import UnitOfWork

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


def issue_token(
    uow: UnitOfWork, username: str, password: str, now: datetime, client: str | None = None
) -> tuple[str, datetime]:
    """Check the password and return a new bearer token with its expiry.

    Failed logins are throttled per username and per client address (``tasks.login_throttle``)."""
    with uow:
        login_throttle.check(uow.session, username, client, now)
        user = uow.session.scalar(select(User).where(User.username == username))
        if not _password_matches(user, password):
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
