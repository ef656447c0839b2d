"""Third-party front-end files (htmx, ECharts, Leaflet), installed by npm at set-up.

Pages must work without them (a checkout where `npm ci` did not run, a locked-down
network): a template asks for an asset by name and gets nothing when it is absent.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


@cache
def vendor_path(name: str) -> str | None:
    """The static path of a named asset, or None when that library is not installed."""
    path: str | None = settings.SIHAI_VENDOR_ASSETS.get(name)
    if path is None:
        return None
    if finders.find(path):
        return path
    # In production the files are collected (and hashed) into STATIC_ROOT instead.
    if settings.STATIC_ROOT and staticfiles_storage.exists(path):
        return path
    return None
