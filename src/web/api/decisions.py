from __future__ import annotations

from flask_smorest import Blueprint

from tasks.kvalitetsstandard.tables import (
    activate_decision,
    decision_activations,
    decision_source,
    deploy_decision,
    list_decision_versions,
)
from web.api.schemas import ActivationSchema, DecisionDeploySchema, DecisionSourceSchema, DecisionVersionSchema
from web.auth import current_actor, services

blp = Blueprint(
    "decisions", __name__, url_prefix="/api/v1/decisions", description="Kvalitetsstandardens beslutningstabeller (DMN)"
)

KEY = "<string(maxlength=100):key>"
VERSION = "<int(max=2147483647):version>"


@blp.route("", methods=["GET"])
@blp.response(200, DecisionVersionSchema(many=True))
def versions():
    """Every deployed version of every decision table; ``active`` marks the one new cases read."""
    return list_decision_versions(services().uow())


@blp.route("", methods=["POST"])
@blp.arguments(DecisionDeploySchema)
@blp.response(201, DecisionVersionSchema)
def create(body: dict):
    """Deploy a table; new content becomes a new version that new cases use, running cases keep theirs.

    Content equal to an earlier version makes that version the one in force again."""
    return deploy_decision(services().uow(), current_actor(), body["dmn"], services().clock.now())


@blp.route(f"/{KEY}", methods=["GET"])
@blp.response(200, DecisionSourceSchema)
def latest(key: str):
    """The version in force of a table with its DMN XML (procesejere)."""
    return decision_source(services().uow(), current_actor(), key)


@blp.route(f"/{KEY}/versions/{VERSION}/activate", methods=["POST"])
@blp.response(200, DecisionVersionSchema)
def activate(key: str, version: int):
    """Make this version of the table the one new cases read (a rollback).  Recorded."""
    return activate_decision(services().uow(), current_actor(), key, version, services().clock.now())


@blp.route(f"/{KEY}/activations", methods=["GET"])
@blp.response(200, ActivationSchema(many=True))
def activations(key: str):
    """Which version of the table new cases read from when, who chose it and why."""
    return decision_activations(services().uow(), current_actor(), key)
