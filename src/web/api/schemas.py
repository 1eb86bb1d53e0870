"""The API contract: marshmallow schemas validate input and document the OpenAPI at once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates

from tasks.access.roles import ROLES
from tasks.cases.cpr import cpr_problem
from tasks.work.inbox import STATUSES

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32-bit on PostgreSQL
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


class Moment(fields.AwareDateTime):
    """An aware date-time a case can be about: kept in UTC, and between 1900 and 2199 (anything else is a
    typing error, and year 1 at +14:00 does not even exist in UTC)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError("Tidspunktet ligger uden for kalenderen") from None
        if not EARLIEST <= utc.date() <= LATEST:
            raise ValidationError("Tidspunktet skal ligge mellem år 1900 og 2199")
        return utc


class Day(fields.Date):
    """A calendar day between 1900 and 2199."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST <= day <= LATEST:
            raise ValidationError("Datoen skal ligge mellem år 1900 og 2199")
        return day


class TokenRequestSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True)


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)


class AddressSchema(Schema):
    street = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"description": "Vej og nr."}
    )
    postal_code = fields.String(
        required=True, validate=validate.Length(min=1, max=10), metadata={"description": "Postnr."}
    )
    city = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={"description": "By"})


class CitizenSchema(Schema):
    cpr = fields.String(allow_none=True, metadata={"description": "CPR-nummer (følsomt; vises kun bag login)"})
    name = fields.String(allow_none=True, validate=validate.Length(max=200))
    address = fields.Nested(
        AddressSchema, load_default=None, allow_none=True, metadata={"description": "Postadresse (breve med post)"}
    )
    digital_post_exempt = fields.Boolean(
        load_default=False,
        metadata={"description": "Fritaget for Digital Post: breve sendes med almindelig post (kræver adresse)"},
    )

    @validates("cpr")
    def _cpr(self, value: str | None, **_: object) -> None:
        if value is not None and (problem := cpr_problem(value)):
            raise ValidationError(problem)


class RepresentativeSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    relation = fields.String(
        load_default="", validate=validate.Length(max=100), metadata={"description": "Fx partsrepræsentant, værge"}
    )
    address = fields.Nested(AddressSchema, load_default=None, allow_none=True)


class CaseCreateSchema(Schema):
    process = fields.String(load_default="sagsbehandling", validate=validate.Length(min=1, max=100))
    received_at = Moment(load_default=None, metadata={"description": "Hvornår henvendelsen kom ind (standard: nu)"})
    title = fields.String(load_default="", validate=validate.Length(max=200))
    ydelse = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    team = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    citizen = fields.Nested(CitizenSchema, load_default=None, allow_none=True)
    sagsansvarlig = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Brugernavn på den ansvarlige sagsbehandler (standard: den, der opretter sagen)"},
    )
    stay_started_on = Day(
        load_default=None,
        allow_none=True,
        metadata={"description": "§§ 109/110: dagen opholdet begyndte (påkrævet for krisecenter og forsorgshjem)"},
    )
    details = fields.Dict(keys=fields.String(), load_default=dict)
    representatives = fields.List(
        fields.Nested(RepresentativeSchema),
        load_default=list,
        validate=validate.Length(max=10),
        metadata={"description": "Partsrepræsentanter, værger og bisiddere; får kopi af sagens breve"},
    )


class TaskSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    bpmn_id = fields.String()
    role = fields.String()
    status = fields.String()
    assignee = fields.String(allow_none=True)
    due_at = fields.AwareDateTime(allow_none=True, metadata={"description": "Opgavens frist"})
    frist_rule = fields.String(allow_none=True, metadata={"description": "Reglen bag fristen"})
    frist_state = fields.String(
        allow_none=True, metadata={"description": "open, near (nærmer sig), overdue (overskredet), met eller late"}
    )


class DeadlineSchema(Schema):
    rule_id = fields.String()
    rule = fields.String(metadata={"description": "Reglen der gav fristen, fx '§ 109: orientering inden 3 hverdage'"})
    due = fields.AwareDateTime()
    state = fields.String(metadata={"description": "open, met, late (overholdt for sent) eller overdue"})
    near = fields.Boolean(metadata={"description": "Fristen nærmer sig (inden for varslingsperioden)"})
    closed_at = fields.AwareDateTime(allow_none=True)
    task_id = fields.Integer(allow_none=True)


class TaskListItemSchema(TaskSummarySchema):
    case_id = fields.Integer()
    case_reference = fields.String()
    case_title = fields.String(metadata={"description": "Sagens emne"})
    team = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    completed_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer(metadata={"description": "Sagens version; send den som If-Match ved udførelse"})


class TaskSchema(TaskListItemSchema):
    form = fields.Dict(allow_none=True, metadata={"description": "Opgavens formular (JSON Schema)"})
    data = fields.Dict(allow_none=True, metadata={"description": "For en udført opgave: de data, den blev udført med"})


class AfgoerelseSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "ansoegning, aendring, ophoer eller genvurdering"})
    udfald = fields.String(
        metadata={"description": "bevilling, delvis_bevilling, afslag, medhold, delvis_medhold eller fastholdt"}
    )
    ydelse = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime()
    letter_id = fields.Integer(allow_none=True, metadata={"description": "Brevet med afgørelsen"})
    afvigelse = fields.Boolean(metadata={"description": "Afgørelsen afviger fra kvalitetsstandarden (godkendt)"})
    afvigelse_grunde = fields.String(
        allow_none=True, metadata={"description": "Hvad Sagsflow fandt i forhold til kvalitetsstandarden"}
    )
    afvigelse_begrundelse = fields.String(allow_none=True, metadata={"description": "Sagsbehandlerens begrundelse"})


class BevillingSchema(Schema):
    id = fields.Integer()
    ydelse = fields.String()
    serviceniveau = fields.String(metadata={"description": "Pakke, trin eller procent, fx 'Trin 3'"})
    omfang = fields.String(
        metadata={"description": "Det bevilgede omfang i ord, fx 'Trin 3: gennemsnitligt 2,8 timers støtte om ugen …'"}
    )
    leverandoer = fields.String()
    start = fields.Date()
    slut = fields.Date(allow_none=True)
    status = fields.String(metadata={"description": "aktiv, ophoert eller erstattet"})


class CaseSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    process = fields.String()
    process_version = fields.Integer()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    ydelse = fields.String(allow_none=True)
    title = fields.String()
    team = fields.String(allow_none=True)
    received_at = fields.AwareDateTime()
    opened_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()
    tasks = fields.List(fields.Nested(TaskSummarySchema))
    citizen = fields.Nested(CitizenSchema, allow_none=True)
    deadlines = fields.List(fields.Nested(DeadlineSchema))
    sagsansvarlig = fields.String(allow_none=True, metadata={"description": "Den ansvarlige sagsbehandler"})
    kvalitetsstandard = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Versionerne af kvalitetsstandardens tabeller, sagen blev oprettet med"},
    )
    afgoerelser = fields.List(fields.Nested(AfgoerelseSchema), metadata={"description": "Sagens afgørelser"})
    bevillinger = fields.List(fields.Nested(BevillingSchema), metadata={"description": "Sagens bevillinger"})


class MessageSchema(Schema):
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Beskedens navn, som i diagrammet (fx 'svar modtaget')"},
    )
    data = fields.Dict(
        keys=fields.String(),
        load_default=dict,
        metadata={"description": "Beskedens data; lander under beskedvariablen (spiffworkflow:messageVariable)"},
    )


class MessageDeliveredSchema(Schema):
    case_id = fields.Integer()
    name = fields.String()
    caught_by = fields.List(fields.String(), metadata={"description": "Elementerne, der modtog beskeden"})
    case_status = fields.String()
    next_tasks = fields.List(fields.Nested(TaskSummarySchema))


class LetterProblemSchema(Schema):
    case_id = fields.Integer()
    reference = fields.String(metadata={"description": "Sagens nummer"})
    team = fields.String(allow_none=True)
    letter_id = fields.Integer()
    title = fields.String()
    state = fields.String(metadata={"description": "fejlet eller tilbageholdt"})
    state_da = fields.String()
    reason = fields.String(allow_none=True, metadata={"description": "Hvorfor brevet ikke er sendt"})
    attempts = fields.Integer()
    letter_date = fields.Date(allow_none=True)


class LetterSchema(Schema):
    id = fields.Integer()
    kind = fields.String(
        metadata={
            "description": "afgoerelse, aendring, ophoer, partshoering, underretning, genvurdering, "
            "ankestyrelsen_bundle"
        }
    )
    title = fields.String()
    created_at = fields.AwareDateTime()
    channel = fields.String(
        allow_none=True, metadata={"description": "digital_post, fysisk_post, eller null (anonym sag: ingen kanal)"}
    )
    state = fields.String(
        metadata={
            "description": "afventer, sendt, uden_kanal, fejlet (kanalen afviste brevet; se last_error) eller "
            "tilbageholdt (navne- og adressebeskyttelse: sendes manuelt; se last_error)"
        }
    )
    copy_of_id = fields.Integer(allow_none=True, metadata={"description": "Kopi af dette brev (til en repræsentant)"})
    copy_to = fields.String(allow_none=True, metadata={"description": "Repræsentanten, kopien går til"})
    attempts = fields.Integer(metadata={"description": "Mislykkede afsendelsesforsøg"})
    last_error = fields.String(allow_none=True, metadata={"description": "Seneste fejl ved afsendelsen"})
    dispatched_at = fields.AwareDateTime(allow_none=True, metadata={"description": "Hvornår brevet blev afsendt"})
    letter_date = fields.Date(allow_none=True, metadata={"description": "Brevets dato"})
    received_on = fields.Date(allow_none=True, metadata={"description": "Dagen brevet regnes for modtaget"})
    klagefrist_ends_on = fields.Date(allow_none=True, metadata={"description": "Sidste dag for en klage (R4)"})


class KlageCreateSchema(Schema):
    received_at = Moment(required=True, metadata={"description": "Hvornår klagen kom ind"})
    decision_received_on = Day(
        required=True, metadata={"description": "Dagen borgeren modtog afgørelsen (Digital Post: afsendelsesdagen)"}
    )
    subject = fields.String(
        load_default="afgoerelse",
        validate=validate.OneOf(["afgoerelse", "afvist_ophold"]),
        metadata={"description": "Hvad der klages over: en afgørelse, eller et krisecenters afslag på ophold"},
    )
    letter_id = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Afgørelsesbrevet, klagen handler om"},
    )
    complaint = fields.String(
        load_default="", validate=validate.Length(max=10_000), metadata={"description": "Hvad borgeren klager over"}
    )


class KlageSchema(CaseSchema):
    in_time = fields.Boolean(metadata={"description": "Klagen kom inden klagefristen"})
    klagefrist = fields.AwareDateTime()


class JournalEntrySchema(Schema):
    at = fields.AwareDateTime()
    actor = fields.String()
    action = fields.String()
    task_name = fields.String(allow_none=True)
    process_version = fields.Integer()
    message = fields.String()


class TaskQuerySchema(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    assignee = fields.String(metadata={"description": "Brugernavn, eller 'me'"})
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)))
    due_before = Moment()
    due_after = Moment()
    case_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    my_cases = fields.Boolean(metadata={"description": "Kun opgaver på sager, hvor jeg er sagsansvarlig"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class FormDataSchema(Schema):
    """Any JSON object; it is validated against the task's own form (JSON Schema)."""

    class Meta:
        unknown = INCLUDE


class AssignSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))


class CompletedSchema(Schema):
    task = fields.Nested(TaskSchema)
    case_status = fields.String()
    next_tasks = fields.List(fields.Nested(TaskSchema))


class DeploySchema(Schema):
    bpmn = fields.String(
        required=True, validate=validate.Length(min=1, max=2_000_000), metadata={"description": "BPMN 2.0 XML"}
    )
    forms = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        load_default=dict,
        metadata={"description": "Formularer (JSON Schema) efter filnavn"},
    )
    key = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "Processen, filen er en ny version af. Uden key bliver filen en ny proces, og et "
            "proces-id, som en anden proces allerede har, afvises (409)."
        },
    )


class VersionSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    version = fields.Integer()
    deployed_at = fields.AwareDateTime()
    deployed_by = fields.String(allow_none=True)
    running_instances = fields.Integer()
    created = fields.Boolean()
    executable = fields.Boolean(
        metadata={"description": "false: en dokumentationsmodel (gemt og vist, men kan ikke starte sager)"}
    )
    active = fields.Boolean(metadata={"description": "Versionen, nye sager bruger"})
    activated = fields.Boolean(
        metadata={"description": "Denne forespørgsel gjorde versionen til den, nye sager bruger"}
    )


class ActivationSchema(Schema):
    version = fields.Integer()
    previous_version = fields.Integer(allow_none=True)
    activated_at = fields.AwareDateTime()
    activated_by = fields.String()
    reason = fields.String(metadata={"description": "initial, deploy, redeploy eller activate (tilbagerulning)"})
    reason_da = fields.String()


class DecisionDeploySchema(Schema):
    dmn = fields.String(
        required=True, validate=validate.Length(min=1, max=1_000_000), metadata={"description": "DMN 1.3 XML"}
    )


class DecisionVersionSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    version = fields.Integer()
    deployed_at = fields.AwareDateTime()
    deployed_by = fields.String(allow_none=True)
    created = fields.Boolean()
    active = fields.Boolean(metadata={"description": "Versionen, nye sager læser"})
    activated = fields.Boolean()


class DecisionSourceSchema(Schema):
    version = fields.Nested(DecisionVersionSchema)
    dmn_xml = fields.String()


class UserCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=200))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True, validate=validate.Length(min=1))
    team = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    full_name = fields.String(load_default="", validate=validate.Length(max=200))
    email = fields.Email(load_default=None, allow_none=True)


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    roles = fields.List(fields.String())
    team = fields.String(allow_none=True)
    full_name = fields.String()
    email = fields.String(allow_none=True)
    active = fields.Boolean()


class AccessLogQuerySchema(Schema):
    case_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    username = fields.String(validate=validate.Length(min=1, max=100))
    since = Moment(metadata={"description": "Fra og med dette tidspunkt"})
    until = Moment(metadata={"description": "Til (ikke med) dette tidspunkt"})
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class AccessLogSchema(Schema):
    at = fields.AwareDateTime()
    username = fields.String()
    case_id = fields.Integer()
    case_reference = fields.String()
    purpose = fields.String()


class TeamSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    mailbox_email = fields.String(allow_none=True)
    active = fields.Boolean()


class SagsansvarligSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))


class UnassignedCaseSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    title = fields.String()
    process = fields.String()
    team = fields.String(allow_none=True)
    opened_at = fields.AwareDateTime()


class CaseSearchSchema(Schema):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "Sagsnummer, CPR-nummer, navn, emne eller ydelse (i brødteksten, aldrig i URL'en)"},
    )
    status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(["open", "closed"]))
    team = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    ydelse = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    sort = fields.String(
        load_default="received_at",
        validate=validate.OneOf(["reference", "title", "ydelse", "status", "team", "received_at", "name"]),
    )
    descending = fields.Boolean(load_default=True)
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class CaseHitSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    title = fields.String()
    process = fields.String()
    ydelse = fields.String(allow_none=True)
    status = fields.String()
    team = fields.String(allow_none=True)
    received_at = fields.AwareDateTime()
    citizen = fields.Nested(CitizenSchema)


class NoteCreateSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20_000))


class NoteSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    at = fields.AwareDateTime()
    author = fields.String()
    text = fields.String()


class DocumentSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    filename = fields.String()
    mime_type = fields.String()
    kind = fields.String(metadata={"description": "Filtypen i ord, fx 'PDF'"})
    size = fields.Integer()
    uploaded_at = fields.AwareDateTime()
    uploaded_by = fields.String()


class DocumentUploadSchema(Schema):
    file = fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary"},
        error_messages={"required": "Vælg en fil at lægge på sagen"},
    )


class MoveCaseSchema(Schema):
    team = fields.String(required=True, validate=validate.Length(min=1, max=100))


class RescheduleSchema(Schema):
    due_at = Moment(required=True, metadata={"description": "Opgavens nye frist"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class DraftSchema(Schema):
    data = fields.Dict(keys=fields.String(), required=True)
    saved_at = fields.AwareDateTime(dump_only=True)


class ExecutionComplaintCreateSchema(Schema):
    received_on = Day(required=True)
    complaint = fields.String(required=True, validate=validate.Length(min=1, max=10_000))


class ExecutionComplaintSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    received_on = fields.Date()
    complaint = fields.String()
    registered_at = fields.AwareDateTime()
    registered_by = fields.String()


class StayRefusalCreateSchema(Schema):
    refused_on = Day(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=10_000))


class StayRefusalSchema(Schema):
    case_id = fields.Integer()
    refused_on = fields.Date()
    reason = fields.String()
    registered_by = fields.String()


class TeamCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    mailbox_email = fields.Email(load_default=None, allow_none=True)


class TeamUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    mailbox_email = fields.Email(allow_none=True)
    active = fields.Boolean()


class UserUpdateSchema(Schema):
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), validate=validate.Length(min=1))
    team = fields.String(allow_none=True, validate=validate.Length(max=100))
    full_name = fields.String(validate=validate.Length(max=200))
    email = fields.Email(allow_none=True)
    active = fields.Boolean()


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    kind_label = fields.String()
    message = fields.String()
    case_id = fields.Integer(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    read = fields.Boolean()


class MigrateSchema(Schema):
    version = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Versionen sagen flyttes til"},
    )
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Kun planen; intet ændres"})
    mapping = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=100)),
        values=fields.String(allow_none=True, validate=validate.Length(min=1, max=100)),
        load_default=dict,
        metadata={
            "description": "Hvor en opgave uden plads i den nye version skal hen: {gammelt id: nyt id}; null dropper "
            "en timer eller en besked"
        },
    )


class BulkMigrateSchema(MigrateSchema):
    pass


class MovedTaskSchema(Schema):
    from_ = fields.String(attribute="from_id", data_key="from", metadata={"description": "Elementet sagen venter ved"})
    to = fields.String(
        attribute="to_id", allow_none=True, metadata={"description": "Elementet i den nye version (null: ingen plads)"}
    )
    name = fields.String()
    to_name = fields.String(allow_none=True)
    kind = fields.String(metadata={"description": "brugeropgave, timer, besked, delproces eller element"})
    state = fields.String()
    by_hand = fields.Boolean(metadata={"description": "Placeret af mapping"})
    dropped = fields.Boolean(metadata={"description": "Droppet (mappet til null)"})
    due = fields.AwareDateTime(allow_none=True, metadata={"description": "En timers tidspunkt; det beholdes"})


class MigrationSchema(Schema):
    case_id = fields.Integer()
    reference = fields.String()
    process = fields.String()
    from_version = fields.Integer()
    to_version = fields.Integer()
    dry_run = fields.Boolean()
    migrated = fields.Boolean()
    can_migrate = fields.Boolean()
    tasks = fields.List(fields.Nested(MovedTaskSchema))
    problems = fields.List(fields.String())


class PrintBatchSchema(Schema):
    day = fields.Date(metadata={"description": "Dagen: én PDF med dagens breve med almindelig post"})
    letters = fields.Integer(metadata={"description": "Antal breve (hvert med en adresseside foran)"})
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class StatisticsDeliverySchema(Schema):
    month = fields.String(metadata={"description": "ÅÅÅÅ-MM"})
    produced_at = fields.AwareDateTime()
    rows = fields.Integer(metadata={"description": "Rækker (paragraf og målgruppe)"})


class PublishedFristSchema(Schema):
    ydelse = fields.String()
    name = fields.String(metadata={"description": "Ydelsens navn"})
    frist = fields.String(metadata={"description": "Fx '8 uger'"})


class PublishedFristerSchema(Schema):
    municipality = fields.String()
    frister = fields.List(fields.Nested(PublishedFristSchema))
    version = fields.Integer(allow_none=True, metadata={"description": "Tabellens version i kraft"})


class CitizenRecordSchema(Schema):
    name = fields.String()
    street = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    digital_post_exempt = fields.Boolean(
        metadata={"description": "Fritaget for Digital Post: breve med almindelig post"}
    )
    address_source = fields.String(
        allow_none=True, metadata={"description": "cpr (CPR-registret), manuel (indtastet), eller null (ingen adresse)"}
    )
    address_note = fields.String(allow_none=True, metadata={"description": "Hvor adressen kommer fra, på dansk"})
    looked_up_at = fields.AwareDateTime(allow_none=True, metadata={"description": "Seneste svar fra CPR-registret"})
    address_protected = fields.Boolean(
        metadata={
            "description": "Navne- og adressebeskyttelse: adressen vises kun for sagsbehandlere (ellers null), og "
            "breve med post tilbageholdes til manuel afsendelse"
        }
    )


class CitizenAddressSchema(Schema):
    address = fields.Nested(AddressSchema, required=True)
    digital_post_exempt = fields.Boolean(load_default=False)
    address_protected = fields.Boolean(
        load_default=None,
        allow_none=True,
        metadata={"description": "Navne- og adressebeskyttelse (udeladt: uændret)"},
    )


# --- The kvalitetsstandard's catalogue (issue 14) ---------------------------------------------------------


class CatalogueDeploySchema(Schema):
    content = fields.Dict(
        required=True,
        metadata={"description": "Filens indhold (JSON), som ydelser.json eller leverandoerer.json i processes/"},
    )


class CatalogueVersionSchema(Schema):
    key = fields.String(metadata={"description": "ydelser eller leverandoerer"})
    version = fields.Integer()
    deployed_at = fields.AwareDateTime()
    deployed_by = fields.String()
    active = fields.Boolean(metadata={"description": "Versionen, der gælder nu"})
    created = fields.Boolean()
    activated = fields.Boolean()


class CatalogueSourceSchema(Schema):
    version = fields.Nested(CatalogueVersionSchema)
    content = fields.Dict()


class ServiceniveauSchema(Schema):
    noegle = fields.String(metadata={"description": "Trin, pakke eller procent, fx 'Trin 3'"})
    omfang = fields.String()
    i_ord = fields.String(metadata={"description": "Fx 'Trin 3: gennemsnitligt 2,8 timers støtte om ugen …'"})
    aarlig_pris = fields.Integer(allow_none=True)
    sessionsinterval = fields.String(allow_none=True)


class CadenceSchema(Schema):
    maalgruppe = fields.String(allow_none=True)
    maalgruppe_navn = fields.String(allow_none=True)
    foerste = fields.String()
    derefter = fields.String()
    foerste_tidligst = fields.String(allow_none=True)
    sessioner = fields.Integer(allow_none=True)
    i_ord = fields.String()


class CatalogueYdelseSchema(Schema):
    ydelse = fields.String(metadata={"description": "Navnet sager og tabeller bruger, fx 'SEL § 85'"})
    navn = fields.String()
    label = fields.String()
    kilde = fields.String(metadata={"description": "Hvilken kommunes kvalitetsstandard værdierne kommer fra"})
    visiteret = fields.Boolean()
    frit_valg = fields.Boolean()
    frit_valg_tekst = fields.String()
    alder_min = fields.Integer(allow_none=True)
    alder_max = fields.Integer(allow_none=True)
    betingelser = fields.String()
    sagsbehandlingsfrist = fields.String(allow_none=True)
    opfoelgning = fields.List(fields.Nested(CadenceSchema))
    serviceniveauer = fields.List(fields.Nested(ServiceniveauSchema))
    forslag = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "Funktionsniveau → foreslået serviceniveau"},
    )
    kompetence = fields.String(
        metadata={
            "description": "Hvem træffer afgørelsen uden beløb: sagsbehandler, faglig_konsulent, leder "
            "eller visitationsudvalg"
        }
    )
    leverandoerer = fields.List(fields.Dict())
    leverandoerstatus_foer_opfoelgning = fields.String()


class CatalogueSchema(Schema):
    kommune = fields.String()
    versions = fields.Dict(keys=fields.String(), values=fields.Integer())
    funktionsniveauer = fields.List(fields.String())
    visitationsudvalg = fields.Dict()
    ydelser = fields.List(fields.Nested(CatalogueYdelseSchema))


class IndstillingSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    reference = fields.String(metadata={"description": "Sagsnummeret (aldrig navn eller CPR-nummer)"})
    ydelse = fields.String()
    serviceniveau = fields.String(allow_none=True)
    aarligt_beloeb = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "afventer, godkendt (indstillingen fulgt) eller afvist"})
    status_da = fields.String()
    task_id = fields.Integer(allow_none=True, metadata={"description": "Opgaven 'Visitationsudvalgets afgørelse'"})
    decided_by = fields.String(allow_none=True)
    kommentar = fields.String(allow_none=True)


class MeetingSchema(Schema):
    id = fields.Integer()
    moede_dato = fields.Date()
    indstillinger = fields.Integer()
    afgjort = fields.Integer()
    dagsorden = fields.List(fields.Nested(IndstillingSchema))


class MeetingQuerySchema(Schema):
    since = fields.Date(load_default=None, metadata={"description": "Møder fra denne dag (standard: i dag)"})


class GoalSchema(Schema):
    indsatsformaal = fields.String(required=True, validate=validate.Length(max=2000))
    maal = fields.String(required=True, validate=validate.Length(max=2000))


class HandleplanInSchema(Schema):
    status = fields.String(required=True, metadata={"description": "tilbudt, accepteret eller afslaaet"})
    besvaret_on = Day(load_default=None, allow_none=True, metadata={"description": "Dagen borgeren svarede"})
    maal = fields.List(fields.Nested(GoalSchema), load_default=list, validate=validate.Length(max=30))


class HandleplanSchema(Schema):
    status = fields.String()
    status_da = fields.String()
    tilbudt_on = fields.Date()
    besvaret_on = fields.Date(allow_none=True)
    maal = fields.List(fields.Dict())
    updated_at = fields.AwareDateTime()
    updated_by = fields.String()


class BestillingInSchema(Schema):
    indsats = fields.String(required=True, validate=validate.Length(max=500))
    formaal = fields.String(required=True, validate=validate.Length(max=5000))
    maal = fields.String(required=True, validate=validate.Length(max=5000))
    leverandoer = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Navn eller id i leverandørregistret (standard: bevillingens)"},
    )
    start = Day(load_default=None, allow_none=True, metadata={"description": "Standard: bevillingens start"})


class StatusInSchema(Schema):
    received_on = Day(required=True, metadata={"description": "Dagen leverandørens status kom"})
    tekst = fields.String(required=True, validate=validate.Length(max=10_000))


class BestillingStatusSchema(Schema):
    opfoelgning_on = fields.Date()
    due_on = fields.Date(metadata={"description": "Leverandørens status skal foreligge senest denne dag"})
    received_on = fields.Date(allow_none=True)
    tekst = fields.String(allow_none=True)


class BestillingSchema(Schema):
    id = fields.Integer()
    ydelse = fields.String()
    leverandoer_id = fields.String()
    leverandoer = fields.String()
    indsats = fields.String()
    formaal = fields.String()
    maal = fields.String()
    omfang = fields.String()
    start = fields.Date()
    created_at = fields.AwareDateTime()
    statusser = fields.List(fields.Nested(BestillingStatusSchema))
