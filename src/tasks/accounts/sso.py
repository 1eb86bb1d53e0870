"""Accounts from single sign-on: the verified claims of an ID token become a Sagsflow user and a session.

The identity provider is the source of truth for who someone is and what they may do: a user is
provisioned at the first login and their roles, team, name and e-mail are refreshed from the
claims at every login, so a role removed in the municipality's directory is gone at the next
login.  Users are found by issuer and subject (``sub``), never by username, so a username
chosen at the provider cannot take over a local account of the same name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tasks.access.roles import ROLES
from tasks.accounts.model import User, UserRole
from tasks.accounts.tokens import new_token
from tasks.service.errors import Conflict, Forbidden, Unauthenticated
from tasks.service.uow import UnitOfWork

log = logging.getLogger(__name__)
NO_PASSWORD = "!sso"  # not an argon2 hash: a provisioned user can never log in with a password


@dataclass(frozen=True)
class ClaimMapping:
    """Which claims carry the username, the roles and the team, and how role claim values map to roles.

    With an empty ``role_map`` a claim value that is a Sagsflow role name counts as that role."""

    username_claim: str = "preferred_username"
    role_claim: str = "groups"
    role_map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    team_claim: str = "team"

    def roles(self, claims: Mapping[str, Any]) -> list[str]:
        values = _as_list(claims.get(self.role_claim))
        if self.role_map:
            found = {role for value in values for role in self.role_map.get(value, ())}
        else:
            found = set(values)
        return sorted(found & set(ROLES))

    def team(self, claims: Mapping[str, Any]) -> str | None:
        values = _as_list(claims.get(self.team_claim))
        return values[0][:100] if values else None

    def username(self, claims: Mapping[str, Any]) -> str:
        value = claims.get(self.username_claim) or claims.get("email") or claims["sub"]
        return str(value)[:100]


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    username: str
    roles: list[str]
    created: bool


def sign_in(uow: UnitOfWork, issuer: str, claims: Mapping[str, Any], mapping: ClaimMapping, now: datetime) -> SignedIn:
    """Provision or refresh the user behind verified ID-token ``claims`` and start a session for them."""
    roles = mapping.roles(claims)
    if not roles:
        raise Forbidden("Din bruger har ingen rolle i Sagsflow. Kontakt en administrator.")
    subject = f"{issuer}|{claims['sub']}"[:300]
    with uow:
        user = uow.session.scalar(select(User).where(User.sso_subject == subject))
        created = user is None
        if user is None:
            user = _provision(uow, subject, mapping.username(claims), now)
        if not user.active:
            raise Unauthenticated("Brugeren er deaktiveret")
        _refresh(user, roles, mapping.team(claims), claims)
        uow.session.flush()
        token, expires = new_token(uow, user.id, now)
        username = user.username
        uow.commit()
    if created:
        log.info("Bruger %s oprettet ved single sign-on med roller %s", username, ", ".join(roles))
    return SignedIn(token, expires, username, roles, created)


def _provision(uow: UnitOfWork, subject: str, username: str, now: datetime) -> User:
    if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"Brugernavnet '{username}' findes allerede som lokal bruger; kontakt en administrator.")
    user = User(
        username=username, password_hash=NO_PASSWORD, sso_subject=subject, active=True, created_at=now, roles=[]
    )
    uow.session.add(user)
    return user


def _refresh(user: User, roles: list[str], team: str | None, claims: Mapping[str, Any]) -> None:
    keep = set(roles)
    user.roles = [r for r in user.roles if r.role in keep]  # removed rows are deleted (delete-orphan)
    user.roles.extend(UserRole(role=r) for r in sorted(keep - user.role_names))
    user.team = team
    user.full_name = str(claims.get("name") or "")[:200]
    user.email = str(claims["email"])[:200] if claims.get("email") else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]  # one value, spaces and all ("Team Nord")
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]
