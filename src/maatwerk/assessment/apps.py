from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "maatwerk.assessment"
    verbose_name = "PTA en resultaten"
