"""The test suite: fast hashing, tasks run inline, the same code paths otherwise."""

from marshmallow.validate import OneOf

from config.env import env
from config.settings.base import *  # noqa: F403  (settings modules layer by design)
from config.settings.base import LOGGING
from sihai.core.crypto import demo_blind_index_key, demo_keyring_spec

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

# DEMO KEYS: derived from a published label (sihai/core/crypto.py demo_keyring_spec). They
# protect nothing; they exist so the demo runs without a key ceremony. Production refuses them.
SIHAI_FIELD_KEYS = env.str("SIHAI_FIELD_KEYS", default=demo_keyring_spec("test"))
SIHAI_FIELD_KEY_ACTIVE = env.str("SIHAI_FIELD_KEY_ACTIVE", default="demo1")
SIHAI_BLIND_INDEX_KEY = env.str("SIHAI_BLIND_INDEX_KEY", default=demo_blind_index_key("test"))

# Demo personas sign in with a password; the three administrators still need TOTP.
SIHAI_STAFF_2FA = env.str(
    "SIHAI_STAFF_2FA", default="admins", validate=OneOf(["required", "admins"])
)
# Text messages are kept in the database and shown on the demo outbox page, never sent.
SIHAI_SMS_BACKEND = env.str("SIHAI_SMS_BACKEND", default="outbox")
# Rollups take every event at once in tests (no transaction commits late here).
SIHAI_ROLLUP_SETTLE_SECONDS = 0.0
# Every test sees its own data: no dashboard kept between renders (one test turns it on).
SIHAI_DASHBOARD_CACHE_SECONDS = 0.0
# Notifications of requests are logged and kept on the demo outbox page, never sent.
SIHAI_NOTIFY_DELIVERY = env.str("SIHAI_NOTIFY_DELIVERY", default="console")
