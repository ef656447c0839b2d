"""Exports of a dashboard view: CSV (streamed) and Excel (openpyxl write-only, formatted).

Both are written from the same flat rows (:func:`figure_rows`), which come from a
suppressed :class:`~sihai.reporting.figures.Dashboard`: an export shows exactly
what the page shows. Writers take any iterable of rows and never hold them all:
the CSV is a generator behind a ``StreamingHttpResponse``, the workbook is written
row by row to a temporary file (write-only mode) and sent from there, so a million
rows take the same memory as ten.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sihai.reporting.figures import (
    Dashboard,
    IndicatorView,
    Place,
    reason_text,
    text_of,
    value_of,
)
from sihai.reporting.registry import Indicator
from sihai.reporting.suppression import TOTAL, Cell

Row = list[Any]


def headers() -> list[str]:
    return [
        _("indicator code"),
        _("indicator"),
        _("unit"),
        _("period"),
        _("area code"),
        _("area"),
        _("category code"),
        _("category"),
        _("value"),
        _("shown as"),
        _("suppressed because"),
    ]


def _row(dashboard: Dashboard, view: IndicatorView, place: Place, column: Place, cell: Cell) -> Row:
    ind: Indicator = view.indicator
    period = _("today") if ind.as_of_today else dashboard.period.code
    return [
        ind.code,
        str(ind.name),
        str(ind.unit.label),
        period,
        place.code,
        place.name,
        column.code,
        column.name,
        value_of(ind, cell),
        text_of(ind, cell),
        reason_text(cell.reason, dashboard.k) if cell.suppressed else "",
    ]


def figure_rows(dashboard: Dashboard) -> Iterator[Row]:
    """Every shown cell of every indicator: children × categories, then the area's totals."""
    area = dashboard.area
    for view in dashboard.views:
        table = view.table
        if table is None:
            continue
        everything = Place(TOTAL, _("all"))
        for place in view.rows:
            if place.code == area.code:
                continue
            for column in view.columns:
                yield _row(dashboard, view, place, column, table.cells[(place.code, column.code)])
            if view.has_categories and place.code in table.row_totals:
                yield _row(dashboard, view, place, everything, table.row_totals[place.code])
        if view.has_categories:
            for column in view.columns:
                yield _row(dashboard, view, area, column, table.column_totals[column.code])
        yield _row(dashboard, view, area, everything, table.total)
        yield from _comparison_rows(dashboard, view)


def _comparison_rows(dashboard: Dashboard, view: IndicatorView) -> Iterator[Row]:
    """The registered residents' published figure and the equalisation gap, if entered."""
    comparison = view.comparison
    if comparison is None:
        return
    ind = view.indicator
    period = _("today") if ind.as_of_today else dashboard.period.code
    yield [
        ind.code,
        str(ind.name),
        str(ind.unit.label),
        period,
        comparison.area_code,
        comparison.area_name,
        "registered_residents",
        _("registered (户籍) residents, %(year)s, published in %(source)s")
        % {"year": comparison.year, "source": comparison.source},
        comparison.value,
        f"{comparison.value:.1f} %",
        "",
    ]
    yield [
        ind.code,
        str(ind.name),
        _("percentage points"),
        period,
        dashboard.area.code,
        dashboard.area.name,
        "equalisation_gap",
        _("Equalisation gap"),
        view.gap,
        "—" if view.gap is None else f"{view.gap:+.1f}",
        ""
        if view.gap is not None
        else _("No gap is shown while the figure for migrants is not shown."),
    ]


def trend_rows(dashboard: Dashboard) -> Iterator[Row]:
    for view in dashboard.views:
        for point in view.trend:
            yield [
                view.indicator.code,
                str(view.indicator.name),
                f"{point.month:%Y-%m}",
                value_of(view.indicator, point.cell),
                text_of(view.indicator, point.cell),
                reason_text(point.cell.reason, dashboard.k) if point.cell.suppressed else "",
            ]


def definition_rows(dashboard: Dashboard) -> Iterator[Row]:
    for view in dashboard.views:
        ind = view.indicator
        yield [
            ind.code,
            str(ind.name),
            str(ind.definition),
            str(ind.computation),
            str(ind.unit.label),
            ", ".join(str(d.label) for d in sorted(ind.dimensions)),
            ind.app,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: Row, rows: Iterable[Row]) -> Iterator[str]:
    """CSV lines one at a time (with a BOM so that Excel opens UTF-8 as such)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])


_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(book: Workbook, title: str, header: Row, rows: Iterable[Row], widths: list[int]) -> None:
    sheet: WriteOnlyWorksheet = book.create_sheet(title=title[:31])
    for index, width in enumerate(widths):
        # Set before the first row, as write-only sheets require (not in the type stubs).
        sheet.column_dimensions[chr(ord("A") + index)].width = width  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    head = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append(row)


def xlsx_file(
    dashboard: Dashboard | None,
    *,
    title: str,
    rows: Iterable[Row] | None = None,
    header: Row | None = None,
) -> IO[bytes]:
    """The workbook in a temporary file (rewound): figures, trend, definitions, notes."""
    book = Workbook(write_only=True)
    header = header or headers()
    figures = rows if rows is not None else (figure_rows(dashboard) if dashboard else [])
    _sheet(book, _("Figures"), header, figures, [18, 30, 10, 10, 14, 18, 16, 20, 12, 14, 40])
    if dashboard is not None:
        _sheet(
            book,
            _("Trend"),
            [
                _("indicator code"),
                _("indicator"),
                _("month"),
                _("value"),
                _("shown as"),
                _("suppressed because"),
            ],
            trend_rows(dashboard),
            [18, 30, 10, 12, 14, 40],
        )
        _sheet(
            book,
            _("Definitions"),
            [
                _("indicator code"),
                _("indicator"),
                _("definition"),
                _("how it is computed"),
                _("unit"),
                _("dimensions"),
                _("from"),
            ],
            definition_rows(dashboard),
            [18, 30, 60, 60, 10, 24, 12],
        )
    notes = book.create_sheet(title=_("Notes")[:31])
    notes.column_dimensions["A"].width = 100
    k = dashboard.k if dashboard else 10
    for line in [
        title,
        _("Generated %(when)s.") % {"when": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
        _(
            "Small-cell suppression: a figure counting fewer than %(k)s people is not shown, "
            "and other figures are hidden with it so that it cannot be worked out from the "
            "totals. Ethnic group and religion are counted only for a district or above."
        )
        % {"k": k},
    ]:
        cell = WriteOnlyCell(notes, value=line)
        cell.alignment = _WRAP
        notes.append([cell])
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the response, which closes it)
    book.save(handle)
    handle.seek(0)
    return handle
