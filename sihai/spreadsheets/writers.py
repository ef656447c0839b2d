"""Writing spreadsheets safely: exports that no spreadsheet program evaluates, error workbooks.

CSV/formula injection (OWASP): a value beginning with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return can be run as a formula (or a DDE command) when the file is opened.

* In **CSV** such a value gets a leading apostrophe (``'=1+1``), as OWASP advises.
* In **.xlsx** such a value is written as a text cell with Excel's *quote prefix*
  (what typing ``'`` before a value does): shown as typed, never evaluated, and read
  back unchanged when the worker fixes the row and uploads it again.

Workbooks are written in openpyxl's ``write_only`` mode (rows streamed to disk).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sihai.spreadsheets.readers import Value, column_letter

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_BAD = PatternFill("solid", fgColor="FFC7CE")
_NOTE = PatternFill("solid", fgColor="FFEB9C")
_BOLD = Font(bold=True)
AUTHOR = "Sihai"


def dangerous(value: object) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS_START)


def csv_safe(value: Value) -> str:
    """A value for a CSV cell: formula-looking text gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if dangerous(text) else text


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Value) -> Cell:
    """A write-only cell; formula-looking text stays text (string type, quote prefix)."""
    cell = WriteOnlyCell(sheet, value=cast("Any", value))
    if dangerous(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def export_csv(headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """A CSV file Excel opens in Chinese correctly (UTF-8 with a BOM), every cell escaped."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode()


def export_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Value]], *, title: str = "Sheet1"
) -> bytes:
    """An .xlsx file, streamed, every text cell safe from evaluation."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([_bold(sheet, h) for h in headers])
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _bold(sheet: WriteOnlyWorksheet, value: Value) -> Cell:
    cell = xlsx_cell(sheet, value)
    cell.font = _BOLD
    return cell


@dataclass(frozen=True)
class CellProblem:
    column: int | None  # sheet column (0-based); None = the whole row
    message: str
    note: bool = False  # "already registered": a note, not an error


class ErrorWorkbook:
    """The rows that were not imported, as the worker wrote them, with a message per bad cell.

    Written while the pass reads the file (rows streamed to disk by openpyxl's
    ``write_only`` mode). Sheet 1 repeats the header and each such row (with its row
    number in the uploaded file), fills every bad cell red (a note yellow) with a
    comment giving the message, and lists all the row's messages in a last column.
    Sheet 2 has one line per message. Columns in ``blanked`` (index → why) are emptied:
    their values are never imported nor kept.
    """

    def __init__(self, *, header: Sequence[Value], blanked: dict[int, str]) -> None:
        self.header = list(header)
        self.blanked = blanked
        self.rows = 0
        self.saved: bytes | None = None
        # openpyxl streams each sheet's rows to a temporary file until the workbook is saved
        # (docs/subsystems/spreadsheets.md: give workers a memory-backed TMPDIR).
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(_("Rows not imported")[:31])
        self.messages = self.workbook.create_sheet(_("Messages")[:31])
        head = [_bold(self.sheet, _("Row in your file"))]
        for index, value in enumerate(self.header):
            cell = _bold(self.sheet, value if value is not None else column_letter(index))
            if index in blanked:
                cell.comment = Comment(blanked[index], AUTHOR, width=300, height=120)
                cell.fill = _NOTE
            head.append(cell)
        head.append(_bold(self.sheet, _("Problems")))
        self.sheet.append(head)
        self.messages.append(
            [_bold(self.messages, t) for t in (_("Row"), _("Column"), _("Header"), _("Message"))]
        )

    def add(self, number: int, values: Sequence[Value], problems: list[CellProblem]) -> None:
        """One row of the uploaded file and its problems."""
        if not problems:
            return
        self.rows += 1
        by_column: dict[int, list[CellProblem]] = {}
        for problem in problems:
            if problem.column is not None:
                by_column.setdefault(problem.column, []).append(problem)
        width = max(len(self.header), len(values), max(by_column, default=-1) + 1)
        line = [WriteOnlyCell(self.sheet, value=number)]
        for index in range(width):
            value = None if index in self.blanked or index >= len(values) else values[index]
            cell = xlsx_cell(self.sheet, value)
            if index in by_column:
                cell.fill = _NOTE if all(p.note for p in by_column[index]) else _BAD
                text = "\n".join(p.message for p in by_column[index])
                cell.comment = Comment(text, AUTHOR, width=300, height=120)
            line.append(cell)
        summary = []
        for problem in problems:
            where = column_letter(problem.column) if problem.column is not None else ""
            summary.append(f"{where}: {problem.message}" if where else problem.message)
            column = -1 if problem.column is None else problem.column
            title = self.header[column] if 0 <= column < len(self.header) else None
            self.messages.append(
                [
                    number,
                    xlsx_cell(self.messages, where),
                    xlsx_cell(self.messages, "" if title is None else str(title)),
                    xlsx_cell(self.messages, problem.message),
                ]
            )
        line.append(xlsx_cell(self.sheet, "\n".join(summary)))
        self.sheet.append(line)

    def finish(self) -> bytes:
        """The workbook's bytes; the rows' temporary files are removed."""
        if self.saved is not None:
            return self.saved
        if self.blanked:
            self.messages.append([])
            for index, why in sorted(self.blanked.items()):
                self.messages.append(
                    [None, column_letter(index), None, xlsx_cell(self.messages, why)]
                )
        out = io.BytesIO()
        self.workbook.save(out)
        self.saved = out.getvalue()
        return self.saved
