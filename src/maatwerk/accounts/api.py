from __future__ import annotations

from django.contrib.auth import authenticate
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.web.api import ApiError

from .models import Membership
from .scoping import roles_of
from .twofactor import requires_second_factor


class MembershipSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["role", "role_label", "school", "platform", "partner", "student"]


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """Who am I, and in which roles?"""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(MeSerializer({
            "email": user.email, "full_name": user.full_name, "memberships": roles_of(user).memberships,
        }).data)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.EmailField(help_text="E-mailadres")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(required=False, allow_blank=True,
                                help_text="Code uit de authenticator-app; verplicht voor medewerkers.")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange e-mail address, password (and, for staff, the one-time code) for an API token.
    Use it as `Authorization: Token <key>`."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request=request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None:
            raise ApiError("invalid_credentials", "E-mailadres of wachtwoord klopt niet.",
                           "Wrong e-mail address or password.", 400)
        if requires_second_factor(user):
            code = (data.validated_data.get("otp") or "").replace(" ", "")
            if not code or not any(d.verify_token(code) for d in TOTPDevice.objects.filter(user=user, confirmed=True)):
                raise ApiError("second_factor_required", "Geef de geldige code uit uw authenticator-app mee (otp).",
                               "Send a valid one-time code (otp).", 400)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
