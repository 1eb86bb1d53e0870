"""What a caseworker adds to a case's file from its page: journalnotater, documents (upload and download), a
refused stay; and the aktindsigt export.  Bad input re-renders the case page with the error at the field."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, request, url_for

from tasks.casefile.export import export_case_file
from tasks.documents.storage import download_document, upload_document
from tasks.notes.writing import add_note
from tasks.service.errors import Invalid, TooLarge, UnsupportedType
from tasks.stays.refusal import refuse_stay
from web.auth import services, settings
from web.downloads import attachment
from web.ui.case_pages import ID, render_case
from web.ui.session import login_required, now, page_actor

bp = Blueprint("ui_casefile", __name__)


@bp.post(f"/sager/{ID}/notater")
@login_required
def note(case_id: int):
    text = request.form.get("text", "")
    try:
        add_note(services().uow(), page_actor(), case_id, text, now())
    except Invalid as exc:
        return render_case(case_id, {f"note.{k}": v for k, v in exc.errors.items()}, {"note.text": text}, 422)
    flash("Journalnotatet er tilføjet.", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id, _anchor="noter-h"))


@bp.post(f"/sager/{ID}/dokumenter")
@login_required
def upload(case_id: int):
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise Invalid("Vælg en fil", {"file": ["Vælg en fil at lægge på sagen"]})
        document = upload_document(
            services().uow(), page_actor(), case_id, file.filename, file.read(), now(), settings().max_upload_bytes
        )
    except TooLarge as exc:
        return render_case(case_id, {f"document.{k}": v for k, v in exc.errors.items()}, status=413)
    except UnsupportedType as exc:
        return render_case(case_id, {f"document.{k}": v for k, v in exc.errors.items()}, status=415)
    except Invalid as exc:
        return render_case(case_id, {f"document.{k}": v for k, v in exc.errors.items()}, status=422)
    flash(f"{document.filename} er lagt på sagen.", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id, _anchor="dokumenter-h"))


@bp.get(f"/sager/{ID}/dokumenter/<int(max=2147483647):document_id>")
@login_required
def download(case_id: int, document_id: int):
    return attachment(download_document(services().uow(), page_actor(), case_id, document_id, purpose="ui:dokument"))


@bp.post(f"/sager/{ID}/afslag")
@login_required
def refuse(case_id: int):
    raw_day, reason = request.form.get("refused_on", ""), request.form.get("reason", "")
    values = {"refusal.refused_on": raw_day, "refusal.reason": reason}
    try:
        day = _day(raw_day, "refused_on")
        refuse_stay(services().uow(), page_actor(), case_id, day, reason, now())
    except Invalid as exc:
        return render_case(case_id, {f"refusal.{k}": v for k, v in exc.errors.items()}, values, 422)
    flash("Afslaget på opholdet er registreret.", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id))


@bp.get(f"/sager/{ID}/aktindsigt.pdf")
@login_required
def aktindsigt(case_id: int):
    filename, pdf = export_case_file(services().uow(), page_actor(), case_id, settings().font_dir)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"},
    )


def _day(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise Invalid("Ugyldig dato", {field: ["Skriv en dato (ÅÅÅÅ-MM-DD)"]}) from None
