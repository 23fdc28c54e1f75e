"""API conventions shared by every app: pagination, JSON errors with a stable code and a
Dutch and English message, and a base permission that reads the django-rules predicates."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


#: stable error code -> (Dutch, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "not_found": ("Niet gevonden.", "Not found."),
    "permission_denied": ("U heeft geen toestemming voor deze handeling.", "You do not have permission."),
    "not_authenticated": ("Log eerst in.", "Authentication credentials were not provided."),
    "authentication_failed": ("Inloggen mislukt.", "Authentication failed."),
    "validation_error": ("De invoer is niet geldig.", "The input is not valid."),
    "parse_error": ("De invoer is geen geldige JSON.", "Malformed request."),
    "method_not_allowed": ("Deze methode is hier niet toegestaan.", "Method not allowed."),
    "throttled": ("Te veel verzoeken; probeer het later opnieuw.", "Request was throttled."),
    "unsupported_media_type": ("Dit formaat wordt niet ondersteund.", "Unsupported media type."),
    "not_acceptable": ("Dit antwoordformaat wordt niet ondersteund.", "Not acceptable."),
    "conflict": ("De gegevens zijn intussen door iemand anders gewijzigd.", "The data was changed by someone else."),
    "server_error": ("Er ging iets mis aan onze kant.", "Server error."),
}


class ApiError(exceptions.APIException):
    """A business-rule error with its own stable code: raise ApiError("code", nl, en, status)."""

    def __init__(self, code: str, nl: str, en: str, status_code: int = 400, details=None):
        self.status_code = status_code
        self.code = code
        self.nl = nl
        self.en = en
        self.details = details
        super().__init__(detail=nl, code=code)


def error_body(code: str, nl: str, en: str, fields=None, details=None) -> dict:
    body = {"code": code, "message": {"nl": nl, "en": en}}
    if fields:
        body["fields"] = fields
    if details is not None:
        body["details"] = details
    return body


def exception_handler(exc, context):
    if isinstance(exc, OverflowError | DataError):
        # A number beyond what the database stores (an id of 20 digits, a year of 10**30): bad input, not a crash.
        return Response(error_body("validation_error", "Een getal in de invoer is te groot of ongeldig.",
                                   "A number in the input is out of range."), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, exc.nl, exc.en, details=exc.details), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        code = getattr(exc, "code", None) or "validation_error"
        messages = exc.messages
        nl = " ".join(messages) or MESSAGES["validation_error"][0]
        return Response(
            error_body(code, nl, MESSAGES.get(code, MESSAGES["validation_error"])[1]),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        nl, en = MESSAGES["validation_error"]
        response.data = error_body("validation_error", nl, en, fields=fields)
        return response
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    nl, en = MESSAGES.get(code, (str(getattr(exc, "detail", "")), str(getattr(exc, "detail", ""))))
    response.data = error_body(code, nl, en)
    return response


class RulesPermission(permissions.BasePermission):
    """Read for whoever may see the queryset (scoping happens in get_queryset); write only with
    the view's `write_perm` (a django-rules permission name) on the object or, for create, without."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False
        perm = getattr(view, "write_perm", None)
        if perm is None:
            return False
        if getattr(view, "action", None) == "create" or getattr(view, "detail", False) is False:
            return request.user.has_perm(perm)
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        perm = getattr(view, "write_perm", None)
        return perm is not None and request.user.has_perm(perm, obj)
