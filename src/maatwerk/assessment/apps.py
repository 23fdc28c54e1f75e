from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "maatwerk.assessment"
    verbose_name = "PTA en resultaten"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the django-rules permissions
