"""Notification channels behind one interface: SMS, WeChat subscription message, e-mail.

``SIHAI_NOTIFY_DELIVERY`` chooses how they deliver: ``console`` (demo, development and
tests: each message is logged and kept in the demo outbox page, nothing leaves the
machine) or ``live`` (SMS through the configured SMS provider, WeChat through the
subscription-message API, e-mail through Django's mail backend).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail

from sihai.notifications.sms import send_sms

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel could not deliver now; the outbox retries later."""


class Channel(Protocol):
    def deliver(self, *, recipient: str, template: str, params: dict[str, str], body: str) -> str:
        """Send one message; returns the provider's id."""
        ...


class ConsoleChannel:
    def __init__(self, name: str) -> None:
        self.name = name

    def deliver(self, *, recipient: str, template: str, params: dict[str, str], body: str) -> str:
        from sihai.notifications.models import OutboxMessage  # noqa: PLC0415  (models load late)

        # Logged without the recipient in full: logs are not a place for personal data.
        logger.info("notification (console)", extra={"channel": self.name, "template": template})
        return str(
            OutboxMessage.objects.create(channel=self.name, recipient=recipient, body=body).pk
        )


class SmsChannel:
    def deliver(self, *, recipient: str, template: str, params: dict[str, str], body: str) -> str:
        try:
            return send_sms(phone=recipient, text=body, template=template, params=params)
        except Exception as exc:  # the SMS provider's errors are retried, whatever they are
            raise DeliveryError(str(exc)) from exc


class WeChatChannel:
    """WeChat subscription message (订阅消息, ``message/subscribe/send``) to an openid."""

    def deliver(self, *, recipient: str, template: str, params: dict[str, str], body: str) -> str:
        payload = {
            "touser": recipient,
            "template_id": template,
            "data": {k: {"value": v} for k, v in params.items()},
        }
        url = (
            "https://api.weixin.qq.com/cgi-bin/message/subscribe/send?access_token="
            + settings.SIHAI_WECHAT_ACCESS_TOKEN
        )
        request = urllib.request.Request(
            url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                reply = json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise DeliveryError(str(exc)) from exc
        if reply.get("errcode", 0) != 0:
            raise DeliveryError(f"{reply.get('errcode')}: {reply.get('errmsg')}")
        return str(reply.get("msgid", ""))


class EmailChannel:
    def deliver(self, *, recipient: str, template: str, params: dict[str, str], body: str) -> str:
        try:
            send_mail(body[:60], body, None, [recipient])
        except OSError as exc:
            raise DeliveryError(str(exc)) from exc
        return ""


LIVE: dict[str, Callable[[], Channel]] = {
    "sms": SmsChannel,
    "wechat": WeChatChannel,
    "email": EmailChannel,
}
CHANNELS = frozenset(LIVE)


def channel(name: str) -> Channel:
    if name not in LIVE:
        msg = f"unknown notification channel {name!r}"
        raise ValueError(msg)
    if settings.SIHAI_NOTIFY_DELIVERY == "live":
        return LIVE[name]()
    return ConsoleChannel(name)
