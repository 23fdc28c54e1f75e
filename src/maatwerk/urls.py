"""URLs. Each app brings `urls.py` (pages, Dutch paths) and `api_urls.py` (under /api/v1/<prefix>/);
they are included here when present, so adding an app's pages needs no edit of this file
beyond the table."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from maatwerk.accounts import oidc
from maatwerk.accounts.views import LoginView
from maatwerk.web import audit, privacy_views
from maatwerk.web import views as web_views

#: app -> (page prefix, API prefix)
APPS = {
    "accounts": ("account/", "accounts/"),
    "kern": ("kern/", "kern/"),
    "catalog": ("menukaart/", "catalog/"),
    "schools": ("scholen/", "schools/"),
    "students": ("leerlingen/", "students/"),
    "assessment": ("toetsing/", "assessment/"),
    "diploma": ("examen/", "diploma/"),
    "insight": ("inzicht/", "insight/"),
}


def _has(module: str) -> bool:
    return find_spec(module) is not None


urlpatterns = [
    path("", web_views.home, name="home"),
    path("privacy/", web_views.privacy, name="privacy"),
    path("account/inloggen/", LoginView.as_view(), name="login"),
    path("account/oidc/authenticate/", oidc.authenticate_view, name="oidc_authentication_init"),
    path("account/oidc/callback/", oidc.callback_view, name="oidc_authentication_callback"),
    path("account/uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    path("geschiedenis/<str:app_label>/<str:model_name>/<str:pk>/", audit.history, name="audit"),
    path("privacy/leerling/<int:pk>/gegevens.json", privacy_views.export_json, name="privacy_export_json"),
    path("privacy/leerling/<int:pk>/gegevens.pdf", privacy_views.export_pdf, name="privacy_export_pdf"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
for app, (page_prefix, api_prefix) in APPS.items():
    if _has(f"maatwerk.{app}.urls"):
        urlpatterns.append(path(page_prefix, include(f"maatwerk.{app}.urls")))
    if _has(f"maatwerk.{app}.api_urls"):
        urlpatterns.append(path(f"api/v1/{api_prefix}", include(import_module(f"maatwerk.{app}.api_urls"))))

handler400 = "maatwerk.web.views.error_400"
handler403 = "maatwerk.web.views.error_403"
handler404 = "maatwerk.web.views.error_404"
handler500 = "maatwerk.web.views.error_500"

# The Django admin bypasses the tenancy (it lists every school's rows): operators (superusers) only, never a
# user who merely has is_staff and some model permissions.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
admin.site.site_header = "Maatwerk — technisch beheer"
admin.site.site_title = "Maatwerk beheer"
