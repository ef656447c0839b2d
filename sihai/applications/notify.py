"""Telling a resident their application moved: an SMS through the notification outbox.

The message is queued in the caller's transaction (``sihai.notifications.services.notify``),
so it exists exactly when the change does and is delivered at least once, retried with
back-off; the same event twice is one message. The text names the reference and the
state only; the resident reads the details in the portal. No personal data is logged.
"""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext as _

from sihai.notifications import services as outbox
from sihai.residents.models import Resident

logger = logging.getLogger("sihai.applications.notify")


def _message(message_code: str, reference: str) -> str:
    if message_code == "submitted":
        return _("Sihai: your application %(ref)s was received.") % {"ref": reference}
    if message_code.endswith("more_documents"):
        return _("Sihai: your application %(ref)s needs more documents.") % {"ref": reference}
    return _("Sihai: your application %(ref)s has a new decision.") % {"ref": reference}


def notify_resident(
    *, resident_id: int, reference: str, message_code: str, event_id: str = ""
) -> None:
    """Queue an SMS to the resident about ``reference`` (nothing when they left no phone)."""
    resident = Resident.objects.filter(pk=resident_id).only("phone").first()
    phone = resident.phone if resident is not None else None
    if not phone:
        logger.info("application notification skipped: no phone", extra={"ref": reference})
        return
    with translation.override("zh-hans"):
        body = _message(message_code, reference)
    outbox.notify(
        key=f"application:{reference}:{message_code}:{event_id}",
        channel_name="sms",
        recipient=phone,
        template="SMS_SIHAI_APPLICATION",
        params={"ref": reference, "event": message_code},
        body=body,
    )
