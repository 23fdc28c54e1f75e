from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "maatwerk.students"
    verbose_name = "Leerlingen en programma"
