from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "maatwerk.catalog"
    verbose_name = "Menukaart"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the django-rules permissions
