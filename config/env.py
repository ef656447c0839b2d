"""The one place where configuration is read from the environment.

Every setting module reads its inputs through :data:`env`; nothing else in the
project calls ``os.environ``. Secrets and keys come only from the environment
(or a ``.env`` file beside the project, never committed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
env.read_env(str(BASE_DIR / ".env"), recurse=False)

DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "sihai.sqlite3"

_SUPPORTED_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def database_from_url(
    url: str | None, *, sqlite_path: Path = DEFAULT_SQLITE_PATH
) -> dict[str, Any]:
    """Translate ``DATABASE_URL`` into Django's DATABASES entry.

    No URL means the embedded SQLite database. A URL that cannot work (unknown
    scheme, a PostgreSQL URL without a host or database name) stops start-up
    with a message that says what to fix, instead of a driver stack trace later.
    """
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            # Writers wait for each other instead of failing at once; WAL lets
            # readers proceed while the demo seeds (see config/settings/base.py).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _SUPPORTED_SCHEMES:
        msg = (
            f"DATABASE_URL uses the scheme {scheme or '(none)'!r}; Sihai supports "
            "postgres://user@host:port/name or sqlite:///path/to/file.sqlite3."
        )
        raise ImproperlyConfigured(msg)
    if scheme != "sqlite":
        if not parts.hostname:
            msg = (
                "DATABASE_URL has no host. Write it as "
                "postgres://USER@HOST:PORT/DBNAME, for example "
                "postgres://postgres@127.0.0.1:5432/sihai."
            )
            raise ImproperlyConfigured(msg)
        if not parts.path.strip("/"):
            msg = "DATABASE_URL names no database: add /DBNAME after the host and port."
            raise ImproperlyConfigured(msg)
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    return config
