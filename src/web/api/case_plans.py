"""The case's § 141 handleplan and its bestillinger to leverandører (with the leverandør's status)."""

from __future__ import annotations

from flask_smorest import Blueprint

from tasks.bestillinger.ordering import NewBestilling, bestillinger, create_bestilling, record_status
from tasks.handleplaner.plans import handleplan, save_handleplan
from web.api.schemas import (
    BestillingInSchema,
    BestillingSchema,
    HandleplanInSchema,
    HandleplanSchema,
    StatusInSchema,
)
from web.auth import current_actor, services

blp = Blueprint("case_plans", __name__, url_prefix="/api/v1/cases", description="Handleplan (§ 141) og bestillinger")

CASE = "<int(max=2147483647):case_id>"


@blp.route(f"/{CASE}/handleplan", methods=["PUT"])
@blp.arguments(HandleplanInSchema)
@blp.response(200, HandleplanSchema)
def put_handleplan(body: dict, case_id: int):
    """Offer the handleplan, or record that the citizen accepted or declined it, with its goals."""
    s = services()
    return save_handleplan(
        s.uow(), current_actor(), case_id, body["status"], body["maal"], s.clock.now(), body["besvaret_on"]
    )


@blp.route(f"/{CASE}/handleplan", methods=["GET"])
@blp.response(200, HandleplanSchema)
def get_handleplan(case_id: int):
    """The case's handleplan."""
    return handleplan(services().uow(), current_actor(), case_id)


@blp.route(f"/{CASE}/bestillinger", methods=["POST"])
@blp.arguments(BestillingInSchema)
@blp.response(201, BestillingSchema)
def post_bestilling(body: dict, case_id: int):
    """Order the active bevilling from a leverandør; its status is then due before each opfølgning."""
    s = services()
    return create_bestilling(s.uow(), current_actor(), case_id, NewBestilling(**body), s.clock.now())


@blp.route(f"/{CASE}/bestillinger", methods=["GET"])
@blp.response(200, BestillingSchema(many=True))
def list_bestillinger(case_id: int):
    """The case's bestillinger with the statuses expected and received."""
    return bestillinger(services().uow(), current_actor(), case_id)


@blp.route(f"/{CASE}/bestillinger/<int(max=2147483647):bestilling_id>/status", methods=["POST"])
@blp.arguments(StatusInSchema)
@blp.response(200, BestillingSchema)
def post_status(body: dict, case_id: int, bestilling_id: int):
    """The leverandør's status before the next opfølgning arrived."""
    s = services()
    return record_status(
        s.uow(), current_actor(), case_id, bestilling_id, body["received_on"], body["tekst"], s.clock.now()
    )
