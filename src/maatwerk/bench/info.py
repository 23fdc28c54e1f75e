"""Row counts of the tables the benchmarks read."""

from __future__ import annotations

from django.apps import apps

MODELS = ("schools.School", "schools.SchoolLocation", "accounts.User", "catalog.Module", "schools.Offering",
          "students.Student", "students.Programme", "students.ProgrammeItem", "students.CareerActivity",
          "assessment.Pta", "assessment.PtaItem", "assessment.Result", "assessment.ModuleResult",
          "assessment.SubjectGrade", "schools.TeachingGroup", "catalog.ModuleUsageReport", "diploma.ExamDecision")


def table_counts() -> list[tuple[str, int]]:
    return [(label, apps.get_model(label).objects.count()) for label in MODELS]
