"""The whole kvalitetsstandard per ydelse, as a reader sees it: the catalogue's entry joined with what the
tables in force say (frist, cadence per målgruppe, suggested serviceniveau per funktionsniveau, kompetence)
and the leverandører that deliver it.  No personal data: every signed-in user may read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tasks.catalogue.entries import KEYS, Ydelse
from tasks.catalogue.publishing import CatalogueVersionView, versions_of
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.kvalitetsstandard.tables import EDITORS, paragraph_order, standard_in_force
from tasks.service.actors import Actor
from tasks.service.danish import amount_kr
from tasks.service.errors import DomainError, Forbidden
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class ServiceniveauView:
    noegle: str
    omfang: str
    i_ord: str
    aarlig_pris: int | None
    sessionsinterval: str | None


@dataclass(frozen=True)
class CadenceView:
    maalgruppe: str | None
    maalgruppe_navn: str | None
    foerste: str
    derefter: str
    foerste_tidligst: str | None
    sessioner: int | None
    i_ord: str


@dataclass(frozen=True)
class YdelseView:
    ydelse: str
    navn: str
    label: str
    kilde: str
    visiteret: bool
    frit_valg: bool
    frit_valg_tekst: str
    alder_min: int | None
    alder_max: int | None
    betingelser: str
    sagsbehandlingsfrist: str | None
    opfoelgning: list[CadenceView]
    serviceniveauer: list[ServiceniveauView]
    forslag: dict[str, str]  # funktionsniveau -> suggested serviceniveau
    kompetence: str
    leverandoerer: list[dict[str, str]]
    leverandoerstatus_foer_opfoelgning: str


@dataclass(frozen=True)
class CatalogueView:
    kommune: str
    versions: dict[str, int]
    funktionsniveauer: list[str]
    visitationsudvalg: dict[str, object]
    ydelser: list[YdelseView] = field(default_factory=list)


@dataclass(frozen=True)
class CataloguePage:
    """The catalogue page: the catalogue in force and every version of its two files."""

    catalogue: CatalogueView
    versions: dict[str, list[CatalogueVersionView]]  # per file key: ydelser, leverandoerer


def catalogue_page(uow: UnitOfWork, actor: Actor) -> CataloguePage:
    """What the procesejer's catalogue page shows (procesejere and administratorer only)."""
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan se og ændre kataloget")
    with uow:
        return CataloguePage(_overview(uow), {key: versions_of(uow, key) for key in KEYS})


def catalogue_overview(uow: UnitOfWork) -> CatalogueView:
    """The catalogue in force with the tables' answers, in paragraph order."""
    with uow:
        return _overview(uow)


def _overview(uow: UnitOfWork) -> CatalogueView:
    standard = standard_in_force(uow)
    catalogue = standard.catalogue
    if catalogue is None or catalogue.ydelser is None:
        return CatalogueView("", standard.tables.versions if standard.tables else {}, [], {})
    ydelser = catalogue.ydelser
    versions = {**(standard.tables.versions if standard.tables else {}), **catalogue.versions}
    udvalg = ydelser.visitationsudvalg
    weekday = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")[udvalg.weekday]
    views = [_ydelse(standard, y, list(ydelser.funktionsniveauer)) for y in ydelser.ydelser.values()]
    views.sort(key=lambda v: paragraph_order(v.ydelse))
    return CatalogueView(
        ydelser.kommune,
        versions,
        list(ydelser.funktionsniveauer),
        {"navn": udvalg.navn, "ugedag": weekday, "afgoerelse_senest_hverdage": udvalg.decision_working_days},
        views,
    )


def _ydelse(standard: Kvalitetsstandard, ydelse: Ydelse, levels: list[str]) -> YdelseView:
    tables = standard.tables
    try:
        frist: str | None = standard.sagsbehandlingsfrist(ydelse.key).label_da()
    except DomainError:
        frist = None
    register = standard.catalogue.leverandoerer if standard.catalogue is not None else None
    forslag = {}
    for level in levels:
        suggested = tables.suggested_serviceniveau(ydelse.key, level) if tables is not None else None
        if suggested:
            forslag[level] = suggested
    return YdelseView(
        ydelse=ydelse.key,
        navn=ydelse.navn,
        label=ydelse.label,
        kilde=ydelse.kilde,
        visiteret=ydelse.visiteret,
        frit_valg=ydelse.frit_valg,
        frit_valg_tekst=ydelse.frit_valg_tekst,
        alder_min=ydelse.conditions.alder_min,
        alder_max=ydelse.conditions.alder_max,
        betingelser=ydelse.conditions.tekst,
        sagsbehandlingsfrist=frist,
        opfoelgning=_cadences(standard, ydelse),
        serviceniveauer=[
            ServiceniveauView(
                s.key,
                s.omfang,
                s.in_words + (f" ({amount_kr(s.aarlig_pris)} om året)" if s.aarlig_pris else ""),
                s.aarlig_pris,
                s.sessionsinterval.label_da() if s.sessionsinterval else None,
            )
            for s in ydelse.serviceniveauer
        ],
        forslag=forslag,
        kompetence=tables.kompetence(ydelse.key, None, None) if tables is not None else "sagsbehandler",
        leverandoerer=[
            {"id": lev.id, "navn": lev.navn} for lev in (register.for_ydelse(ydelse.key) if register else [])
        ],
        leverandoerstatus_foer_opfoelgning=ydelse.status_lead.label_da(),
    )


def _cadences(standard: Kvalitetsstandard, ydelse: Ydelse) -> list[CadenceView]:
    views = []
    for group, name in [(None, None), *ydelse.maalgrupper.items()]:
        try:
            cadence = standard.cadence(ydelse.key, group)
        except DomainError:
            continue
        views.append(
            CadenceView(
                group,
                name,
                cadence.first.label_da(),
                cadence.then.label_da(),
                cadence.earliest.label_da() if cadence.earliest else None,
                cadence.sessions,
                cadence.described(),
            )
        )
    return views
