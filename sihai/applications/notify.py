"""Telling a resident their application moved: one function, one seam.

Until the shared notification outbox (``sihai/notifications``) lands, the message is kept
on the application's timeline (which the resident reads in the portal). The integrator
points :func:`notify_resident` at the outbox after the merge.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("sihai.applications.notify")


def notify_resident(*, resident_id: int, reference: str, message_code: str) -> None:
    """Queue a message to the resident about ``reference`` (no personal data in the log)."""
    logger.info(
        "application notification queued",
        extra={"resident": resident_id, "reference": reference, "message_code": message_code},
    )
