"""`make demo`: the platform as a visitor should see it (no debug pages), with demo personas."""

from config.env import env
from config.settings.base import *  # noqa: F403  (settings modules layer by design)

DEBUG = False
SECRET_KEY = env.str("SIHAI_SECRET_KEY", default="demo-only-not-a-secret-never-use-in-production")
SIHAI_DEMO_ENABLED = True
WHITENOISE_USE_FINDERS = True
# No collected static directory here: files are served from the apps and node_modules.
STATIC_ROOT = None
