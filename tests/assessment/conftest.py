"""An exam world: a school, a module, a teaching group of mixed leerwegen, a vastgesteld PTA whose
items close the module, the staff who enter grades and a partner's assessor."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.models import AssessedBy, Pta, PtaItem, PtaStatus
from tests import factories as f


@dataclass
class Exam:
    school: object
    version: object
    group: object
    pta: Pta
    items: list[PtaItem]
    students: list
    teacher: object
    secretary: object
    leader: object
    partner: object
    assessor: object
    extra: dict = field(default_factory=dict)


def build_exam(n_students: int = 3, n_items: int = 2, *, school=None, resit: bool = True) -> Exam:
    school = school or f.SchoolFactory(name="Het Testbaken")
    version = f.ModuleVersionFactory(title="Zorg en welzijn thuis")
    offering = f.OfferingFactory(school=school, module_version=version)
    teacher = f.member(Role.TEACHER, school=school)
    group = f.TeachingGroupFactory(school=school, offering=offering, name="ZW-3A", teacher=teacher)
    leerwegen = ["BB", "KB", "GL"]
    students = [f.StudentFactory(school=school, leerweg=leerwegen[i % 3], cohort=2025, year_level=3)
                for i in range(n_students)]
    group.students.set(students)
    for student in students:
        f.ProgrammeItemFactory(programme=f.ProgrammeFactory(student=student), module_version=version,
                               status="enrolled")
    pta = f.PtaFactory(school=school, cohort=2025, exam_year=2026, title="PTA cohort 2025 BB-KB-GL")
    partner = f.PartnerFactory(school=school, name="Zorgcentrum De Linde")
    items = []
    for n in range(n_items):
        item = services.save_item(
            by=services.SYSTEM, pta=pta, code=f"ZW1.{n + 1}", title=f"Praktijkopdracht {n + 1}",
            form="practical" if n else "proeve", weight=Decimal(n + 1), resit_allowed=resit,
            max_attempts=2 if resit else 1, period=n % 4 + 1,
            assessed_by=AssessedBy.PARTNER if n == 0 else AssessedBy.SCHOOL, partner=partner if n == 0 else None,
            module_versions=[version])
        items.append(item)
    Pta.objects.filter(pk=pta.pk).update(status=PtaStatus.ADOPTED)
    pta.refresh_from_db()
    assessor = f.member(Role.EXTERNAL_ASSESSOR, school=school, partner=partner)
    return Exam(school=school, version=version, group=group, pta=pta, items=items, students=students,
                teacher=teacher, secretary=f.member(Role.EXAM_SECRETARY, school=school),
                leader=f.member(Role.SCHOOL_LEADER, school=school), partner=partner, assessor=assessor)


@pytest.fixture
def exam(db) -> Exam:
    return build_exam()
