"""Resident sign-in by phone and one-time code; assisted accounts at the counter."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone, translation

from sihai.accounts import resident_auth
from sihai.accounts.models import OneTimeCode, ResidentAccount, User
from sihai.audit.models import AuditEntry
from sihai.core.errors import InvalidInput, NotAllowed, RateLimited
from sihai.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
PHONE = "+8613912345678"


def _last_code() -> str:
    message = OutboxMessage.objects.order_by("-id").first()
    assert message is not None
    match = re.search(r"\d{6}", message.body)
    assert match is not None
    return match.group()


def test_a_resident_signs_in_with_a_code_and_the_account_is_created() -> None:
    resident_auth.code_request(phone_raw="139 1234 5678", client_ip="10.0.0.1")
    message = OutboxMessage.objects.get()
    assert message.recipient == PHONE
    account = resident_auth.code_verify(phone_raw="+86-139-1234-5678", code_raw=_last_code())
    assert account.phone == PHONE
    assert account.created_via == "self"
    assert [
        e.action
        for e in AuditEntry.objects.filter(target_type="accounts.residentaccount").order_by("seq")
    ] == [
        "accounts.resident_account_created",
        "accounts.resident_signed_in",
    ]
    # The second time, the same account.
    OneTimeCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    assert resident_auth.code_verify(phone_raw=PHONE, code_raw=_last_code()) == account
    assert ResidentAccount.objects.filter(phone_index=account.phone_index).count() == 1


def test_the_code_is_stored_only_as_a_keyed_hash() -> None:
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    code = _last_code()
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash
    assert len(stored.code_hash) == 64


def test_a_code_in_full_width_digits_works() -> None:
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    full = _last_code().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert resident_auth.code_verify(phone_raw=PHONE, code_raw=full).phone == PHONE


def test_a_code_works_once() -> None:
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    code = _last_code()
    resident_auth.code_verify(phone_raw=PHONE, code_raw=code)
    with pytest.raises(InvalidInput) as caught:
        resident_auth.code_verify(phone_raw=PHONE, code_raw=code)
    assert caught.value.code == "otp.expired"


def test_a_code_expires_after_5_minutes() -> None:
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(InvalidInput, match=r"expired|过期"):
        resident_auth.code_verify(phone_raw=PHONE, code_raw=_last_code())
    assert not ResidentAccount.objects.filter(phone_index=resident_auth.phone_index(PHONE)).exists()


def test_five_wrong_guesses_burn_the_code_and_write_no_account() -> None:
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    right = _last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(InvalidInput) as caught:
            resident_auth.code_verify(phone_raw=PHONE, code_raw=wrong)
    assert caught.value.code == "otp.wrong"
    with pytest.raises(InvalidInput) as caught:
        resident_auth.code_verify(phone_raw=PHONE, code_raw=right)
    assert caught.value.code == "otp.expired"
    assert not ResidentAccount.objects.filter(phone_index=resident_auth.phone_index(PHONE)).exists()


def test_requests_are_limited_per_phone_and_per_device() -> None:
    resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    with translation.override("en"), pytest.raises(RateLimited, match="Wait a minute"):
        resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.2")
    for n in range(4):
        OneTimeCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2 + n))
        resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    OneTimeCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    with translation.override("en"), pytest.raises(RateLimited, match="last hour"):
        resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    assert OutboxMessage.objects.count() == 5
    for n in range(15):
        resident_auth.code_request(phone_raw=f"+86150{n:08d}", client_ip="10.9.9.9")
    OneTimeCode.objects.filter(client_key=resident_auth._client_key("10.9.9.9")).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    for n in range(15, 20):
        resident_auth.code_request(phone_raw=f"+86150{n:08d}", client_ip="10.9.9.9")
    with translation.override("en"), pytest.raises(RateLimited, match="this device"):
        resident_auth.code_request(phone_raw="+8615099999999", client_ip="10.9.9.9")


@pytest.mark.parametrize("bad", ["", "12345", "abc", "+1 202 555 0100 ext", "0871-1234"])
def test_a_bad_phone_number_sends_nothing(bad: str) -> None:
    with pytest.raises(InvalidInput):
        resident_auth.code_request(phone_raw=bad, client_ip="10.0.0.1")
    assert not OutboxMessage.objects.exists()
    assert not OneTimeCode.objects.exists()


def test_the_portal_journey(client: Client) -> None:
    assert client.get("/me/")["Location"] == "/me/sign-in/"
    assert (
        client.post("/me/sign-in/", {"phone": "139-1234-5678"})["Location"] == "/me/sign-in/code/"
    )
    page = client.get("/me/sign-in/code/").content.decode()
    assert "139****5678" in page
    wrong = client.post("/me/sign-in/code/", {"code": "12345x"}).content.decode()
    assert "验证码不正确" in wrong
    assert client.post("/me/sign-in/code/", {"code": _last_code()})["Location"] == "/me/"
    home = client.get("/me/").content.decode()
    assert "139****5678" in home
    assert "13912345678" not in home
    client.post("/me/sign-out/")
    assert client.get("/me/")["Location"] == "/me/sign-in/"


def test_the_demo_phone_shows_the_code(client: Client) -> None:
    client.post("/me/sign-in/", {"phone": PHONE})
    page = client.get("/demo/outbox/").content.decode()
    assert _last_code() in page
    assert "139****5678" in page


def test_a_worker_opens_an_account_at_the_counter(
    persona: Callable[[str], User], client_as: Callable[..., Client]
) -> None:
    client = client_as("cuihu_worker")
    response = client.post(
        "/workbench/resident-accounts/assist/", {"phone": "１３９ １２３４ ５６７８"}
    )
    assert response.status_code == 302
    account = ResidentAccount.objects.get(phone_index=resident_auth.phone_index(PHONE))
    assert (account.created_via, account.created_by, account.created_area_id) == (
        "assisted",
        persona("cuihu_worker"),
        "530102001001",
    )
    entry = AuditEntry.objects.get(action="accounts.resident_account_assisted")
    assert "13912345678" not in str(entry.changes)
    again = client.post("/workbench/resident-accounts/assist/", {"phone": PHONE})
    assert "已有账号" in again.content.decode()


@pytest.mark.parametrize(
    "who", ["wuhua_officer", "edu_wuhua", "sysadmin", "secadmin", "auditadmin"]
)
def test_only_counter_staff_open_accounts(
    client_as: Callable[..., Client], persona: Callable[[str], User], who: str
) -> None:
    before = ResidentAccount.objects.count()
    assert (
        client_as(who).post("/workbench/resident-accounts/assist/", {"phone": PHONE}).status_code
        == 404
    )
    with pytest.raises(NotAllowed):
        resident_auth.resident_account_assist(
            actor=persona(who), phone_raw=PHONE, area_code="530102001001"
        )
    assert ResidentAccount.objects.count() == before


def test_a_worker_cannot_open_accounts_for_another_community(
    persona: Callable[[str], User],
) -> None:
    with pytest.raises(NotAllowed):
        resident_auth.resident_account_assist(
            actor=persona("cuihu_worker"), phone_raw=PHONE, area_code="530103004001"
        )


def test_the_number_waiting_for_its_code_is_encrypted_in_the_session(client: Client) -> None:
    client.post("/me/sign-in/", {"phone": PHONE})
    from django.contrib.sessions.models import Session  # noqa: PLC0415

    stored = Session.objects.get(session_key=client.session.session_key).session_data
    decoded = str(Session.objects.get(session_key=client.session.session_key).get_decoded())
    assert "13912345678" not in stored
    assert "13912345678" not in decoded


def test_a_failed_text_message_leaves_no_usable_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from sihai.notifications import sms  # noqa: PLC0415

    def refuse(**kwargs: object) -> str:
        raise sms.SmsError("provider down")

    monkeypatch.setattr(resident_auth, "send_sms", refuse)
    with pytest.raises(InvalidInput, match=r"could not be sent|短信发送失败"):
        resident_auth.code_request(phone_raw=PHONE, client_ip="10.0.0.1")
    assert OneTimeCode.objects.get().used_at is not None
