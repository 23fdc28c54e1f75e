"""Security headers that Django's SecurityMiddleware does not set; bad numbers as bad requests."""

from __future__ import annotations

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages with personal data are not kept by shared computers' caches.
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response


class BadNumberMiddleware:
    """An id beyond what SQLite stores (a form's multiple choice of 30 digits: Django's `__in` lookup
    passes it to the database as is) is bad input: the 400 page, not a server error. PostgreSQL simply
    finds no row. The API does the same in web.api.exception_handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError) and "SQLite INTEGER" in str(exception):
            from .views import error_400

            return error_400(request)
        return None
