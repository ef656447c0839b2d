"""Exports stream (memory flat at any size); monthly reports are written by the task worker."""

from __future__ import annotations

import datetime
import io
import tracemalloc
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from openpyxl import load_workbook

from sihai.accounts.models import User
from sihai.reporting.exports import Row, csv_stream, headers, xlsx_file
from sihai.reporting.models import MonthlyReport
from sihai.reporting.periods import add_months, current_month
from sihai.reporting.tasks import monthly_reports_task
from sihai.residents.factories import resident_in


def synthetic(n: int) -> Iterator[Row]:
    for i in range(n):
        yield [
            "residents.registered",
            "Residents registered",
            "people",
            "2026-11",
            f"5301{i:08d}",
            "社区",
            "",
            "",
            float(i % 97),
            f"{i % 97}",
            "",
        ]


def peak_bytes(write: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_csv_memory_does_not_grow_with_rows() -> None:
    def run(n: int) -> Callable[[], None]:
        def write() -> None:
            for _line in csv_stream(headers(), synthetic(n)):
                pass

        return write

    small, large = peak_bytes(run(2_000)), peak_bytes(run(60_000))
    assert large < small * 2 + 100_000, (small, large)


def test_xlsx_memory_does_not_grow_with_rows() -> None:
    def run(n: int) -> Callable[[], None]:
        def write() -> None:
            xlsx_file(None, title="t", rows=synthetic(n)).close()

        return write

    small, large = peak_bytes(run(1_000)), peak_bytes(run(15_000))
    assert large < small * 2 + 500_000, (small, large)


def test_xlsx_has_every_row_and_a_formatted_header() -> None:
    handle = xlsx_file(None, title="t", rows=synthetic(500))
    book = load_workbook(io.BytesIO(handle.read()))
    sheet = book.worksheets[0]
    assert sheet.max_row == 501
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


@pytest.mark.django_db
def test_monthly_reports_by_the_task_worker(persona: Callable[[str], User]) -> None:
    for _ in range(12):
        resident_in("530102001001")
    month = current_month()
    result = monthly_reports_task.enqueue(f"{month:%Y-%m}", ["city", "county"])
    assert result.return_value == 1 + 14
    report = MonthlyReport.objects.get(area_code="530102", month=month)
    registered = [
        r for r in report.figures if r[0] == "residents.registered" and r[6] == "__total__"
    ]
    assert registered[-1][8] == 12
    # Downloadable by the district, not by its neighbour.
    client = Client()
    client.force_login(persona("wuhua_officer"))
    url = f"/workbench/insight/530102/reports/{month:%Y-%m}.xlsx"
    assert client.get(url).status_code == 200
    assert client.get("/workbench/insight/530102/reports/").status_code == 200
    client.force_login(persona("panlong_officer"))
    assert client.get(url).status_code == 404
    assert (
        client.get(
            f"/workbench/insight/530103/reports/{add_months(month, -5):%Y-%m}.xlsx"
        ).status_code
        == 404
    )


def test_add_months() -> None:
    assert add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert add_months(datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 1)


@pytest.mark.django_db
def test_reports_command() -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.management.base import CommandError  # noqa: PLC0415

    out = io.StringIO()
    call_command("reports", "monthly", "--levels", "city", stdout=out)
    assert "1 monthly reports written" in out.getvalue()
    assert MonthlyReport.objects.filter(
        area_code="5301", month=add_months(current_month(), -1)
    ).exists()
    for bad in (["--month", "2099-01"], ["--month", "2026"], ["--levels", "planet"]):
        with pytest.raises(CommandError):
            call_command("reports", "monthly", *bad, stdout=io.StringIO())
    assert MonthlyReport.objects.count() == 1
