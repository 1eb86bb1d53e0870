"""Test helpers: users, an API client that speaks for one user, and form data for each step."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select

from tasks.accounts.model import User
from tasks.accounts.teams import ensure_team
from tasks.accounts.users import add_user
from tasks.service.actors import Actor
from tasks.service.services import Services

PASSWORD = "korrekt-hest-1"
LIFE_AREAS = [
    "kommunikation",
    "egenomsorg",
    "mobilitet",
    "praktiske_opgaver",
    "sundhed",
    "samfundsliv",
    "socialt_liv",
    "omgivelser",
]


def make_user(services: Services, username: str, *roles: str, team: str | None = "Team Nord") -> None:
    add_user(services.uow(), username, PASSWORD, list(roles), services.clock.now(), team=team)


def actor(services: Services, username: str) -> Actor:
    """The user ``username`` as the services see a caller."""
    with services.uow() as uow:
        return Actor.of(uow.session.scalars(select(User).where(User.username == username)).one())


def make_team(services: Services, name: str) -> None:
    with services.uow() as uow:
        ensure_team(uow, name, services.clock.now())
        uow.commit()


@dataclass
class Api:
    """Calls the JSON API as one logged-in user."""

    client: Any
    token: str

    @classmethod
    def login(cls, client: Any, username: str, password: str = PASSWORD) -> Api:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        return cls(client, response.get_json()["token"])

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, **kwargs: Any):
        return self.client.get(f"/api/v1{path}", headers=self._headers(), **kwargs)

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None, **kwargs: Any):
        return self.client.post(f"/api/v1{path}", json=json, headers=self._headers(headers), **kwargs)

    def open_case(self, **fields: Any) -> dict[str, Any]:
        response = self.post("/cases", json={"title": "Test", "ydelse": "SEL § 85", **fields})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def only_task(self, case_id: int) -> dict[str, Any]:
        body = self.get(f"/cases/{case_id}").get_json()
        assert "tasks" in body, body
        tasks = body["tasks"]
        assert len(tasks) == 1, tasks
        return tasks[0]

    def complete(self, task_id: int, data: dict[str, Any], expect: int = 200) -> dict[str, Any]:
        response = self.post(f"/tasks/{task_id}/complete", json=data)
        assert response.status_code == expect, response.get_json()
        return response.get_json()


def henvendelse() -> dict[str, Any]:
    return {"kilde": "borger", "samtykke": True, "tolk": False, "bisidder": False}


def udredning() -> dict[str, Any]:
    return {
        "livsomraader": {a: {"niveau": "C", "borgerens_vurdering": "Har brug for støtte"} for a in LIFE_AREAS},
        "faglig_vurdering": "Moderat nedsat funktionsevne",
        "maaltype": "udvikle",
        "maal": "Kan selv handle ind inden 6 måneder",
    }


def partshoering(sent: str = "2026-11-23", days: int = 14) -> dict[str, Any]:
    return {"partshoering_sendt": sent, "partshoering_svarfrist_dage": days, "materiale": "Udredningen"}


def afgoerelse(udfald: str = "bevilling", afvigelse: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "udfald": udfald,
        "begrundelse_regler": "Serviceloven § 85 og kommunens kvalitetsstandard for socialpædagogisk støtte",
        "begrundelse_faktiske_forhold": "Udredningen viser moderat nedsat funktionsevne i praktiske opgaver",
        "begrundelse_hovedhensyn": "Borgeren opfylder betingelserne",
        "afvigelse": afvigelse,
        "lovgrundlag": "SEL § 85",
    }
    if afvigelse:
        data["afvigelse_begrundelse"] = "Pakke over standarden pga. særlige behov"
    return data


TRIN_3 = "Trin 3: gennemsnitligt 2,8 timers støtte om ugen (4,10 timer brutto), 3–4 indsatser"


def bevilling() -> dict[str, Any]:
    return {
        "ydelse": "SEL § 85",
        "pakke": "Trin 3",
        "leverandoer": "Center for Social Rehabilitering",
        "startdato": "2027-01-04",
        "handleplan_tilbudt": True,
    }


# What Opret bevilling needs for ydelser other than § 85 (the catalogue's levels and leverandører).
OTHER_GRANTS: dict[str, dict[str, Any]] = {
    "SEL § 107": {"pakke": "Midlertidigt ophold", "omfang": "Døgnophold i botilbud", "leverandoer": "Bo-Vejle"},
    "SEL § 108": {"pakke": "Længerevarende ophold", "omfang": "Døgnophold i botilbud", "leverandoer": "Bo-Vejle"},
    "SEL § 97": {"pakke": "15 timer om måneden", "leverandoer": "selvvalgt"},
}


def genvurdering(udfald: str, hovedhensyn: str) -> dict[str, Any]:
    return {
        "udfald": udfald,
        "begrundelse_regler": "Retssikkerhedsloven § 66 og serviceloven § 85",
        "begrundelse_faktiske_forhold": "Klagen og sagens oplysninger",
        "begrundelse_hovedhensyn": hovedhensyn,
    }


def ophoer_uden_partshoering(last_day: str = "2027-05-31") -> list[dict[str, Any]]:
    """The steps of an ophør after an opfølgning: the partshøring exception, then the afgørelse."""
    return [
        {"partshoering_undtagelse": "ikke_ugunst", "undtagelse_begrundelse": "Borgeren har selv bedt om at stoppe"},
        {
            "aendring": "ophoer",
            "ophoersdato": last_day,
            "begrundelse_regler": "Serviceloven § 85 og § 148, stk. 2",
            "begrundelse_faktiske_forhold": "Opfølgningen viser, at borgeren klarer sig selv",
            "begrundelse_hovedhensyn": "Formålet med støtten er nået",
            "afvigelse": False,
        },
    ]


def dispatch(services: Services, transport: Any = None) -> Any:
    """Run the letter dispatch job once at the services' clock (what the scheduler does every 30 seconds)."""
    from tasks.letters.dispatch import dispatch_letters

    return dispatch_letters(services, services.clock.now(), transport)


def opfoelgning(continues: bool) -> dict[str, Any]:
    return {"opfoelgning_dato": "2027-04-01", "vurdering": "Støtten virker", "ydelse_fortsaetter": continues}


def to_opfoelgning(api: Api, case_id: int, ydelse: str = "SEL § 85") -> dict[str, Any]:
    """Drive a new main-pathway case through afgørelse and bevilling to its first opfølgning task."""
    granted = {**bevilling(), "ydelse": ydelse, **OTHER_GRANTS.get(ydelse, {})}
    steps = (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse(), granted)
    for data in steps:
        api.complete(api.only_task(case_id)["id"], data)
    return api.only_task(case_id)


def decided_case(api: Api, udfald: str = "bevilling", **fields: Any) -> dict[str, Any]:
    """A main-pathway case driven to its afgørelse (a klage needs one), with its afgørelsesbrev written."""
    case = api.open_case(**fields)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse(udfald)):
        tasks = api.get(f"/cases/{case['id']}").get_json()["tasks"]
        api.complete(next(t for t in tasks if t["bpmn_id"] != "underret_borger")["id"], data)
    return case


def granted_case(api: Api, **fields: Any) -> dict[str, Any]:
    """A main-pathway case decided and granted: the afgørelsesbrev (written with the bevilling) is on the case."""
    case = decided_case(api, **fields)
    tasks = api.get(f"/cases/{case['id']}").get_json()["tasks"]
    api.complete(next(t for t in tasks if t["bpmn_id"] == "bevilling")["id"], bevilling())
    return case


def to_udvalg(api: Api) -> int:
    """A case whose afgørelse (600.000 kr. a year) is above every other kompetence: on the udvalg's agenda."""
    case = api.open_case()
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}):
        api.complete(api.only_task(case["id"])["id"], data)
    above = {**afgoerelse(), "serviceniveau": "Trin 3", "aarligt_beloeb": 600_000}
    api.complete(api.only_task(case["id"])["id"], above)
    return case["id"]


@contextmanager
def sql_sent(services: Services, *, transactions: bool = False) -> Iterator[list[str]]:
    """Every SQL statement sent on the services' engine inside the block, whitespace collapsed (an executemany
    counts once).  ``transactions``: mark where each transaction began with "<begin>", on any database
    (PostgreSQL's driver sends its BEGIN itself; SQLite's BEGIN, sent as a statement, is left out then)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not (transactions and statement.startswith("BEGIN")):
            sent.append(" ".join(statement.split()))

    def began(_conn: object) -> None:
        sent.append("<begin>")

    engine = services.session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    if transactions:
        event.listen(engine, "begin", began)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
        if transactions:
            event.remove(engine, "begin", began)
