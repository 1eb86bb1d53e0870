"""One letter of each kind rendered to PNG (pdftoppm) in test-artifacts/letters/, to be looked at as a citizen would."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tasks.accounts.model import User
from tasks.work.timers import sweep_timers
from tests.helpers import (
    Api,
    afgoerelse,
    bevilling,
    dispatch,
    genvurdering,
    henvendelse,
    opfoelgning,
    ophoer_uden_partshoering,
    partshoering,
    udredning,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "letters"
ADDRESS = {"street": "Vestergade 12, 2. th.", "postal_code": "7100", "city": "Vejle"}
KINDS = ("partshoering", "underretning", "afgoerelse", "aendring", "ophoer", "genvurdering", "ankestyrelsen_bundle")


@pytest.fixture
def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        if os.environ.get("SAGSFLOW_BROWSER_TESTS") == "required":
            pytest.fail("pdftoppm mangler (bash scripts/poppler.sh)")
        pytest.skip("pdftoppm mangler (apt-get install poppler-utils)")
    return found


def _next(api: Api, case_id: int) -> dict:
    return next(t for t in api.get(f"/cases/{case_id}").get_json()["tasks"] if t["bpmn_id"] != "underret_borger")


def _one_case_with_every_letter(sara: Api, services, clock, client) -> tuple[Api, int, int]:
    case = sara.open_case(title="Ansøgning om bostøtte", citizen={"name": "Łucja Nowak", "address": ADDRESS})
    cid = case["id"]
    clock.set(datetime(2027, 1, 11, 8, 0, tzinfo=UTC))
    sweep_timers(services, clock.now())
    sara = Api.login(client, "sara")
    underret = next(t for t in sara.get(f"/cases/{cid}").get_json()["tasks"] if t["bpmn_id"] == "underret_borger")
    sara.complete(
        underret["id"],
        {
            "underretning_sendt": "2027-01-11",
            "forventet_afgoerelse": "2027-02-26",
            "aarsag": "Vi venter på en udtalelse fra din egen læge om, hvor meget støtte du har brug for.",
        },
    )
    heard = {**partshoering("2027-01-11"), "materiale": "Udredningen (VUM 2.0) af 8. januar 2027 og lægens udtalelse"}
    for data in (henvendelse(), udredning(), heard, {"svar_modtaget": "2027-01-18"}, afgoerelse(), bevilling()):
        sara.complete(_next(sara, cid)["id"], data)
    sara.complete(_next(sara, cid)["id"], {**opfoelgning(True), "aendring_foreslaaet": True})
    steps = [
        {
            "partshoering_undtagelse": "ingen",
            "partshoering_sendt": "2027-01-12",
            "partshoering_svarfrist_dage": 14,
            "materiale": "Opfølgningsnotat af 11. januar 2027: du klarer indkøb og rengøring selv",
        },
        {"svar_modtaget": "2027-01-20", "borgerens_bemaerkninger": "Enig"},
        {
            "aendring": "aendring",
            "ny_pakke": "Trin 2",
            "ny_leverandoer": "Center for Social Rehabilitering",
            "ny_startdato": "2027-02-01",
            "begrundelse_regler": "Serviceloven § 85 og kvalitetsstandardens trin 2",
            "begrundelse_faktiske_forhold": "Opfølgningen viser, at du klarer flere praktiske opgaver selv",
            "begrundelse_hovedhensyn": "Trin 2 dækker dit behov for støtte nu",
            "afvigelse": False,
        },
    ]
    for data in steps:
        sara.complete(_next(sara, cid)["id"], data)
    sara.complete(_next(sara, cid)["id"], opfoelgning(False))
    for data in ophoer_uden_partshoering("2027-05-31"):
        sara.complete(_next(sara, cid)["id"], data)
    klage = sara.post(
        f"/cases/{cid}/klager", json={"received_at": "2027-01-11T08:30:00+01:00", "decision_received_on": "2027-01-11"}
    ).get_json()
    sara.complete(sara.only_task(klage["id"])["id"], genvurdering("fastholdt", "Der er ingen nye oplysninger"))
    sara.complete(sara.only_task(klage["id"])["id"], {"sendt_dato": "2027-01-12", "akter": "Hele sagen"})
    return sara, cid, klage["id"]


def test_one_letter_of_each_kind_is_rendered_to_png(sara, services, clock, client, pdftoppm):
    with services.uow() as uow:  # the caseworker as a citizen sees her: full name and e-mail
        user = uow.session.scalars(select(User).where(User.username == "sara")).one()
        user.full_name, user.email = "Sara Holm Jensen", "sahje@vejle.dk"
        uow.commit()
    sara, case_id, klage_id = _one_case_with_every_letter(sara, services, clock, client)
    exempt = sara.open_case(
        title="Ansøgning om ledsagelse",
        ydelse="SEL § 97",
        citizen={"name": "Jens Hansen", "address": ADDRESS, "digital_post_exempt": True},
    )
    for data in (henvendelse(), udredning(), partshoering("2027-01-11"), {"svar_modtaget": "2027-01-12"}):
        sara.complete(_next(sara, exempt["id"])["id"], data)
    sara.complete(_next(sara, exempt["id"])["id"], {**afgoerelse("afslag"), "lovgrundlag": "SEL § 97"})
    dispatch(services)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    written = {}
    for cid in (case_id, klage_id, exempt["id"]):
        for letter in sara.get(f"/cases/{cid}/letters").get_json():
            name = letter["kind"] + ("_fysisk_post" if letter["channel"] == "fysisk_post" else "")
            if name in written:
                continue
            pdf = ARTIFACTS / f"{name}.pdf"
            pdf.write_bytes(sara.get(f"/cases/{cid}/letters/{letter['id']}/pdf").data)
            for old in ARTIFACTS.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run([pdftoppm, "-png", "-r", "70", str(pdf), str(ARTIFACTS / name)], check=True, timeout=60)
            written[name] = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert set(KINDS) | {"afgoerelse_fysisk_post"} <= set(written)
    assert all(pages and pages[0].stat().st_size > 10_000 for pages in written.values())
