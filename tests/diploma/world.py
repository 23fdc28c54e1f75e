"""Rows of the diploma app for a school's world in the tenancy test (see tests/conftest.py)."""

from tests import factories as f


def build(w):
    school, student = w["school"], w["students"][0]
    f.ExamDecisionFactory(student=student)
    route = f.ContinuousRouteFactory(school=school, mbo_college=w["partner"])
    route.students.add(student)
    from maatwerk.diploma.models import ModuleCredential, SchoolKey

    key = SchoolKey.objects.create(school=school, kid=f"test-{school.brin}", private_jwk={}, public_jwk={})
    ModuleCredential.objects.create(student=student, module_version=w["offering"].module_version, key=key,
                                    credential={}, jwt="x")
