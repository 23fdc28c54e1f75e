from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "maatwerk.students"
    verbose_name = "Leerlingen en programma"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the django-rules permissions
