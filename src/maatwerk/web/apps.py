from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "maatwerk.web"
    verbose_name = "Web"
