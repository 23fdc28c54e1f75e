from django.urls import path, re_path

from . import views

app_name = "diploma"

urlpatterns = [
    path("", views.decisions, name="decisions"),
    path("berekenen/", views.run, name="run"),
    path("vaststellen/", views.sign_off_selected, name="sign_off_selected"),
    path("besluit/<int:pk>/", views.decision_detail, name="decision"),
    path("besluit/<int:pk>/vaststellen/", views.decision_sign_off, name="decision_sign_off"),
    path("besluit/<int:pk>/corrigeren/", views.decision_correct, name="decision_correct"),
    path("besluit/<int:pk>/opnieuw/", views.decision_rerun, name="decision_rerun"),
    path("export.csv", views.export_csv, name="export"),
    path("vakcijfers/", views.subject_grades, name="subject_grades"),
    path("certificaten/", views.credentials_list, name="credentials"),
    path("certificaten/uitgeven/", views.credentials_issue, name="credentials_issue"),
    path("certificaten/<uuid:pk>/intrekken/", views.credential_revoke, name="credential_revoke"),
    re_path(r"^certificaten/(?P<pk>[0-9a-f-]{36})/download/(?P<fmt>json|jwt)/$", views.credential_download,
            name="credential_download"),
    path("mijn/", views.mine, name="mine"),
    path("leerling/<int:pk>/", views.student_page, name="student"),
    path("leerling/<int:pk>/cijferlijst.pdf", views.transcript_pdf, name="transcript_pdf"),
    path("leerling/<int:pk>/diploma.pdf", views.diploma_pdf, name="diploma_pdf"),
    path("leerling/<int:pk>/certificaat.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("routes/", views.routes, name="routes"),
    # public
    path("verifieer/", views.verify, name="verify"),
    path("certificaat/<uuid:pk>/", views.credential_public, name="credential_public"),
    path("sleutels/<slug:kid>/", views.key, name="key"),
    path("uitgever/<str:brin>/", views.issuer, name="issuer"),
    path("status/<str:brin>/", views.status_list, name="status_list"),
]
