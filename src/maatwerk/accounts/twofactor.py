"""Two-factor login (TOTP through django-otp).

Required for every staff role (steward, proposer, school staff, external assessor) and for
operators; optional for students and parents (once they set up a device, they must use it).
Until a session is verified, such a user reaches only the two-factor pages and logout: no page
with student data, no session-authenticated API call. API tokens for staff are only issued with a
valid code (accounts/api.py).
"""

from __future__ import annotations

import base64
import io
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import STAFF_ROLES
from .scoping import roles_of

EXEMPT_PREFIXES = ("/account/tweestaps/", "/account/uitloggen/", "/account/inloggen/", "/account/oidc/",
                   "/static/")
EXEMPT_PATHS = {"/privacy/"}


def is_verified(request) -> bool:
    """A second factor in this session: the authenticator app, or the school's identity provider's MFA."""
    from .oidc import IDP_MFA_SESSION_KEY

    return request.user.is_verified() or bool(request.session.get(IDP_MFA_SESSION_KEY))


def requires_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or roles_of(user).roles & STAFF_ROLES:
        return True
    return user_has_device(user, confirmed=True)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path not in EXEMPT_PATHS
            and not is_verified(request)
            and requires_second_factor(user)
        ):
            target = reverse("accounts:otp_verify")
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"code": "second_factor_required",
                     "message": {"nl": "Bevestig eerst uw inlog met de code uit uw app.",
                                 "en": "Verify your login with a one-time code first."}},
                    status=403,
                )
            return redirect(f"{target}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code uit uw app", max_length=8, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "Vul de code van zes cijfers in.",
                        "min_length": "De code heeft zes cijfers.", "max_length": "De code heeft zes cijfers."},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("De code bestaat alleen uit cijfers.")
        return code


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@login_required
def verify(request):
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:otp_setup')}?next={quote(_next_url(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["code"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("code", "Deze code klopt niet (of is verlopen). Gebruik de nieuwste code uit uw app.")
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def setup(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists() and not request.user.is_verified():
        return redirect(f"{reverse('accounts:otp_verify')}?next={quote(_next_url(request))}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator-app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Tweestapsverificatie staat aan. Voortaan vragen we bij het inloggen om een code.")
            return redirect(_next_url(request))
        form.add_error("code", "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/otp_setup.html", {
        "form": form, "next": _next_url(request), "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    })


def mark_verified(client, user):
    """For tests: give `client`'s session a verified second factor for `user` (a confirmed device)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device
