"""Users: create them (with their roles and team), list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tasks.access.roles import ROLES, unknown_roles
from tasks.accounts.model import User, UserRole
from tasks.accounts.teams import ensure_known_team, ensure_team
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid, NotFound
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
    *,
    create_team: bool = True,
) -> int:
    """Create a user; unknown roles, a taken username or a short password are refused.

    The CLI creates a team it does not know yet (``create_team``); the API and the pages choose a known one."""
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
        if team is not None and create_team:
            ensure_team(uow, team, now)
        elif team is not None:
            team = ensure_known_team(uow, team).name
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
    active: bool = True


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
        create_team=False,
    )
    with uow:
        return _user_view(uow.session.get_one(User, user_id))


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    if not actor.holds("administrator"):
        raise Forbidden("Kun administratorer kan se brugerne")
    with uow:
        return [_user_view(u) for u in uow.session.scalars(select(User).order_by(User.username))]


def _user_view(user: User) -> UserView:
    return UserView(user.id, user.username, sorted(user.role_names), user.team, user.full_name, user.email, user.active)


def update_user(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    *,
    roles: list[str] | None = None,
    team: str | None = None,
    clear_team: bool = False,
    full_name: str | None = None,
    email: str | None = None,
    active: bool | None = None,
) -> UserView:
    """Change a user's roles, team, name, e-mail or whether they may log in (administrators only).

    Deactivating ends every session and token of the user at once (they are checked on each request)."""
    if not actor.holds("administrator"):
        raise Forbidden("Kun administratorer kan ændre brugere")
    if roles is not None:
        if not roles:
            raise Invalid("Brugeren skal have mindst én rolle", {"roles": ["Mindst én rolle er påkrævet"]})
        if bad := unknown_roles(roles):
            raise Invalid("Ukendt rolle", {"roles": [f"Ukendt rolle: {r}" for r in bad]})
    if active is False and user_id == actor.id:
        raise Invalid("Du kan ikke deaktivere dig selv", {"active": ["Du kan ikke deaktivere dig selv"]})
    with uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("Brugeren findes ikke")
        if roles is not None:
            user.roles = [UserRole(role=r) for r in sorted(set(roles))]
        if clear_team:
            user.team = None
        elif team is not None:
            user.team = ensure_known_team(uow, team).name
        if full_name is not None:
            user.full_name = full_name.strip()[:200]
        if email is not None:
            user.email = email.strip() or None
        if active is not None:
            user.active = active
        uow.session.flush()
        view = _user_view(user)
        uow.commit()
    return view


def get_user(uow: UnitOfWork, actor: Actor, user_id: int) -> UserView:
    if not actor.holds("administrator"):
        raise Forbidden("Kun administratorer kan se brugerne")
    with uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("Brugeren findes ikke")
        return _user_view(user)
