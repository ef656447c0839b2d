"""A bare Django hello-world: one file, settings inline, DEBUG off, no middleware.

The baseline that bench/http_rps.py compares Sihai's request rates with. It is
served exactly like Sihai (same gunicorn flags), from this directory::

    .venv/bin/gunicorn hello:application --chdir bench/hello \
        --bind 127.0.0.1:8001 --workers 2 --threads 4 --log-level warning

No installed apps, no database, no templates, no i18n, MIDDLEWARE empty: the
cost of Django's URL resolver and request/response objects, nothing more.
"""

from __future__ import annotations

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-hello-world-not-a-secret",  # noqa: S106  (signs nothing: no sessions)
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
    USE_I18N=False,
    USE_TZ=True,
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

django.setup()
application = get_wsgi_application()
