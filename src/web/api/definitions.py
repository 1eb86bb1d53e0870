from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from tasks.cases.migration import migrate_version
from tasks.definitions.activation import activate_process_version, process_activations
from tasks.definitions.deployment import deploy, list_versions, version_xml
from web.api.schemas import ActivationSchema, BulkMigrateSchema, DeploySchema, MigrationSchema, VersionSchema
from web.auth import current_actor, services

blp = Blueprint(
    "definitions", __name__, url_prefix="/api/v1/process-definitions", description="Procesdiagrammer og versioner"
)

KEY = "<string(maxlength=100):key>"
VERSION = "<int(max=2147483647):version>"


@blp.route("", methods=["GET"])
@blp.response(200, VersionSchema(many=True))
def versions():
    """Every deployed version with its number of running instances; ``active`` marks the one new cases use."""
    return list_versions(services().uow())


@blp.route("", methods=["POST"])
@blp.arguments(DeploySchema)
@blp.response(201, VersionSchema)
def create(body: dict):
    """Deploy a model: with ``key`` a new version of that process, without it a new process.

    Content equal to an earlier version makes that version the one new cases use again."""
    return deploy(
        services().uow(), current_actor(), body["bpmn"], body["forms"], services().clock.now(), key=body["key"]
    )


@blp.route(f"/{KEY}/versions/{VERSION}/activate", methods=["POST"])
@blp.response(200, VersionSchema)
def activate(key: str, version: int):
    """Make this version the one new cases use (a rollback); running cases keep theirs.  Recorded."""
    return activate_process_version(services().uow(), current_actor(), key, version, services().clock.now())


@blp.route(f"/{KEY}/versions/{VERSION}/bpmn", methods=["GET"])
@blp.response(200, content_type="application/xml", description="Versionens BPMN-fil")
def download(key: str, version: int):
    """A version's BPMN file (also a documentation model's)."""
    filename, xml = version_xml(services().uow(), current_actor(), key, version)
    return Response(
        xml, mimetype="application/xml", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@blp.route(f"/{KEY}/activations", methods=["GET"])
@blp.response(200, ActivationSchema(many=True))
def activations(key: str):
    """Which version new cases used from when, who chose it and why (deploy, redeploy, rollback)."""
    return process_activations(services().uow(), current_actor(), key)


@blp.route(f"/{KEY}/versions/{VERSION}/migrate", methods=["POST"])
@blp.arguments(BulkMigrateSchema)
@blp.response(200, MigrationSchema(many=True))
def migrate_all(body: dict, key: str, version: int):
    """Plan or move every running case of this version to ``version`` in the body: one transaction per
    case; a case that cannot move says why and the others move."""
    return migrate_version(
        services(),
        current_actor(),
        key,
        version,
        body["version"],
        services().clock.now(),
        dry_run=body["dry_run"],
        mapping=body["mapping"],
    )
