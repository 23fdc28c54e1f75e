"""Every write of the students app: one function per use case, permission-checked, in one
transaction, history kept (django-simple-history on programme, items, activities, conversations;
ProgrammeRevision for every proposal, approval and send-back).

The rules engine decides what is allowed (through `selectors.evaluate`, which builds its inputs with
`maatwerk.engine`); nothing here or in a view checks a programme rule by hand.

Revisions: a programme starts at revision 1. Proposing, approving and sending back each freeze a
ProgrammeRevision (items and findings) with the current number. A change after approval first
needs a reason (`reopen_programme`): that starts the next revision, which is proposed and approved
in its turn. The history shows every frozen revision.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from maatwerk.accounts.predicates import require
from maatwerk.domain import CareerCompetency
from maatwerk.rules.findings import Finding

from . import selectors
from .models import (
    CareerActivity,
    CareerAttachment,
    CareerConversation,
    ConversationReflection,
    ItemStatus,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    ProgrammeStatus,
    RevisionEvent,
    Student,
)


class ProgrammeError(Exception):
    """A business-rule refusal with a stable code and a Dutch message (and, where the engine spoke,
    its findings)."""

    code = "programme_error"
    en = "The programme cannot be changed this way."

    def __init__(self, message: str, findings: tuple[Finding, ...] | list[Finding] = ()):
        super().__init__(message)
        self.message = message
        self.findings = tuple(findings)


class ProgrammeInvalid(ProgrammeError):
    code = "programme_invalid"
    en = "The rules engine reports errors: the programme cannot be proposed or approved yet."


class ModuleNotAllowed(ProgrammeError):
    code = "module_not_allowed"
    en = "The rules engine does not allow this module in this programme."


class ProgrammeStateError(ProgrammeError):
    code = "programme_state"
    en = "This step is not possible in the programme's current status."


class ProgrammeLocked(ProgrammeError):
    code = "programme_locked"
    en = "The programme is approved: give a reason for the change first."


class DossierError(Exception):
    code = "dossier_invalid"
    en = "The loopbaandossier entry is not valid."

    def __init__(self, message: str, field_name: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field_name


#: Item findings that mean "this module cannot be in this programme at all": adding it is refused.
#: (Totals, year loads and the school's order rule are shown as findings and block approval.)
ITEM_REFUSALS = frozenset({
    "PROGRAMME_MODULE_NOT_OFFERED", "PROGRAMME_MODULE_WRONG_LEERWEG", "PROGRAMME_PROFIEL_NOT_LICENSED",
    "PROGRAMME_MODULE_WITHDRAWN", "PROGRAMME_MODULE_RETIRED", "PROGRAMME_ORIENTING_IN_UPPER_YEARS",
    "PROGRAMME_DUPLICATE_MODULE",
})


def _history_user(obj, user):
    obj._history_user = user  # simple_history: who made the change, also outside a request
    return obj


def _lock(programme: Programme) -> Programme:
    """Re-read the programme inside the transaction (select_for_update on PostgreSQL)."""
    return Programme.objects.select_for_update(of=("self",)).select_related("student__school", "student__profiel").get(
        pk=programme.pk)


def _items(programme: Programme) -> list[ProgrammeItem]:
    return list(selectors.item_queryset().filter(programme=programme))


def _snapshot(items: list[ProgrammeItem]) -> list[dict]:
    return [{
        "module_code": i.module_version.module.code, "version": i.module_version.version,
        "module_version_id": i.module_version_id, "title": i.module_version.title,
        "module_type": i.module_version.module_type, "units": i.module_version.units,
        "school_year": i.school_year, "year_level": i.year_level, "period": i.period, "status": i.status,
    } for i in items]


def _freeze(programme: Programme, *, event: str, by, conversation=None, comment: str = "",
            items: list[ProgrammeItem] | None = None, evaluation=None) -> ProgrammeRevision:
    items = _items(programme) if items is None else items
    evaluation = evaluation or selectors.evaluate(programme.student, items, programme.regulation_id)
    return ProgrammeRevision.objects.create(
        programme=programme, number=programme.revision, status=programme.status, event=event,
        items=_snapshot(items), findings=[selectors.finding_dict(f) for f in evaluation.findings],
        reason=programme.change_reason, comment=comment, created_by=by, conversation=conversation,
    )


def _editable(programme: Programme) -> None:
    if programme.status == ProgrammeStatus.APPROVED:
        raise ProgrammeLocked("Dit programma is goedgekeurd. Geef eerst aan waarom je het wilt wijzigen; "
                              "dan begint een nieuwe revisie.")


def _after_change(programme: Programme, by) -> None:
    """A change to a proposed programme withdraws the proposal: it has to be proposed again."""
    if programme.status == ProgrammeStatus.PROPOSED:
        programme.status = ProgrammeStatus.CONCEPT
        programme.proposed_at = None
    _history_user(programme, by).save()


# --- programme -----------------------------------------------------------------------------------

@dataclass
class StartResult:
    programme: Programme
    added: list[ProgrammeItem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (module code, why)


@transaction.atomic
def start_programme(*, student: Student, by, package=None) -> StartResult:
    """Start the student's programme under the school's regulation, empty or from one of the school's
    packages. Each package module is planned in the leerjaar the package gives it; without one, in the
    school year (of those the school offers it in) with the fewest units so far and still room under the
    year maximum of the regulation and the school, kennismakende modules first, and a verdiepende module
    not before the first kennismakende one where the school asks for that order. A module that does not fit, or that the engine does not
    allow, is skipped with the reason."""
    require(by, "students.compose_programme", student)
    if Programme.objects.filter(student=student).exists():
        raise ProgrammeStateError("Deze leerling heeft al een programma.")
    if package is not None and package.school_id != student.school_id:
        raise ProgrammeError("Dit pakket is van een andere school.")
    programme = _history_user(Programme(student=student, regulation_id=selectors.regulation_id_for(student),
                                        package=package), by)
    programme.save()
    result = StartResult(programme=programme)
    if package is None:
        return result
    limit, intro_first = selectors.year_limits(student, programme.regulation_id)
    offerings = list(selectors.available_offerings(student))
    rows = list(package.package_modules.select_related("module__current_version"))
    kind = {"ORIENTING": 0, "INTRODUCTORY": 1, "DEEPENING": 2}
    rows.sort(key=lambda pm: (pm.year_level or 99, kind.get(getattr(pm.module.current_version, "module_type", ""), 3),
                              pm.order, pm.module.code))
    load: dict[int, int] = {}
    first_intro: int | None = None
    for pm in rows:
        candidates = [o for o in offerings if o.module_version.module_id == pm.module_id]
        if not candidates:
            result.skipped.append((pm.module.code, f"de school biedt deze module niet aan voor de leerweg "
                                                   f"{student.leerweg} in de jaren die nog komen"))
            continue
        version = candidates[0].module_version
        units = version.units
        deep = version.module_type == "DEEPENING"
        wanted = selectors.school_year_for_level(student, pm.year_level) if pm.year_level else None

        def fits(o, units=units, deep=deep, first_intro=first_intro):
            room = limit is None or load.get(o.school_year, 0) + units <= limit
            order = not (deep and intro_first and first_intro is not None and o.school_year < first_intro)
            return room and order

        fitting = sorted((o for o in candidates if fits(o)),
                         key=lambda o, wanted=wanted: (wanted is not None and o.school_year != wanted,
                                                       load.get(o.school_year, 0), o.school_year))
        if not fitting:
            result.skipped.append((pm.module.code, f"er is geen schooljaar meer met plaats (ten hoogste {limit} "
                                                   f"eenheden per schooljaar)"))
            continue
        try:
            item = _add(programme, fitting[0], by)
        except ModuleNotAllowed as exc:
            result.skipped.append((pm.module.code, exc.message))
            continue
        result.added.append(item)
        load[item.school_year] = load.get(item.school_year, 0) + units
        if version.module_type == "INTRODUCTORY":
            first_intro = item.school_year if first_intro is None else min(first_intro, item.school_year)
    return result


def _add(programme: Programme, offering, by, period: int | None = None) -> ProgrammeItem:
    student = programme.student
    if offering.school_id != student.school_id:
        raise ModuleNotAllowed("Deze module hoort niet bij het aanbod van jouw school.")
    if offering.module_version.status == "concept":
        raise ModuleNotAllowed("Deze module is nog niet gepubliceerd.")
    if offering.school_year not in selectors.choosable_years(student):
        raise ModuleNotAllowed(f"In schooljaar {offering.school_year}-{offering.school_year + 1} kun je geen "
                               f"modulen meer plannen.")
    item = ProgrammeItem(programme=programme, module_version=offering.module_version, offering=offering,
                         school_year=offering.school_year,
                         year_level=selectors.year_level_in(student, offering.school_year), period=period)
    items = _items(programme)
    evaluation = selectors.evaluate(student, [*items, item], programme.regulation_id)
    code = offering.module_version.module.code
    refusals = [f for f in evaluation.errors if f.code in ITEM_REFUSALS and f.subject == code]
    if refusals:
        raise ModuleNotAllowed(f"De module {code} kan niet in dit programma.", refusals)
    try:
        with transaction.atomic():
            _history_user(item, by).save()
    except IntegrityError as exc:
        raise ModuleNotAllowed(f"De module {code} staat al in het programma.") from exc
    return item


@transaction.atomic
def add_module(*, programme: Programme, offering, by, period: int | None = None) -> ProgrammeItem:
    """Plan a module from the school's offering (its school year decides the leerjaar)."""
    require(by, "students.compose_programme", programme.student)
    programme = _lock(programme)
    _editable(programme)
    item = _add(programme, offering, by, period)
    _after_change(programme, by)
    return item


@transaction.atomic
def remove_item(*, item: ProgrammeItem, by) -> None:
    """Take a planned module out of the programme. A module the student follows or followed stays:
    its status tells what happened."""
    programme = _lock(item.programme)
    require(by, "students.compose_programme", programme.student)
    _editable(programme)
    if item.status != ItemStatus.PLANNED:
        raise ProgrammeError(f"Je {'volgt' if item.status == ItemStatus.ENROLLED else 'volgde'} deze module al; "
                             f"hij blijft in je programma. Vraag je mentor om de status aan te passen.")
    _history_user(item, by).delete()
    _after_change(programme, by)


@transaction.atomic
def reopen_programme(*, programme: Programme, by, reason: str) -> Programme:
    """Change an approved programme: starts the next revision, with the reason."""
    require(by, "students.compose_programme", programme.student)
    programme = _lock(programme)
    reason = (reason or "").strip()
    if programme.status != ProgrammeStatus.APPROVED:
        raise ProgrammeStateError("Alleen een goedgekeurd programma begint een nieuwe revisie.")
    if not reason:
        raise ProgrammeError("Schrijf op waarom het programma verandert.")
    programme.revision += 1
    programme.status = ProgrammeStatus.CONCEPT
    programme.change_reason = reason
    programme.proposed_at = None
    programme.approved_by = None
    programme.approved_at = None
    programme.approval_conversation = None
    programme.return_comment = ""
    _history_user(programme, by).save()
    return programme


@transaction.atomic
def propose_programme(*, programme: Programme, by) -> Programme:
    """The student (or the mentor beside them) proposes the programme. The engine must find no errors."""
    require(by, "students.propose_programme", programme.student)
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.CONCEPT:
        raise ProgrammeStateError("Alleen een concept kan worden voorgesteld.")
    items = _items(programme)
    if not items:
        raise ProgrammeInvalid("Er staan nog geen modulen in het programma.")
    evaluation = selectors.evaluate(programme.student, items, programme.regulation_id)
    if not evaluation.ok:
        raise ProgrammeInvalid("Het programma kan nog niet worden voorgesteld: los eerst de fouten op.",
                               evaluation.errors)
    programme.status = ProgrammeStatus.PROPOSED
    programme.proposed_at = timezone.now()
    _history_user(programme, by).save()
    _freeze(programme, event=RevisionEvent.PROPOSED, by=by, items=items, evaluation=evaluation)
    return programme


def _conversation_of(programme: Programme, conversation) -> CareerConversation | None:
    if conversation is not None and conversation.student_id != programme.student_id:
        raise ProgrammeError("Dit loopbaangesprek hoort bij een andere leerling.")
    return conversation


@transaction.atomic
def approve_programme(*, programme: Programme, by, conversation: CareerConversation,
                      comment: str = "") -> Programme:
    """The mentor or decaan approves a proposed programme after a recorded loopbaangesprek. The engine
    runs again: an error blocks approval. Approval freezes the revision (items and findings)."""
    require(by, "students.approve_programme", programme.student)
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.PROPOSED:
        raise ProgrammeStateError("Alleen een voorgesteld programma kan worden goedgekeurd.")
    if conversation is None:
        raise ProgrammeError("Kies het loopbaangesprek waarin het programma is besproken.")
    conversation = _conversation_of(programme, conversation)
    items = _items(programme)
    evaluation = selectors.evaluate(programme.student, items, programme.regulation_id)
    if not evaluation.ok:
        raise ProgrammeInvalid("Het programma kan niet worden goedgekeurd: de controle vindt fouten.",
                               evaluation.errors)
    programme.status = ProgrammeStatus.APPROVED
    programme.approved_by = by
    programme.approved_at = timezone.now()
    programme.approval_conversation = conversation
    programme.return_comment = ""
    _history_user(programme, by).save()
    _freeze(programme, event=RevisionEvent.APPROVED, by=by, conversation=conversation,
            comment=(comment or "").strip(), items=items, evaluation=evaluation)
    return programme


@transaction.atomic
def return_programme(*, programme: Programme, by, comment: str,
                     conversation: CareerConversation | None = None) -> Programme:
    """The mentor or decaan sends a proposal back, with a comment (and the conversation, if any)."""
    require(by, "students.approve_programme", programme.student)
    programme = _lock(programme)
    comment = (comment or "").strip()
    if programme.status != ProgrammeStatus.PROPOSED:
        raise ProgrammeStateError("Alleen een voorgesteld programma kan worden teruggestuurd.")
    if not comment:
        raise ProgrammeError("Schrijf erbij wat er nog moet gebeuren.")
    conversation = _conversation_of(programme, conversation)
    programme.status = ProgrammeStatus.CONCEPT
    programme.return_comment = comment
    programme.proposed_at = None
    _history_user(programme, by).save()
    _freeze(programme, event=RevisionEvent.RETURNED, by=by, conversation=conversation, comment=comment)
    return programme


@transaction.atomic
def record_item_status(*, item: ProgrammeItem, status: str, by) -> ProgrammeItem:
    """Record how a module went: enrolled, completed, not completed (normally from the results)."""
    require(by, "students.record_item_status", item.programme.student)
    if status not in ItemStatus.values:
        raise ProgrammeError("Onbekende status.")
    item.status = status
    _history_user(item, by).save(update_fields=["status"])
    return item


@transaction.atomic
def record_past_item(*, programme: Programme, module_version, school_year: int, by,
                     status: str = ItemStatus.COMPLETED) -> ProgrammeItem:
    """Record a module the student already followed in an earlier school year (e.g. the oriënterende
    modules of the onderbouw, when the programme is started later)."""
    require(by, "students.record_item_status", programme.student)
    student = programme.student
    if school_year >= selectors.current_school_year(student):
        raise ProgrammeError("Alleen modulen van eerdere schooljaren kunnen zo worden vastgelegd.")
    if status not in (ItemStatus.COMPLETED, ItemStatus.NOT_COMPLETED):
        raise ProgrammeError("Een module uit een eerder schooljaar is afgerond of niet afgerond.")
    if module_version.status == "concept":
        raise ModuleNotAllowed("Deze module is nog niet gepubliceerd.")
    from maatwerk.schools.models import Offering

    offering = Offering.objects.filter(school=student.school_id, module_version=module_version,
                                       school_year=school_year).first()
    item = ProgrammeItem(programme=programme, module_version=module_version, offering=offering,
                         school_year=school_year, year_level=selectors.year_level_in(student, school_year),
                         status=status)
    try:
        with transaction.atomic():
            _history_user(item, by).save()
    except IntegrityError as exc:
        raise ModuleNotAllowed(f"De module {module_version.module.code} staat al in het programma.") from exc
    return item


# --- loopbaandossier -----------------------------------------------------------------------------

ACTIVITY_FIELDS = ("date", "kind", "title", "goals", "results", "evaluation", "follow_up", "module", "partner")
COMPETENCIES = tuple(c.value for c in CareerCompetency)


def _check_links(student: Student, data: dict) -> None:
    partner = data.get("partner")
    if partner is not None and partner.school_id != student.school_id:
        raise DossierError("Deze partner werkt niet met jouw school samen.", "partner")


@transaction.atomic
def save_activity(*, student: Student, by, data: dict, activity: CareerActivity | None = None) -> CareerActivity:
    """Write a LOB activity: its four parts (goals, results, evaluation and conclusion, follow-up),
    the loopbaancompetenties it developed and its link to a module or partner."""
    require(by, "students.write_dossier", student)
    if activity is not None and activity.student_id != student.pk:
        raise DossierError("Deze activiteit hoort bij een andere leerling.")
    if not (data.get("title") or (activity and activity.title)):
        raise DossierError("Geef de activiteit een titel.", "title")
    _check_links(student, data)
    activity = activity or CareerActivity(student=student, created_by=by)
    for name in ACTIVITY_FIELDS:
        if name in data:
            value = data[name]
            setattr(activity, name, value.strip() if isinstance(value, str) else value)
    for name in COMPETENCIES:
        if name in data:
            setattr(activity, name, bool(data[name]))
    if activity.date is None or not activity.kind:
        raise DossierError("Datum en soort zijn verplicht.", "date")
    _history_user(activity, by).save()
    return activity


@transaction.atomic
def comment_activity(*, activity: CareerActivity, by, comment: str) -> CareerActivity:
    """The mentor's comment on an activity (the student writes, the mentor comments)."""
    require(by, "students.comment_dossier", activity.student)
    activity.mentor_comment = (comment or "").strip()
    activity.mentor_comment_by = by if activity.mentor_comment else None
    activity.mentor_comment_at = timezone.now() if activity.mentor_comment else None
    _history_user(activity, by).save(update_fields=["mentor_comment", "mentor_comment_by", "mentor_comment_at",
                                                    "updated_at"])
    return activity


#: What may be attached to an activity: extension -> (content type, magic bytes or None)
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".txt": ("text/plain", None),
}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


def validate_attachment(upload) -> str:
    """The content type of an acceptable upload, or DossierError with a Dutch message."""
    name = getattr(upload, "name", "") or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise DossierError("Dit soort bestand kan niet: kies een pdf, foto (jpg, png), Word- of "
                           "OpenDocument-bestand of tekstbestand.", "file")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise DossierError("Het bestand is groter dan 5 MB.", "file")
    if upload.size == 0:
        raise DossierError("Het bestand is leeg.", "file")
    content_type, magic = ATTACHMENT_TYPES[ext]
    head = upload.read(16)
    upload.seek(0)
    if magic is not None and not head.startswith(magic):
        raise DossierError("De inhoud van het bestand past niet bij de naam.", "file")
    if magic is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # a multibyte character cut off at byte 16 is fine; anything else binary is not
            if b"\x00" in head:
                raise DossierError("De inhoud van het bestand past niet bij de naam.", "file") from None
    return content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"


@transaction.atomic
def add_attachment(*, activity: CareerActivity, by, upload, name: str = "") -> CareerAttachment:
    require(by, "students.write_dossier", activity.student)
    content_type = validate_attachment(upload)
    display = (name or upload.name or "bijlage").strip()[:200]
    attachment = CareerAttachment(activity=activity, name=display, content_type=content_type, size=upload.size,
                                  uploaded_by=by)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: CareerAttachment, by) -> None:
    require(by, "students.write_dossier", attachment.activity.student)
    attachment.file.delete(save=False)
    attachment.delete()


def _clean_reflections(reflections: dict | None) -> dict[str, str]:
    out = {}
    for key, text in (reflections or {}).items():
        if key not in COMPETENCIES:
            raise DossierError(f"Onbekende loopbaancompetentie: {key}.", "reflections")
        text = (text or "").strip()
        if text:
            out[key] = text
    return out


CONVERSATION_FIELDS = ("date", "participants", "agreements", "next_steps", "programme_decisions")


@transaction.atomic
def record_conversation(*, student: Student, by, data: dict, reflections: dict | None = None) -> CareerConversation:
    """Record a loopbaangesprek: participants, the student's reflection per competency it touched,
    agreements, next steps and the decisions about the programme it led to."""
    require(by, "students.record_conversation", student)
    if not data.get("date"):
        raise DossierError("Vul de datum van het gesprek in.", "date")
    if not (data.get("participants") or "").strip():
        raise DossierError("Wie waren erbij?", "participants")
    texts = _clean_reflections(reflections)
    conversation = CareerConversation(student=student, led_by=by)
    for name in CONVERSATION_FIELDS:
        value = data.get(name, "")
        setattr(conversation, name, value.strip() if isinstance(value, str) else value)
    _history_user(conversation, by).save()
    ConversationReflection.objects.bulk_create(
        ConversationReflection(conversation=conversation, competency=k, text=v) for k, v in texts.items())
    return conversation


@transaction.atomic
def save_reflections(*, conversation: CareerConversation, by, reflections: dict) -> CareerConversation:
    """The student writes (or rewrites) their reflection per competency on a conversation."""
    require(by, "students.reflect", conversation.student)
    texts = _clean_reflections(reflections)
    existing = {r.competency: r for r in conversation.reflections.all()}
    for key in COMPETENCIES:
        if key not in reflections:
            continue
        if key in texts:
            reflection = existing.get(key) or ConversationReflection(conversation=conversation, competency=key)
            reflection.text = texts[key]
            reflection.save()
        elif key in existing:
            existing[key].delete()
    return conversation

