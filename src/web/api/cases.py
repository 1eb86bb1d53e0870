from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from tasks.casefile.export import export_case_file
from tasks.cases.migration import migrate_case
from tasks.cases.opening import open_case
from tasks.cases.reading import case_journal, get_case
from tasks.cases.responsibility import set_sagsansvarlig, unassigned_cases
from tasks.cases.search import CaseQuery, search_cases
from tasks.cases.teams import move_case
from tasks.documents.storage import download_document, list_documents, upload_document
from tasks.klager.execution import register_execution_complaint
from tasks.klager.model import KlageSubject
from tasks.klager.registration import KlageAbout, register_klage
from tasks.letters.reading import letter_pdf, list_letters
from tasks.letters.resend import resend_letter
from tasks.notes.writing import add_note, list_notes
from tasks.stays.refusal import refuse_stay
from tasks.work.messages import deliver_message
from web.api.schemas import (
    CaseCreateSchema,
    CaseHitSchema,
    CaseSchema,
    CaseSearchSchema,
    DocumentSchema,
    DocumentUploadSchema,
    ExecutionComplaintCreateSchema,
    ExecutionComplaintSchema,
    JournalEntrySchema,
    KlageCreateSchema,
    KlageSchema,
    LetterSchema,
    MessageDeliveredSchema,
    MessageSchema,
    MigrateSchema,
    MigrationSchema,
    MoveCaseSchema,
    NoteCreateSchema,
    NoteSchema,
    SagsansvarligSchema,
    StayRefusalCreateSchema,
    StayRefusalSchema,
    UnassignedCaseSchema,
)
from web.api.translate import new_case
from web.auth import current_actor, services, settings
from web.downloads import attachment

blp = Blueprint("cases", __name__, url_prefix="/api/v1/cases", description="Sager")


@blp.route("", methods=["POST"])
@blp.arguments(CaseCreateSchema)
@blp.response(201, CaseSchema)
def create(body: dict):
    """Register a henvendelse and start its process."""
    return open_case(services().uow(), current_actor(), new_case(body), services().clock.now())


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
        KlageAbout(KlageSubject(body["subject"]), body["letter_id"], body["complaint"]),
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


@blp.route("/<int(max=2147483647):case_id>/letters/<int(max=2147483647):letter_id>/resend", methods=["POST"])
@blp.response(200, LetterSchema)
def resend(case_id: int, letter_id: int):
    """Send a failed letter again (sagsbehandler, leder): back in the queue with its date, PDF and message id;
    journalled.  A letter that has not failed is refused with 409."""
    return resend_letter(services().uow(), current_actor(), case_id, letter_id, services().clock.now())


ID = "<int(max=2147483647):case_id>"


@blp.route("/search", methods=["POST"])
@blp.arguments(CaseSearchSchema)
@blp.response(200, CaseHitSchema(many=True), headers={"X-Total-Count": {"schema": {"type": "integer"}}})
def search(body: dict):
    """Visible cases matching reference, CPR, name or title (terms in the body, never the URL); every case
    listed is access-logged.  The total number of matches is in the X-Total-Count header."""
    result = search_cases(services().uow(), current_actor(), CaseQuery(**body))
    return result.hits, 200, {"X-Total-Count": str(result.total)}


@blp.route(f"/{ID}/notes", methods=["POST"])
@blp.arguments(NoteCreateSchema)
@blp.response(201, NoteSchema)
def create_note(body: dict, case_id: int):
    """Add a journalnotat (append-only: who, when, text)."""
    return add_note(services().uow(), current_actor(), case_id, body["text"], services().clock.now())


@blp.route(f"/{ID}/notes", methods=["GET"])
@blp.response(200, NoteSchema(many=True))
def notes(case_id: int):
    """The case's journalnotater, oldest first (access-logged)."""
    return list_notes(services().uow(), current_actor(), case_id)


@blp.route(f"/{ID}/documents", methods=["POST"])
@blp.arguments(DocumentUploadSchema, location="files")
@blp.response(201, DocumentSchema)
def upload_document_(files: dict, case_id: int):
    """Upload a file (multipart, field ``file``): PDF, images or office files, checked by their bytes."""
    upload = files["file"]
    return upload_document(
        services().uow(),
        current_actor(),
        case_id,
        upload.filename or "",
        upload.read(),
        services().clock.now(),
        settings().max_upload_bytes,
    )


@blp.route(f"/{ID}/documents", methods=["GET"])
@blp.response(200, DocumentSchema(many=True))
def documents(case_id: int):
    """The case's documents (access-logged)."""
    return list_documents(services().uow(), current_actor(), case_id)


@blp.route(f"/{ID}/documents/<int(max=2147483647):document_id>", methods=["GET"])
@blp.response(200, content_type="application/octet-stream", description="Dokumentets indhold")
def document(case_id: int, document_id: int):
    """One document's bytes, as an attachment (access-logged)."""
    return attachment(download_document(services().uow(), current_actor(), case_id, document_id))


@blp.route(f"/{ID}/team", methods=["POST"])
@blp.arguments(MoveCaseSchema)
@blp.response(200, CaseSchema)
def move(body: dict, case_id: int):
    """Move the case and its open tasks to another team (leder)."""
    return move_case(services().uow(), current_actor(), case_id, body["team"], services().clock.now())


@blp.route(f"/{ID}/udfoerelsesklager", methods=["POST"])
@blp.arguments(ExecutionComplaintCreateSchema)
@blp.response(201, ExecutionComplaintSchema)
def execution_complaint(body: dict, case_id: int):
    """Register a complaint about how help is carried out (handled by the municipality, not Ankestyrelsen)."""
    return register_execution_complaint(
        services().uow(), current_actor(), case_id, body["received_on"], body["complaint"], services().clock.now()
    )


@blp.route(f"/{ID}/afslag", methods=["POST"])
@blp.arguments(StayRefusalCreateSchema)
@blp.response(201, StayRefusalSchema)
def refusal(body: dict, case_id: int):
    """Register a krisecenter's refusal of a stay (§ 109); the citizen can complain about it."""
    return refuse_stay(
        services().uow(), current_actor(), case_id, body["refused_on"], body["reason"], services().clock.now()
    )


@blp.route(f"/{ID}/aktindsigt", methods=["GET"])
@blp.response(200, content_type="application/pdf", description="Sagens akter som én PDF")
def aktindsigt(case_id: int):
    """The case's whole file as one PDF with a table of contents (access-logged and journalled)."""
    filename, pdf = export_case_file(services().uow(), current_actor(), case_id, settings().font_dir)
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
