from __future__ import annotations

import pytest
from django.urls import reverse

from maatwerk.accounts.oidc import idp_did_mfa


@pytest.mark.parametrize("payload,expected", [
    ({"amr": ["pwd"]}, False),
    ({"amr": ["pwd", "mfa"]}, True),
    ({"amr": ["pwd", "OTP"]}, True),
    ({"amr": "hwk"}, True),
    ({"acr": "https://refeds.org/profile/mfa"}, True),
    ({"acr": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"}, False),
    ({}, False),
])
def test_idp_mfa_claims(payload, expected):
    assert idp_did_mfa(payload) is expected


@pytest.mark.django_db
def test_school_account_login_is_hidden_and_closed_when_not_configured(client, settings):
    settings.OIDC_ENABLED = False
    assert "oidc-login" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
