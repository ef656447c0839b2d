"""The test suite: fast hashing, tasks run inline, the same code paths otherwise."""

from config.settings.base import *  # noqa: F403  (settings modules layer by design)
from config.settings.base import LOGGING

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"  # noqa: S105  (tests need a fixed key)
SIHAI_DEMO_ENABLED = True
WHITENOISE_USE_FINDERS = True
# Hashing cost is irrelevant to what the tests check and dominates their run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING["root"]["level"] = "WARNING"
# No collected static directory here: files are served from the apps and node_modules.
STATIC_ROOT = None
