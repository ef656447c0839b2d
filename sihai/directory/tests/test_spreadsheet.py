from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from sihai.accounts.models import User
from sihai.audit.models import AuditEntry
from sihai.core.errors import InvalidInput
from sihai.directory import spreadsheet
from sihai.directory.factories import make_point
from sihai.directory.models import Location, Schedule

pytestmark = pytest.mark.django_db
Persona = Callable[[str], User]

GOOD = [
    "",
    "水晶宫社区一家亲工作站",
    "workstation",
    "530102001002",
    25.05,
    102.70,
    "华山街道水晶宫社区 8 号",
    "0871-63100001",
    "MO-FR 09:00-17:00\nSA 09:00-12:00 appointment",
    "zh,ii",
    "step_free",
    "yes",
]


def workbook(*rows: list[object], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or spreadsheet.COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_changes_nothing_and_escapes_formulas(persona: Persona) -> None:
    point = make_point(name='=HYPERLINK("http://x")', hours="FR 22:00-02:00")
    data = spreadsheet.export_points(actor=persona("cuihu_worker"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == spreadsheet.COLUMNS
    assert rows[1][0] == str(point.pk)
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][8] == "FR 22:00-02:00"
    report = spreadsheet.import_points(actor=persona("cuihu_worker"), data=data)
    assert (report.created, report.updated) == (0, 1)
    point.refresh_from_db()
    assert point.name == '=HYPERLINK("http://x")'
    assert Location.objects.count() == 1
    assert Schedule.objects.get(location=point).closes_at.hour == 2


def test_a_good_row_adds_a_point_with_hours(persona: Persona) -> None:
    report = spreadsheet.import_points(actor=persona("huashan_officer"), data=workbook(GOOD))
    assert (report.created, report.updated) == (1, 0)
    location = Location.objects.get()
    assert (location.name, location.area_id, location.published) == (
        "水晶宫社区一家亲工作站",
        "530102001002",
        True,
    )
    assert Schedule.objects.filter(location=location).count() == 2
    assert AuditEntry.objects.filter(action="directory.points_imported").get().changes == {
        "created": 1,
        "updated": 0,
        "rows": 1,
    }


def test_every_bad_cell_is_listed_and_nothing_is_written(persona: Persona) -> None:
    bad = list(GOOD)
    bad[2], bad[4], bad[8], bad[11] = "casino", "=1+2", "whenever", "perhaps"
    outside = list(GOOD)
    outside[3] = "530103004001"
    swapped = list(GOOD)
    swapped[4], swapped[5] = 102.70, 25.05
    foreign = list(GOOD)
    foreign[0] = str(make_point(community="530103004001").pk)
    before = (Location.objects.count(), AuditEntry.objects.count())
    with translation.override("en"), pytest.raises(spreadsheet.ImportRejected) as caught:
        spreadsheet.import_points(
            actor=persona("huashan_officer"), data=workbook(GOOD, bad, outside, swapped, foreign)
        )
    found = [(e.row, e.column) for e in spreadsheet.error_rows(caught.value.errors)]
    assert found == [
        (3, "latitude"),
        (3, "hours"),
        (3, "published"),
        (4, "community_code"),
        (5, "latitude"),
        (6, "id"),
    ]
    messages = {(e.row, e.column): e.message for e in caught.value.errors}
    assert "“=1+2” is not a number." in messages[(3, "latitude")]
    assert (Location.objects.count(), AuditEntry.objects.count()) == before


def test_kind_error_is_reported_when_the_rest_is_fine(persona: Persona) -> None:
    bad = list(GOOD)
    bad[2] = "casino"
    with pytest.raises(spreadsheet.ImportRejected) as caught:
        spreadsheet.import_points(actor=persona("huashan_officer"), data=workbook(bad))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "kind")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not a workbook", "directory.import_format"),
        (workbook(GOOD, header=["name", "kind"]), "directory.import_header"),
    ],
)
def test_unreadable_files_are_refused(persona: Persona, data: bytes, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        spreadsheet.import_points(actor=persona("huashan_officer"), data=data)
    assert caught.value.code == code
    assert Location.objects.count() == 0
