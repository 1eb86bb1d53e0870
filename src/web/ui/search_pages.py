"""The case list: search (reference, CPR, name, title, ydelse, status, team), column sorting and paging.

The search form posts: a CPR number never goes into a URL.  Sorting and paging buttons post the same form
again (hidden fields), so the terms stay in the body.  Every case listed is access-logged (``ui:soegning``)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tasks.accounts.teams import list_teams
from tasks.cases.search import SORTABLE, CaseQuery, search_cases
from tasks.kvalitetsstandard.tables import ydelse_choices
from tasks.service.errors import Invalid
from web.auth import services
from web.ui.session import page_actor, roles_required

bp = Blueprint("ui_search", __name__)

SEARCHERS = ("sagsbehandler", "faglig_konsulent", "leder", "krisecenter", "administrator")
PAGE_SIZE = 25
COLUMNS = (
    ("reference", "Sag"),
    ("title", "Emne"),
    ("name", "Borger"),
    ("ydelse", "Ydelse"),
    ("status", "Status"),
    ("team", "Team"),
    ("received_at", "Modtaget"),
)


@bp.route("/sager", methods=["GET", "POST"])
@roles_required(*SEARCHERS)
def cases():
    form = request.form if request.method == "POST" else {}
    query, errors = _query(form)
    result = None
    if not errors:
        try:
            result = search_cases(services().uow(), page_actor(), query, purpose="ui:soegning")
        except Invalid as exc:
            errors = exc.errors
    page = render_template(
        "cases.html",
        query=query,
        result=result,
        errors=errors,
        columns=COLUMNS,
        teams=[t.name for t in list_teams(services().uow())],
        ydelser=ydelse_choices(services().uow()),
        page_size=PAGE_SIZE,
    )
    return page, (422 if errors else 200)


def _query(form) -> tuple[CaseQuery, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    sort = form.get("sort") or "received_at"
    if sort not in SORTABLE:
        errors["sort"] = ["Ukendt kolonne"]
        sort = "received_at"
    try:
        offset = max(0, int(form.get("offset") or 0))
    except ValueError:
        errors["offset"] = ["Ugyldig side"]
        offset = 0
    status = form.get("status") or None
    if status not in (None, "open", "closed"):
        errors["status"] = ["Vælg åben eller afsluttet"]
        status = None
    query = CaseQuery(
        q=(form.get("q") or "").strip(),
        status=status,
        team=form.get("team") or None,
        ydelse=form.get("ydelse") or None,
        sort=sort,
        descending=form.get("retning", "ned") != "op",
        limit=PAGE_SIZE,
        offset=offset,
    )
    return query, errors
