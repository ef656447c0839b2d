"""Small-cell suppression: the one place where the rule lives (dashboards, exports, API).

* **Primary:** a cell that counts people and counts between 1 and k-1 of them is
  suppressed (``SIHAI_SUPPRESSION_K``, 10 by default; a setting below 5 is refused).
  A zero is shown: it reveals no one.
* **Complementary:** a table is shown with its row and column totals, so one
  suppressed cell in a row could be worked out by subtraction. Every line (a row
  with its total, a column with its total) must hold no suppressed cell or at least
  two; then an exact check solves the table's equations (numpy, null space of the
  suppressed cells) and suppresses more until no suppressed cell is determined by
  the published ones. The complement chosen is the smallest non-zero cell of the line,
  so as little as possible is hidden.
* **Inherited:** a total shown on a parent's table as suppressed stays suppressed on
  the child's own page (``forced``), so two pages together reveal nothing either.
* **Sensitive categories:** aggregates of ethnic group or religion only for areas at
  district level or above, and never broken down below it (:func:`sensitive_allowed`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from sihai.reporting.registry import ZERO, Measure

MIN_K = 5
DISTRICT_LEN = 6
TOTAL = "__total__"
# The reason of a total that is not shown because the columns do not add up.
NOT_ADDITIVE = "not_additive"
_EPS = 1e-9


class Reason(TextChoices):
    SMALL = "small", _("fewer than the minimum number of people")
    COMPLEMENTARY = "complementary", _("hidden so that a small cell cannot be worked out")
    LEVEL = "level", _("ethnic group and religion are counted only for a district or above")


def min_cell() -> int:
    """k: the smallest number of people a published cell may count."""
    k = int(getattr(settings, "SIHAI_SUPPRESSION_K", 10))
    if k < MIN_K:
        msg = f"SIHAI_SUPPRESSION_K is {k}: it may not be below {MIN_K}"
        raise ImproperlyConfigured(msg)
    return k


def sensitive_allowed(area_code: str, group_len: int) -> bool:
    """May an ethnicity or religion aggregate be shown for ``area_code`` grouped so?"""
    return len(area_code) <= DISTRICT_LEN and group_len <= DISTRICT_LEN


class Cell(NamedTuple):
    """One entry of a table: its figures and, when suppressed, why (a tuple: a dashboard
    makes thousands of them)."""

    measure: Measure
    reason: str = ""  # a Reason value when suppressed

    @property
    def suppressed(self) -> bool:
        return bool(self.reason)


@dataclass
class Table:
    """Rows (areas or months) × columns (categories), with totals, after suppression."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]
    row_totals: dict[str, Cell]
    column_totals: dict[str, Cell]
    total: Cell
    suppressed_count: int = 0
    notes: list[str] = field(default_factory=list)

    def cell(self, row: str, column: str) -> Cell:
        if row == TOTAL and column == TOTAL:
            return self.total
        if row == TOTAL:
            return self.column_totals[column]
        if column == TOTAL:
            return self.row_totals[row]
        return self.cells[(row, column)]


def suppress_table(
    rows: Sequence[str],
    columns: Sequence[str],
    measures: Mapping[tuple[str, str], Measure],
    *,
    people: bool = True,
    forced: Mapping[str, str] | None = None,
    forced_cells: Mapping[tuple[str, str], str] | None = None,
    k: int | None = None,
    row_totals: bool = True,
) -> Table:
    """Build the table with its totals and suppress it.

    ``forced``: column code (or ``TOTAL``) → reason, for entries of the total row that
    must stay suppressed because a parent's table suppressed them. ``row_totals``:
    False when the columns do not add up (a community counted under every kind).
    ``forced_cells``: (row, column) → reason for any entry (``TOTAL`` for a total) hidden
    elsewhere, e.g. in one of the months a year's figure adds up.
    """
    k = min_cell() if k is None else k
    rows, columns = list(rows), list(columns)
    n_rows, n_cols = len(rows), len(columns)
    # The grid: the cells, plus a total column when there are several columns and a
    # total row when there are several rows; with one of either the total *is* the cell.
    row_total = n_cols > 1 and row_totals
    col_total = n_rows > 1
    height, width = n_rows + int(col_total), n_cols + int(row_total)
    grid, base = _grid(rows, columns, measures, row_total=row_total, col_total=col_total)
    small = (base > 0) & (base < k)
    if not people or not (forced or forced_cells or small.any()):
        # Nothing to hide (a city's or a district's tables, mostly): no search needed.
        return _table(rows, columns, grid, None, row_total=row_total, col_total=col_total)
    reason = np.full((height, width), "", dtype=object)
    reason[small] = Reason.SMALL.value
    for column, why in (forced or {}).items():
        if width == 0 or height == 0:
            break
        if column == TOTAL and not (row_total or n_cols == 1):
            continue
        j = width - 1 if column == TOTAL else columns.index(column)
        reason[height - 1, j] = reason[height - 1, j] or why
    for (row, column), why in (forced_cells or {}).items():
        at = _position(rows, columns, row, column, row_total=row_total, col_total=col_total)
        if at[0] is not None and at[1] is not None:
            reason[at[0], at[1]] = reason[at[0], at[1]] or why
    _complement(base, reason, row_total=row_total, col_total=col_total)
    return _table(rows, columns, grid, reason, row_total=row_total, col_total=col_total)


def _grid(
    rows: list[str],
    columns: list[str],
    measures: Mapping[tuple[str, str], Measure],
    *,
    row_total: bool,
    col_total: bool,
) -> tuple[list[list[Measure]], np.ndarray]:
    """The table's entries with their totals, and the base (people) of each."""
    n_rows, n_cols = len(rows), len(columns)
    height, width = n_rows + int(col_total), n_cols + int(row_total)
    grid: list[list[Measure]] = [[ZERO] * width for _ in range(height)]
    # value, base, denominator of each entry; the totals are summed by numpy, and only
    # the cells that have figures are visited (a table is mostly empty at a low level).
    parts = np.zeros((height, width, 3))
    row_at = {r: i for i, r in enumerate(rows)}
    column_at = {c: j for j, c in enumerate(columns)}
    at_i, at_j, figures = [], [], []
    for (r, c), m in measures.items():
        i, j = row_at.get(r), column_at.get(c)
        if i is None or j is None:
            continue
        grid[i][j] = m
        at_i.append(i)
        at_j.append(j)
        figures.append((m.value, m.base, m.denominator))
    if figures:
        parts[at_i, at_j] = figures
    inner = parts[:n_rows, :n_cols]
    totals: list[tuple[int, int]] = []
    if row_total:
        parts[:n_rows, n_cols] = inner.sum(axis=1)
        totals += [(i, n_cols) for i in range(n_rows)]
    if col_total:
        parts[n_rows, :n_cols] = inner.sum(axis=0)
        totals += [(n_rows, j) for j in range(n_cols)]
    if row_total and col_total:
        parts[n_rows, n_cols] = inner.sum(axis=(0, 1))
        totals.append((n_rows, n_cols))
    for i, j in totals:
        value, count, denominator = parts[i, j]
        grid[i][j] = Measure(float(value), round(float(count)), float(denominator))
    base = parts[:, :, 1]
    return grid, base


def _position(
    rows: list[str],
    columns: list[str],
    row: str,
    column: str,
    *,
    row_total: bool,
    col_total: bool,
) -> tuple[int | None, int | None]:
    """Where an entry is in the grid (None when the table does not show it)."""
    if row == TOTAL:
        i = len(rows) if col_total else (0 if len(rows) == 1 else None)
    else:
        i = rows.index(row) if row in rows else None
    if column == TOTAL:
        j = len(columns) if row_total else (0 if len(columns) == 1 else None)
    else:
        j = columns.index(column) if column in columns else None
    return i, j


def _lines(
    height: int, width: int, *, row_total: bool, col_total: bool
) -> list[list[tuple[int, int, int]]]:
    """Each equation of the table: (i, j, sign) entries summing to zero."""
    lines: list[list[tuple[int, int, int]]] = []
    n_rows = height - int(col_total)
    n_cols = width - int(row_total)
    if row_total:
        for i in range(height):
            lines.append([(i, j, 1) for j in range(n_cols)] + [(i, n_cols, -1)])
    if col_total:
        for j in range(width):
            lines.append([(i, j, 1) for i in range(n_rows)] + [(n_rows, j, -1)])
    return lines


def _complement(base: np.ndarray, reason: np.ndarray, *, row_total: bool, col_total: bool) -> None:
    if not (reason != "").any():
        return  # nothing hidden, nothing to protect (most tables of a city or a district)
    height, width = base.shape
    lines = _lines(height, width, row_total=row_total, col_total=col_total)
    if not lines:
        return
    while True:
        changed = False
        for line in lines:
            hidden = [(i, j) for i, j, _s in line if reason[i, j]]
            if len(hidden) == 1:
                changed |= _hide_smallest(base, reason, line)
        if changed:
            continue
        determined = _determined(reason, lines)
        if not determined:
            return
        for i, j in determined:
            for line in lines:
                if any((a, b) == (i, j) for a, b, _s in line) and _hide_smallest(
                    base, reason, line
                ):
                    break


def _hide_smallest(base: np.ndarray, reason: np.ndarray, line: list[tuple[int, int, int]]) -> bool:
    """Suppress the smallest shown entry of ``line`` (non-zero first, cells before totals)."""
    shown = [(i, j, s) for i, j, s in line if not reason[i, j]]
    if not shown:
        return False
    i, j, _s = min(shown, key=lambda e: (base[e[0], e[1]] == 0, e[2] < 0, base[e[0], e[1]]))
    reason[i, j] = Reason.COMPLEMENTARY.value
    return True


def _determined(
    reason: np.ndarray, lines: list[list[tuple[int, int, int]]]
) -> list[tuple[int, int]]:
    """Suppressed entries whose value follows from the published ones (exactly)."""
    unknown = [(int(i), int(j)) for i, j in zip(*np.nonzero(reason != ""), strict=True)]
    if not unknown:
        return []
    index = {e: n for n, e in enumerate(unknown)}
    matrix = np.zeros((len(lines), len(unknown)))
    for row, line in enumerate(lines):
        for i, j, s in line:
            if (i, j) in index:
                matrix[row, index[(i, j)]] = s
    matrix = matrix[np.abs(matrix).sum(axis=1) > 0]
    if matrix.shape[0] == 0:
        return []
    _u, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > _EPS).sum())
    null = vt[rank:].T  # unknowns × nullity
    return [e for e in unknown if null.shape[1] == 0 or np.abs(null[index[e]]).max() < 1e-7]


def _table(
    rows: list[str],
    columns: list[str],
    grid: list[list[Measure]],
    reason: np.ndarray | None,
    *,
    row_total: bool,
    col_total: bool,
) -> Table:
    """The suppressed table (``reason`` None: nothing is hidden)."""
    n_rows, n_cols = len(rows), len(columns)
    height, width = n_rows + int(col_total), n_cols + int(row_total)
    reasons = reason.tolist() if reason is not None else [[""] * width for _ in range(height)]

    def at(i: int, j: int) -> Cell:
        return Cell(grid[i][j], reasons[i][j])

    cells = {
        (r, c): Cell(grid_line[j], reason_line[j])
        for r, grid_line, reason_line in zip(rows, grid, reasons, strict=False)
        for j, c in enumerate(columns)
    }
    has_total = row_total or n_cols == 1
    row_totals = (
        {r: at(i, n_cols if row_total else 0) for i, r in enumerate(rows)} if has_total else {}
    )
    column_totals = {c: at(n_rows if col_total else 0, j) for j, c in enumerate(columns)}
    if n_rows == 0 or n_cols == 0:
        total = Cell(ZERO)
    elif not has_total:
        total = Cell(ZERO, NOT_ADDITIVE)
    else:
        total = at(n_rows if col_total else 0, n_cols if row_total else 0)
    return Table(
        rows,
        columns,
        cells,
        row_totals,
        column_totals,
        total,
        suppressed_count=int((reason != "").sum()) if reason is not None else 0,
    )


def table_reasons(table: Table) -> list[str]:
    """The distinct reasons of a table's suppressed entries, for the legend."""
    found = {cell.reason for cell in [*table.cells.values(), *table.row_totals.values()]}
    found |= {cell.reason for cell in [*table.column_totals.values(), table.total]}
    return [r for r in Reason.values if r in found]


def suppress_counts(counts: Mapping[str, int], *, k: int | None = None) -> dict[str, int | None]:
    """A one-column list of people counts with a published total: ``None`` where suppressed.

    For callers outside the dashboards (the directory's coverage API) that publish
    counts per area beside their total.
    """
    keys = list(counts)
    table = suppress_table(keys, [""], {(key, ""): count_of(counts[key]) for key in keys}, k=k)
    return {key: None if table.cells[(key, "")].suppressed else counts[key] for key in keys}


def count_of(n: int) -> Measure:
    return Measure(float(n), n, 0.0)
