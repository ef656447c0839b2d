"""The tamper-evident audit log and the access log.

Audit entries form a hash chain: each entry's hash is SM3 over its own content
and the previous entry's hash, so changing, inserting or removing an entry in
the middle breaks every later link (``sihai audit verify`` finds the first).
On PostgreSQL a trigger also refuses UPDATE and DELETE outright. Entries carry
no foreign keys: they outlive the accounts and records they mention.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class ActorKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    RESIDENT = "resident", _("Resident")
    SYSTEM = "system", _("System")  # commands and scheduled tasks


class AuditChain(models.Model):
    """The head of the chain (one row): where the next entry links, where purged history ends."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # Entries up to anchor_seq were purged after their retention; anchor_hash is the
    # hash of the last purged entry, which the first remaining entry links to.
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit chain head #{self.last_seq}"


class AuditEntry(models.Model):
    """One change, recorded by the service that made it, in the same transaction."""

    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor_id = models.CharField(_("actor id"), max_length=64, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    # Where the target lies, so audit search can be narrowed by area.
    area_code = models.CharField(_("area"), max_length=12, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AccessLogEntry(models.Model):
    """One read of a person's personal data: who, whose record, for which purpose, when.

    Residents see their own entries in plain language (PIPL art. 45).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    actor_id = models.CharField(_("actor id"), max_length=64, blank=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    subject_type = models.CharField(_("record type"), max_length=64)
    subject_id = models.CharField(_("record id"), max_length=64)
    subject_area = models.CharField(_("area"), max_length=12, blank=True)
    purpose = models.CharField(_("purpose"), max_length=64)
    fields = models.JSONField(_("fields read"), default=list)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="access_subject")]

    def __str__(self) -> str:
        return f"{self.actor_label} read {self.subject_type}:{self.subject_id}"
