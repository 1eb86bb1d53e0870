"""Open a case: validate what the client sent, start the process, store the case, mirror its tasks.

What a client sends is data, never process control: ``details`` must match the process's start
form (unknown keys refused), and every field the system decides — links to other cases, the
frister's start data, the kvalitetsstandard versions, the team rules — is set here, by the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from engine.calendar import local_date
from engine.definitions import UnknownProcess
from engine.models import ProcessVersion
from engine.runtime import ProcessError
from tasks.access.policy import CROSS_TEAM_ROLES
from tasks.accounts.teams import ensure_known_team
from tasks.cases.cpr import cpr_problem
from tasks.cases.model import Case, CaseStatus
from tasks.cases.reading import case_view
from tasks.cases.responsibility import choose_sagsansvarlig
from tasks.cases.views import CaseView
from tasks.events import CaseOpened
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.kvalitetsstandard.tables import paragraph_order, standard_in_force
from tasks.parties.cpr_register import CprRegister
from tasks.parties.lookup import AddressOrigin, consult
from tasks.parties.registration import Address, NewParty, check_parties, register_parties
from tasks.pathways import pathway_for
from tasks.pathways.sagsbehandling import SAGSBEHANDLING
from tasks.pathways.sagsbehandling import start_data as sagsbehandling_start_data
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.forms import form_errors
from tasks.work.projection import apply_step

CASE_OPENERS = frozenset({"sagsbehandler", "krisecenter"})
# Custom processes a procesejer deploys (not a shipped pathway) are opened by sagsbehandlere.
DEFAULT_OPENERS = frozenset({"sagsbehandler"})


@dataclass(frozen=True)
class NewCase:
    process: str = "sagsbehandling"
    received_at: datetime | None = None
    title: str = ""
    ydelse: str | None = None
    team: str | None = None
    citizen_cpr: str | None = None
    citizen_name: str | None = None
    stay_started_on: date | None = None
    sagsansvarlig: str | None = None  # a username; default: the registering sagsbehandler
    details: dict[str, Any] = field(default_factory=dict)
    citizen_address: Address | None = None
    digital_post_exempt: bool = False  # fritaget for Digital Post: letters go by physical post
    representatives: tuple[NewParty, ...] = ()
    address_origin: AddressOrigin | None = None  # set by the service (the CPR register or by hand), never a client


def open_case(uow: UnitOfWork, actor: Actor, new: NewCase, now: datetime) -> CaseView:
    """Register a henvendelse (or a stay): start the process and create the first tasks, in one transaction.

    The citizen's address and Digital Post status are asked from the CPR register first, before the
    transaction opens; when it cannot answer, the address the caseworker entered is used."""
    ensure_may_open(actor, new.process)
    new = with_register(uow.cpr_register, new, now)
    with uow:
        case = start_case(uow, actor, new, now)
        uow.dispatch()
        view = case_view(uow, case)
        uow.commit()
    return view


def with_register(register: CprRegister | None, new: NewCase, now: datetime) -> NewCase:
    """``new`` with what the CPR register says about its citizen (network; call with no transaction open)."""
    if new.citizen_cpr is not None and cpr_problem(new.citizen_cpr):
        return new  # refused in the transaction, naming the field
    entered = new.citizen_address
    given = (entered.street, entered.postal_code, entered.city) if entered is not None else None
    answer = consult(register, new.citizen_cpr, given, new.digital_post_exempt, now)
    if answer is None:
        return new
    return replace(
        new,
        citizen_name=new.citizen_name or answer.name,
        citizen_address=Address(*answer.address) if answer.address else None,
        digital_post_exempt=answer.digital_post_exempt,
        address_origin=answer.origin,
    )


def ensure_may_open(actor: Actor, process: str) -> None:
    if not actor.roles & CASE_OPENERS:
        raise Forbidden("Kun sagsbehandlere kan oprette sager")
    pathway = pathway_for(process)
    openers = pathway.opened_by if pathway is not None else DEFAULT_OPENERS
    if not actor.roles & openers:
        if pathway is not None and not pathway.opened_by:
            raise Invalid(
                f"En {pathway.label.lower()}sag oprettes fra den sag, den handler om",
                {"process": [f"'{process}' kan ikke oprettes direkte"]},
            )
        if actor.holds("krisecenter"):
            raise Forbidden("Krisecentre kan kun registrere krisecenterophold (§ 109)")
        raise Forbidden("Du kan ikke oprette denne slags sag")


def start_case(
    uow: UnitOfWork,
    actor: Actor,
    new: NewCase,
    now: datetime,
    *,
    parent: Case | None = None,
    system_data: dict[str, Any] | None = None,
) -> Case:
    """Within an open unit of work: everything ``open_case`` does except the commit.

    ``parent`` and ``system_data`` are for services that open a case from another one (a klage):
    they are decided by the service, never taken from the client."""
    received_at = _received_at(new, now)
    _check_citizen(new)
    check_parties(new.citizen_name, new.citizen_address, new.digital_post_exempt, new.representatives)
    team = _team(uow, actor, new)
    version = version_in_force(uow, new.process)
    client_data = _client_data(uow, version, new.details)
    standard = standard_in_force(uow)
    if parent is None:
        _check_ydelse(new, version.process_key, standard)
    process_data = {
        **client_data,
        **_start_data(new, version.process_key, received_at, standard),
        **(system_data or {}),
    }
    try:
        started = uow.instances.start(version, process_data, now)
    except ProcessError as exc:
        raise Invalid(
            f"Processen kunne ikke starte: {exc.message}", {exc.element_id or "process": [exc.message]}
        ) from exc
    case = uow.cases.add(
        Case(
            reference="",
            process_key=version.process_key,
            instance_id=started.instance.id,
            team=team,
            status=CaseStatus.OPEN,
            ydelse=new.ydelse,
            title=new.title,
            received_at=received_at,
            opened_at=now,
            opened_by_id=actor.id,
            citizen_cpr=new.citizen_cpr,
            citizen_name=new.citizen_name,
            stay_started_on=new.stay_started_on,
            parent_case_id=parent.id if parent is not None else None,
            standard_versions=_versions(standard),
            details=client_data,
        ),
        now,
    )
    case.sagsansvarlig_id = _sagsansvarlig(uow, actor, case, new)
    register_parties(
        uow, case, new.citizen_address, new.digital_post_exempt, new.representatives, now, new.address_origin
    )
    uow.publish(CaseOpened(case, now, actor.username, version.version))
    apply_step(uow, case, started.instance, started.step, now, actor=actor)
    return case


def _versions(standard: Kvalitetsstandard) -> dict[str, int]:
    """The versions of the tables and catalogue files the case opened with (it keeps their values)."""
    tables = standard.tables.versions if standard.tables is not None else {}
    catalogue = standard.catalogue.versions if standard.catalogue is not None else {}
    return {**tables, **catalogue}


def _check_ydelse(new: NewCase, process_key: str, standard: Kvalitetsstandard) -> None:
    """A ydelse must be one the catalogue knows (never a default frist); the main pathway needs one."""
    if new.ydelse is None:
        if process_key == SAGSBEHANDLING.process_key:
            message = "Vælg ydelsen fra kvalitetsstandardens katalog (fx 'SEL § 85')"
            raise Invalid("Ydelsen mangler", {"ydelse": [message]})
        return
    catalogue = standard.catalogue
    if catalogue is not None and not catalogue.knows(new.ydelse):
        known = ", ".join(sorted(catalogue.ydelser.ydelser, key=paragraph_order))
        raise Invalid(
            f"Ydelsen '{new.ydelse}' findes ikke i kvalitetsstandardens katalog",
            {"ydelse": [f"Ukendt ydelse '{new.ydelse}'. Kataloget kender: {known}"]},
        )


def _received_at(new: NewCase, now: datetime) -> datetime:
    received_at = new.received_at or now
    if received_at > now:
        raise Invalid("Modtagelsestidspunktet ligger i fremtiden", {"received_at": ["Må ikke ligge i fremtiden"]})
    pathway = pathway_for(new.process)
    if pathway is not None and pathway.is_stay and new.stay_started_on is None:
        raise Invalid("Opholdets startdato mangler", {"stay_started_on": ["Påkrævet for ophold (§§ 109/110)"]})
    if new.stay_started_on is not None and new.stay_started_on > local_date(received_at):
        raise Invalid("Opholdet kan ikke starte efter orienteringen", {"stay_started_on": ["Senere end received_at"]})
    return received_at


def _sagsansvarlig(uow: UnitOfWork, actor: Actor, case: Case, new: NewCase) -> int | None:
    """The chosen colleague, else the registering sagsbehandler; a krisecenter's stay starts without one."""
    if new.sagsansvarlig is not None:
        return choose_sagsansvarlig(uow, case, new.sagsansvarlig).id
    return actor.id if actor.holds("sagsbehandler") else None


def _check_citizen(new: NewCase) -> None:
    if new.citizen_cpr is not None and (problem := cpr_problem(new.citizen_cpr)):
        raise Invalid(problem, {"citizen.cpr": [problem]})


def _team(uow: UnitOfWork, actor: Actor, new: NewCase) -> str | None:
    """A team-bound sagsbehandler opens cases in their own team; a krisecenter names a known team."""
    team = new.team or actor.team
    works_across_teams = bool(actor.roles & CROSS_TEAM_ROLES) or not actor.holds("sagsbehandler")
    if not works_across_teams and team != actor.team:
        raise Forbidden("Du kan kun oprette sager i dit eget team", {"team": [f"Du er ikke i teamet '{team}'"]})
    if team is not None:
        ensure_known_team(uow, team)
    return team


def version_in_force(uow: UnitOfWork, process: str) -> ProcessVersion:
    """The version new cases of ``process`` run; a documentation model cannot start one (422)."""
    try:
        version = uow.definitions.active(process)
    except UnknownProcess:
        raise Invalid(
            f"Ukendt proces '{process}'", {"process": [f"Ingen udrullet proces hedder '{process}'"]}
        ) from None
    if not version.executable:
        message = (
            f"Processen '{process}' kan ikke starte sager: version {version.version}, som nye sager bruger, er en "
            "dokumentationsmodel (ingen proces er markeret som eksekverbar)"
        )
        advice = (
            f"Version {version.version} af '{process}' er kun dokumentation. En procesejer kan aktivere en eksekverbar "
            'version eller udrulle en med isExecutable="true".'
        )
        raise Invalid(message, {"process": [advice]})
    return version


def _client_data(uow: UnitOfWork, version: ProcessVersion, details: dict[str, Any]) -> dict[str, Any]:
    """The client's ``details``, checked against the process's start form; without one, none are taken."""
    start_form = uow.definitions.parsed(version).start_form
    schema = uow.definitions.form(version, start_form)
    if schema is None:
        if details:
            raise Invalid(
                "Processen modtager ingen oplysninger ved oprettelsen",
                {f"details.{key}": ["Ukendt felt"] for key in sorted(details)},
            )
        return {}
    known = set(schema.get("properties") or {})
    if unknown := sorted(set(details) - known):
        raise Invalid(
            "Oplysningerne passer ikke til processens startformular",
            {f"details.{key}": ["Ukendt felt"] for key in unknown},
        )
    if errors := form_errors(schema, details):
        raise Invalid(
            "Oplysningerne passer ikke til processens startformular", {f"details.{k}": v for k, v in errors.items()}
        )
    return dict(details)


def _start_data(new: NewCase, process_key: str, received_at: datetime, standard: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ydelse": new.ydelse,
        "received_at": received_at.isoformat(),
        "received_on": local_date(received_at).isoformat(),
    }
    if new.stay_started_on is not None:
        data["stay_started_on"] = new.stay_started_on.isoformat()
    if process_key == SAGSBEHANDLING.process_key:
        data.update(sagsbehandling_start_data(new.ydelse, received_at, standard))
    return data
