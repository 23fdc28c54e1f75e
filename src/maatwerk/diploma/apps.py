from django.apps import AppConfig


class DiplomaConfig(AppConfig):
    name = "maatwerk.diploma"
    verbose_name = "Diploma en certificaten"

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401 - registers the permissions and the revocation hook
