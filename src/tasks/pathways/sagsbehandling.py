"""The main pathway: henvendelse → udredning → partshøring → afgørelse → bevilling → opfølgning, and at any
opfølgning an ændring or ophør (itself an afgørelse, with partshøring or a recorded exception).

Its sagsbehandlingsfrist (R1) opens with the case and is met when the Behandling subprocess ends;
that is also when the afgørelse is recorded.  An afslag's letter is written then; a bevilling's
letter waits for *Opret bevilling*, so it states exactly what was granted and for how long.  The
diagram reads the R1 due time, the R2 warning time and the kvalitetsstandard's opfølgningskadence
from the process data set here at the start.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engine import calendar
from tasks.afgoerelser.facts import Begrundelse, DecisionFacts, PartshoeringFacts
from tasks.afgoerelser.model import AfgoerelseKind, PartshoeringStatus, Udfald
from tasks.bevillinger.facts import GrantFacts
from tasks.events import ActivityCompleted, CaseOpened
from tasks.frister import rules
from tasks.frister.model import Deadline
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.kvalitetsstandard.tables import standard_in_force
from tasks.pathways.declaration import Pathway, day, text
from tasks.service.danish import long_date
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork

BEHANDLING = "behandling"  # the subprocess whose end is the afgørelse on the ansøgning
AFGOERELSE = "afgoerelse"  # the user task where the sagsbehandler decides
PARTSHOERING = "partshoering"
UNDERRET_BORGER = "underret_borger"
BEVILLING = "bevilling"
AENDRING = "aendring"  # the subprocess whose end is the afgørelse on an ændring or ophør
AENDRING_PARTSHOERING = "aendring_partshoering"
AENDRING_AFGOERELSE = "aendring_afgoerelse"

NO_EXCEPTION = "ingen"
PARTSHOERING_EXCEPTIONS = {
    "nr1": "forvaltningslovens § 19, stk. 2, nr. 1: det er ubetænkeligt at afgøre sagen på det foreliggende grundlag",
    "nr2": "forvaltningslovens § 19, stk. 2, nr. 2: at vente ville overskride en frist i loven",
    "nr3": "forvaltningslovens § 19, stk. 2, nr. 3: afgørende offentlige eller private interesser",
    "nr4": "forvaltningslovens § 19, stk. 2, nr. 4: oplysningerne er undtaget fra aktindsigt",
    "ikke_ugunst": "forvaltningslovens § 19, stk. 1: oplysningerne er ikke til ugunst for dig",
}

# Set by Sagsflow at the start of every run; a procesejer's diagram reads them, a client never sets them.
START_DATA_NAMES = frozenset(
    {
        "sagsbehandlingsfrist",
        "sagsbehandlingsfrist_varsel",
        "opfoelgning_foerste",
        "opfoelgning_interval",
        "genoptagelse",
        "klagesag",
        "kompetence",
        "kompetence_godkendt",
    }
)


def start_data(ydelse: str | None, received_at: datetime, standard: Kvalitetsstandard) -> dict[str, Any]:
    """Process data the diagram's timers and opfølgning read: R1 due, R2 warning, the cadence."""
    due = rules.sagsbehandlingsfrist(received_at, standard.sagsbehandlingsfrist(ydelse))
    cadence = standard.cadence(ydelse)
    return {
        "sagsbehandlingsfrist": due.isoformat(),
        "sagsbehandlingsfrist_varsel": rules.underretning_varsel(
            received_at, due, standard.extension_warning_working_days
        ).isoformat(),
        "opfoelgning_foerste": cadence.first.label_da(),
        "opfoelgning_interval": cadence.then.label_da(),
        "genoptagelse": "",  # "hjemvisning" or "ny_bevilling" when a klage re-opens the case
        "kompetence": "sagsbehandler",  # who may decide: set from the kompetence table at the afgørelse
        "kompetence_godkendt": False,
    }


def sagsbehandlingsfrist_deadline(
    case_id: int, ydelse: str | None, received_at: datetime, standard: Kvalitetsstandard, *, hjemvist: bool = False
) -> Deadline:
    """The R1 row; met when Behandling ends."""
    period = standard.sagsbehandlingsfrist(ydelse)
    rule = rules.R1_HJEMVIST if hjemvist else rules.R1
    return Deadline(
        case_id=case_id,
        rule_id=rule.rule_id,
        rule=rule.shown(period=period.label_da(), ydelse=ydelse or "ydelsen"),
        due_at=rules.sagsbehandlingsfrist(received_at, period),
        closes_on=BEHANDLING,
    )


def open_sagsbehandlingsfrist(event: CaseOpened, uow: UnitOfWork) -> None:
    case = event.case
    if case.process_key == SAGSBEHANDLING.process_key:
        standard = standard_in_force(uow)
        uow.deadlines.add(sagsbehandlingsfrist_deadline(case.id, case.ydelse, case.received_at, standard))


def track_forventet_afgoerelse(event: ActivityCompleted, uow: UnitOfWork) -> None:
    """R2: the decision date the citizen is told in writing becomes a frist, met when Behandling ends."""
    if event.case.process_key != SAGSBEHANDLING.process_key or event.bpmn_id != UNDERRET_BORGER:
        return
    promised = day(event.data, "forventet_afgoerelse")
    if promised is None:
        return
    today = calendar.local_date(event.at)
    if promised < today:
        raise Invalid(
            "Den forventede afgørelsesdato ligger før i dag",
            {"forventet_afgoerelse": ["Skal være i dag eller senere"]},
        )
    decided = [
        a
        for a in uow.afgoerelser.for_case(event.case.id)
        if a.kind == AfgoerelseKind.ANSOEGNING and a.decided_at >= event.case.received_at
    ]
    if decided:
        return  # the afgørelse came first: there is nothing left to wait for
    uow.deadlines.add(
        Deadline(
            case=event.case,
            rule_id=rules.R2.rule_id,
            rule=rules.R2.shown(day=long_date(promised)),
            due_at=rules.forventet_afgoerelse(promised),
            closes_on=BEHANDLING,
        )
    )


def _begrundelse(data: Mapping[str, Any]) -> Begrundelse:
    return Begrundelse(
        regler=text(data, "begrundelse_regler"),
        faktiske_forhold=text(data, "begrundelse_faktiske_forhold"),
        hovedhensyn=text(data, "begrundelse_hovedhensyn"),
    )


def _heard(data: Mapping[str, Any]) -> PartshoeringFacts:
    exception = text(data, "partshoering_undtagelse", NO_EXCEPTION)
    if exception != NO_EXCEPTION:
        return PartshoeringFacts(
            PartshoeringStatus.UNDTAGET,
            undtagelse=PARTSHOERING_EXCEPTIONS.get(exception, exception),
            begrundelse=text(data, "undtagelse_begrundelse"),
        )
    return PartshoeringFacts(
        PartshoeringStatus.GENNEMFOERT,
        sendt=day(data, "partshoering_sendt"),
        svar_modtaget=day(data, "svar_modtaget"),
    )


def _udfald(value: str) -> Udfald:
    """The afgørelse form's udfald; a value a procesejer added that the case record does not know is refused."""
    try:
        return Udfald(value)
    except ValueError:
        known = ", ".join(u.value for u in Udfald)
        raise Invalid(
            f"Udfaldet '{value}' kendes ikke i sagens afgørelser", {"udfald": [f"Skal være en af: {known}"]}
        ) from None


def decision(bpmn_id: str, data: Mapping[str, Any]) -> DecisionFacts | None:
    """The afgørelse an ended activity of the main pathway made, read from its process data."""
    ydelse = text(data, "lovgrundlag") or text(data, "ydelse") or None
    if bpmn_id == BEHANDLING:
        return DecisionFacts(
            kind=AfgoerelseKind.ANSOEGNING,
            udfald=_udfald(text(data, "udfald", "afslag")),
            ydelse=ydelse,
            begrundelse=_begrundelse(data),
            partshoering=_heard(data),
            decided_in=AFGOERELSE,
            afvigelse=bool(data.get("afvigelse")),
            afvigelse_grunde=text(data, "afvigelse_grunde") or None,
            afvigelse_begrundelse=text(data, "afvigelse_begrundelse") or None,
        )
    if bpmn_id == AENDRING and text(data, "aendring") in ("aendring", "ophoer"):
        stop = text(data, "aendring") == "ophoer"
        return DecisionFacts(
            kind=AfgoerelseKind.OPHOER if stop else AfgoerelseKind.AENDRING,
            udfald=Udfald.AFSLAG if stop else Udfald.BEVILLING,
            ydelse=text(data, "ydelse") or None,
            begrundelse=_begrundelse(data),
            partshoering=_heard(data),
            decided_in=AENDRING_AFGOERELSE,
            afvigelse=bool(data.get("afvigelse")),
            afvigelse_grunde=text(data, "afvigelse_grunde") or None,
            afvigelse_begrundelse=text(data, "afvigelse_begrundelse") or None,
            ophoer_on=day(data, "ophoersdato"),
        )
    if bpmn_id == BEVILLING and text(data, "genoptagelse") == "ny_bevilling":
        # After a klage (genvurdering medhold, Ankestyrelsen ændret) the bevilling itself is the new afgørelse.
        return DecisionFacts(
            kind=AfgoerelseKind.ANSOEGNING,
            udfald=Udfald.BEVILLING,
            ydelse=text(data, "ydelse") or ydelse,
            begrundelse=Begrundelse(
                regler=f"{text(data, 'ydelse') or ydelse or 'Serviceloven'}",
                faktiske_forhold=f"Afgørelsen er ændret efter din klage (klagesag {text(data, 'klagesag', '-')}).",
                hovedhensyn="Du har fået medhold i din klage, og kommunen bevilger derfor hjælpen som beskrevet.",
            ),
            partshoering=PartshoeringFacts(
                PartshoeringStatus.UNDTAGET,
                undtagelse=PARTSHOERING_EXCEPTIONS["ikke_ugunst"],
                begrundelse="Afgørelsen giver dig medhold efter din klage",
            ),
            decided_in=BEVILLING,
        )
    return None


def grant(bpmn_id: str, data: Mapping[str, Any]) -> GrantFacts | None:
    """What *Opret bevilling*, or an afgørelse om ændring, granted."""
    if bpmn_id == BEVILLING:
        start = day(data, "startdato")
        if start is None:
            return None
        return GrantFacts(
            ydelse=text(data, "ydelse", "-"),
            serviceniveau=text(data, "pakke"),
            omfang=text(data, "omfang"),
            leverandoer=text(data, "leverandoer"),
            start=start,
            slut=day(data, "slutdato"),
            egenbetaling=text(data, "egenbetaling") or None,
            first_opfoelgning=day(data, "naeste_opfoelgning"),
            handleplan_tilbudt=bool(data.get("handleplan_tilbudt")) if "handleplan_tilbudt" in data else None,
        )
    if bpmn_id == AENDRING and text(data, "aendring") == "aendring":
        start = day(data, "ny_startdato")
        if start is None:
            return None
        return GrantFacts(
            ydelse=text(data, "ydelse", "-"),
            serviceniveau=text(data, "ny_pakke"),
            omfang=text(data, "ny_omfang"),
            leverandoer=text(data, "ny_leverandoer") or text(data, "leverandoer"),
            start=start,
            egenbetaling=text(data, "egenbetaling") or None,
        )
    return None


SAGSBEHANDLING = Pathway(
    process_key="sagsbehandling",
    label="Sagsbehandling",
    elements={
        BEHANDLING: "når Behandling slutter, er afgørelsen truffet: sagsbehandlingsfristen (R1) lukkes, "
        "afgørelsen registreres, og et afslag får sit brev",
        AFGOERELSE: "den, der udfører 'Træf afgørelse', står som den, der traf afgørelsen",
        PARTSHOERING: "partshøringen skriver partshøringsbrevet med materialet og svarfristen",
        UNDERRET_BORGER: "underretningen skriver brevet om forlænget sagsbehandlingstid og følger den lovede dato",
        BEVILLING: "bevillingen registreres, og afgørelsesbrevet skrives med det bevilgede",
        AENDRING: "når 'Ændring eller ophør' slutter, er afgørelsen om ændring eller ophør truffet: bevillingen "
        "ændres eller ophører, og brevet med klagevejledning skrives",
        AENDRING_PARTSHOERING: "partshøringen om ændring eller ophør skriver partshøringsbrevet (eller undtagelsen)",
        AENDRING_AFGOERELSE: "den, der udfører afgørelsen om ændring eller ophør, står som den, der traf den",
    },
    data_fields={
        "udfald": "afgørelsens udfald står i brevet og er sagens resultat",
        "begrundelse_regler": "begrundelsens regler står i afgørelsen og brevet (forvaltningsloven § 24)",
        "begrundelse_faktiske_forhold": "begrundelsens faktiske forhold står i afgørelsen og brevet",
        "begrundelse_hovedhensyn": "begrundelsens hovedhensyn står i afgørelsen og brevet",
        "pakke": "bevillingens serviceniveau står i bevillingen og brevet",
        "omfang": "bevillingens målbare omfang står i bevillingen og brevet",
        "leverandoer": "bevillingens leverandør står i bevillingen og brevet",
        "startdato": "bevillingens start står i bevillingen og brevet",
        "materiale": "partshøringsbrevet nævner de oplysninger, borgeren høres om",
        "forventet_afgoerelse": "den dato, borgeren får at vide, følges som en frist (R2)",
        "aendring": "afgørelsen om ændring eller ophør",
        "partshoering_undtagelse": "en undladt partshøring registreres med sin undtagelse",
        "ophoersdato": "den sidste dag med ydelsen ved ophør",
    },
    letters={PARTSHOERING: "partshoering", AENDRING_PARTSHOERING: "partshoering", UNDERRET_BORGER: "underretning"},
    decision_tasks=frozenset({AFGOERELSE, BEVILLING, AENDRING_AFGOERELSE}),
    decision=decision,
    grant=grant,
)
