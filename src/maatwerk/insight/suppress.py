"""Small-cell suppression: no count of fewer than 5 students leaves a dashboard, and none can be worked
out again from the totals on the same page.

A count table is a grid of rows x columns with its row totals, column totals and grand total. The totals
are treated as published even where a page does not print them (another table on the page may). Then:

1. **primary suppression**: every count from 1 to MIN_CELL - 1 (default 4) is shown as ``<5``;
2. **secondary (complementary) suppression**: every line (a row with its total, a column with its total)
   that has exactly one hidden cell gets a second one, the smallest other cell of that line (inner cells
   before totals), shown as ``•``; repeated until no line has a single hidden cell. One hidden cell in a
   line can be recovered by subtracting the others from the total; two or more cannot.

Zero is shown as 0 (an empty cell discloses nobody), unless it is hidden as a complementary cell. Rates and
means are derived only from cells that are shown, over groups of at least MIN_CELL students.

The threshold is ``settings.MAATWERK["INSIGHT_MIN_CELL"]`` (default 5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PRIMARY = "primary"
SECONDARY = "secondary"
DEFAULT_MIN_CELL = 5
SECONDARY_MARK = "•"


def min_cell() -> int:
    from django.conf import settings

    return int(getattr(settings, "MAATWERK", {}).get("INSIGHT_MIN_CELL", DEFAULT_MIN_CELL))


@dataclass(frozen=True)
class Cell:
    """A number as it may be shown: `value` is None when it is hidden (then `text` says why)."""

    value: float | int | None
    text: str
    hidden: str | None = None  # PRIMARY, SECONDARY or None

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @property
    def chart_value(self) -> float:
        """What a chart may draw: a hidden cell is drawn as nothing."""
        return 0 if self.value is None else self.value


def number_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def shown(value) -> Cell:
    """A number that needs no protection (counts of modules or packages, means over large groups)."""
    return Cell(value, number_text(value))


def percent(part: Cell, whole: Cell, threshold: int | None = None) -> Cell:
    """part/whole as a percentage, only when both are shown and the whole is at least the threshold."""
    threshold = min_cell() if threshold is None else threshold
    if not (part.shown and whole.shown) or not whole.value or whole.value < threshold:
        return Cell(None, "–")
    pct = round(100 * part.value / whole.value)
    return Cell(pct, f"{pct}%")


def mean(total: float, n: Cell, threshold: int | None = None) -> Cell:
    """total/n with one decimal, only over a shown group of at least the threshold."""
    threshold = min_cell() if threshold is None else threshold
    if not n.shown or not n.value or n.value < threshold:
        return Cell(None, "–")
    value = round(total / n.value, 1)
    return Cell(value, number_text(value))


def _hide_mark(kind: str, threshold: int) -> str:
    return f"<{threshold}" if kind == PRIMARY else SECONDARY_MARK


@dataclass
class CountTable:
    """Counts of students by row and column, protected against small cells (see the module docstring)."""

    rows: list[str]
    cols: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]
    total: Cell
    threshold: int = DEFAULT_MIN_CELL
    protected: bool = True
    extra_cols: list[str] = field(default_factory=list)
    extra: list[list[Cell]] = field(default_factory=list)

    @property
    def hidden_any(self) -> bool:
        return any(c.hidden for row in self.cells for c in row) or any(c.hidden for c in self.row_totals)

    @property
    def lines(self) -> list[dict]:
        """Rows for a template: label, cells, total and derived cells."""
        return [{"label": r, "cells": self.cells[i], "total": self.row_totals[i],
                 "extra": self.extra[i] if self.extra else []} for i, r in enumerate(self.rows)]

    def column(self, j: int) -> list[Cell]:
        return [row[j] for row in self.cells]

    def value(self, row: str, col: str) -> Cell:
        return self.cells[self.rows.index(row)][self.cols.index(col)]

    def add_column(self, label: str, cells: Sequence[Cell]) -> None:
        """A derived column (a rate or a mean), shown after the totals."""
        self.extra_cols.append(label)
        if not self.extra:
            self.extra = [[] for _ in self.rows]
        for row, cell in zip(self.extra, cells, strict=True):
            row.append(cell)


def protect(values: Sequence[Sequence[int]], threshold: int | None = None,
            force: Sequence[tuple[int, int]] = ()) -> tuple[list[list[str | None]], int]:
    """The hiding pattern of a count grid with its margins; `force` lists cells (i, j of the grid with its
    margins) that must be hidden as well, e.g. a total whose difference with another page's total is small.

    Returns (pattern, threshold): pattern[i][j] is PRIMARY, SECONDARY or None for i in 0..R (R = the
    column totals row) and j in 0..C (C = the row totals column)."""
    threshold = min_cell() if threshold is None else threshold
    n_rows = len(values)
    n_cols = len(values[0]) if n_rows else 0
    grid = [list(row) + [sum(row)] for row in values]
    grid.append([sum(grid[i][j] for i in range(n_rows)) for j in range(n_cols + 1)])
    pattern: list[list[str | None]] = [[PRIMARY if 0 < v < threshold else None for v in row] for row in grid]
    for i, j in force:
        pattern[i][j] = pattern[i][j] or SECONDARY
    # A line is a set of cells that add up to its last cell (a total). With one column the row "totals" repeat
    # the cells and with one row the column totals do: such lines add nothing and are left out.
    lines: list[list[tuple[int, int]]] = []
    if n_cols > 1:
        lines += [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    if n_rows > 1:
        lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    if n_cols <= 1:  # the grid's total column is then a copy of the only column: keep the two in step
        for i in range(n_rows + 1):
            if pattern[i][0] or pattern[i][n_cols]:
                pattern[i][0] = pattern[i][0] or pattern[i][n_cols]
                pattern[i][n_cols] = pattern[i][0]
    if n_rows <= 1:
        for j in range(n_cols + 1):
            if pattern[0][j] or pattern[n_rows][j]:
                pattern[0][j] = pattern[0][j] or pattern[n_rows][j]
                pattern[n_rows][j] = pattern[0][j]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [c for c in line if pattern[c[0]][c[1]]]
            if len(hidden) != 1:
                continue
            candidates = [c for c in line if not pattern[c[0]][c[1]]]
            if not candidates:
                continue
            # the smallest other cell; inner cells before totals (hiding a total hides more than needed)
            i, j = min(candidates, key=lambda c: (c[0] == n_rows or c[1] == n_cols, grid[c[0]][c[1]], c))
            pattern[i][j] = SECONDARY
            if n_cols <= 1 and j in (0, n_cols):
                pattern[i][0] = pattern[i][n_cols] = pattern[i][0] or SECONDARY
            if n_rows <= 1 and i in (0, n_rows):
                pattern[0][j] = pattern[n_rows][j] = pattern[0][j] or SECONDARY
            changed = True
    return pattern, threshold


def count_table(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[int]], *,
                protected: bool = True, threshold: int | None = None,
                force: Sequence[tuple[int, int]] = ()) -> CountTable:
    """A CountTable of `values` (rows x cols), suppressed unless `protected` is False (counts of modules,
    packages or reviews are about no student)."""
    values = [[int(v) for v in row] for row in values]
    n_rows, n_cols = len(rows), len(cols)
    if n_rows == 0 or n_cols == 0:
        empty = Cell(0, "0")
        return CountTable(list(rows), list(cols), [[] for _ in rows], [empty] * n_rows, [empty] * n_cols, empty,
                          threshold or min_cell(), protected)
    if protected:
        pattern, threshold = protect(values, threshold, force)
    else:
        threshold = threshold or min_cell()
        pattern = [[None] * (n_cols + 1) for _ in range(n_rows + 1)]
    grid = [list(row) + [sum(row)] for row in values]
    grid.append([sum(grid[i][j] for i in range(n_rows)) for j in range(n_cols + 1)])

    def cell(i: int, j: int) -> Cell:
        kind = pattern[i][j]
        if kind:
            return Cell(None, _hide_mark(kind, threshold), kind)
        return Cell(grid[i][j], number_text(grid[i][j]))

    return CountTable(
        rows=list(rows), cols=list(cols),
        cells=[[cell(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[cell(i, n_cols) for i in range(n_rows)],
        col_totals=[cell(n_rows, j) for j in range(n_cols)],
        total=cell(n_rows, n_cols), threshold=threshold, protected=protected,
    )


def recoverable(table: CountTable) -> list[tuple[str, str]]:
    """The hidden cells that one subtraction from a shown total would give back (must be empty): a line
    with its total shown and exactly one hidden cell. Used by the tests; cheap enough to assert anywhere."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    grid = [row + [total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append(table.col_totals + [table.total])
    lines = []
    if n_cols > 1:
        lines += [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    if n_rows > 1:
        lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    found = []
    for line in lines:
        hidden = [c for c in line if grid[c[0]][c[1]].hidden]
        if len(hidden) == 1:
            i, j = hidden[0]
            found.append((table.rows[i] if i < n_rows else "totaal", table.cols[j] if j < n_cols else "totaal"))
    return found


def _hidden_at(table: CountTable, i: int, j: int) -> bool:
    n_rows, n_cols = len(table.rows), len(table.cols)
    if i < n_rows and j < n_cols:
        return table.cells[i][j].hidden is not None
    if i < n_rows:
        return table.row_totals[i].hidden is not None
    if j < n_cols:
        return table.col_totals[j].hidden is not None
    return table.total.hidden is not None


def linked_tables(specs: Sequence[dict], links: Sequence[tuple[tuple[int, int, int], tuple[int, int, int]]]
                  ) -> list[CountTable]:
    """Count tables on one page that share numbers, protected together.

    `specs` are count_table keyword arguments (rows, cols, values); `links` pairs (table, i, j) positions of the
    grids with margins (i = len(rows): the column totals; j = len(cols): the row totals) that hold the same
    count, e.g. the column totals of one table that are the row totals of the next. A number hidden in one
    table is hidden in the other too (and the other table protected again), until nothing changes: otherwise a
    total hidden here but shown there gives back the cells this table hid."""
    forces: list[set[tuple[int, int]]] = [set() for _ in specs]
    while True:
        tables = [count_table(**spec, force=sorted(forces[k])) for k, spec in enumerate(specs)]
        changed = False
        for (a, ia, ja), (b, ib, jb) in links:
            hidden_a, hidden_b = _hidden_at(tables[a], ia, ja), _hidden_at(tables[b], ib, jb)
            if hidden_a and not hidden_b:
                forces[b].add((ib, jb))
                changed = True
            elif hidden_b and not hidden_a:
                forces[a].add((ia, ja))
                changed = True
        if not changed:
            return tables
