"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Everything loaded at start-up (Django, the apps, the indicator registry) lives as long as
# the process: freeze it, so that the collector's full passes skip it, and collect less
# often. A city dashboard allocates some 100,000 short-lived objects; with the defaults a
# full pass over the whole heap fell into every other build and doubled it (70 → 140 ms,
# bench/RESULTS.md section 10). SIHAI_GC_TUNING=0 keeps Python's defaults.
if os.environ.get("SIHAI_GC_TUNING", "1") != "0":
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
