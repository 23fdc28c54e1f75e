"""Django settings for Maatwerk, read from the environment.

Variables (all optional for development):
  DATABASE_URL        default sqlite:///<repo>/var/maatwerk.sqlite3; postgres://user@host:5432/db for PostgreSQL
  SECRET_KEY          required when DEBUG is off (a long random string)
  DEBUG               1/0, default 0
  ALLOWED_HOSTS       comma separated, default "localhost,127.0.0.1" (plus "testserver" when DEBUG)
  CSRF_TRUSTED_ORIGINS comma separated origins, e.g. https://maatwerk.school.nl
  SECURE_SSL_REDIRECT 1/0, default: on when DEBUG is off
  EMAIL_URL-like:     EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
  MAATWERK_VAR_DIR    where the SQLite database, uploads and backups live, default <repo>/var
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MAATWERK_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt. Zet SECRET_KEY in de omgeving (of DEBUG=1 voor ontwikkeling)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "rules",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "maatwerk.accounts",
    "maatwerk.web",
    "maatwerk.kern",
    "maatwerk.schools",
    "maatwerk.catalog",
    "maatwerk.students",
    "maatwerk.assessment",
    "maatwerk.diploma",
    "maatwerk.insight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "maatwerk.accounts.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "maatwerk.web.middleware.SecurityHeadersMiddleware",
    "maatwerk.web.middleware.BadNumberMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "maatwerk.urls"
WSGI_APPLICATION = "maatwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maatwerk.web.context_processors.navigation",
            ],
        },
    }
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'maatwerk.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or DEFAULT_SQLITE, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and one writer work at the same time; the timeout waits for a write lock
    # instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if os.environ.get("TEST_DATABASE_NAME"):
    # Lets several test runs share one PostgreSQL server without clashing on test_<name>.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- e-mail (password reset) ---
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maatwerk <noreply@maatwerk.invalid>")

# --- security ---
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one school day
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- login protection ---
# Two-factor login (TOTP, django-otp) is required for every staff role and optional for students and
# parents (accounts/twofactor.py). django-axes locks a username from one address after repeated failures.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Maatwerk vmbo")
OTP_TOTP_THROTTLE_FACTOR = 1
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else None
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- optional login with a school account (OpenID Connect: Entree, SURFconext, a school's own IdP) ---
# Set OIDC_RP_CLIENT_ID to switch it on; see docs/operations.md.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_LOGIN_LABEL = os.environ.get("OIDC_LOGIN_LABEL", "Inloggen met uw schoolaccount")
LOGIN_REDIRECT_URL_FAILURE = "/account/inloggen/?schoolaccount=onbekend"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "maatwerk.accounts.oidc.SchoolAccountBackend")

# --- REST framework ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "maatwerk.web.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "maatwerk.web.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute", "user": "3000/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Maatwerk API",
    "DESCRIPTION": (
        "API van Maatwerk: de kern, de landelijke menukaart van modulen, het aanbod van scholen, "
        "maatwerkprogramma's, PTA's en resultaten, examenbesluiten en modulecertificaten. "
        "Fouten zijn JSON met een vaste code en een Nederlandse en Engelse melding."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set in the OpenAPI schema (no generated names like Status0b7Enum).
    "ENUM_NAME_OVERRIDES": {
        "LeerwegEnum": "maatwerk.domain.Leerweg",
        "CompetencyEnum": "maatwerk.domain.CareerCompetency",
        "AssessmentFormEnum": "maatwerk.domain.AssessmentForm",
        "FrameworkStatusEnum": "maatwerk.kern.models.FrameworkStatus",
        "VersionStatusEnum": "maatwerk.catalog.models.VersionStatus",
        "ProposalStatusEnum": "maatwerk.catalog.models.ProposalStatus",
        "ProgrammeStatusEnum": "maatwerk.students.models.ProgrammeStatus",
        "ProgrammeItemStatusEnum": "maatwerk.students.models.ItemStatus",
        "PtaStatusEnum": "maatwerk.assessment.models.PtaStatus",
        "DecisionStatusEnum": "maatwerk.diploma.models.DecisionStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

MAATWERK = {
    # The national steward's organisation name, shown on public pages.
    "STEWARD_NAME": os.environ.get("MAATWERK_STEWARD_NAME", "Landelijk beheer menukaart vmbo"),
    # AVG: years after a student left (Student.left_on) before `maatwerk privacy retention` anonymises them.
    "RETENTION_YEARS_AFTER_LEAVING": int(os.environ.get("MAATWERK_RETENTION_YEARS", "2")),
}
# The public address of this installation: signed into module credentials (issuer, verification URL).
MAATWERK_PUBLIC_URL = os.environ.get("MAATWERK_PUBLIC_URL", "http://127.0.0.1:8000")
# Optional key (Fernet/base64) to encrypt the schools' credential signing keys at rest.
MAATWERK_CREDENTIAL_KEY = os.environ.get("MAATWERK_CREDENTIAL_KEY", "")

SPECTACULAR_SETTINGS.update(
    {
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
)

# Content Security Policy: no inline scripts or styles anywhere (see web.middleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'"
)
