"""Staff authentication: lockout, TOTP second factor, password changes, API tokens.

Used by the sign-in pages and the token API alike, so both follow the same rules:

* 5 failed attempts for a username lock it for 15 minutes, and the answer is the
  same whether or not the account exists;
* administrators always need a TOTP code, all staff when ``SIHAI_STAFF_2FA=required``;
* a TOTP code is accepted once (its time step is remembered), compared in constant time;
* API tokens are shown once and stored only as an SM3 hash.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.accounts.models import ApiToken, LoginThrottle, PasswordHistory, TOTPDevice, User
from sihai.accounts.passwords import HISTORY_SIZE
from sihai.accounts.roles import ADMIN_ROLES
from sihai.audit import services as audit
from sihai.core import crypto
from sihai.core.crypto import sm3_hex
from sihai.core.errors import InvalidInput, NotFound, SihaiError
from sihai.core.identity import fold_digits

logger = logging.getLogger(__name__)
TOKEN_PREFIX = "sihai"  # noqa: S105  (a public marker that makes leaked tokens greppable)
TOTP_ISSUER = "Sihai 四海之家"


class SignInRefused(SihaiError):
    """Wrong credentials or a locked username; the message never says which account exists."""

    code = "auth.refused"
    http_status = 401


class SignInLocked(SignInRefused):
    code = "auth.locked"
    http_status = 429


def _throttle_key(username: str) -> str:
    # Keyed (HMAC-SM3), because a typed "username" is sometimes someone's password.
    return crypto.blind_index(username.strip().casefold(), purpose="accounts.login")


def _locked_message() -> str:
    return _("Too many failed attempts for this username. Try again in %(minutes)d minutes.") % {
        "minutes": settings.SIHAI_LOCKOUT_MINUTES
    }


def _wrong_message() -> str:
    return _("The username, password or code is not right.")


def check_not_locked(username: str) -> None:
    row = LoginThrottle.objects.filter(key=_throttle_key(username)).first()
    if row is not None and row.locked_until is not None and row.locked_until > timezone.now():
        raise SignInLocked(_locked_message())


def reserve_attempt(username: str) -> None:
    """Count an attempt before it is checked, under a row lock.

    Parallel guesses therefore cannot exceed the limit: once the allowed attempts are
    reserved (or failed), further ones are refused as locked until the window passes.
    """
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.SIHAI_LOCKOUT_MINUTES)
    locked = False
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            key=_throttle_key(username)
        )
        if row.locked_until is not None and row.locked_until > now:
            locked = True
        else:
            if row.first_failure_at is None or now - row.first_failure_at > window:
                row.failures, row.first_failure_at = 0, now
            if row.failures >= settings.SIHAI_LOCKOUT_ATTEMPTS:
                row.locked_until, row.failures, row.first_failure_at = now + window, 0, None
                locked = True
            else:
                row.failures += 1
            row.save()
    # Raised after the block so that the lock it set is committed.
    if locked:
        raise SignInLocked(_locked_message())


def attempt_failed(username: str) -> None:
    """A reserved attempt failed: log it, and lock the name once the limit is reached."""
    # A security event for the log, with the keyed hash, never the typed name.
    logger.warning("sign-in failed", extra={"username_key": _throttle_key(username)[:16]})
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.SIHAI_LOCKOUT_MINUTES)
    with transaction.atomic():
        row = LoginThrottle.objects.select_for_update().filter(key=_throttle_key(username)).first()
        if row is not None and row.failures >= settings.SIHAI_LOCKOUT_ATTEMPTS:
            row.locked_until, row.failures, row.first_failure_at = now + window, 0, None
            row.save()


def record_failure(username: str) -> None:
    """Count a failure that was not reserved beforehand (e.g. a missing code on the API)."""
    try:
        reserve_attempt(username)
    except SignInLocked:
        return
    attempt_failed(username)


def clear_failures(username: str) -> None:
    LoginThrottle.objects.filter(key=_throttle_key(username)).delete()


def second_factor_required(user: User) -> bool:
    if settings.SIHAI_STAFF_2FA == "required":
        return True
    return any(a.role in ADMIN_ROLES for a in user.active_assignments())


def check_password_step(request: HttpRequest | None, username: str, password: str) -> User:
    """First step of sign-in: the password. Raises SignInRefused / SignInLocked."""
    reserve_attempt(username)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        attempt_failed(username)
        raise SignInRefused(_wrong_message())
    return user


# --- TOTP ------------------------------------------------------------------------------


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def totp_matching_step(
    secret: str, code: str, *, at: datetime.datetime | None = None
) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), or None."""
    digits = fold_digits(code).strip().replace(" ", "")
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    moment = at or timezone.now()
    step = totp.timecode(moment)
    for candidate in (step, step - 1, step + 1):
        # pyotp compares in constant time (hmac.compare_digest).
        if totp.verify(digits, for_time=candidate * totp.interval, valid_window=0):
            return candidate
    return None


def totp_check(*, user: User, code: str, username: str) -> None:
    """Second step of sign-in. A wrong or reused code counts as a failed attempt."""
    reserve_attempt(username)
    accepted = False
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed_at__isnull=False)
            .first()
        )
        step = totp_matching_step(device.secret, code) if device else None
        if device is not None and step is not None and step > device.last_used_step:
            device.last_used_step = step
            device.save(update_fields=["last_used_step", "updated_at"])
            accepted = True
    # Counted outside the block: a failure raised inside it would roll its own count back.
    if not accepted:
        attempt_failed(username)
        raise SignInRefused(_wrong_message())


def totp_begin_enrolment(*, user: User) -> TOTPDevice:
    """The authenticator secret being set up for ``user`` (created on first call)."""
    device = totp_device_for(user)
    if device is not None:
        # Kept until confirmed, so the code the person scanned stays valid across page loads.
        return device
    return TOTPDevice.objects.create(user=user, secret=pyotp.random_base32())


def totp_provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.username, issuer_name=TOTP_ISSUER
    )


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm enrolment with a first code from the app."""
    # Only an authenticator that is not yet confirmed can be confirmed: a confirmed one is
    # used through totp_check, where codes cannot be replayed.
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    )
    step = totp_matching_step(device.secret, code) if device else None
    if device is None or step is None:
        raise InvalidInput(
            _("That code does not match: check the time on your phone and try again.")
        )
    device.confirmed_at, device.last_used_step = timezone.now(), step
    device.save(update_fields=["confirmed_at", "last_used_step", "updated_at"])
    audit.record(actor=user, action="accounts.totp_enrolled", target=user)
    return device


@transaction.atomic
def totp_reset(*, actor: User, user: User) -> None:
    """Remove a lost authenticator (security administrator); the user enrols again next time."""
    from sihai.accounts.policies import ACCOUNT_MANAGE  # noqa: PLC0415  (policies import models)
    from sihai.core.policy import grants_for  # noqa: PLC0415

    areas = [a.area_id for a in user.active_assignments()] or [settings.SIHAI_CITY_CODE]
    grants = grants_for(actor, ACCOUNT_MANAGE)
    if actor.pk == user.pk or not all(any(g.covers(code) for g in grants) for code in areas):
        raise NotFound(NotFound.default_message())
    TOTPDevice.objects.filter(user=user).delete()
    # A lost authenticator may mean a lost device: its tokens go too.
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor=actor, action="accounts.totp_reset", target=user)


# --- passwords ---------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a new password that passes the configured profile; keeps the last 5 hashes."""
    validate_password(new_password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            HISTORY_SIZE:
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    # Tokens issued under the old password stop working with it.
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(
        actor=user,
        action="accounts.password_changed",
        target=user,
        changes={"password": {"changed": True}},
    )


def password_expired(user: User) -> bool:
    from sihai.accounts.passwords import MLPS_MAX_AGE_DAYS, rotation_required  # noqa: PLC0415

    if not rotation_required(settings.SIHAI_PASSWORD_PROFILE) or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > datetime.timedelta(days=MLPS_MAX_AGE_DAYS)


# --- API tokens ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str


def _token_hash(plaintext: str) -> str:
    return sm3_hex(plaintext.encode())


@transaction.atomic
def token_create(*, user: User, name: str) -> IssuedToken:
    """A new personal token; the plaintext is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Give the token a name of 1 to 100 characters."), code="token.name")
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, token_hash=_token_hash(plaintext)
    )
    audit.record(
        actor=user,
        action="accounts.token_created",
        target=token,
        changes={"name": name, "prefix": prefix},
    )
    return IssuedToken(token, plaintext)


def token_user(plaintext: str) -> User | None:
    """The active account a token belongs to, or None (unknown, revoked or inactive)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=_token_hash(plaintext.strip()), revoked_at__isnull=True, user__is_active=True
        )
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def token_revoke(*, user: User, prefix: str) -> None:
    """Revoke one of the user's own tokens; someone else's answers like a missing one."""
    token = (
        ApiToken.objects.select_for_update()
        .filter(user=user, prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        raise NotFound(_("There is no active token with that prefix."), code="token.not_found")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=user, action="accounts.token_revoked", target=token, changes={"prefix": prefix}
    )
