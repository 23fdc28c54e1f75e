from django.urls import path, re_path

from . import views

app_name = "catalog"
CODE = r"(?P<code>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)"

urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("beheer/", views.steward, name="steward"),
    path("beheer/levenscyclus/", views.lifecycle_run, name="lifecycle_run"),
    path("beheer/reviews/<int:pk>/", views.review_record, name="review"),
    path("voorstellen/", views.proposals, name="proposals"),
    path("voorstellen/nieuw/", views.proposal_new, name="proposal_new"),
    path("voorstellen/<int:pk>/", views.proposal_detail, name="proposal"),
    re_path(r"^voorstellen/(?P<pk>[0-9]+)/(?P<action>in-behandeling|aannemen|afwijzen)/$", views.proposal_action,
            name="proposal_action"),
    re_path(rf"^{CODE}/$", views.module_detail, name="module"),
    re_path(rf"^{CODE}/vergelijk/$", views.compare, name="compare"),
    re_path(rf"^{CODE}/nieuwe-versie/$", views.version_new, name="version_new"),
    re_path(rf"^{CODE}/versie/(?P<number>[0-9]+)/bewerken/$", views.version_edit, name="version_edit"),
    re_path(rf"^{CODE}/versie/(?P<number>[0-9]+)/publiceren/$", views.version_publish, name="version_publish"),
    re_path(rf"^{CODE}/versie/(?P<number>[0-9]+)/intrekken/$", views.version_withdraw, name="version_withdraw"),
]
