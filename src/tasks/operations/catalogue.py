"""Sagsflow's operations for service tasks.  Small and real: each does one thing to the case.

- ``skriv_brev(titel, tekst)``: writes a letter to the citizen on the case (a PDF like the
  afgørelsesbreve, listed with the case's letters); the process data gets ``{"skrevet": true, ...}``.
- ``opret_bestilling(ydelse, leverandoer, beskrivelse?, formaal?, maal?)``: records a bestilling to a
  leverandør on the case (a row in ``bestillinger``, with the case's active bevilling's extent and start; a
  leverandør outside the register is kept by name) and journals it; the process data gets
  ``{"oprettet": true, ...}``.

A diagram calls one as ``<spiffworkflow:serviceTaskOperator id="skriv_brev" resultVariable="brev">``
with ``<spiffworkflow:parameter id="titel" value='"Orientering"'/>`` (values are FEEL).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.operations import Operation, Operations, Parameter

MAX_TEXT = 20_000


def _text(params: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    value = params.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError(f"parameteren '{name}' er tom")
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError(f"parameteren '{name}' skal være en tekst")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ValueError(f"parameteren '{name}' er over {MAX_TEXT} tegn")
    return text


def _letter(params: Mapping[str, Any]) -> dict[str, Any]:
    return {"skrevet": True, "titel": _text(params, "titel")[:200], "tekst": _text(params, "tekst")}


def _bestilling(params: Mapping[str, Any]) -> dict[str, Any]:
    result = {
        "oprettet": True,
        "ydelse": _text(params, "ydelse")[:200],
        "leverandoer": _text(params, "leverandoer")[:200],
        "beskrivelse": _text(params, "beskrivelse", required=False),
    }
    for optional in ("formaal", "maal"):
        if value := _text(params, optional, required=False):
            result[optional] = value
    return result


SKRIV_BREV = Operation(
    "skriv_brev",
    "Skriv et brev til borgeren på sagen",
    (Parameter("titel", "Brevets overskrift"), Parameter("tekst", "Brevets tekst")),
    _letter,
)
OPRET_BESTILLING = Operation(
    "opret_bestilling",
    "Opret en bestilling hos en leverandør (indsats, formål og mål; sagens bevilling giver omfang og start)",
    (
        Parameter("ydelse", "Hvad der bestilles"),
        Parameter("leverandoer", "Hos hvem (navn eller id i leverandørregistret)"),
        Parameter("beskrivelse", "Indsatsen", required=False),
        Parameter("formaal", "Indsatsens formål", required=False),
        Parameter("maal", "Målene", required=False),
    ),
    _bestilling,
)

OPERATIONS = Operations((SKRIV_BREV, OPRET_BESTILLING))
