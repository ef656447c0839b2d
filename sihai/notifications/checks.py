"""Start-up check: the SMS channel can work as configured (not at a resident's first code)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.checks import Warning as CheckWarning

from sihai.notifications.sms import BACKENDS


@register()
def sms_channel_configured(**kwargs: Any) -> list[CheckMessage]:
    backend = settings.SIHAI_SMS_BACKEND
    if backend not in BACKENDS:
        return [
            Error(
                f"SIHAI_SMS_BACKEND must be one of {sorted(BACKENDS)}, not {backend!r}",
                id="sihai.E010",
            )
        ]
    if backend == "aliyun" and not (
        settings.SIHAI_SMS_ALIYUN_ACCESS_KEY_ID
        and settings.SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET
        and settings.SIHAI_SMS_ALIYUN_SIGN_NAME
    ):
        return [
            Error(
                "SIHAI_SMS_BACKEND=aliyun needs SIHAI_SMS_ALIYUN_ACCESS_KEY_ID, "
                "_ACCESS_KEY_SECRET and _SIGN_NAME",
                id="sihai.E011",
            )
        ]
    if backend != "aliyun" and not settings.SIHAI_DEMO_ENABLED:
        return [
            CheckWarning(
                f"SIHAI_SMS_BACKEND={backend}: residents will never receive their sign-in codes",
                id="sihai.W010",
            )
        ]
    return []


@register()
def notification_delivery_configured(**kwargs: Any) -> list[CheckMessage]:
    delivery = settings.SIHAI_NOTIFY_DELIVERY
    if delivery not in {"console", "live"}:
        return [
            Error(
                f"SIHAI_NOTIFY_DELIVERY must be 'console' or 'live', not {delivery!r}",
                id="sihai.E012",
            )
        ]
    if delivery == "console" and not settings.SIHAI_DEMO_ENABLED:
        return [
            CheckWarning(
                "SIHAI_NOTIFY_DELIVERY=console: residents are told nothing about their requests",
                id="sihai.W011",
            )
        ]
    return []
