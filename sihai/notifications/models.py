"""Messages the platform sent through the outbox channel (demo and tests)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sihai.core.fields import EncryptedTextField


class OutboxMessage(models.Model):
    """An SMS kept instead of sent (demo and tests); encrypted like any phone number."""

    channel = models.CharField(_("channel"), max_length=20, default="sms")
    recipient = EncryptedTextField(_("recipient"))
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up after retries")


class Notification(models.Model):
    """One message to one person on one channel, kept until delivered (the outbox).

    Written in the same transaction as the change it tells about, so it exists exactly
    when the change does; delivered by a task, retried with back-off; ``key`` makes a
    second write of the same notification a no-op (idempotent), and a delivery that
    crashed after sending is retried (at least once).
    """

    key = models.CharField(max_length=120, unique=True)
    channel = models.CharField(_("channel"), max_length=20)
    recipient = EncryptedTextField(_("recipient"))
    template = models.CharField(_("template"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict)
    body = EncryptedTextField(_("message"))
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True, default="")
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.template} #{self.pk}"
