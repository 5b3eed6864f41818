"""Rémunération (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import pytest

from xlsales import udfs
from xlsales.udfs.pay import BONUS, COMMISSION, EMPLOYER_COST

# https://www.commmarketingmuc.com/article-31165536.html — grid as an Excel table, one tier per row
THRESHOLDS = [[0], [5000], [8000], [10000]]
RATES = [["3 %"], ["4 %"], ["6 %"], ["8 %"]]


def test_registered_under_excel_and_lower_case_names():
    for name in ("COMMISSION", "BONUS", "EMPLOYER_COST"):
        assert getattr(udfs, name) is getattr(udfs, name.lower())


def test_commission_worked_example(worked):
    ex = worked("commission_tranches_commmarketingmuc")
    thresholds = [[t[0]] for t in ex["inputs"]["tranches"]]
    rates = [[t[2]] for t in ex["inputs"]["tranches"]]
    assert COMMISSION(ex["inputs"]["CA"], thresholds, rates, None) == pytest.approx(ex["expected"]["commission"])
    assert COMMISSION(ex["inputs"]["CA"], thresholds, rates) == pytest.approx(360)  # default: progressive
    assert COMMISSION(ex["inputs"]["CA"], thresholds, rates, "") == pytest.approx(360)
    assert COMMISSION(ex["inputs"]["CA"], thresholds, rates, "flat") == pytest.approx(570)


def test_commission_grid_as_text_and_row():
    assert COMMISSION("9 500", THRESHOLDS, RATES) == pytest.approx(360)
    assert COMMISSION(9500, [[0, 5000, 8000, 10000]], [[0.03, 0.04, 0.06, 0.08]], "PALIERS") == pytest.approx(570)


def test_commission_over_a_column_of_amounts():
    # a column of salespeople: one call, one commission per row
    result = COMMISSION([[9500], [4000], [None], [12000]], THRESHOLDS, RATES)
    assert result == [[pytest.approx(360)], [pytest.approx(120)], [0.0], [pytest.approx(550)]]
    # http://yallouz.arie.free.fr/premiere_controles/2007-2008_spe1/cont-spe1_2007_2008.php?page=exo3c
    # salary 1 200 € + 4 % up to 5 000 € + 6 % above: 1 360 € and 1 610 €
    commissions = COMMISSION([[4000, 8500]], [[0, 5000]], [[0.04, 0.06]])
    assert [1200 + c for c in commissions[0]] == [pytest.approx(1360), pytest.approx(1610)]


def test_commission_errors():
    assert COMMISSION(9500, [[0], [5000]], [[0.03]]) == "#N/A"  # grid columns of different sizes
    assert COMMISSION(9500, [[5000], [0]], [[0.03], [0.04]]) == "#NUM!"  # not ascending
    assert COMMISSION(9500, THRESHOLDS, RATES, "cumul") == "#VALUE!"
    assert COMMISSION("beaucoup", THRESHOLDS, RATES) == "#VALUE!"


def test_bonus_cells():
    # https://vizasking.com/vizdevoir/2345183 — 0 € below target, 300 € up to +10 %, 600 € beyond;
    # Jérémy (24 500 € for 27 000 €) gets no bonus.
    grid = [[1.0, "110 %"]], [[300, 600]]
    assert BONUS(24500 / 27000, *grid) == 0.0
    assert BONUS([[0.9074], [1.0652], [1.1833]], *grid, None) == [[0.0], [300.0], [600.0]]
    assert BONUS("105 %", *grid, "linear") == pytest.approx(450)
    assert BONUS([[0.5], [1.05], [2]], [[1], [1.1]], [[300], [600]], "linear") == [
        [0.0],
        [pytest.approx(450)],
        [600.0],
    ]
    assert BONUS(1, [[1, 1.1]], [[300]]) == "#N/A"
    assert BONUS(1, *grid, "progressif") == "#VALUE!"


def test_employer_cost_cells():
    assert EMPLOYER_COST(2000) == pytest.approx(2840)
    assert EMPLOYER_COST(2000, None) == pytest.approx(2840)
    assert EMPLOYER_COST(2000, [[None]]) == pytest.approx(2840)
    assert EMPLOYER_COST("2 000,00", "45 %") == pytest.approx(2900)
    assert EMPLOYER_COST([[1800], [-1], [2500]], None) == [[pytest.approx(2556)], ["#NUM!"], [pytest.approx(3550)]]
