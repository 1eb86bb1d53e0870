"""Turn validated request bodies into the application layer's input values (no logic, no IO)."""

from __future__ import annotations

from typing import Any

from tasks.cases.opening import NewCase
from tasks.parties.registration import Address, NewParty


def new_case(body: dict[str, Any]) -> NewCase:
    fields = dict(body)
    citizen = fields.pop("citizen", None) or {}
    representatives = fields.pop("representatives", None) or []
    return NewCase(
        **fields,
        citizen_cpr=citizen.get("cpr"),
        citizen_name=citizen.get("name"),
        citizen_address=_address(citizen.get("address")),
        digital_post_exempt=bool(citizen.get("digital_post_exempt")),
        representatives=tuple(
            NewParty(r["name"], r.get("relation", ""), _address(r.get("address"))) for r in representatives
        ),
    )


def _address(data: dict[str, Any] | None) -> Address | None:
    if not data:
        return None
    return Address(data["street"], data["postal_code"], data["city"])
