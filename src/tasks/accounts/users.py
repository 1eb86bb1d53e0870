"""Users: create them (with their roles and team), list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tasks.access.roles import ROLES, unknown_roles
from tasks.accounts.model import User, UserRole
from tasks.accounts.teams import ensure_team
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.service.uow import UnitOfWork


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
        if team is not None:
            ensure_team(uow, team, now)
        user = User(
            username=username,
            password_hash=uow.passwords.hash(password),
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
