import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from sihai.notifications import sms

ALIYUN = {
    "SIHAI_SMS_ALIYUN_ACCESS_KEY_ID": "testid",
    "SIHAI_SMS_ALIYUN_ACCESS_KEY_SECRET": "testsecret",
    "SIHAI_SMS_ALIYUN_SIGN_NAME": "四海之家",
}


@override_settings(**ALIYUN)
def test_aliyun_request_is_signed_and_carries_the_template() -> None:
    sent: list[tuple[str, bytes]] = []

    def transport(url: str, body: bytes) -> bytes:
        sent.append((url, body))
        return json.dumps({"Code": "OK", "BizId": "900619746936498440^0"}).encode()

    backend = sms.AliyunBackend(transport=transport)
    message_id = backend.send(
        phone="+8613912345678", text="x", template="SMS_1", params={"code": "123456"}
    )
    assert message_id == "900619746936498440^0"
    url, body = sent[0]
    assert url == "https://dysmsapi.aliyuncs.com/"
    fields = dict(urllib.parse.parse_qsl(body.decode()))
    assert fields["PhoneNumbers"] == "13912345678"
    assert fields["TemplateParam"] == '{"code": "123456"}'
    assert fields["SignName"] == "四海之家"
    # Recompute the signature the way the provider does and compare.
    signature = fields.pop("Signature")

    def quote(value: str) -> str:
        return urllib.parse.quote(value, safe="~")

    canonical = "&".join(f"{quote(k)}={quote(v)}" for k, v in sorted(fields.items()))
    expected = base64.b64encode(
        hmac.new(b"testsecret&", f"POST&%2F&{quote(canonical)}".encode(), hashlib.sha1).digest()
    ).decode()
    assert signature == expected


@override_settings(**ALIYUN)
def test_aliyun_refusal_is_an_sms_error() -> None:
    backend = sms.AliyunBackend(
        transport=lambda url, body: b'{"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit"}'
    )
    with pytest.raises(sms.SmsError, match="BUSINESS_LIMIT_CONTROL"):
        backend.send(phone="+8613912345678", text="x", template="SMS_1", params={})


def test_aliyun_without_keys_refuses_to_start() -> None:
    with pytest.raises(ImproperlyConfigured):
        sms.AliyunBackend()


@override_settings(SIHAI_SMS_BACKEND="pigeon")
def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        sms.backend()
