"""The SMS channel: one interface, a backend chosen in settings (``SIHAI_SMS_BACKEND``).

* ``outbox`` keeps each message in the database (demo and tests; the demo shows it
  on a page so a visitor can read their code);
* ``console`` writes it to the log (development);
* ``aliyun`` sends it through Alibaba Cloud SMS (dysmsapi, signature v1), the common
  provider for government SMS in mainland China; configured by SIHAI_SMS_ALIYUN_*.

Callers use :func:`send_sms`; nothing else knows which provider is behind it.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import logging
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or could not be reached; the caller decides what the person sees."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str, template: str, params: dict[str, str]) -> str:
        """Send one message; returns the provider's message id."""
        ...


class OutboxBackend:
    def send(self, *, phone: str, text: str, template: str, params: dict[str, str]) -> str:
        from sihai.notifications.models import OutboxMessage  # noqa: PLC0415  (models load late)

        return str(OutboxMessage.objects.create(recipient=phone, body=text).pk)


class ConsoleBackend:
    def send(self, *, phone: str, text: str, template: str, params: dict[str, str]) -> str:
        # Never the number or the text in full: logs are not a place for personal data.
        logger.info("sms (console backend)", extra={"to": phone[:5] + "****", "template": template})
        return uuid.uuid4().hex


Transport = Callable[[str, bytes], bytes]


def _urlopen(url: str, body: bytes) -> bytes:
    request = urllib.request.Request(  # noqa: S310  (a fixed https endpoint from settings)
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        data: bytes = response.read()
        return data


def _percent(value: str) -> str:
    return urllib.parse.quote(value, safe="~")


class AliyunBackend:
    """Alibaba Cloud SMS (SendSms, RPC signature version 1.0, HMAC-SHA1 as the API requires)."""

    def __init__(self, transport: Transport | None = None) -> None:
        self.access_key_id = settings.SIHAI_SMS_ALIYUN_ACCESS_KEY_ID
        self.access_key_secret = settings.SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.SIHAI_SMS_ALIYUN_SIGN_NAME
        self.endpoint = settings.SIHAI_SMS_ALIYUN_ENDPOINT
        if not (self.access_key_id and self.access_key_secret and self.sign_name):
            msg = "SIHAI_SMS_ALIYUN_ACCESS_KEY_ID, _ACCESS_KEY_SECRET and _SIGN_NAME are required"
            raise ImproperlyConfigured(msg)
        self.transport = transport or _urlopen

    def signed_query(self, params: dict[str, str]) -> str:
        canonical = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(params.items()))
        to_sign = f"POST&{_percent('/')}&{_percent(canonical)}"
        digest = hmac.new(
            f"{self.access_key_secret}&".encode(), to_sign.encode(), hashlib.sha1
        ).digest()
        return f"Signature={_percent(base64.b64encode(digest).decode())}&{canonical}"

    def send(self, *, phone: str, text: str, template: str, params: dict[str, str]) -> str:
        national = phone[3:] if phone.startswith("+86") else phone.lstrip("+")
        query = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": national,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(params, ensure_ascii=False),
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        try:
            reply = json.loads(self.transport(self.endpoint, self.signed_query(query).encode()))
        except (OSError, ValueError) as exc:
            raise SmsError(str(exc)) from exc
        if reply.get("Code") != "OK":
            raise SmsError(f"{reply.get('Code')}: {reply.get('Message')}")
        return str(reply.get("BizId", ""))


BACKENDS: dict[str, Callable[[], SmsBackend]] = {
    "outbox": OutboxBackend,
    "console": ConsoleBackend,
    "aliyun": AliyunBackend,
}


def backend() -> SmsBackend:
    name = settings.SIHAI_SMS_BACKEND
    if name not in BACKENDS:
        msg = f"SIHAI_SMS_BACKEND must be one of {sorted(BACKENDS)}, not {name!r}"
        raise ImproperlyConfigured(msg)
    return BACKENDS[name]()


def send_sms(*, phone: str, text: str, template: str, params: dict[str, str]) -> str:
    """Send through the configured provider (``template``/``params`` for template providers)."""
    return backend().send(phone=phone, text=text, template=template, params=params)
