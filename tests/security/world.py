"""The world of the authorisation matrix: the `two_schools` fixture (tests/conftest.py, with every app's
tests/<app>/world.py) plus what the matrix needs to ask every relation of accounts/policy.py about
school A's objects: a steward, a platform proposer, an assessor assigned to the owner, a second
student with a login and a parent, a second item assigned to another assessor, a published PTA, a
concept version, a proposal, an undecided review, a signing key.

Students of school A carry names that appear nowhere else, so a test can search any answer for them:
`MARKERS[student_key]`.
"""

from __future__ import annotations

import datetime as dt

from tests import factories as f
from tests.conftest import build_two_schools

#: student key -> a name that appears in nothing but that student's data
MARKERS = {"owner": "Vlasbloemhof", "assigned": "Hazelgrondt", "other": "Riethavenaar"}
CLASS_NAME = "3KM"


def build() -> dict:
    from maatwerk.accounts.models import Role
    from maatwerk.assessment.models import Pta, PtaStatus
    from maatwerk.catalog.models import Module, ModuleProposal, Review
    from maatwerk.diploma.models import ContinuousRoute, ExamDecision, ModuleCredential, SchoolKey
    from maatwerk.kern.models import KernFramework
    from maatwerk.schools.models import SchoolPolicy
    from maatwerk.students.models import CareerAttachment

    world = build_two_schools()
    a, b = world["a"], world["b"]
    owner, assigned, other = a["students"]
    for student, key in zip(a["students"], ("owner", "assigned", "other"), strict=True):
        student.last_name = MARKERS[key]
        student.class_name = CLASS_NAME
        student.save(update_fields=["last_name", "class_name"])
    for i, student in enumerate(b["students"]):
        student.last_name = f"Schoolbee{i}"
        student.save(update_fields=["last_name"])

    # The PTA is published (candidates and parents read it); item 2 is assigned to another assessor.
    pta, item = a["pta"], a["item"]
    item2 = f.PtaItemFactory(pta=pta, code="SE99")
    item2.module_versions.add(a["offering"].module_version)
    Pta.objects.filter(pk=pta.pk).update(status=PtaStatus.PUBLISHED)
    pta.refresh_from_db()
    f.AssessorAssignmentFactory(assessor=a["assessor"], item=item, student=owner)
    assessor2 = f.member(Role.EXTERNAL_ASSESSOR, school=a["school"], partner=a["partner"])
    assignment2 = f.AssessorAssignmentFactory(assessor=assessor2, item=item2, student=other)
    result2 = f.ResultFactory(student=other, item=item2)
    observation2 = f.KernObservationFactory(student=other, item=item2)

    other_user = f.member(Role.STUDENT, school=a["school"], student=other)
    other_parent = f.member(Role.PARENT, school=a["school"], student=other)
    steward = f.member(Role.STEWARD)
    proposer = f.member(Role.PROPOSER, platform=f.PlatformFactory())

    version = a["offering"].module_version
    module = version.module
    concept = f.ModuleVersionFactory(module=module, status="concept", make_current=False)
    proposal = ModuleProposal.objects.create(
        kind="new", platform=proposer.memberships.get().platform, submitted_by=proposer, title="Drones in de zorg",
        module_type="INTRODUCTORY", leerwegen="BB,KB", summary="Zorgtechniek", objectives="Een drone besturen",
        rationale="Vraag uit de regio", evidence="Werkgevers vragen erom", round_year=2026)
    review = Review.objects.create(module=module, version=version, due_on=dt.date(2029, 8, 1))

    # A module the owner can still add to the programme (school A offers it in a year still to come).
    from maatwerk.students.selectors import choosable_years

    offering2 = f.OfferingFactory(school=a["school"], school_year=max(choosable_years(owner)),
                                  module_version=f.ModuleVersionFactory(title="Brood en banket"))
    route = ContinuousRoute.objects.get(school=a["school"])
    attachment = CareerAttachment.objects.filter(activity__student=owner).get()
    target = {
        "school": a["school"], "student": owner, "offering": a["offering"], "group": a["group"],
        "package": a["school"].packages.get(), "partner": a["partner"], "licence": a["school"].licences.get(),
        "policy": SchoolPolicy.objects.get(school=a["school"]),
        "programme": owner.programme, "programme_item": owner.programme.items.get(),
        "activity": attachment.activity, "attachment": attachment,
        "conversation": owner.career_conversations.get(),
        "pta": pta, "item": item, "rubric": item.rubric,
        "result": owner.results.get(item=item), "assignment": item.assignments.get(student=owner),
        "kern_observation": owner.kern_observations.get(), "module_result": owner.module_results.get(),
        "decision": ExamDecision.objects.get(student=owner), "credential": ModuleCredential.objects.get(student=owner),
        "route": route, "qualification": route.qualification, "mbo_college": route.mbo_college,
        "offering2": offering2, "assessor_user": a["assessor"], "item2": item2, "assigned_student": assigned, "key": SchoolKey.objects.get(school=a["school"]),
        "module": Module.objects.get(pk=module.pk), "version": version, "concept": concept,
        "proposal": proposal, "review": review,
        "framework": KernFramework.objects.order_by("pk").first(),
        "class_name": CLASS_NAME,
    }
    from maatwerk.insight import whatif

    scenarios = [whatif.save_scenario(by=steward, name=f"Scenario {n}", regulation_id=whatif.DEFAULT_REGULATION,
                                      overrides={"min_units.KB": 4 + n}) for n in (1, 2)]
    target["scenarios"] = [s.pk for s in scenarios]  # ?s=1&s=2 (the compare page)
    target["scenario_ids"] = ",".join(str(s.pk) for s in scenarios)  # ?ids=1,2 (the API)
    target["kern_area"] = target["framework"].areas.order_by("pk").first()
    target["kern_objective"] = target["kern_area"].objectives.order_by("pk").first()
    # What `assessor_unassigned` asks for: a student and item assigned to someone else.
    unassigned = {**target, "student": other, "item": item2, "rubric": None, "result": result2,
                  "assignment": assignment2, "kern_observation": observation2}

    users = {
        "steward": steward, "proposer": proposer,
        "school_leader": a["staff"][Role.SCHOOL_LEADER], "exam_secretary": a["staff"][Role.EXAM_SECRETARY],
        "counsellor": a["staff"][Role.COUNSELLOR], "mentor": a["staff"][Role.MENTOR],
        "teacher": a["staff"][Role.TEACHER],
        "assessor": a["assessor"], "assessor_unassigned": a["assessor"],
        "student": a["student_user"], "other_student": other_user,
        "parent": a["parent"], "other_parent": other_parent,
        "other_school_leader": b["staff"][Role.SCHOOL_LEADER], "other_exam_secretary": b["staff"][Role.EXAM_SECRETARY],
        "other_counsellor": b["staff"][Role.COUNSELLOR], "other_mentor": b["staff"][Role.MENTOR],
        "other_teacher": b["staff"][Role.TEACHER],
    }
    # The owner's mentor is the mentor of school A (their own mentee).
    owner.mentor = users["mentor"]
    owner.save(update_fields=["mentor"])
    return {"a": a, "b": b, "target": target, "unassigned": unassigned, "users": users,
            "students": {"owner": owner, "assigned": assigned, "other": other}}


#: relation -> the student keys whose names must never appear in an answer to that relation
FORBIDDEN_MARKERS = {
    "anonymous": ("owner", "assigned", "other"),
    "steward": ("owner", "assigned", "other"),
    "proposer": ("owner", "assigned", "other"),
    **dict.fromkeys(("other_school_leader", "other_exam_secretary", "other_counsellor", "other_mentor",
                     "other_teacher"), ("owner", "assigned", "other")),
    "assessor": ("other",),
    "assessor_unassigned": ("other",),
    "student": ("assigned", "other"),
    "parent": ("assigned", "other"),
    "other_student": ("owner", "assigned"),
    "other_parent": ("owner", "assigned"),
}
