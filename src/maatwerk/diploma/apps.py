from django.apps import AppConfig


class DiplomaConfig(AppConfig):
    name = "maatwerk.diploma"
    verbose_name = "Diploma en certificaten"
