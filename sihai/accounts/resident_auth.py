"""Resident sign-in by phone number and a one-time code.

The code is 6 digits, valid 5 minutes, used once, at most 5 wrong guesses, and
compared in constant time; only a keyed hash of it is stored. Requests are
limited per phone (5 an hour, one a minute) and per client address (20 an hour).
A code is sent whether or not the number has an account, so the form reveals
nothing; the account is created at the first successful sign-in.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import OneTimeCode, ResidentAccount, User
from sihai.accounts.policies import RESIDENT_ACCOUNT_ASSIST
from sihai.audit import services as audit
from sihai.core import crypto
from sihai.core.errors import InvalidInput, NotAllowed, RateLimited
from sihai.core.fields import BlindIndexField
from sihai.core.identity import fold_digits, normalise_mobile
from sihai.core.policy import grants_for
from sihai.notifications.sms import SmsError, send_sms

CODE_TTL = datetime.timedelta(minutes=5)
MAX_WRONG_GUESSES = 5
PER_PHONE_PER_HOUR = 5
PER_PHONE_INTERVAL = datetime.timedelta(seconds=60)
PER_CLIENT_PER_HOUR = 20
SESSION_KEY = "sihai_resident_id"
PENDING_PHONE_KEY = "sihai_resident_pending_phone"


def phone_index(phone_e164: str) -> str:
    field = ResidentAccount._meta.get_field("phone_index")
    assert isinstance(field, BlindIndexField)  # noqa: S101  (the model declares it so)
    return field.index_of(phone_e164)


def _code_hash(index: str, code: str) -> str:
    return crypto.blind_index(code, purpose=f"otp:{index}")


def _client_key(client_ip: str) -> str:
    return crypto.blind_index(client_ip or "-", purpose="otp:client")


def code_request(*, phone_raw: str, client_ip: str) -> str:
    """Send a sign-in code to a phone; returns the normalised number. Rate-limited."""
    phone = normalise_mobile(phone_raw)
    code, otp_id = _code_issue(phone=phone, client_ip=client_ip)
    text = _(
        "Your Sihai sign-in code is %(code)s. It is valid for 5 minutes. Never tell it to anyone."
    ) % {"code": code}
    # Sent after the code is committed, so no database lock is held during the provider call
    # and no resident receives a code that does not exist.
    try:
        send_sms(
            phone=phone, text=text, template=settings.SIHAI_SMS_CODE_TEMPLATE, params={"code": code}
        )
    except SmsError as exc:
        OneTimeCode.objects.filter(pk=otp_id).update(used_at=timezone.now())
        raise InvalidInput(
            _("The text message could not be sent. Please try again in a moment.")
        ) from exc
    return phone


@transaction.atomic
def _code_issue(*, phone: str, client_ip: str) -> tuple[str, int]:
    index, client = phone_index(phone), _client_key(client_ip)
    if connection.vendor == "postgresql":
        # One request per phone at a time, so the rate limits below cannot be raced.
        # (SQLite runs write transactions one at a time already.)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [index])
    now = timezone.now()
    hour_ago = now - datetime.timedelta(hours=1)
    recent = OneTimeCode.objects.filter(phone_index=index, created_at__gte=hour_ago)
    if recent.filter(created_at__gte=now - PER_PHONE_INTERVAL).exists():
        raise RateLimited(
            _("A code was just sent to this number. Wait a minute before asking again.")
        )
    if recent.count() >= PER_PHONE_PER_HOUR:
        raise RateLimited(_("Too many codes for this number in the last hour. Try again later."))
    if (
        OneTimeCode.objects.filter(client_key=client, created_at__gte=hour_ago).count()
        >= PER_CLIENT_PER_HOUR
    ):
        raise RateLimited(_("Too many codes requested from this device. Try again later."))
    # Only the newest code works: earlier unused ones end now.
    OneTimeCode.objects.filter(phone_index=index, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    otp = OneTimeCode.objects.create(
        phone_index=index,
        code_hash=_code_hash(index, code),
        expires_at=now + CODE_TTL,
        client_key=client,
    )
    return code, otp.pk


def code_verify(*, phone_raw: str, code_raw: str) -> ResidentAccount:
    """Check a code; on success the account (created if new) is returned and the code is spent."""
    phone = normalise_mobile(phone_raw)
    index = phone_index(phone)
    code = fold_digits(code_raw).strip().replace(" ", "")
    now = timezone.now()
    account: ResidentAccount | None = None
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(phone_index=index, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if otp is None:
            raise InvalidInput(
                _("This code has expired or was already used. Ask for a new one."),
                code="otp.expired",
            )
        candidate = _code_hash(index, code) if len(code) == 6 and code.isdigit() else ""
        if not hmac.compare_digest(otp.code_hash, candidate):
            otp.failed_attempts += 1
            if otp.failed_attempts >= MAX_WRONG_GUESSES:
                otp.used_at = now
            otp.save(update_fields=["failed_attempts", "used_at"])
        else:
            otp.used_at = now
            otp.save(update_fields=["used_at"])
            account = ResidentAccount.objects.select_for_update().filter(phone_index=index).first()
            if account is None:
                account = ResidentAccount.objects.create(
                    phone=phone, created_via=ResidentAccount.CreatedVia.SELF
                )
                audit.record(
                    actor=account, action="accounts.resident_account_created", target=account
                )
            if not account.is_active:
                raise InvalidInput(_("This account is closed."), code="resident.closed")
            account.last_sign_in_at = now
            account.save(update_fields=["last_sign_in_at", "updated_at"])
            audit.record(actor=account, action="accounts.resident_signed_in", target=account)
    if account is None:
        # Raised after the block, so the counted wrong guess is committed.
        raise InvalidInput(
            _("That code is not right. Check the text message and try again."), code="otp.wrong"
        )
    return account


def remember_pending_phone(request: HttpRequest, phone: str) -> None:
    """Keep the number between the two sign-in steps, encrypted: sessions are stored as data."""
    request.session[PENDING_PHONE_KEY] = crypto.encrypt(phone, context=PENDING_PHONE_KEY)


def pending_phone(request: HttpRequest) -> str | None:
    token = request.session.get(PENDING_PHONE_KEY)
    if not token:
        return None
    try:
        return crypto.decrypt(token, context=PENDING_PHONE_KEY)
    except crypto.DecryptionError:
        request.session.pop(PENDING_PHONE_KEY, None)
        return None


def resident_login(request: HttpRequest, account: ResidentAccount) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = account.pk
    request.session.pop(PENDING_PHONE_KEY, None)


def resident_logout(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def current_resident(request: HttpRequest) -> ResidentAccount | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return ResidentAccount.objects.filter(pk=pk, is_active=True).first()


@transaction.atomic
def resident_account_assist(*, actor: User, phone_raw: str, area_code: str) -> ResidentAccount:
    """Open an account for a resident at the counter; recorded as assisted, with the worker."""
    if not any(g.covers(area_code) for g in grants_for(actor, RESIDENT_ACCOUNT_ASSIST)):
        raise NotAllowed(_("Only workstation staff of this area can open accounts here."))
    phone = normalise_mobile(phone_raw)
    if ResidentAccount.objects.filter(phone_index=phone_index(phone)).exists():
        raise InvalidInput(
            _("This number already has an account: the resident can sign in with a code."),
            code="resident.exists",
        )
    account = ResidentAccount.objects.create(
        phone=phone,
        created_via=ResidentAccount.CreatedVia.ASSISTED,
        created_by=actor,
        created_area_id=area_code,
    )
    audit.record(
        actor=actor,
        action="accounts.resident_account_assisted",
        target=account,
        area_code=area_code,
        changes={"phone": {"changed": audit.SENSITIVE_MARK}},
    )
    return account


@transaction.atomic
def resident_account_close(*, actor: Any, account: ResidentAccount, area_code: str = "") -> None:
    """Delete a resident's sign-in account and its pending codes (their data was erased).

    The phone number goes with it; the audit entry keeps only the fact and the account id.
    """
    OneTimeCode.objects.filter(phone_index=account.phone_index).delete()
    account_id = account.pk
    account.delete()
    audit.record(
        actor=actor,
        action="accounts.resident_account_closed",
        target_type="accounts.residentaccount",
        target_id=str(account_id),
        area_code=area_code,
        changes={"phone": {"changed": audit.SENSITIVE_MARK}},
    )
