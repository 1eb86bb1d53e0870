from __future__ import annotations

from flask_smorest import Blueprint

from tasks.definitions.deployment import deploy, list_versions
from web.api.schemas import DeploySchema, VersionSchema
from web.auth import current_actor, services

blp = Blueprint(
    "definitions", __name__, url_prefix="/api/v1/process-definitions", description="Procesdiagrammer og versioner"
)


@blp.route("", methods=["GET"])
@blp.response(200, VersionSchema(many=True))
def versions():
    """Every deployed version with its number of running instances."""
    return list_versions(services().uow())


@blp.route("", methods=["POST"])
@blp.arguments(DeploySchema)
@blp.response(201, VersionSchema)
def create(body: dict):
    """Deploy a diagram; new content becomes a new version, running cases keep theirs."""
    return deploy(services().uow(), current_actor(), body["bpmn"], body["forms"], services().clock.now())
