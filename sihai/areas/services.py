"""Writes to the area tree. Loading is all-or-nothing: a bad row changes nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from sihai.areas.codes import CODE_LENGTH, LEVEL_ORDER, Level
from sihai.areas.models import AdministrativeArea
from sihai.audit import services as audit
from sihai.core.errors import InvalidInput

DIVISIONS_CSV = Path(__file__).resolve().parent / "data" / "kunming_divisions.csv"
EXPECTED_HEADER = ["code", "name", "level", "parent_code"]
_SHORT_NAME_SUFFIXES = ("居民委员会", "村民委员会", "居委会", "村委会")
MAX_NAME_LENGTH = 100


def short_name_for(name: str) -> str:
    """The everyday name: drop the committee suffix of a community or village."""
    for suffix in _SHORT_NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class AreaDataError(InvalidInput):
    """The area file has problems; each one names its line. Nothing was loaded."""

    code = "area.bad_file"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("The area file has %(n)d problem(s); nothing was loaded.") % {"n": len(problems)}
        )
        self.problems = problems


@dataclass
class AreaLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: Level
    parent_code: str | None


def _row_problems(
    line: int, code: str, name: str, level_text: str, first_line: dict[str, int]
) -> list[str]:
    """What is wrong with one row on its own (parents are checked once all rows are read)."""
    problems: list[str] = []
    if level_text not in Level.values:
        problems.append(
            _("line %(line)d: unknown level “%(level)s” (use city, county, township or village)")
            % {"line": line, "level": level_text}
        )
    if not (code.isascii() and code.isdigit()):
        problems.append(
            _("line %(line)d: the code “%(code)s” must contain digits only")
            % {"line": line, "code": code[:20]}
        )
    elif level_text in Level.values and len(code) != CODE_LENGTH[level_text]:
        problems.append(
            _("line %(line)d: a %(level)s code has %(expected)d digits, “%(code)s” has %(actual)d")
            % {
                "line": line,
                "level": level_text,
                "expected": CODE_LENGTH[level_text],
                "code": code,
                "actual": len(code),
            }
        )
    if not name:
        problems.append(_("line %(line)d: the name is empty") % {"line": line})
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(
            _("line %(line)d: the name is longer than %(max)d characters")
            % {"line": line, "max": MAX_NAME_LENGTH}
        )
    if code in first_line:
        problems.append(
            _("line %(line)d: duplicate code %(code)s (first on line %(first)d)")
            % {"line": line, "code": code, "first": first_line[code]}
        )
    return problems


def _parse(text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text))
    problems: list[str] = []
    header = next(reader, None)
    if header is None or [h.strip().lstrip("\ufeff") for h in header] != EXPECTED_HEADER:
        raise AreaDataError(
            [_("line 1: the header must be %(header)s") % {"header": ",".join(EXPECTED_HEADER)}]
        )
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(EXPECTED_HEADER):
            problems.append(
                _("line %(line)d: expected 4 columns, found %(n)d")
                % {"line": line, "n": len(record)}
            )
            continue
        code, name, level_text, parent_code = (cell.strip() for cell in record)
        row_problems = _row_problems(line, code, name, level_text, first_line)
        if row_problems:
            problems.extend(row_problems)
            continue
        first_line[code] = line
        level = Level(level_text)
        rows.append(
            _Row(line, code, name, level, None if level == Level.CITY else parent_code or None)
        )
    by_code = {row.code: row for row in rows}
    for row in rows:
        if row.level == Level.CITY:
            continue
        parent = by_code.get(row.parent_code or "")
        expected_parent = LEVEL_ORDER[LEVEL_ORDER.index(row.level) - 1]
        if parent is None:
            problems.append(
                _("line %(line)d: unknown parent “%(parent)s” for %(code)s")
                % {"line": row.line, "parent": row.parent_code or "", "code": row.code}
            )
        elif parent.level != expected_parent or not row.code.startswith(parent.code):
            problems.append(
                _("line %(line)d: %(code)s cannot be inside %(parent)s (codes nest by prefix)")
                % {"line": row.line, "code": row.code, "parent": parent.code}
            )
    if problems:
        raise AreaDataError(problems)
    return rows


@transaction.atomic
def areas_load(*, text: str) -> AreaLoadReport:
    """Load (or reload) the area tree from CSV text ``code,name,level,parent_code``.

    Idempotent: rows already present with the same values are left alone, changed
    names are updated. Any bad row — unknown parent, wrong code length, duplicate
    code, unknown level — raises :class:`AreaDataError` listing every problem with
    its line number, and the database is untouched.
    """
    rows = _parse(text)
    existing = {
        area.code: area
        for area in AdministrativeArea.objects.filter(code__in=[r.code for r in rows])
    }
    report = AreaLoadReport()
    to_create: list[AdministrativeArea] = []
    to_update: list[AdministrativeArea] = []
    for row in sorted(rows, key=lambda r: (LEVEL_ORDER.index(r.level), r.code)):
        report.by_level[row.level] = report.by_level.get(row.level, 0) + 1
        values = {
            "name": row.name,
            "short_name": short_name_for(row.name),
            "level": row.level.value,
            "parent_id": row.parent_code,
        }
        current = existing.get(row.code)
        if current is None:
            to_create.append(AdministrativeArea(code=row.code, **values))
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
        else:
            report.unchanged += 1
    # Parents precede children in `to_create`, so foreign keys hold at every insert.
    AdministrativeArea.objects.bulk_create(to_create, batch_size=500)
    AdministrativeArea.objects.bulk_update(
        to_update, ["name", "short_name", "level", "parent"], batch_size=500
    )
    report.created = len(to_create)
    report.updated = len(to_update)
    if report.created or report.updated:
        # The tree decides every jurisdiction: a change to it is on the record.
        audit.record(
            actor=None,
            action="areas.loaded",
            changes={
                "created": report.created,
                "updated": [area.code for area in to_update][:200],
                "updated_count": report.updated,
            },
        )
    return report


def areas_load_file(*, path: Path = DIVISIONS_CSV) -> AreaLoadReport:
    """Load the area tree from a CSV file (by default the Kunming file shipped with Sihai)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AreaDataError(
            [_("cannot read %(path)s: %(error)s") % {"path": path, "error": exc}]
        ) from exc
    return areas_load(text=text)
