from __future__ import annotations

from flask_smorest import Blueprint

from tasks.accounts.tokens import issue_token, revoke_token
from tasks.service.errors import Forbidden
from web.api.schemas import TokenRequestSchema, TokenSchema
from web.auth import bearer_token, client_address, services, settings

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log ind og få et adgangstoken")


@blp.route("/token", methods=["POST"])
@blp.arguments(TokenRequestSchema)
@blp.response(200, TokenSchema)
def token(credentials: dict) -> dict:
    """Exchange username and password for a bearer token.

    Failed logins are throttled per username and per client address: 429 with Retry-After."""
    if not settings().password_login:
        raise Forbidden("Log ind med adgangskode er slået fra; brug kommunens login")
    token, expires = issue_token(
        services().uow(), credentials["username"], credentials["password"], services().clock.now(), client_address()
    )
    return {"token": token, "expires_at": expires}


@blp.route("/revoke", methods=["POST"])
@blp.response(204)
def revoke() -> None:
    """Revoke the bearer token of this request (log out)."""
    revoke_token(services().uow(), bearer_token(), services().clock.now())
