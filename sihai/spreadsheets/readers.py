"""Reading uploaded spreadsheets safely: what a file really is, decided by its content.

* The real type comes from the bytes, never from the name: an ``.xlsx`` that is a
  CSV is read as CSV; an old ``.xls`` (or a password-protected workbook, which is
  the same kind of container) is refused with a message saying what to do.
* Size is capped (``SIHAI_IMPORT_MAX_BYTES``) before anything is parsed.
* An ``.xlsx`` is a zip: its declared uncompressed sizes, their total and each
  entry's compression ratio are checked before openpyxl opens it, so a zip bomb
  is refused without being inflated (Python's zipfile never inflates more than
  the declared size of an entry; the CRC check fails past it). The XML is parsed
  through defusedxml (entity bombs).
* Workbooks are streamed (openpyxl ``read_only``): memory does not grow with rows.
* A formula is read as its text (``=SUM(A1:A3)``), never evaluated; cached results
  are not read either.
* A merged range's value applies to every cell of it, as Excel shows it. Empty
  rows are reported as empty so row numbers stay those the worker sees.
* CSV: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text")
  or GB18030 (what Chinese Excel writes as "CSV"), detected by decoding; the
  delimiter is sniffed from the first line.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sihai.core.errors import InvalidInput

Value = str | int | float | bool | datetime.datetime | datetime.date | datetime.time | None

XLSX, CSV = "xlsx", "csv"
MAX_COLUMNS = 100
_EXCEL_1900 = datetime.datetime(1899, 12, 30)  # noqa: DTZ001  (a calendar epoch, not a moment)
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")
_SNIFF_BYTES = 64 * 1024


class SpreadsheetError(InvalidInput):
    """The file cannot be read as a register; the message says why and what to do."""

    code = "sheet.unreadable"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_uncompressed: int
    max_ratio: int
    max_entries: int
    max_rows: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.SIHAI_IMPORT_MAX_BYTES,
            max_uncompressed=settings.SIHAI_IMPORT_MAX_UNCOMPRESSED,
            max_ratio=settings.SIHAI_IMPORT_MAX_RATIO,
            max_entries=1_000,
            max_rows=settings.SIHAI_IMPORT_MAX_ROWS,
        )


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f}"


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise SpreadsheetError(
            _("The file is %(size)s MB; at most %(max)s MB can be imported. Split it into parts.")
            % {"size": megabytes(size), "max": megabytes(limits.max_bytes)},
            code="sheet.too_large",
        )
    if size == 0:
        raise SpreadsheetError(_("The file is empty."), code="sheet.empty")


def detect_kind(data: bytes) -> str:
    """``xlsx`` or ``csv``, from the content; SpreadsheetError for anything else."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise _corrupt() from exc
        if "xl/workbook.xml" in names:
            return XLSX
        if "mimetype" in names or "content.xml" in names:
            raise SpreadsheetError(
                _("This is an OpenDocument (WPS/LibreOffice) file: save it as .xlsx or .csv."),
                code="sheet.ods",
            )
        raise SpreadsheetError(
            _("This file is not a spreadsheet: upload an .xlsx or .csv file."),
            code="sheet.not_a_spreadsheet",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _(
                "This is an old .xls workbook or a password-protected one: open it in Excel or "
                "WPS, remove any password and save it as .xlsx."
            ),
            code="sheet.xls",
        )
    sample = data[:_SNIFF_BYTES]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in sample:
        return CSV
    raise SpreadsheetError(
        _("This file is not a spreadsheet: upload an .xlsx or .csv file."),
        code="sheet.not_a_spreadsheet",
    )


def _corrupt() -> SpreadsheetError:
    return SpreadsheetError(
        _("The workbook is damaged and cannot be read: open it in Excel or WPS and save it again."),
        code="sheet.corrupt",
    )


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is inflated."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise _bomb()
    total = 0
    for entry in entries:
        total += entry.file_size
        big = entry.file_size > 1_000_000
        if big and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise _bomb()
    if total > limits.max_uncompressed:
        raise _bomb()


def _bomb() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "This workbook would expand to far more data than a register holds (a damaged or "
            "malicious file); it was not opened."
        ),
        code="sheet.zip_bomb",
    )


def column_index(letters: str) -> int:
    """``A`` → 0, ``AB`` → 27."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letter(index: int) -> str:
    """0 → ``A``, 27 → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[Merge]:
    """The sheet's merged ranges, found by inflating its XML once without parsing it."""
    merges: list[Merge] = []
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            merges.extend(
                Merge(
                    int(m[2]), column_index(m[1].decode()), int(m[4]), column_index(m[3].decode())
                )
                for m in _MERGE_RE.finditer(text)
            )
            # Keep an incomplete tag at the chunk's end for the next round.
            cut = text.rfind(b"<")
            tail = text[cut:] if cut != -1 and b">" not in text[cut:] else b""
    return merges


@dataclass
class Table:
    """One sheet (or the CSV file), read row by row."""

    kind: str
    sheet_names: list[str]
    sheet: str
    encoding: str = ""
    delimiter: str = ","
    merges: list[Merge] = field(default_factory=list)
    # Where Excel serial dates start (1899-12-30, or 1904-01-01 for old Mac workbooks).
    epoch: datetime.datetime = _EXCEL_1900
    estimated_rows: int = 0
    _data: bytes = b""
    _max_rows: int = 0

    def rows(self) -> Iterator[tuple[int, list[Value]]]:
        """Every row with its number as the worker sees it (1-based); empty rows as []."""
        source = self._xlsx_rows() if self.kind == XLSX else self._csv_rows()
        filled = _fill_merges(source, self.merges) if self.merges else source
        non_empty = 0
        for number, values in filled:
            if any(not _blank(v) for v in values):
                non_empty += 1
                if non_empty > self._max_rows + 50:  # the header and title rows above it
                    raise SpreadsheetError(
                        _("The file has more than %(max)d rows: split it into parts.")
                        % {"max": self._max_rows},
                        code="sheet.too_many_rows",
                    )
            yield number, values

    def _xlsx_rows(self) -> Iterator[tuple[int, list[Value]]]:
        import openpyxl  # noqa: PLC0415  (loaded only when a workbook is read)

        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(self._data), read_only=True, data_only=False, keep_links=False
            )
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise _corrupt() from exc
        try:
            sheet = workbook[self.sheet]
            sheet.reset_dimensions()  # trust the rows, not a dimension tag other tools get wrong
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell(v) for v in row[:MAX_COLUMNS]]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise _corrupt() from exc
        finally:
            workbook.close()

    def _csv_rows(self) -> Iterator[tuple[int, list[Value]]]:
        text = io.TextIOWrapper(io.BytesIO(self._data), encoding=self.encoding, newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, [v if v.strip() else None for v in row[:MAX_COLUMNS]]
        except csv.Error as exc:
            raise SpreadsheetError(
                _("Row %(row)d of the CSV file cannot be read (%(problem)s).")
                % {"row": reader.line_num, "problem": str(exc)},
                code="sheet.csv",
            ) from exc


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(value: Any) -> Value:
    """A cell value as read: formulas keep their text (openpyxl gives ``=…`` strings)."""
    if value is None or isinstance(
        value, str | int | float | bool | datetime.datetime | datetime.date | datetime.time
    ):
        return value
    text = getattr(value, "text", None)  # array formulas and other formula objects
    return str(text if text is not None else value)


def _fill_merges(
    rows: Iterator[tuple[int, list[Value]]], merges: list[Merge]
) -> Iterator[tuple[int, list[Value]]]:
    starting: dict[int, list[Merge]] = {}
    for merge in merges:
        starting.setdefault(merge.first_row, []).append(merge)
    active: list[tuple[Merge, Value]] = []
    for number, values in rows:
        for merge in starting.get(number, []):
            top_left = values[merge.first_col] if merge.first_col < len(values) else None
            active.append((merge, top_left))
        if not active:
            yield number, values
            continue
        filled = list(values)
        for merge, value in active:
            if merge.last_col >= MAX_COLUMNS:
                continue
            if len(filled) <= merge.last_col:
                filled.extend([None] * (merge.last_col + 1 - len(filled)))
            for col in range(merge.first_col, merge.last_col + 1):
                filled[col] = value
        active = [(m, v) for m, v in active if m.last_row > number]
        yield number, filled


def _csv_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(
        _("The CSV file's characters cannot be read: save it as UTF-8 or as .xlsx."),
        code="sheet.encoding",
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_table(data: bytes, *, sheet: str | None = None, limits: Limits | None = None) -> Table:
    """Open an uploaded file's sheet (the first one unless ``sheet`` names another)."""
    limits = limits or Limits.from_settings()
    check_size(len(data), limits)
    kind = detect_kind(data)
    if kind == CSV:
        encoding = _csv_encoding(data)
        head = data[:_SNIFF_BYTES].decode(encoding, errors="ignore")
        first_line = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
        lines_in_head = max(head.count("\n"), 1)
        estimate = len(data) * lines_in_head // max(len(data[:_SNIFF_BYTES]), 1)
        return Table(
            kind=CSV,
            sheet_names=["CSV"],
            sheet="CSV",
            encoding=encoding,
            delimiter=_delimiter(first_line),
            estimated_rows=estimate,
            _data=data,
            _max_rows=limits.max_rows,
        )
    check_zip(data, limits)
    return _open_workbook(data, sheet, limits)


def _open_workbook(data: bytes, sheet: str | None, limits: Limits) -> Table:
    import openpyxl  # noqa: PLC0415

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _corrupt() from exc
    try:
        names = [ws.title for ws in workbook.worksheets]
        if not names:
            raise SpreadsheetError(_("The workbook has no sheet."), code="sheet.no_sheet")
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            raise SpreadsheetError(
                _("The workbook has no sheet called “%(sheet)s”.") % {"sheet": chosen},
                code="sheet.no_sheet",
            )
        worksheet = workbook[chosen]
        path = str(getattr(worksheet, "_worksheet_path", ""))
        estimate = int(worksheet.max_row or 0)
        epoch = workbook.epoch
    finally:
        workbook.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            merges = _merged_ranges(archive, path) if path else []
        except (zipfile.BadZipFile, KeyError, zlib.error) as exc:
            raise _corrupt() from exc
    return Table(
        kind=XLSX,
        sheet_names=names,
        sheet=chosen,
        merges=merges,
        epoch=epoch,
        estimated_rows=estimate,
        _data=data,
        _max_rows=limits.max_rows,
    )
