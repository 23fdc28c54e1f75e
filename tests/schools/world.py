"""Rows of the schools app for a school's world in the tenancy test (see tests/conftest.py)."""

from tests import factories as f


def build(w):
    school = w["school"]
    f.LicenceFactory(school=school)
    f.SchoolPolicyFactory(school=school)
    w["offering"] = f.OfferingFactory(school=school)
    package = f.PackageFactory(school=school)
    f.PackageModuleFactory(package=package, module=w["offering"].module_version.module)
    w["group"] = f.TeachingGroupFactory(school=school, offering=w["offering"])
    w["group"].students.set(w["students"])
