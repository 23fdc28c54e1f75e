"""Optional login with a school account over OpenID Connect (mozilla-django-oidc), so a school can
connect its federation (Entree Federatie, SURFconext) or its own identity provider.

Only people the school already added to Maatwerk can log in this way: the e-mail claim is matched
case-insensitively to an existing active account; no account is ever created from a login. When
the identity provider says it did multi-factor authentication (the `amr` claim contains "mfa",
"otp", "hwk" or "swk", or `acr` is the REFEDS MFA profile), that counts as Maatwerk's second factor;
otherwise staff still confirm with their authenticator app.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

IDP_MFA_SESSION_KEY = "maatwerk_idp_mfa"
MFA_AMR = {"mfa", "otp", "hwk", "swk", "sms"}
REFEDS_MFA = "https://refeds.org/profile/mfa"


def idp_did_mfa(payload: dict) -> bool:
    amr = payload.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(MFA_AMR & {str(a).lower() for a in amr}) or payload.get("acr") == REFEDS_MFA


class SchoolAccountBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def create_user(self, claims):  # never create accounts from a login
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and self.request is not None:
            self.request.session[IDP_MFA_SESSION_KEY] = idp_did_mfa(payload)
        return user


def _only_when_enabled(view):
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Inloggen met een schoolaccount is niet ingesteld.")
        return view(request, *args, **kwargs)

    return wrapped


authenticate_view = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback_view = _only_when_enabled(OIDCAuthenticationCallbackView.as_view())
