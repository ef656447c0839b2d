"""A developer's machine: debug pages, a throwaway secret, demo personas allowed."""

from config.env import env
from config.settings.base import *  # noqa: F403  (settings modules layer by design)

DEBUG = env.bool("SIHAI_DEBUG", default=True)
SECRET_KEY = env.str("SIHAI_SECRET_KEY", default="local-development-only-not-a-secret")
SIHAI_DEMO_ENABLED = True
# Serve static files straight from the app and npm directories, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
# No collected static directory here: files are served from the apps and node_modules.
STATIC_ROOT = None
