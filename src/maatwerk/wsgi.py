"""WSGI entry point (gunicorn maatwerk.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maatwerk.settings")
application = get_wsgi_application()
