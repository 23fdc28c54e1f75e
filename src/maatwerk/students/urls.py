"""Pages under /leerlingen/."""

from django.urls import path

from . import views

app_name = "students"
urlpatterns = [
    path("", views.student_list, name="list"),
    path("mijn-programma/", views.my_programme, name="my_programme"),
    path("mijn-loopbaandossier/", views.my_dossier, name="my_dossier"),
    path("mijn-kind/", views.my_children, name="my_children"),
    path("klas/<str:class_name>/routes/", views.class_routes, name="class_routes"),
    path("bijlage/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("bijlage/<int:attachment_pk>/verwijderen/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/programma/", views.programme, name="programme"),
    path("<int:pk>/programma/starten/", views.programme_start, name="programme_start"),
    path("<int:pk>/programma/toevoegen/", views.programme_add, name="programme_add"),
    path("<int:pk>/programma/onderdeel/<int:item_pk>/verwijderen/", views.programme_remove, name="programme_remove"),
    path("<int:pk>/programma/onderdeel/<int:item_pk>/status/", views.programme_item_status,
         name="programme_item_status"),
    path("<int:pk>/programma/voorstellen/", views.programme_propose, name="programme_propose"),
    path("<int:pk>/programma/besluiten/", views.programme_decide, name="programme_decide"),
    path("<int:pk>/programma/wijzigen/", views.programme_reopen, name="programme_reopen"),
    path("<int:pk>/programma/geschiedenis/", views.programme_history, name="programme_history"),
    path("<int:pk>/route.svg", views.route_svg, name="route_svg"),
    path("<int:pk>/loopbaandossier/", views.dossier, name="dossier"),
    path("<int:pk>/loopbaandossier/pdf/", views.dossier_pdf, name="dossier_pdf"),
    path("<int:pk>/loopbaandossier/activiteit/nieuw/", views.activity_edit, name="activity_new"),
    path("<int:pk>/loopbaandossier/activiteit/<int:activity_pk>/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/loopbaandossier/activiteit/<int:activity_pk>/opmerking/", views.activity_comment,
         name="activity_comment"),
    path("<int:pk>/loopbaandossier/activiteit/<int:activity_pk>/bijlage/", views.attachment_add,
         name="attachment_add"),
    path("<int:pk>/loopbaandossier/gesprek/nieuw/", views.conversation_new, name="conversation_new"),
    path("<int:pk>/loopbaandossier/gesprek/<int:conversation_pk>/reflectie/", views.conversation_reflect,
         name="conversation_reflect"),
]
