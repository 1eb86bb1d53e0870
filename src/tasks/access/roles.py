"""The roles a user can hold, and how a diagram's lane names map onto them."""

from __future__ import annotations

ROLES: tuple[str, ...] = (
    "sagsbehandler",
    "faglig_konsulent",
    "leder",
    "krisecenter",
    "procesejer",
    "administrator",
)

ROLE_LABELS_DA = {
    "sagsbehandler": "Sagsbehandler",
    "faglig_konsulent": "Faglig konsulent",
    "leder": "Leder",
    "krisecenter": "Krisecenter/forsorgshjem",
    "procesejer": "Procesejer",
    "administrator": "Administrator",
}

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "_", "-": "_", "/": "_"})


def role_for_lane(lane: str | None) -> str | None:
    """'Faglig konsulent' -> 'faglig_konsulent'; None when the lane names no known role."""
    if not lane:
        return None
    key = lane.strip().lower().translate(_FOLD)
    return key if key in ROLES else None


def unknown_roles(roles: list[str]) -> list[str]:
    return [r for r in roles if r not in ROLES]


def role_label(role: str) -> str:
    """A role in words for running text: 'faglig_konsulent' -> 'faglig konsulent'."""
    return ROLE_LABELS_DA.get(role, role).lower()
