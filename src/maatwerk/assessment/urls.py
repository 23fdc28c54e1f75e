from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("pta/", views.pta_list, name="pta_list"),
    path("pta/nieuw/", views.pta_create, name="pta_create"),
    path("pta/<int:pk>/", views.pta_detail, name="pta_detail"),
    path("pta/<int:pk>/bewerken/", views.pta_edit, name="pta_edit"),
    path("pta/<int:pk>/vaststellen/", views.pta_adopt, name="pta_adopt"),
    path("pta/<int:pk>/publiceren/", views.pta_publish, name="pta_publish"),
    path("pta/<int:pk>/pdf/", views.pta_pdf, name="pta_pdf"),
    path("pta/<int:pk>/onderdeel/nieuw/", views.item_edit, name="item_create"),
    path("pta/<int:pk>/onderdeel/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("onderdeel/<int:pk>/beoordelingsmodel/", views.rubric, name="rubric"),
    path("onderdeel/<int:pk>/beoordelingsmodel/bewerken/", views.rubric_edit, name="rubric_edit"),
    path("cijfers/", views.gradebooks, name="gradebooks"),
    path("cijfers/groep/<int:pk>/", views.gradebook, name="gradebook"),
    path("cijfers/importeren/", views.grade_import, name="grade_import"),
    path("beoordelen/", views.assessor_home, name="assessor_home"),
    path("beoordelen/<int:pk>/", views.assess, name="assess"),
    path("resultaten/", views.my_results, name="my_results"),
]
