from django.urls import path, register_converter

from . import views


class BrinConverter:
    regex = "[0-9]{2}[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(BrinConverter, "brin")

app_name = "schools"
urlpatterns = [
    path("", views.school_index, name="index"),
    path("aanbod/", views.offering, name="offering"),
    path("aanbod/toevoegen/", views.offering_add, name="offering_add"),
    path("aanbod/kopieren/", views.offering_copy, name="offering_copy"),
    path("aanbod/<int:pk>/", views.offering_edit, name="offering_edit"),
    path("aanbod/<int:pk>/verwijderen/", views.offering_delete, name="offering_delete"),
    path("pakketten/", views.packages, name="packages"),
    path("pakketten/nieuw/", views.package_new, name="package_new"),
    path("pakketten/controle/", views.package_check, name="package_check"),
    path("pakketten/<int:pk>/", views.package_edit, name="package_edit"),
    path("pakketten/<int:pk>/verwijderen/", views.package_delete, name="package_delete"),
    path("partners/", views.partners, name="partners"),
    path("partners/nieuw/", views.partner_form, name="partner_new"),
    path("partners/<int:pk>/", views.partner_form, name="partner_edit"),
    path("partners/<int:pk>/verwijderen/", views.partner_delete, name="partner_delete"),
    path("lesgroepen/", views.groups, name="groups"),
    path("lesgroepen/nieuw/", views.group_form, name="group_new"),
    path("lesgroepen/<int:pk>/", views.group_detail, name="group"),
    path("lesgroepen/<int:pk>/bewerken/", views.group_form, name="group_edit"),
    path("lesgroepen/<int:pk>/verwijderen/", views.group_delete, name="group_delete"),
    path("lesgroepen/<int:pk>/leerlingen/<int:student_pk>/weg/", views.group_remove_student,
         name="group_remove_student"),
    path("beleid/", views.policy, name="policy"),
    path("beleid/licenties/<int:pk>/", views.licence_end, name="licence_change"),
    path("importeren/", views.import_page, name="import"),
    path("exporteren/<str:kind>.<str:fmt>", views.export, name="export"),
    path("<brin:brin>/", views.public_school, name="public"),
]
