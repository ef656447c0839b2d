"""Building registers as a grassroots worker would keep them, for tests and the bench."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook


def xlsx(
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "台账",
    merges: Sequence[str] = (),
    extra_sheets: Sequence[str] = (),
    text_columns: Sequence[int] = (),
) -> bytes:
    """An .xlsx with ``rows`` on the first sheet (strings starting with ``=`` become formulas)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for column in text_columns:
        for (cell,) in sheet.iter_rows(min_col=column + 1, max_col=column + 1):
            cell.number_format = "@"
    for name in extra_sheets:
        workbook.create_sheet(name).append(["说明", "这一页不是台账"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    lines = [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
