from django.apps import AppConfig


class KernConfig(AppConfig):
    name = "maatwerk.kern"
    verbose_name = "Kern"
