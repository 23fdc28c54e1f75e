from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "maatwerk.insight"
    verbose_name = "Inzicht"

    def ready(self) -> None:
        from . import (
            cache,
            permissions,  # noqa: F401 - registers the django-rules permissions
        )

        cache.connect()
