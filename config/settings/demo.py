"""`make demo`: the platform as a visitor should see it (no debug pages), with demo personas."""

from marshmallow.validate import OneOf

from config.env import env
from config.settings.base import *  # noqa: F403  (settings modules layer by design)
from sihai.core.crypto import demo_blind_index_key, demo_keyring_spec

DEBUG = False
SECRET_KEY = env.str("SIHAI_SECRET_KEY", default="demo-only-not-a-secret-never-use-in-production")
SIHAI_DEMO_ENABLED = True
WHITENOISE_USE_FINDERS = True
# No collected static directory here: files are served from the apps and node_modules.
STATIC_ROOT = None

# DEMO KEYS: derived from a published label (sihai/core/crypto.py demo_keyring_spec). They
# protect nothing; they exist so the demo runs without a key ceremony. Production refuses them.
SIHAI_FIELD_KEYS = env.str("SIHAI_FIELD_KEYS", default=demo_keyring_spec("demo"))
SIHAI_FIELD_KEY_ACTIVE = env.str("SIHAI_FIELD_KEY_ACTIVE", default="demo1")
SIHAI_BLIND_INDEX_KEY = env.str("SIHAI_BLIND_INDEX_KEY", default=demo_blind_index_key("demo"))

# Demo personas sign in with a password; the three administrators still need TOTP.
SIHAI_STAFF_2FA = env.str(
    "SIHAI_STAFF_2FA", default="admins", validate=OneOf(["required", "admins"])
)
# Text messages are kept in the database and shown on the demo outbox page, never sent.
SIHAI_SMS_BACKEND = env.str("SIHAI_SMS_BACKEND", default="outbox")
# Notifications of requests are logged and kept on the demo outbox page, never sent.
SIHAI_NOTIFY_DELIVERY = env.str("SIHAI_NOTIFY_DELIVERY", default="console")
