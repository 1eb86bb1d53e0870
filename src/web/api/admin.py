from __future__ import annotations

from flask_smorest import Blueprint

from tasks.access.log import read_access_log
from tasks.accounts.teams import list_teams
from tasks.accounts.users import create_user_as, list_users
from web.api.schemas import AccessLogQuerySchema, AccessLogSchema, TeamSchema, UserCreateSchema, UserSchema
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
