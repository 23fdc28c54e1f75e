from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "maatwerk.catalog"
    verbose_name = "Menukaart"
