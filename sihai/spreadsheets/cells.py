"""Typed cell parsers: what a worker typed into a register, as the value a field needs.

Each parser takes the raw cell value (text, a number, a date Excel already
recognised) and returns the typed value, or raises :class:`InvalidInput` whose
message is the one the error workbook shows on that cell. Full-width digits
(１２３) are folded everywhere.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from sihai.core.errors import InvalidInput
from sihai.core.identity import fold_digits, normalise_id_number, normalise_phone
from sihai.spreadsheets.readers import Value

_EXCEL_1900 = datetime.datetime(1899, 12, 30)  # noqa: DTZ001  (a calendar epoch, not a moment)
# 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 (with or without 日), and 20240305.
_DATE_RES = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
# A time part Excel or another program may append to a date written as text.
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
# Excel serial numbers of plausible dates: 1900-03-01 .. 2099-12-31.
_SERIAL_MIN, _SERIAL_MAX = 61, 73050
_LIST_SPLIT = re.compile(r"[,，、;；/]")


def text(value: Value) -> str:
    """A cell as text: numbers without a trailing ``.0``, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return " ".join(str(value).split())


def blank(value: Value) -> bool:
    return text(value) == ""


def parse_date(value: Value, *, epoch: datetime.datetime = _EXCEL_1900) -> datetime.date:
    """A date written any way a register writes it.

    Excel dates (already recognised), Excel serial numbers (45356, also as 5-digit text),
    ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日`` and ``20240305``.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value), epoch)
    raw = fold_digits(text(value))
    raw = _TIME_SUFFIX.sub("", raw).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", raw):
        return _serial(float(raw), epoch)
    for pattern in _DATE_RES:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError as exc:
                raise InvalidInput(
                    _("There is no such date: %(text)s.") % {"text": raw}, code="cell.date"
                ) from exc
    raise InvalidInput(
        _("Write the date as 2024-03-05, 2024/3/5 or 2024年3月5日."), code="cell.date_format"
    )


def _serial(serial: float, epoch: datetime.datetime) -> datetime.date:
    if not (_SERIAL_MIN <= serial <= _SERIAL_MAX) or not float(serial).is_integer():
        raise InvalidInput(
            _("Write the date as 2024-03-05, 2024/3/5 or 2024年3月5日."), code="cell.date_format"
        )
    return (epoch + datetime.timedelta(days=int(serial))).date()


def parse_id_number(value: Value) -> str:
    """A GB 11643 ID number; a number Excel rounded (1.10105E+17) is refused as such."""
    as_number = isinstance(value, int | float) and not isinstance(value, bool)
    try:
        if isinstance(value, float):
            raise InvalidInput("", code="cell.id_as_number")
        return normalise_id_number(text(value))
    except InvalidInput:
        if not as_number:
            raise
        raise InvalidInput(
            _(
                "Excel stored this ID number as a number and lost its last digits: format "
                "the column as text and type the number again."
            ),
            code="cell.id_as_number",
        ) from None


def parse_phone(value: Value) -> str:
    """A phone number in E.164 (+8613912345678)."""
    return normalise_phone(text(value))


def parse_area_code(value: Value) -> str:
    """Digits of an area code (the importer checks that the area exists and is in scope)."""
    return fold_digits(text(value)).replace(" ", "")


def parse_choice(value: Value, choices: Mapping[str, str], fallback: str | None = None) -> str:
    """One of ``choices`` (its spellings → value), matched without case or spaces."""
    key = fold_digits(text(value)).replace(" ", "").casefold()
    if key in choices:
        return choices[key]
    if fallback is not None:
        return fallback
    raise InvalidInput(
        _("Not one of the accepted values: %(values)s.")
        % {"values": "、".join(sorted(set(choices), key=len)[:8])},
        code="cell.choice",
    )


def parse_list(value: Value) -> list[str]:
    """Several values in one cell, separated by commas, 、 or semicolons."""
    return [part.strip() for part in _LIST_SPLIT.split(text(value)) if part.strip()]


def not_in_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise InvalidInput(_("This date is in the future."), code="cell.date_future")
    return day
