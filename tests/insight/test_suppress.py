"""Small cells: counts of 1-4 are hidden, and no hidden count can be recovered from the totals shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.insight.suppress import PRIMARY, SECONDARY, count_table, linked_tables, percent, recoverable


def test_counts_below_five_are_shown_as_less_than_five():
    t = count_table(["BB", "KB"], ["in", "uit"], [[3, 40], [20, 30]], threshold=5)
    assert t.cells[0][0].text == "<5" and t.cells[0][0].value is None and t.cells[0][0].hidden == PRIMARY
    assert t.cells[1][1].text == "30" or t.cells[1][1].hidden == SECONDARY


def test_a_hidden_cell_cannot_be_recovered_by_subtracting_from_the_total():
    # One small cell in a row with its total: without a second hidden cell, 43 - 40 = 3 gives it away.
    t = count_table(["KB"], ["geslaagd", "afgewezen", "nog niet compleet"], [[40, 3, 0]], threshold=5)
    shown = {col: t.cells[0][j] for j, col in enumerate(t.cols)}
    assert shown["afgewezen"].text == "<5"
    hidden = [c for c in shown.values() if c.hidden]
    assert len(hidden) >= 2, "a second cell must be hidden too"
    total = t.row_totals[0]
    # what a reader can compute: total minus the visible cells
    visible_sum = sum(c.value for c in shown.values() if c.shown)
    assert total.value - visible_sum != 3 or len(hidden) > 1
    assert recoverable(t) == []


def test_two_dimensional_margins_are_protected_too():
    values = [[50, 2, 30], [40, 60, 70], [10, 20, 1]]
    t = count_table(["a", "b", "c"], ["x", "y", "z"], values, threshold=5)
    assert recoverable(t) == []
    assert t.cells[0][1].text == "<5" and t.cells[2][2].text == "<5"


def test_zero_is_shown_and_rates_need_a_large_enough_group():
    t = count_table(["a", "b"], ["in", "uit"], [[0, 12], [20, 30]], threshold=5)
    assert t.cells[0][0].text == "0"
    assert percent(t.cells[0][1], t.row_totals[0]).text == "100%"
    small = count_table(["a"], ["in", "uit"], [[2, 2]], threshold=5)
    assert percent(small.cells[0][0], small.row_totals[0]).text == "–"


def test_unprotected_tables_show_everything():
    t = count_table(["2026"], ["breed", "smal"], [[1, 2]], protected=False)
    assert [c.text for c in t.cells[0]] == ["1", "2"]


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda r: st.integers(1, 5).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 30), min_size=c, max_size=c), min_size=r, max_size=r))))
def test_no_table_ever_leaves_a_single_hidden_cell_in_a_line(values):
    t = count_table([f"r{i}" for i in range(len(values))], [f"c{j}" for j in range(len(values[0]))], values,
                    threshold=5)
    assert recoverable(t) == []
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            cell = t.cells[i][j]
            if 0 < v < 5:
                assert cell.value is None and cell.text == "<5"
            elif cell.shown:
                assert cell.value == v
    for cell in [*t.row_totals, *t.col_totals, t.total]:
        assert cell.value is None or cell.value == 0 or cell.value >= 5


def test_a_total_shared_by_two_tables_is_hidden_in_both():
    # columns of the first table are the rows of the second (as in the route flow): a column total hidden in
    # the first as a complementary cell must not be shown as a row total of the second
    first = {"rows": ["a", "b"], "cols": ["x", "y", "z"], "values": [[50, 3, 40], [60, 70, 2]]}
    second = {"rows": ["x", "y", "z"], "cols": ["p", "q"], "values": [[100, 10], [40, 33], [22, 20]]}
    alone = count_table(**first)
    assert any(c.hidden for c in alone.col_totals) or any(c.hidden for row in alone.cells for c in row)
    t1, t2 = linked_tables([first, second], [((0, 2, j), (1, j, 2)) for j in range(3)])
    for j in range(3):
        assert bool(t1.col_totals[j].hidden) == bool(t2.row_totals[j].hidden)
    assert recoverable(t1) == [] and recoverable(t2) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 25), min_size=3, max_size=3), min_size=2, max_size=4),
       st.lists(st.integers(0, 25), min_size=3, max_size=3))
def test_linked_tables_never_show_in_one_what_the_other_hides(first_values, split):
    totals = [sum(row[j] for row in first_values) for j in range(3)]
    second_values = [[min(s, t), t - min(s, t)] for s, t in zip(split, totals, strict=True)]
    t1, t2 = linked_tables([{"rows": [f"r{i}" for i in range(len(first_values))], "cols": ["x", "y", "z"],
                             "values": first_values},
                            {"rows": ["x", "y", "z"], "cols": ["p", "q"], "values": second_values}],
                           [((0, len(first_values), j), (1, j, 2)) for j in range(3)])
    for j in range(3):
        assert bool(t1.col_totals[j].hidden) == bool(t2.row_totals[j].hidden)
    assert recoverable(t1) == [] and recoverable(t2) == []
