"""A city deployment. Everything sensitive comes from the environment; nothing defaults open."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env
from config.settings.base import *  # noqa: F403  (settings modules layer by design)
from config.settings.base import (
    SECRET_KEY,
    SIHAI_BLIND_INDEX_KEY,
    SIHAI_FIELD_KEY_ACTIVE,
    SIHAI_FIELD_KEYS,
)
from sihai.core.crypto import demo_blind_index_key, demo_keyring_spec, parse_keyring

DEBUG = False
SIHAI_DEMO_ENABLED = False

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("django-insecure", "local-", "demo-", "test-")):
    msg = "SIHAI_SECRET_KEY must be set to a random value of at least 50 characters in production."
    raise ImproperlyConfigured(msg)

ALLOWED_HOSTS = env.list("SIHAI_ALLOWED_HOSTS")

# Field-encryption keys must be real: the demo keys are derived from published labels.
_keys = parse_keyring(SIHAI_FIELD_KEYS)
_demo_secrets = {
    key.secret
    for label in ("demo", "test")
    for key in parse_keyring(demo_keyring_spec(label)).values()
}
_demo_index_keys = {demo_blind_index_key(label) for label in ("demo", "test")}
if (
    not _keys
    or SIHAI_FIELD_KEY_ACTIVE not in _keys
    or any(key.secret in _demo_secrets for key in _keys.values())
    or not SIHAI_BLIND_INDEX_KEY
    or SIHAI_BLIND_INDEX_KEY in _demo_index_keys
):
    msg = (
        "Set SIHAI_FIELD_KEYS, SIHAI_FIELD_KEY_ACTIVE and SIHAI_BLIND_INDEX_KEY from the "
        "key-management system (see docs/adr/0004-field-encryption.md); demo keys are refused."
    )
    raise ImproperlyConfigured(msg)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("SIHAI_CSRF_TRUSTED_ORIGINS", default=[])

# TLS is terminated at the load balancer, which says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SIHAI_SSL_REDIRECT", default=True)
# Health probes come from the load balancer over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SIHAI_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SIHAI_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# Hashed, compressed file names so browsers cache static files forever.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
