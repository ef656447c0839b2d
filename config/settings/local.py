"""A developer's machine: the demo settings, with debug pages."""

from config.env import env
from config.settings.demo import *  # noqa: F403  (settings modules layer by design)

DEBUG = env.bool("SIHAI_DEBUG", default=True)
SECRET_KEY = env.str("SIHAI_SECRET_KEY", default="local-development-only-not-a-secret")
