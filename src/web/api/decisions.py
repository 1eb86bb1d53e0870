from __future__ import annotations

from flask_smorest import Blueprint

from tasks.kvalitetsstandard.tables import decision_source, deploy_decision, list_decision_versions
from web.api.schemas import DecisionDeploySchema, DecisionSourceSchema, DecisionVersionSchema
from web.auth import current_actor, services

blp = Blueprint(
    "decisions", __name__, url_prefix="/api/v1/decisions", description="Kvalitetsstandardens beslutningstabeller (DMN)"
)


@blp.route("", methods=["GET"])
@blp.response(200, DecisionVersionSchema(many=True))
def versions():
    """Every deployed version of every decision table."""
    return list_decision_versions(services().uow())


@blp.route("", methods=["POST"])
@blp.arguments(DecisionDeploySchema)
@blp.response(201, DecisionVersionSchema)
def create(body: dict):
    """Deploy a table; new content becomes a new version that new cases use, running cases keep theirs."""
    return deploy_decision(services().uow(), current_actor(), body["dmn"], services().clock.now())


@blp.route("/<string(maxlength=100):key>", methods=["GET"])
@blp.response(200, DecisionSourceSchema)
def latest(key: str):
    """The newest version of a table with its DMN XML (procesejere)."""
    return decision_source(services().uow(), current_actor(), key)
