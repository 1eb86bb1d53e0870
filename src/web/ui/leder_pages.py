"""The leder's pages: overdue and soon-due work, and the sagsbehandlingstider report (chart + CSV)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, render_template, request

from engine.calendar import local_date
from tasks.reports.overview import OVERVIEW_ROLES, deadline_overview
from tasks.reports.processing_times import REPORT_ROLES, as_csv, processing_times
from tasks.service.errors import Invalid
from web.auth import services
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_leder", __name__)


@bp.get("/overblik")
@roles_required(*OVERVIEW_ROLES)
def overview():
    overview = deadline_overview(services().uow(), page_actor())
    return render_template("overview.html", overview=overview, unassigned=overview.unassigned)


@bp.get("/rapporter/sagsbehandlingstider")
@roles_required(*REPORT_ROLES)
def report():
    """A bad period keeps the form, with the error next to the field it is about (422)."""
    raw = {"fra": request.args.get("fra", ""), "til": request.args.get("til", "")}
    try:
        first, last = _period()
        rows = processing_times(services().uow(), page_actor(), first, last)
    except Invalid as exc:
        html = render_template("report.html", rows=[], first=None, last=None, raw=raw, errors=exc.errors)
        return html, 422
    return render_template("report.html", rows=rows, first=first, last=last, raw=raw, errors={})


@bp.get("/rapporter/sagsbehandlingstider.csv")
@roles_required(*REPORT_ROLES)
def report_csv():
    first, last = _period()
    rows = processing_times(services().uow(), page_actor(), first, last)
    filename = f"sagsbehandlingstider_{first.isoformat()}_{last.isoformat()}.csv"
    return Response(
        "\ufeff" + as_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _period() -> tuple[date, date]:
    """?fra=ÅÅÅÅ-MM-DD&til=ÅÅÅÅ-MM-DD; by default the last 365 days up to today."""
    today = local_date(now())
    return _day("fra", today - timedelta(days=365)), _day("til", today)


def _day(name: str, default: date) -> date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"Ugyldig dato i '{name}'", {name: ["Brug formatet ÅÅÅÅ-MM-DD"]}) from None
