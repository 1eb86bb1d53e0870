from __future__ import annotations

from flask_smorest import Blueprint

from tasks.users import issue_token
from web.api.schemas import TokenRequestSchema, TokenSchema
from web.auth import services

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log ind og få et adgangstoken")


@blp.route("/token", methods=["POST"])
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
def token(credentials: dict) -> dict:
    """Exchange username and password for a bearer token."""
    token, expires = issue_token(
        services().uow(), credentials["username"], credentials["password"], services().clock.now()
    )
    return {"token": token, "expires_at": expires}
