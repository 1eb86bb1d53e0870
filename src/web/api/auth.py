from __future__ import annotations

from flask_smorest import Blueprint

from tasks.accounts.tokens import issue_token, revoke_token
from web.api.schemas import TokenRequestSchema, TokenSchema
from web.auth import bearer_token, services

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log ind og få et adgangstoken")


@blp.route("/token", methods=["POST"])
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
def token(credentials: dict) -> dict:
    """Exchange username and password for a bearer token (5 failures in 15 minutes lock the username)."""
    token, expires = issue_token(
        services().uow(), credentials["username"], credentials["password"], services().clock.now()
    )
    return {"token": token, "expires_at": expires}


@blp.route("/revoke", methods=["POST"])
@blp.response(204)
def revoke() -> None:
    """Revoke the bearer token of this request (log out)."""
    revoke_token(services().uow(), bearer_token(), services().clock.now())
