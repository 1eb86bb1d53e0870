from __future__ import annotations

from flask_smorest import Blueprint

from tasks.catalogue.publishing import (
    activate_catalogue,
    catalogue_activations,
    catalogue_source,
    catalogue_versions,
    deploy_catalogue,
)
from tasks.catalogue.views import catalogue_overview
from web.api.schemas import (
    ActivationSchema,
    CatalogueDeploySchema,
    CatalogueSchema,
    CatalogueSourceSchema,
    CatalogueVersionSchema,
)
from web.auth import current_actor, services

blp = Blueprint(
    "catalogue",
    __name__,
    url_prefix="/api/v1/catalogue",
    description="Kvalitetsstandardens katalog: ydelser og leverandører",
)

KEY = "<string(maxlength=40):key>"
VERSION = "<int(max=2147483647):version>"


@blp.route("", methods=["GET"])
@blp.response(200, CatalogueSchema)
def overview():
    """Every ydelse with its frist, opfølgning, serviceniveauer, forslag, kompetence and leverandører."""
    current_actor()
    return catalogue_overview(services().uow())


@blp.route(f"/{KEY}", methods=["GET"])
@blp.response(200, CatalogueSourceSchema)
def source(key: str):
    """The version in force of a catalogue file (``ydelser`` or ``leverandoerer``) with its content."""
    current_actor()
    return catalogue_source(services().uow(), key)


@blp.route(f"/{KEY}", methods=["POST"])
@blp.arguments(CatalogueDeploySchema)
@blp.response(201, CatalogueVersionSchema)
def deploy(body: dict, key: str):
    """Deploy a new version of a catalogue file (procesejere); it is in force for new decisions at once.

    Content equal to an earlier version makes that version the one in force again."""
    return deploy_catalogue(services().uow(), current_actor(), key, body["content"], services().clock.now())


@blp.route(f"/{KEY}/versions", methods=["GET"])
@blp.response(200, CatalogueVersionSchema(many=True))
def versions(key: str):
    """Every version of a catalogue file; ``active`` marks the one in force."""
    current_actor()
    return catalogue_versions(services().uow(), key)


@blp.route(f"/{KEY}/versions/{VERSION}/activate", methods=["POST"])
@blp.response(200, CatalogueVersionSchema)
def activate(key: str, version: int):
    """Make an earlier version the one in force (a rollback).  Recorded."""
    return activate_catalogue(services().uow(), current_actor(), key, version, services().clock.now())


@blp.route(f"/{KEY}/activations", methods=["GET"])
@blp.response(200, ActivationSchema(many=True))
def activations(key: str):
    """Which version was in force from when, who chose it and why."""
    return catalogue_activations(services().uow(), current_actor(), key)
