from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "maatwerk.insight"
    verbose_name = "Inzicht"
