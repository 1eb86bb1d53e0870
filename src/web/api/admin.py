from __future__ import annotations

from flask_smorest import Blueprint

from tasks.access.log import read_access_log
from tasks.accounts.teams import create_team, list_teams, update_team
from tasks.accounts.users import create_user_as, list_users, update_user
from tasks.notifications.reading import list_notifications, mark_read
from web.api.schemas import (
    AccessLogQuerySchema,
    AccessLogSchema,
    NotificationSchema,
    TeamCreateSchema,
    TeamSchema,
    TeamUpdateSchema,
    UserCreateSchema,
    UserSchema,
    UserUpdateSchema,
)
from web.auth import current_actor, services

blp = Blueprint("admin", __name__, url_prefix="/api/v1", description="Administration: brugere, teams og adgangslog")


@blp.route("/users", methods=["GET"])
@blp.response(200, UserSchema(many=True))
def users():
    """Every user with roles and team (administrators only)."""
    return list_users(services().uow(), current_actor())


@blp.route("/users", methods=["POST"])
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user(body: dict):
    """Create a user (administrators only)."""
    return create_user_as(services().uow(), current_actor(), body, services().clock.now())


@blp.route("/access-log", methods=["GET"])
@blp.arguments(AccessLogQuerySchema, location="query")
@blp.response(200, AccessLogSchema(many=True))
def access_log(query: dict):
    """Who read which case's personal data, newest first (administrators only; read-only)."""
    return read_access_log(services().uow(), current_actor(), **query)


@blp.route("/teams", methods=["GET"])
@blp.response(200, TeamSchema(many=True))
def teams():
    """The municipality's teams: every team field (a case's, a stay's, a user's) names one of these."""
    return list_teams(services().uow())


@blp.route("/teams", methods=["POST"])
@blp.arguments(TeamCreateSchema)
@blp.response(201, TeamSchema)
def new_team(body: dict):
    """Create a team (administrators only)."""
    return create_team(services().uow(), current_actor(), body["name"], body["mailbox_email"], services().clock.now())


@blp.route("/teams/<int(max=2147483647):team_id>", methods=["PATCH"])
@blp.arguments(TeamUpdateSchema)
@blp.response(200, TeamSchema)
def change_team(body: dict, team_id: int):
    """Rename (cases, tasks and users follow), change the team mailbox, or (de)activate (administrators only)."""
    clear = "mailbox_email" in body and body["mailbox_email"] is None
    return update_team(services().uow(), current_actor(), team_id, clear_mailbox=clear, **body)


@blp.route("/users/<int(max=2147483647):user_id>", methods=["PATCH"])
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def change_user(body: dict, user_id: int):
    """Change roles, team, name, e-mail or deactivate (administrators only)."""
    clear = "team" in body and body["team"] is None
    if clear:
        body.pop("team")
    return update_user(services().uow(), current_actor(), user_id, clear_team=clear, **body)


@blp.route("/notifications", methods=["GET"])
@blp.response(200, NotificationSchema(many=True))
def notifications():
    """What concerns you: tasks given to you, frister near or passed, afvigelser decided (newest first)."""
    return list_notifications(services().uow(), current_actor())


@blp.route("/notifications/<int(max=2147483647):notification_id>/read", methods=["POST"])
@blp.response(204)
def read_notification(notification_id: int) -> None:
    """Mark one notification read."""
    mark_read(services().uow(), current_actor(), notification_id, services().clock.now())
