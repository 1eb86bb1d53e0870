"""The process-data names Sagsflow itself sets when a case's process starts.

A diagram may read them (timers, conditions, due expressions); a client can never set them (a start
form may not declare them), and the engine's deploy check counts them as known names.
"""

from __future__ import annotations

from tasks.pathways.klage import START_DATA_NAMES as KLAGE_DATA
from tasks.pathways.sagsbehandling import START_DATA_NAMES as SAGSBEHANDLING_DATA

COMMON = frozenset({"ydelse", "received_at", "received_on", "stay_started_on"})
SYSTEM_DATA_NAMES = COMMON | SAGSBEHANDLING_DATA | KLAGE_DATA
