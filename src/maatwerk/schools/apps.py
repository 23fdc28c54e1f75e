from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "maatwerk.schools"
    verbose_name = "Scholen en aanbod"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the permissions)
