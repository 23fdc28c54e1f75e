from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "maatwerk.schools"
    verbose_name = "Scholen en aanbod"
