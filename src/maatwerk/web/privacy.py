"""The AVG side of Maatwerk: everything held about one student, and the retention of leavers.

* `collect_student_data(student)`: every row in the database about the student — found the way a
  delete would find it (all objects that point at the student, directly or through their parents:
  programme, dossier, results, decisions, credentials, group memberships, accounts ...), plus the
  history rows of those records. A new model that points at Student is included automatically.
* `anonymise_student(student)`: what `maatwerk privacy retention` does once the retention period
  after leaving has passed. Exam results stay (outcome and grades, anonymous: schools and the
  steward need the counts, and DUO holds the official record); everything that identifies the
  student or tells their story (names, numbers, accounts, the loopbaandossier, comments) goes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.db import models, router, transaction
from django.db.models.fields.files import FieldFile

from maatwerk.accounts.scoping import tenancy_of

#: Fields never exported, whatever model they are on.
SECRET_FIELDS = {"password"}


def _value(value):
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def serialize(obj) -> dict:
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        row[field.attname if field.is_relation else field.name] = _value(getattr(obj, field.attname))
    return row


def _related(student) -> dict[type[models.Model], list[models.Model]]:
    collector = NestedObjects(using=router.db_for_write(type(student)))
    collector.collect([student])
    found: dict[type, dict] = defaultdict(dict)
    for model, instances in collector.data.items():
        for obj in instances:
            found[model][obj.pk] = obj
    for obj in collector.protected:
        found[type(obj)][obj.pk] = obj
    return {model: list(rows.values()) for model, rows in found.items()}


def _history(student) -> dict[str, list[dict]]:
    from django.apps import apps

    out: dict[str, list[dict]] = {}
    for model in apps.get_models():
        tenancy = getattr(model, "tenancy", None)
        if tenancy is None or not tenancy.student or not hasattr(model, "history"):
            continue
        path = "id" if tenancy.student == "pk" else tenancy.student
        rows = model.history.model.objects.filter(**{path: student.pk}).order_by("history_date")
        data = [{**serialize(r), "history_user_id": r.history_user_id} for r in rows]
        if data:
            out[model._meta.label] = data
    return out


def collect_student_data(student) -> dict:
    """Everything held about `student`, as plain JSON-able data, grouped by kind."""
    from maatwerk.accounts.models import Membership

    related = _related(student)
    sections = {}
    for model, rows in sorted(related.items(), key=lambda kv: kv[0]._meta.label):
        sections[model._meta.label] = {
            "naam": str(model._meta.verbose_name_plural),
            "rijen": [serialize(obj) for obj in sorted(rows, key=lambda o: str(o.pk))],
        }
    accounts = []
    for membership in Membership.objects.filter(student=student).select_related("user"):
        user = membership.user
        accounts.append({"rol": membership.get_role_display(), "e-mail": user.email, "naam": user.full_name,
                         "laatst ingelogd": _value(user.last_login), "aangemaakt": _value(user.date_joined)})
    return {
        "over": {
            "wat": "Alle gegevens die Maatwerk over deze leerling bewaart (inzage onder de AVG, art. 15).",
            "leerling": student.full_name, "leerlingnummer": student.student_number,
            "school": str(student.school), "gemaakt_op": dt.datetime.now(dt.UTC).isoformat(),
        },
        "accounts": accounts,
        "gegevens": sections,
        "geschiedenis": _history(student),
    }


def retention_due(on: dt.date | None = None):
    """Students who left more than the retention period ago and are not anonymised yet."""
    from maatwerk.students.models import Student

    on = on or dt.date.today()
    years = settings.MAATWERK.get("RETENTION_YEARS_AFTER_LEAVING", 2)
    try:
        cutoff = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        cutoff = on.replace(year=on.year - years, day=28)
    return Student.objects.filter(left_on__isnull=False, left_on__lt=cutoff).exclude(
        student_number__startswith="anon-")


@transaction.atomic
def anonymise_student(student) -> dict[str, int]:
    """Remove what identifies the student; keep anonymous exam outcomes. Returns counts per kind."""
    from maatwerk.accounts.models import Membership, Role, User
    from maatwerk.assessment.models import KernObservation, Result
    from maatwerk.students.models import CareerActivity, CareerConversation, Programme, ProgrammeRevision

    counts: dict[str, int] = {}
    # the loopbaandossier: reflections, activities, conversations, attachments (files too)
    activities = CareerActivity.objects.filter(student=student)
    for activity in activities.prefetch_related("attachments"):
        for attachment in activity.attachments.all():
            attachment.file.delete(save=False)
    counts["loopbaanactiviteiten"] = activities.count()
    counts["loopbaangesprekken"] = CareerConversation.objects.filter(student=student).count()
    CareerConversation.objects.filter(student=student).delete()
    activities.delete()
    # after the deletes: a delete writes one more history row with the whole text in it
    CareerActivity.history.model.objects.filter(student_id=student.pk).delete()
    CareerConversation.history.model.objects.filter(student_id=student.pk).delete()
    # free texts about the student
    counts["opmerkingen"] = Result.objects.filter(student=student).exclude(comment="").update(comment="")
    Result.history.model.objects.filter(student_id=student.pk).exclude(comment="").update(comment="")
    KernObservation.objects.filter(student=student).update(note="")
    KernObservation.history.model.objects.filter(student_id=student.pk).update(note="")
    ProgrammeRevision.objects.filter(programme__student=student).update(reason="", comment="")
    Programme.objects.filter(student=student).update(change_reason="", return_comment="")
    Programme.history.model.objects.filter(student_id=student.pk).update(change_reason="", return_comment="")
    # accounts of the student and their parents (unless they still have another role)
    memberships = Membership.objects.filter(student=student, role__in=[Role.STUDENT, Role.PARENT])
    users = list(User.objects.filter(memberships__in=memberships).distinct())
    counts["accounts"] = len(users)
    memberships.delete()
    for user in users:
        if not user.memberships.exists():
            user.email = f"anon-{uuid.uuid4().hex[:12]}@anoniem.invalid"
            user.first_name = user.infix = user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
    # the student record itself
    student.first_name = "Geanonimiseerd"
    student.infix = ""
    student.last_name = f"leerling {student.pk}"
    student.student_number = f"anon-{student.pk}"
    student.class_name = ""
    student.mentor = None
    student.save()
    return counts


def tenancy_student_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m, "tenancy", None) and tenancy_of(m).student]
