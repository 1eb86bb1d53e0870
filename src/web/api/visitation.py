from __future__ import annotations

from flask_smorest import Blueprint

from engine.calendar import local_date
from tasks.visitation.meetings import agenda, meetings
from web.api.schemas import MeetingQuerySchema, MeetingSchema
from web.auth import current_actor, services

blp = Blueprint(
    "visitation",
    __name__,
    url_prefix="/api/v1/visitationsudvalg",
    description="Visitationsudvalgets møder og dagsordener med indstillinger",
)


@blp.route("/moeder", methods=["GET"])
@blp.arguments(MeetingQuerySchema, location="query")
@blp.response(200, MeetingSchema(many=True))
def list_meetings(query: dict):
    """The udvalg's meetings from ``since`` (default today) with the number of indstillinger (leder, konsulent)."""
    since = query.get("since") or local_date(services().clock.now())
    return meetings(services().uow(), current_actor(), since)


@blp.route("/moeder/<int(max=2147483647):meeting_id>", methods=["GET"])
@blp.response(200, MeetingSchema)
def meeting(meeting_id: int):
    """One meeting's agenda: an indstilling per case, with the udvalg's decision once made."""
    return agenda(services().uow(), current_actor(), meeting_id)
