"""A city deployment. Everything sensitive comes from the environment; nothing defaults open."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env
from config.settings.base import *  # noqa: F403  (settings modules layer by design)
from config.settings.base import SECRET_KEY, SIHAI_BLIND_INDEX_KEY, SIHAI_FIELD_KEYS

DEBUG = False
SIHAI_DEMO_ENABLED = False

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("django-insecure", "local-", "demo-", "test-")):
    msg = "SIHAI_SECRET_KEY must be set to a random value of at least 50 characters in production."
    raise ImproperlyConfigured(msg)

ALLOWED_HOSTS = env.list("SIHAI_ALLOWED_HOSTS")

# Field-encryption keys must be real: the demo keys are derived from a published label.
if not SIHAI_FIELD_KEYS or "demo1:" in SIHAI_FIELD_KEYS or not SIHAI_BLIND_INDEX_KEY:
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
