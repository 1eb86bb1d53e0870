"""The citizen on a case: the address and Digital Post status (from the CPR register, or entered by hand)."""

from __future__ import annotations

from flask_smorest import Blueprint

from tasks.parties.citizen import citizen_record, enter_address, refresh_from_register
from tasks.parties.registration import Address
from web.api.schemas import CitizenAddressSchema, CitizenRecordSchema
from web.auth import current_actor, services

blp = Blueprint("citizens", __name__, url_prefix="/api/v1/cases", description="Borgerens adresse")
CASE = "/<int(max=2147483647):case_id>/citizen"


@blp.route(CASE, methods=["GET"])
@blp.response(200, CitizenRecordSchema)
def record(case_id: int):
    """The citizen's name, address, Digital Post status and where the address came from (access-logged)."""
    return citizen_record(services().uow(), current_actor(), case_id)


@blp.route(f"{CASE}/lookup", methods=["POST"])
@blp.response(200, CitizenRecordSchema)
def lookup(case_id: int):
    """Ask the CPR register (SF1520) again; 503 when it cannot answer (then enter the address by hand)."""
    return refresh_from_register(services().uow(), current_actor(), case_id, services().clock.now())


@blp.route(f"{CASE}/address", methods=["PUT"])
@blp.arguments(CitizenAddressSchema)
@blp.response(200, CitizenRecordSchema)
def address(body: dict, case_id: int):
    """Enter the address and Digital Post status by hand (journalled; the case says it was entered by hand)."""
    a = body["address"]
    return enter_address(
        services().uow(),
        current_actor(),
        case_id,
        Address(a["street"], a["postal_code"], a["city"]),
        body["digital_post_exempt"],
        services().clock.now(),
        body.get("address_protected"),
    )
