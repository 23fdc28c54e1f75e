"""Rows of the students app for a school's world in the tenancy test (see tests/conftest.py)."""

from tests import factories as f


def build(w):
    student = w["students"][0]
    programme = f.ProgrammeFactory(student=student)
    f.ProgrammeItemFactory(programme=programme, module_version=w["offering"].module_version, offering=w["offering"])
    f.ProgrammeRevisionFactory(programme=programme)
    f.CareerActivityFactory(student=student)
    conversation = f.CareerConversationFactory(student=student)
    f.ConversationReflectionFactory(conversation=conversation)
    from django.core.files.base import ContentFile

    from maatwerk.students.models import CareerAttachment

    attachment = CareerAttachment(activity=student.career_activities.first(), name="verslag.txt")
    attachment.file.save("verslag.txt", ContentFile(b"Verslag van de snuffelstage."), save=True)
