"""Rows of the assessment app for a school's world in the tenancy test (see tests/conftest.py)."""

from tests import factories as f


def build(w):
    school, student = w["school"], w["students"][0]
    pta = f.PtaFactory(school=school)
    item = f.PtaItemFactory(pta=pta)
    item.module_versions.add(w["offering"].module_version)
    criterion = f.RubricCriterionFactory(rubric=f.RubricFactory(item=item))
    f.RubricLevelFactory(criterion=criterion)
    f.ResultFactory(student=student, item=item)
    f.AssessorAssignmentFactory(assessor=w["assessor"], item=item, student=w["students"][1])
    f.KernObservationFactory(student=student, item=item)
    f.ModuleResultFactory(student=student, module_version=w["offering"].module_version, pta=pta)
    f.SubjectGradeFactory(student=student)
    w["pta"], w["item"] = pta, item
