"""Issuing, checking and revoking partner systems' Open311 API keys."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import User
from sihai.audit import services as audit
from sihai.cases.policies import OPEN311_KEYS
from sihai.core.errors import InvalidInput, NotFound
from sihai.core.policy import has_action
from sihai.open311.models import ApiKey

KEY_PREFIX = "o311_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, actor: User | None, name: str, key: str = "") -> tuple[ApiKey, str]:
    """A new key for a partner system; the plaintext is returned once and never stored.

    ``actor`` None is the demo seeder (a published key, given as ``key``).
    """
    if actor is not None and not has_action(actor, OPEN311_KEYS):
        raise NotFound(NotFound.default_message())
    name = name.strip()[:100]
    if not name:
        raise InvalidInput(_("Name the partner system."), code="open311.name")
    plaintext = key or KEY_PREFIX + secrets.token_urlsafe(24)
    api_key = ApiKey.objects.create(
        name=name, prefix=plaintext[:12], key_hash=_hash(plaintext), created_by=actor
    )
    audit.record(
        actor=actor,
        action="open311.key_issued",
        target=api_key,
        area_code="",
        changes={"name": name, "prefix": api_key.prefix},
    )
    return api_key, plaintext


@transaction.atomic
def api_key_revoke(*, actor: User, key_id: int) -> ApiKey:
    if not has_action(actor, OPEN311_KEYS):
        raise NotFound(NotFound.default_message())
    api_key = ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).first()
    if api_key is None:
        raise NotFound(NotFound.default_message())
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="open311.key_revoked", target=api_key, changes={})
    return api_key


def api_key_check(key: str) -> ApiKey | None:
    """The unrevoked key matching ``key``, or None."""
    if not key:
        return None
    found = ApiKey.objects.filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if found is not None and (
        found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 60
    ):
        ApiKey.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found
