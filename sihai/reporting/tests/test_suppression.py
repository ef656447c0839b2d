"""Small-cell suppression against an adversary who knows every published cell and total."""

from __future__ import annotations

import random

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from sihai.reporting.registry import Measure
from sihai.reporting.suppression import (
    TOTAL,
    Reason,
    Table,
    min_cell,
    sensitive_allowed,
    suppress_counts,
    suppress_table,
)

K = 10


def build(matrix: list[list[int]], **kwargs: object) -> Table:
    rows = [f"r{i}" for i in range(len(matrix))]
    cols = [f"c{j}" for j in range(len(matrix[0]))]
    cells = {
        (rows[i], cols[j]): Measure(float(v), v)
        for i, line in enumerate(matrix)
        for j, v in enumerate(line)
    }
    return suppress_table(rows, cols, cells, k=K, **kwargs)  # type: ignore[arg-type]


def recoverable(table: Table) -> list[tuple[str, str]]:
    """Every suppressed entry an adversary can compute exactly from what is published.

    Independent of the module's own check: unknowns are the suppressed entries, each
    row and column (with its total) is one equation; an unknown is determined when
    adding its unit vector to the equations does not raise their rank.
    """
    rows, cols = table.rows, table.columns
    entries = [(r, c) for r in [*rows, TOTAL] for c in [*cols, TOTAL]]
    hidden = [e for e in entries if table.cell(*e).suppressed]
    if not hidden:
        return []
    index = {e: n for n, e in enumerate(hidden)}
    equations = []
    for r in [*rows, TOTAL]:
        eq = np.zeros(len(hidden))
        for c in cols:
            if (r, c) in index:
                eq[index[(r, c)]] += 1
        if (r, TOTAL) in index:
            eq[index[(r, TOTAL)]] -= 1
        equations.append(eq)
    for c in [*cols, TOTAL]:
        eq = np.zeros(len(hidden))
        for r in rows:
            if (r, c) in index:
                eq[index[(r, c)]] += 1
        if (TOTAL, c) in index:
            eq[index[(TOTAL, c)]] -= 1
        equations.append(eq)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = []
    for e, n in index.items():
        unit = np.zeros(len(hidden))
        unit[n] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(e)
    return found


def small_cells_hidden(table: Table) -> bool:
    for r in [*table.rows, TOTAL]:
        for c in [*table.columns, TOTAL]:
            cell = table.cell(r, c)
            if 0 < cell.measure.base < K and not cell.suppressed:
                return False
    return True


def test_one_small_cell_gets_a_partner_in_its_row_and_column() -> None:
    table = build([[3, 40, 50], [20, 30, 60], [25, 35, 45]])
    assert table.cells[("r0", "c0")].reason == Reason.SMALL
    row = [table.cells[("r0", c)].suppressed for c in table.columns]
    col = [table.cells[(r, "c0")].suppressed for r in table.rows]
    assert sum(row) >= 2
    assert sum(col) >= 2
    # The smallest other cells were chosen: 40 in the row, 20 in the column.
    assert table.cells[("r0", "c1")].reason == Reason.COMPLEMENTARY
    assert table.cells[("r1", "c0")].reason == Reason.COMPLEMENTARY
    assert table.total.suppressed is False
    assert recoverable(table) == []


def test_small_cell_alone_in_a_row_of_zeros_hides_the_row_total_too() -> None:
    table = build([[4, 0, 0], [20, 30, 60], [25, 35, 45]])
    assert table.cells[("r0", "c0")].suppressed
    assert small_cells_hidden(table)
    assert recoverable(table) == []


def test_small_totals_are_hidden() -> None:
    table = build([[2, 3], [1, 1]])
    assert table.total.suppressed  # 7 people in all
    assert small_cells_hidden(table)
    assert recoverable(table) == []


def test_bridge_between_two_blocks_is_not_left_recoverable() -> None:
    # Two groups of small cells joined through one row: pairs per line are not enough.
    table = build(
        [
            [3, 4, 50, 60, 70],
            [5, 6, 55, 65, 75],
            [80, 3, 2, 90, 95],
            [85, 88, 4, 5, 99],
            [70, 71, 72, 73, 74],
        ]
    )
    assert small_cells_hidden(table)
    assert recoverable(table) == []


@pytest.mark.parametrize("seed", range(40))
def test_random_adversarial_tables(seed: int) -> None:
    rng = random.Random(seed)
    height, width = rng.randint(1, 7), rng.randint(1, 6)
    matrix = [
        [rng.choice([0, 0, 1, 2, 3, 5, 8, 9, 10, 12, 30, 100]) for _ in range(width)]
        for _ in range(height)
    ]
    table = build(matrix)
    assert small_cells_hidden(table), matrix
    assert recoverable(table) == [], matrix
    # Nothing but the values is changed: totals add up.
    if width > 1:
        for r, line in zip(table.rows, matrix, strict=True):
            assert table.row_totals[r].measure.base == sum(line)
    assert sum(c.measure.base for c in table.cells.values()) == sum(map(sum, matrix))


def test_a_total_forced_from_the_parent_stays_hidden_and_is_protected() -> None:
    table = build([[40, 50], [30, 60]], forced={TOTAL: Reason.COMPLEMENTARY.value})
    assert table.total.suppressed
    assert recoverable(table) == []
    # The total could be added up from the row totals unless one of them is hidden too.
    hidden_row_totals = [r for r in table.rows if table.row_totals[r].suppressed]
    hidden_col_totals = [c for c in table.columns if table.column_totals[c].suppressed]
    assert hidden_row_totals
    assert hidden_col_totals


def test_counts_that_are_not_people_are_never_suppressed() -> None:
    table = build([[1, 2], [3, 4]], people=False)
    assert table.suppressed_count == 0


def test_zero_is_shown() -> None:
    table = build([[0, 40], [30, 60]])
    assert table.suppressed_count == 0


def test_one_column_list_with_total() -> None:
    counts = {"a": 3, "b": 40, "c": 50, "d": 0}
    shown = suppress_counts(counts, k=K)
    assert shown["a"] is None
    # One more is hidden, the smallest non-zero (b), so a cannot be total − b − c.
    assert shown == {"a": None, "b": None, "c": 50, "d": 0}


@override_settings(SIHAI_SUPPRESSION_K=4)
def test_k_below_five_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        min_cell()


@override_settings(SIHAI_SUPPRESSION_K=20)
def test_k_is_configurable() -> None:
    assert min_cell() == 20
    assert suppress_counts({"a": 15, "b": 15}) == {"a": None, "b": None}


def test_sensitive_categories_only_for_a_district_or_above() -> None:
    assert sensitive_allowed("5301", 6)
    assert sensitive_allowed("530102", 6)
    assert not sensitive_allowed("5301", 9)
    assert not sensitive_allowed("530102", 9)
    assert not sensitive_allowed("530102001", 9)
