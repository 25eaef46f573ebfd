"""WSGI entry point for ``helhed serve`` and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from helhed.cli import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
application = get_wsgi_application()
