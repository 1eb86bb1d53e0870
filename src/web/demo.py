"""Demo users for every role and a few cases at different steps of the main pathway."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from tasks.accounts.model import User
from tasks.accounts.users import add_user
from tasks.cases.opening import NewCase, open_case
from tasks.parties.registration import Address
from tasks.service.actors import Actor
from tasks.service.services import Services
from tasks.work.completion import complete_task
from tasks.work.inbox import InboxFilter, list_tasks

DEMO_PASSWORD = "demo1234"
DEMO_USERS = [
    ("sagsbehandler", ["sagsbehandler"], "Team Nord", "Sara Sagsbehandler"),
    ("sagsbehandler2", ["sagsbehandler"], "Team Nord", "Søren Sagsbehandler"),
    ("konsulent", ["faglig_konsulent"], None, "Karen Faglig Konsulent"),
    ("leder", ["leder"], None, "Lars Leder"),
    ("krisecenter", ["krisecenter"], None, "Krisecenteret"),
    ("procesejer", ["procesejer"], None, "Pia Procesejer"),
    ("admin", ["administrator"], None, "Anders Administrator"),
]


def seed_demo(services: Services) -> list[tuple[str, list[str]]]:
    """Create demo users and cases once; running it again changes nothing."""
    now = services.clock.now()
    with services.uow() as uow:
        exists = uow.session.scalar(select(User.id).where(User.username == "sagsbehandler")) is not None
    if not exists:
        for username, roles, team, name in DEMO_USERS:
            add_user(
                services.uow(),
                username,
                DEMO_PASSWORD,
                roles,
                now,
                team=team,
                full_name=name,
                email=f"{username}@demo.sagsflow.invalid",
            )
        _seed_cases(services)
    return [(u, r) for u, r, _, _ in DEMO_USERS]


def _actor(services: Services, username: str) -> Actor:
    with services.uow() as uow:
        return Actor.of(uow.session.scalars(select(User).where(User.username == username)).one())


def _seed_cases(services: Services) -> None:
    sb = _actor(services, "sagsbehandler")
    now = services.clock.now()
    open_case(
        services.uow(),
        sb,
        NewCase(title="Ansøgning om socialpædagogisk støtte", ydelse="SEL § 85", received_at=now - timedelta(days=2)),
        now,
    )
    case = open_case(
        services.uow(),
        sb,
        NewCase(title="Henvendelse fra egen læge", ydelse="SEL § 107", received_at=now - timedelta(days=20)),
        now,
    )
    _complete_next(services, sb, case.id, {"kilde": "laege", "samtykke": True, "tolk": False, "bisidder": False})
    _complete_next(services, sb, case.id, _udredning())
    _complete_next(
        services,
        sb,
        case.id,
        {"partshoering_sendt": (now - timedelta(days=3)).date().isoformat(), "partshoering_svarfrist_dage": 14},
    )
    for title, ydelse, days, afvigelse, citizen in (
        # Trin 4 over the suggested Trin 3: Sagsflow finds the afvigelse; it waits for the faglig konsulent
        ("Ansøgning om bostøtte, 6 timer ugentligt", "SEL § 85", 30, True, "Jens Hansen"),
        ("Ansøgning om bostøtte, 4 timer ugentligt", "SEL § 85", 40, False, "Łucja Nowak"),  # decided: letter
    ):
        new = NewCase(
            title=title,
            ydelse=ydelse,
            received_at=now - timedelta(days=days),
            citizen_name=citizen,
            citizen_address=Address("Vestergade 12, 2. th.", "7100", "Vejle"),
        )
        case = open_case(services.uow(), sb, new, now)
        for data in (
            {"kilde": "borger", "samtykke": True, "tolk": False, "bisidder": False},
            _udredning(),
            {"partshoering_sendt": (now - timedelta(days=3)).date().isoformat(), "partshoering_svarfrist_dage": 14},
            {"svar_modtaget": (now - timedelta(days=1)).date().isoformat(), "borgerens_bemaerkninger": "Ingen"},
            _afgoerelse(ydelse, afvigelse),
        ):
            _complete_next(services, sb, case.id, data)
        if not afvigelse:
            _complete_next(services, sb, case.id, _bevilling(ydelse, now))
    krisecenter = _actor(services, "krisecenter")
    open_case(
        services.uow(),
        krisecenter,
        NewCase(
            process="krisecenter",
            team="Team Nord",
            title="Anonymt ophold",
            stay_started_on=(now - timedelta(days=2)).date(),
        ),
        now,
    )


def _complete_next(services: Services, actor: Actor, case_id: int, data: dict) -> None:
    task = list_tasks(services.uow(), actor, InboxFilter(case_id=case_id))[0]
    complete_task(services.uow(), actor, task.id, data, services.clock.now())


def _afgoerelse(ydelse: str, afvigelse: bool) -> dict:
    data = {
        "udfald": "bevilling",
        "begrundelse_regler": f"Serviceloven {ydelse.removeprefix('SEL ')} og kommunens kvalitetsstandard",
        "begrundelse_faktiske_forhold": "Udredningen viser moderat nedsat funktionsevne i praktiske opgaver og "
        "samfundsliv; borgeren har ikke haft bemærkninger i partshøringen",
        "begrundelse_hovedhensyn": "Borgeren har behov for støtte for at kunne klare sig i eget hjem",
        "lovgrundlag": ydelse,
        "serviceniveau": "Trin 4" if afvigelse else "Trin 3",
    }
    if afvigelse:
        data["afvigelse_begrundelse"] = "Flere timer end kvalitetsstandardens trin på grund af særlige behov"
    return data


def _bevilling(ydelse: str, now: datetime) -> dict:
    return {
        "ydelse": ydelse,
        "pakke": "Trin 3",
        "leverandoer": "Center for Social Rehabilitering",
        "startdato": (now + timedelta(days=7)).date().isoformat(),
        "egenbetaling": "Ingen",
        "handleplan_tilbudt": True,
    }


def _udredning() -> dict:
    areas = [
        "kommunikation",
        "egenomsorg",
        "mobilitet",
        "praktiske_opgaver",
        "sundhed",
        "samfundsliv",
        "socialt_liv",
        "omgivelser",
    ]
    return {
        "livsomraader": {a: {"niveau": "C", "borgerens_vurdering": "Har brug for hjælp"} for a in areas},
        "faglig_vurdering": "Moderat nedsat funktionsevne; støtte anbefales",
        "maaltype": "udvikle",
        "maal": "Borgeren kan selv handle ind inden for 6 måneder",
    }
