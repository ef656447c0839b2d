"""The import pages as a worker uses them (no JavaScript needed), in Chinese and English."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sihai.residents.models import Resident
from sihai.spreadsheets.models import ImportJob
from sihai.spreadsheets.tests.factories import xlsx
from sihai.spreadsheets.tests.test_residents_import import register

pytestmark = pytest.mark.django_db


def _upload(client: Client, data: bytes, name: str = "台账.xlsx") -> ImportJob:
    response = client.post(
        "/workbench/imports/new/residents/", {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == f"/workbench/imports/{job.pk}/"
    return job


def test_the_whole_journey_in_the_workbench(client_as: Callable[..., Client]) -> None:
    client = client_as("cuihu_worker")
    assert "台账" in client.get("/workbench/imports/").content.decode()
    bad = [9, "坏行", "123", "abc", "2024-13-01", "翠湖西路社区", "回族"]
    job = _upload(client, xlsx(register(3, extra=[bad])))

    page = client.get(f"/workbench/imports/{job.pk}/").content.decode()
    assert "民族" in page  # named as refused, with the reason
    assert "只有居民本人" in page
    assert 'name="col_6"' not in page  # no choice offered for the ethnicity column
    assert "回族" not in page

    response = client.post(
        f"/workbench/imports/{job.pk}/mapping",
        {
            "sheet": "台账",
            "header_row": "3",
            "col_1": "name",
            "col_2": "id_number",
            "col_3": "phone",
            "col_4": "birth_date",
            "col_5": "community",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/workbench/imports/{job.pk}/").content.decode()
    assert "预览" in page
    assert "这个日期不存在" in page or "没有这一天" in page
    assert Resident.objects.count() == 0

    workbook = client.get(f"/workbench/imports/{job.pk}/errors.xlsx")
    assert workbook.status_code == 200
    assert workbook["Content-Disposition"] == f'attachment; filename="import-{job.pk}-errors.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "在你的文件中的行号"
    row = [c.value for c in sheet[2]]
    assert row[0] == 7
    assert row[2] == "坏行"
    assert row[7] is None  # the ethnicity value is blanked, never copied
    assert sheet.cell(row=2, column=4).comment is not None  # ID number cell
    assert sheet.cell(row=2, column=4).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=2, column=2).comment is None  # the name is fine

    response = client.post(f"/workbench/imports/{job.pk}/start", {"evidence": ""})
    assert response.status_code == 302
    assert Resident.objects.count() == 0
    client.post(f"/workbench/imports/{job.pk}/start", {"evidence": "同意书 2026-07"})
    job.refresh_from_db()
    assert (job.state, job.rows_imported, job.rows_invalid) == ("done", 3, 1)
    assert Resident.objects.count() == 3
    page = client.get(f"/workbench/imports/{job.pk}/").content.decode()
    assert "已导入" in page


def test_the_progress_fragment_polls_while_running_and_redirects_after(
    client_as: Callable[..., Client], persona: Callable[[str], object]
) -> None:
    client = client_as("cuihu_worker")
    job = _upload(client, xlsx(register(2)))
    ImportJob.objects.filter(pk=job.pk).update(state="checking", rows_done=1, rows_estimated=5)
    fragment = client.get(f"/workbench/imports/{job.pk}/progress", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'value="1"' in body
    assert "HX-Redirect" not in fragment
    ImportJob.objects.filter(pk=job.pk).update(state="checked")
    fragment = client.get(f"/workbench/imports/{job.pk}/progress", HTTP_HX_REQUEST="true")
    assert fragment["HX-Redirect"] == f"/workbench/imports/{job.pk}/"


def test_bad_files_get_a_message_on_the_form(client_as: Callable[..., Client]) -> None:
    client = client_as("cuihu_worker", "en")
    response = client.post(
        "/workbench/imports/new/residents/",
        {"file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)},
    )
    assert response.status_code == 200
    assert "old .xls workbook" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_an_oversized_upload_is_refused_by_its_size(
    client_as: Callable[..., Client], settings: object
) -> None:
    settings.SIHAI_IMPORT_MAX_BYTES = 1_000  # type: ignore[attr-defined]
    client = client_as("cuihu_worker", "en")
    response = client.post(
        "/workbench/imports/new/residents/",
        {"file": SimpleUploadedFile("big.csv", b"a,b\r\n" * 1_000)},
    )
    assert response.status_code == 200
    assert "at most 0 MB" in response.content.decode() or "MB" in response.content.decode()
    assert ImportJob.objects.count() == 0
