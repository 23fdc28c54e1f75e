from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Login by e-mail address and password, or (when configured) with a school account."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_label"] = settings.OIDC_LOGIN_LABEL
        context["oidc_failed"] = self.request.GET.get("schoolaccount") == "onbekend"
        return context
