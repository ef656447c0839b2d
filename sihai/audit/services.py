"""Writing the audit log and the access log, verifying the chain, purging old history.

Services call :func:`record` inside their own ``@transaction.atomic`` block, so
the change and its audit entry commit or roll back together::

    audit.record(actor=actor, action="accounts.role_granted", target=assignment,
                 area_code=assignment.area_id, changes={"role": {"to": "district_officer"}})

Reads of a person's personal data call :func:`access` (no transaction needed).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.audit.models import GENESIS_HASH, AccessLogEntry, ActorKind, AuditChain, AuditEntry
from sihai.core.crypto import sm3_hex
from sihai.core.errors import InvalidInput
from sihai.core.logging import request_id_var

# Cybersecurity Law art. 21: network logs are kept at least six months.
RETENTION_DAYS = 180
SENSITIVE_MARK = "(encrypted value changed)"


def _actor_identity(actor: Any) -> tuple[str, str, str]:
    """(kind, id, label) of whoever acts: a staff account, a resident, or the system."""
    if actor is None:
        return ActorKind.SYSTEM, "", "system"
    identity = getattr(actor, "audit_identity", None)
    if identity is not None:
        kind, actor_id, label = identity()
        return str(kind), str(actor_id), str(label)
    msg = f"{type(actor).__name__} cannot act: it has no audit_identity()"
    raise TypeError(msg)


def field_changes(
    before: dict[str, Any], after: dict[str, Any], *, sensitive: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """``{field: {"from": old, "to": new}}`` for the fields that differ.

    A sensitive (encrypted) field is recorded as changed, never with its values.
    """
    changes: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        changes[name] = (
            {"changed": SENSITIVE_MARK} if name in sensitive else {"from": old, "to": new}
        )
    return changes


def entry_digest(entry: AuditEntry) -> str:
    """SM3 over the entry's content and the previous hash, in a canonical JSON form."""
    at = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    payload = [
        entry.seq,
        at,
        entry.actor_kind,
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.area_code,
        entry.changes,
        entry.request_id,
        entry.prev_hash,
    ]
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sm3_hex(canonical.encode())


def _in_service_transaction() -> bool:
    # A test's own wrapping transaction (Django marks it _from_testcase) does not count:
    # the service itself must be atomic, or its change and its entry could part ways.
    blocks = transaction.get_connection().atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def _chain_for_update() -> AuditChain:
    AuditChain.objects.get_or_create(pk=1)
    return AuditChain.objects.select_for_update().get(pk=1)


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    area_code: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    if not _in_service_transaction():
        msg = "audit.record() must run inside the service's transaction (@transaction.atomic)"
        raise RuntimeError(msg)
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    kind, actor_id, label = _actor_identity(actor)
    chain = _chain_for_update()
    entry = AuditEntry(
        seq=chain.last_seq + 1,
        at=timezone.now(),
        actor_kind=kind,
        actor_id=actor_id,
        actor_label=label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        area_code=area_code,
        changes=json.loads(json.dumps(changes or {}, default=str)),
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
        prev_hash=chain.last_hash,
    )
    entry.hash = entry_digest(entry)
    entry.save(force_insert=True)
    chain.last_seq, chain.last_hash = entry.seq, entry.hash
    chain.save(update_fields=["last_seq", "last_hash"])
    return entry


def access(
    *,
    actor: Any,
    subject: models.Model,
    purpose: str,
    fields: list[str],
    subject_area: str = "",
) -> AccessLogEntry:
    """Log one read of ``subject``'s personal data (who, which record, why, which fields)."""
    kind, actor_id, label = _actor_identity(actor)
    return AccessLogEntry.objects.create(
        actor_kind=kind,
        actor_id=actor_id,
        actor_label=label,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_area=subject_area,
        purpose=purpose,
        fields=sorted(fields),
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
    )


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify() -> ChainReport:
    """Walk the chain from the purge anchor; report the first entry that does not hold."""
    chain = AuditChain.objects.get_or_create(pk=1)[0]
    previous, expected, checked = chain.anchor_hash, chain.anchor_seq + 1, 0
    # Only up to the head read above: entries appended while we walk are not "missing".
    entries = AuditEntry.objects.filter(seq__lte=chain.last_seq).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        if entry.seq != expected:
            return ChainReport(False, checked, expected, "entry missing")
        if entry.prev_hash != previous:
            return ChainReport(False, checked, entry.seq, "link to the previous entry broken")
        if entry_digest(entry) != entry.hash:
            return ChainReport(False, checked, entry.seq, "content changed")
        previous, expected, checked = entry.hash, expected + 1, checked + 1
    if expected - 1 != chain.last_seq or previous != chain.last_hash:
        return ChainReport(False, checked, expected, "entries missing at the end")
    return ChainReport(True, checked)


@transaction.atomic
def purge(*, before: datetime.date, actor: Any = None) -> tuple[int, int]:
    """Delete audit and access entries older than ``before`` (never younger than 180 days).

    The chain stays verifiable: its anchor moves to the last purged entry. The
    purge itself is recorded. Returns (audit entries, access entries) deleted.
    """
    today = timezone.localdate()
    if before > today - datetime.timedelta(days=RETENTION_DAYS):
        raise InvalidInput(
            _("Audit history is kept at least %(days)d days: choose a date on or before %(date)s.")
            % {"days": RETENTION_DAYS, "date": today - datetime.timedelta(days=RETENTION_DAYS)},
            code="audit.retention",
        )
    cutoff = datetime.datetime.combine(
        before, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    chain = _chain_for_update()
    last = AuditEntry.objects.filter(at__lt=cutoff).order_by("-seq").first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The append-only trigger lets a DELETE through only inside this transaction.
            cursor.execute("SET LOCAL sihai.audit_purge = 'on'")
    audit_deleted = 0
    if last is not None:
        audit_deleted, _unused = AuditEntry.objects.filter(seq__lte=last.seq).delete()
        chain.anchor_seq, chain.anchor_hash = last.seq, last.hash
        chain.save(update_fields=["anchor_seq", "anchor_hash"])
    access_deleted, _unused = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    record(
        actor=actor,
        action="audit.purged",
        changes={
            "before": before.isoformat(),
            "audit_entries": audit_deleted,
            "access_entries": access_deleted,
        },
    )
    return audit_deleted, access_deleted


__all__ = ["GENESIS_HASH", "ChainReport", "access", "field_changes", "purge", "record", "verify"]
