"""Password policy profiles: MLPS 2.0 (GB/T 22239) and OWASP ASVS 5.0.

``password_validators(profile)`` builds Django's AUTH_PASSWORD_VALIDATORS; the
history rule and the 180-day rotation live here too. This module imports no
models at import time because settings import it.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

MLPS_MAX_AGE_DAYS = 180
HISTORY_SIZE = 5


def password_validators(profile: str, breached_file: str = "") -> list[dict[str, Any]]:
    """The validator list for a profile name; an unknown name stops start-up."""
    similarity = {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    }
    numeric = {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"}
    if profile == "mlps":
        return [
            similarity,
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 10},
            },
            {
                "NAME": "sihai.accounts.passwords.CharacterClassesValidator",
                "OPTIONS": {"min_classes": 3},
            },
            {
                "NAME": "sihai.accounts.passwords.HistoryValidator",
                "OPTIONS": {"size": HISTORY_SIZE},
            },
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            numeric,
        ]
    if profile == "asvs":
        return [
            similarity,
            {
                "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                "OPTIONS": {"min_length": 12},
            },
            {
                "NAME": "sihai.accounts.passwords.BreachedPasswordValidator",
                "OPTIONS": {"path": breached_file},
            },
            numeric,
        ]
    msg = f"SIHAI_PASSWORD_PROFILE must be 'mlps' or 'asvs', not {profile!r}"
    raise ImproperlyConfigured(msg)


def rotation_required(profile: str) -> bool:
    return profile == "mlps"


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case, upper-case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if classes < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self) -> str:
        return _("Use at least %(n)d of: lower-case, upper-case, digits, other characters.") % {
            "n": self.min_classes
        }


class HistoryValidator:
    """Not the current password nor one of the previous ``size`` ones."""

    def __init__(self, size: int = HISTORY_SIZE) -> None:
        self.size = size

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password  # noqa: PLC0415  (settings import us)

        from sihai.accounts.models import PasswordHistory  # noqa: PLC0415

        earlier = [
            user.password,
            *PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.size - 1
            ],
        ]
        if any(encoded and check_password(password, encoded) for encoded in earlier):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return _("Do not reuse any of your last %(n)d passwords.") % {"n": self.size}


@cache
def _breached(path: str) -> frozenset[str]:
    source = Path(path)
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


class BreachedPasswordValidator:
    """Not in a list of passwords known from breaches (offline: no network lookups)."""

    def __init__(self, path: str = "") -> None:
        self.path = path

    def validate(self, password: str, user: Any = None) -> None:
        if self.path:
            if password.lower() in _breached(self.path):
                raise ValidationError(self.get_help_text(), code="password_breached")
            return
        from django.contrib.auth.password_validation import CommonPasswordValidator  # noqa: PLC0415

        try:
            CommonPasswordValidator().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(self.get_help_text(), code="password_breached") from exc

    def get_help_text(self) -> str:
        return _("This password appears in lists of breached passwords: choose another.")
