"""Validation and normalisation of citizen ID numbers (GB 11643) and phone numbers.

Both accept what people actually type — full-width digits from a Chinese input
method, spaces, dashes, a lowercase x, a +86 prefix — and return one canonical
form, or raise :class:`InvalidInput` with a message saying what is wrong.
"""

from __future__ import annotations

import datetime
import unicodedata

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sihai.core.errors import InvalidInput

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEPARATORS = " -\u00a0\u3000\t"


def fold_digits(text: str) -> str:
    """Turn full-width and other-script decimal digits into ASCII; NFKC folds full-width letters."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in folded)


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(raw: str) -> str:
    """A valid 18-character resident ID number, upper-case X, or InvalidInput."""
    value = fold_digits(raw).strip().translate({ord(c): None for c in _SEPARATORS}).upper()
    if (
        len(value) != 18
        or not value[:17].isdigit()
        or not (value[17].isdigit() or value[17] == "X")
    ):
        raise InvalidInput(
            _("An ID number has 18 characters: 17 digits and a final digit or X."), code="id.format"
        )
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidInput(
            _("The birth date in this ID number does not exist."), code="id.birth_date"
        ) from exc
    if born.year < 1900 or born > timezone.localdate():
        raise InvalidInput(
            _("The birth date in this ID number is not possible."), code="id.birth_date"
        )
    if id_check_digit(value[:17]) != value[17]:
        raise InvalidInput(
            _("This ID number's last character does not match: please check it."),
            code="id.check_digit",
        )
    return value


def normalise_phone(raw: str, region: str = "CN") -> str:
    """A valid phone number in E.164 (+8613800000000), or InvalidInput."""
    text = fold_digits(raw).strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(_("This is not a phone number."), code="phone.format") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(_("This phone number is not valid."), code="phone.invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_mobile(raw: str, region: str = "CN") -> str:
    """Like :func:`normalise_phone`, but only numbers that can receive a text message."""
    phone = normalise_phone(raw, region)
    kind = phonenumbers.number_type(phonenumbers.parse(phone))
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidInput(
            _("This is not a mobile number: a text message cannot reach it."),
            code="phone.not_mobile",
        )
    return phone


def mask_phone(e164: str) -> str:
    """+8613812345678 → 138****5678: enough for a person to recognise their own number."""
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    if len(national) < 7:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"


def display_phone(e164: str) -> str:
    """+8613812345678 → 138 1234 5678: how people read and dictate a mainland mobile number."""
    if e164.startswith("+86") and len(e164) == 14:
        national = e164[3:]
        return f"{national[:3]} {national[3:7]} {national[7:]}"
    return e164
