from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from tasks.cases.migration import migrate_case
from tasks.cases.opening import NewCase, open_case
from tasks.cases.reading import case_journal, get_case
from tasks.cases.responsibility import set_sagsansvarlig, unassigned_cases
from tasks.klager.registration import register_klage
from tasks.letters.reading import letter_pdf, list_letters
from tasks.work.messages import deliver_message
from web.api.schemas import (
    CaseCreateSchema,
    CaseSchema,
    JournalEntrySchema,
    KlageCreateSchema,
    KlageSchema,
    LetterSchema,
    MessageDeliveredSchema,
    MessageSchema,
    MigrateSchema,
    MigrationSchema,
    SagsansvarligSchema,
    UnassignedCaseSchema,
)
from web.auth import current_actor, services

blp = Blueprint("cases", __name__, url_prefix="/api/v1/cases", description="Sager")


@blp.route("", methods=["POST"])
@blp.arguments(CaseCreateSchema)
@blp.response(201, CaseSchema)
def create(body: dict):
    """Register a henvendelse and start its process."""
    citizen = body.pop("citizen", None) or {}
    new = NewCase(**body, citizen_cpr=citizen.get("cpr"), citizen_name=citizen.get("name"))
    return open_case(services().uow(), current_actor(), new, services().clock.now())


@blp.route("/ufordelte", methods=["GET"])
@blp.response(200, UnassignedCaseSchema(many=True))
def unassigned():
    """Open cases without a sagsansvarlig ("Ufordelte sager"), for the leder to distribute."""
    return unassigned_cases(services().uow(), current_actor())


@blp.route("/<int(max=2147483647):case_id>/sagsansvarlig", methods=["POST"])
@blp.arguments(SagsansvarligSchema)
@blp.response(200, SagsansvarligSchema)
def sagsansvarlig(body: dict, case_id: int):
    """Give the case a new sagsansvarlig (the leder, or the sagsansvarlig handing over); journalled."""
    username = set_sagsansvarlig(services().uow(), current_actor(), case_id, body["username"], services().clock.now())
    return {"username": username}


@blp.route("/<int(max=2147483647):case_id>", methods=["GET"])
@blp.response(200, CaseSchema)
def read(case_id: int):
    """A case with its status and open tasks."""
    return get_case(services().uow(), current_actor(), case_id)


@blp.route("/<int(max=2147483647):case_id>/klager", methods=["POST"])
@blp.arguments(KlageCreateSchema)
@blp.response(201, KlageSchema)
def klage(body: dict, case_id: int):
    """Register a klage on the case's afgørelse; answers the klage case, whether it came in time."""
    result = register_klage(
        services().uow(),
        current_actor(),
        case_id,
        body["received_at"],
        body["decision_received_on"],
        services().clock.now(),
    )
    return {**result.case.__dict__, "in_time": result.in_time, "klagefrist": result.klagefrist}


@blp.route("/<int(max=2147483647):case_id>/messages", methods=["POST"])
@blp.arguments(MessageSchema)
@blp.response(200, MessageDeliveredSchema)
def message(body: dict, case_id: int):
    """Deliver a named message to the case (a message catch event, receive task or event-based gateway
    waiting for it); 409 when nothing waits for it.  Journalled."""
    return deliver_message(
        services().uow(), current_actor(), case_id, body["name"], body["data"], services().clock.now()
    )


@blp.route("/<int(max=2147483647):case_id>/migrate", methods=["POST"])
@blp.arguments(MigrateSchema)
@blp.response(200, MigrationSchema)
def migrate(body: dict, case_id: int):
    """Plan (``dry_run``) or move the case to another version of its process (procesejere): each waiting
    task with where it lands; 409 when one has no place and no mapping.  Journalled."""
    return migrate_case(
        services().uow(),
        current_actor(),
        case_id,
        body["version"],
        services().clock.now(),
        dry_run=body["dry_run"],
        mapping=body["mapping"],
    )


@blp.route("/<int(max=2147483647):case_id>/journal", methods=["GET"])
@blp.response(200, JournalEntrySchema(many=True))
def journal(case_id: int):
    """Every state change of the case, oldest first."""
    return case_journal(services().uow(), current_actor(), case_id)


@blp.route("/<int(max=2147483647):case_id>/letters", methods=["GET"])
@blp.response(200, LetterSchema(many=True))
def letters(case_id: int):
    """The case's letters (afgørelser, genvurderinger), oldest first."""
    return list_letters(services().uow(), current_actor(), case_id)


@blp.route("/<int(max=2147483647):case_id>/letters/<int(max=2147483647):letter_id>/pdf", methods=["GET"])
@blp.response(200, content_type="application/pdf", description="Brevet som PDF")
def letter(case_id: int, letter_id: int):
    """One letter as PDF; the read is access-logged."""
    filename, pdf = letter_pdf(services().uow(), current_actor(), case_id, letter_id)
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
