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
