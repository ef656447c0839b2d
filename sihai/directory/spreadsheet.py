"""Excel import and export of service points (openpyxl), small and self-contained.

One sheet, one point a row, the columns in :data:`COLUMNS`; the export writes
exactly what the import reads, so a round trip changes nothing. A row with an
``id`` updates that point, a row without one adds a point.

**All or nothing**: every row is checked first and each bad cell gets its own
message (row, column, what is wrong); if any cell is bad nothing is written.
A formula in a cell is taken as the text of the formula, never evaluated. On
export, text starting with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` so
a spreadsheet program shows it instead of running it (CSV/formula injection);
the import removes that prefix again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zipfile import BadZipFile

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sihai.accounts.models import User
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput, NotFound, SihaiError
from sihai.directory import hours, services
from sihai.directory.models import Location
from sihai.directory.policies import DIRECTORY_MANAGE, points
from sihai.directory.selectors import locations_for_actor, rules_of

COLUMNS = [
    "id",
    "name",
    "kind",
    "community_code",
    "latitude",
    "longitude",
    "address",
    "phone",
    "hours",
    "languages",
    "accessibility",
    "published",
]
MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
DANGEROUS_START = ("=", "+", "-", "@")
TRUE = {"yes", "y", "true", "1", "是", "x"}
FALSE = {"no", "n", "false", "0", "否", ""}


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


class ImportRejected(InvalidInput):
    """Some cells are bad; nothing was written. ``errors`` lists every one."""

    code = "directory.import_rejected"

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(_("%(n)d cells need fixing; nothing was imported.") % {"n": len(errors)})
        self.errors = errors


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


def escape(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet program."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def unescape(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(DANGEROUS_START):
        return value[1:]
    return value


def export_points(*, actor: Any) -> bytes:
    """Every point the actor manages, as an .xlsx workbook."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = "points"
    sheet.append(COLUMNS)
    queryset = locations_for_actor(actor=actor).prefetch_related(
        "schedules", "phones", "addresses", "languages", "accessibility"
    )
    for location in queryset:
        address = location.addresses.all()[:1]
        phone = location.phones.all()[:1]
        row = [
            str(location.pk),
            location.name,
            location.kind,
            location.area_id,
            location.latitude,
            location.longitude,
            address[0].address_1 if address else "",
            phone[0].number if phone else "",
            hours.rules_text(rules_of(location)),
            ",".join(sorted(lang.code for lang in location.languages.all())),
            ",".join(sorted(a.provision for a in location.accessibility.all())),
            "yes" if location.published else "no",
        ]
        sheet.append([escape(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape(str(value).strip())


def _read_rows(data: bytes) -> list[dict[str, Any]]:
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            code="directory.import_size",
        )
    try:
        # data_only=False: a formula cell reads as its formula text, never as a computed value.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InvalidInput(
            _("This is not an Excel workbook (.xlsx)."), code="directory.import_format"
        ) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell).lower() for cell in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)},
            code="directory.import_header",
        )
    found = []
    for number, cells in enumerate(rows, start=2):
        values = dict(zip(header, cells, strict=False))
        if all(v in (None, "") for v in values.values()):
            continue
        found.append({"_row": number, **values})
        if len(found) > MAX_ROWS:
            raise InvalidInput(
                _("At most %(n)d rows at a time.") % {"n": MAX_ROWS}, code="directory.import_rows"
            )
    book.close()
    return found


def _number(raw: Any, row: int, column: str, errors: list[CellError]) -> float:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    try:
        return float(_text(raw))
    except ValueError:
        errors.append(
            CellError(row, column, _("“%(v)s” is not a number.") % {"v": _text(raw)[:30]})
        )
        return float("nan")


def _boolean(raw: Any, row: int, errors: list[CellError]) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE:
        return True
    if text not in FALSE:
        errors.append(CellError(row, "published", _("Write yes or no.")))
    return False


# Which column a validation code of the services belongs to.
CODE_COLUMN = {
    "location.name": "name",
    "location.kind": "kind",
    "location.kind_fixed": "kind",
    "location.community": "community_code",
    "location.address": "address",
    "location.phone": "phone",
    "location.languages": "languages",
    "location.accessibility": "accessibility",
    "geo.not_a_number": "latitude",
    "geo.out_of_range": "latitude",
    "geo.swapped": "latitude",
    "geo.outside_city": "latitude",
}


def _split(raw: Any) -> list[str]:
    return [part.strip() for part in _text(raw).replace("，", ",").split(",") if part.strip()]


def _check_row(
    actor: User, values: dict[str, Any], errors: list[CellError]
) -> tuple[str, services.LocationInput, str]:
    row = values["_row"]
    before = len(errors)
    location_id = _text(values.get("id"))
    if location_id:
        try:
            location_id = str(services.location_for_manage(actor=actor, location_id=location_id).pk)
        except NotFound:
            errors.append(CellError(row, "id", _("There is no such point in your area.")))
    data = services.LocationInput(
        name=_text(values.get("name")),
        kind=_text(values.get("kind")),
        community_code=_text(values.get("community_code")),
        latitude=_number(values.get("latitude"), row, "latitude", errors),
        longitude=_number(values.get("longitude"), row, "longitude", errors),
        address=_text(values.get("address")),
        phone=_text(values.get("phone")),
        languages=_split(values.get("languages")),
        accessibility=_split(values.get("accessibility")),
        published=_boolean(values.get("published"), row, errors),
    )
    rules = _text(values.get("hours"))
    try:
        hours.parse_rules(rules)
    except InvalidInput as exc:
        errors.append(CellError(row, "hours", str(exc.message)))
    if len(errors) > before:
        return location_id, data, rules
    # The service's own checks, one field at a time, so that every bad cell is named.
    for _attempt in range(len(CODE_COLUMN)):
        try:
            cleaned = services.location_input_clean(data)
        except InvalidInput as exc:
            column = CODE_COLUMN.get(exc.code, "name")
            errors.append(CellError(row, column, str(exc.message)))
            data = _blank_out(data, column)
            continue
        community = AdministrativeArea.objects.filter(
            code=cleaned["area_id"], level="village"
        ).first()
        if community is None:
            errors.append(CellError(row, "community_code", _("There is no such community.")))
        elif not location_id:
            organization = services.default_organization(cleaned["kind"], community)
            probe = Location(area=community, organization=organization, kind=cleaned["kind"])
            if not points.can(actor, DIRECTORY_MANAGE, probe):
                errors.append(
                    CellError(row, "community_code", _("This community is outside your area."))
                )
        break
    return location_id, data, rules


_PLACEHOLDER: dict[str, dict[str, Any]] = {
    "name": {"name": "-"},
    "kind": {"kind": "workstation"},
    "community_code": {"community_code": "530102001001"},
    "latitude": {"latitude": 25.04, "longitude": 102.7},
    "address": {"address": "-"},
    "phone": {"phone": ""},
    "languages": {"languages": []},
    "accessibility": {"accessibility": []},
}


def _blank_out(data: services.LocationInput, column: str) -> services.LocationInput:
    """Replace a field already reported as bad, so the next check can report the next one."""
    for key, value in _PLACEHOLDER.get(column, {"name": "-"}).items():
        setattr(data, key, value)
    return data


@transaction.atomic
def import_points(*, actor: User, data: bytes) -> ImportReport:
    """Import a workbook: all rows, or (if any cell is bad) nothing."""
    rows = _read_rows(data)
    errors: list[CellError] = []
    checked = [_check_row(actor, values, errors) for values in rows]
    if errors:
        raise ImportRejected(errors)
    created = updated = 0
    try:
        for location_id, location_data, rules in checked:
            if location_id:
                services.location_update(actor=actor, location_id=location_id, data=location_data)
                target = location_id
                updated += 1
            else:
                target = str(services.location_create(actor=actor, data=location_data).pk)
                created += 1
            if rules:
                services.location_hours_set(actor=actor, location_id=target, rules_text=rules)
    except SihaiError as exc:
        # A check that depends on other rows (e.g. two rows moving one point): roll all back.
        raise ImportRejected([CellError(0, "", str(exc.message))]) from exc
    audit.record(
        actor=actor,
        action="directory.points_imported",
        target_type="directory.location",
        changes={"created": created, "updated": updated, "rows": len(rows)},
    )
    return ImportReport(created, updated)


def error_rows(errors: Iterable[CellError]) -> list[CellError]:
    return sorted(
        errors, key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99)
    )
