"""Rows of the diploma app for a school's world in the tenancy test (see tests/conftest.py)."""

from tests import factories as f


def build(w):
    from maatwerk.diploma import services
    from maatwerk.diploma.models import ModuleCredential

    school, student = w["school"], w["students"][0]
    f.ExamDecisionFactory(student=student)
    route = f.ContinuousRouteFactory(school=school, mbo_college=w["partner"])
    route.students.add(student)
    key = services.ensure_key(school)  # a real Ed25519 key, as the credentials use
    ModuleCredential.objects.create(student=student, module_version=w["offering"].module_version, key=key,
                                    credential={}, jwt="x", subject_id="urn:uuid:00000000-0000-4000-8000-000000000000")
