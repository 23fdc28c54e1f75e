from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.national, name="national"),
    path("landelijk.csv", views.national_csv, name="national_csv"),
    path("landelijk.pdf", views.national_pdf, name="national_pdf"),
    path("school/", views.school_redirect, name="school_redirect"),
    path("scholen/<str:brin>/", views.school, name="school"),
    path("scholen/<str:brin>/school.csv", views.school_csv, name="school_csv"),
    path("scholen/<str:brin>/school.pdf", views.school_pdf, name="school_pdf"),
    path("scholen/<str:brin>/risico/", views.school_risk, name="school_risk"),
    path("wat-als/", views.whatif_page, name="whatif"),
    path("wat-als/vergelijk/", views.compare, name="compare"),
    path("wat-als/vergelijk.csv", views.compare_csv, name="compare_csv"),
    path("wat-als/vergelijk.pdf", views.compare_pdf, name="compare_pdf"),
]
