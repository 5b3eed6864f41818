"""Stocks et budgets (Excel functions): what a cell shows for the shapes Excel sends."""

from __future__ import annotations

import pytest

from xlsales import udfs
from xlsales.udfs.stock import EOQ, REORDER_POINT, SAFETY_STOCK, SALES_BUDGET


def test_registered_under_excel_and_lower_case_names():
    for name in ("EOQ", "SAFETY_STOCK", "REORDER_POINT", "SALES_BUDGET"):
        assert getattr(udfs, name) is getattr(udfs, name.lower())


def test_eoq_cells(worked):
    # https://fr.scribd.com/document/643396404/EXO-STOCK-docx
    ex = worked("wilson_exo_stock")
    i = ex["inputs"]
    assert EOQ(i["D_annuelle"], i["cout_passation"], i["prix_unitaire"], i["taux_possession"]) == pytest.approx(
        ex["expected"]["Q_eco"]
    )
    assert EOQ("2 400", "120 €", "20", "8 %") == pytest.approx(600)
    assert EOQ([[2400], [2400], [9600]], 120, 20, [[0.08], [0], [0.08]]) == [
        [pytest.approx(600)],
        ["#DIV/0!"],
        [pytest.approx(1200)],
    ]
    assert EOQ(-1, 120, 20, 0.08) == "#NUM!"
    assert EOQ("beaucoup", 120, 20, 0.08) == "#VALUE!"


def test_safety_stock_and_reorder_point_cells():
    # https://lecoursgratuit.com/serie-dexercices-corriges-stock-de-securite (110 and 380 units)
    assert SAFETY_STOCK(60, 6, 50, 5) == pytest.approx(110)
    assert SAFETY_STOCK([[60], [120], [40]], [[6], [9], [6]], [[50], [100], [50]], [[5], [7], [5]]) == [
        [pytest.approx(110)],
        [pytest.approx(380)],
        ["#NUM!"],
    ]
    # https://lecoursgratuit.com/exercices-corriges-sur-la-gestion-des-stocks/amp (1 200 and 560 units)
    assert REORDER_POINT(150, 6, 300) == pytest.approx(1200)
    assert REORDER_POINT(80, 7) == pytest.approx(560)
    assert REORDER_POINT(80, 7, None) == pytest.approx(560)  # empty optional: no safety stock
    assert REORDER_POINT(80, 7, [[None]]) == pytest.approx(560)
    assert REORDER_POINT("150", "6", "300") == pytest.approx(1200)
    assert REORDER_POINT(80, 7, -1) == "#NUM!"


def test_sales_budget_keeps_the_orientation_of_the_coefficients():
    row = SALES_BUDGET(1000, [[0.8, 1.2, 1.4, 0.6]])
    assert len(row) == 1 and row[0] == [pytest.approx(v) for v in (200, 300, 350, 150)]
    column = SALES_BUDGET(1000, [[0.8], [1.2], [1.4], [0.6]])
    assert column == [[pytest.approx(v)] for v in (200, 300, 350, 150)]
    block = SALES_BUDGET(1000, [[0.8, 1.2], [1.4, 0.6]])
    assert block == [[pytest.approx(200), pytest.approx(300)], [pytest.approx(350), pytest.approx(150)]]
    # trailing empty cells are dropped, orientation kept
    assert SALES_BUDGET(1000, [[0.8], [1.2], [1.4], [0.6], [None]]) == column
    assert SALES_BUDGET(1000, [[0.8, 1.2, 1.4, 0.6, None]]) == row


def test_sales_budget_text_and_errors():
    assert SALES_BUDGET("12 000", [["25 %", "25 %", "30 %", "20 %"]]) == [[3000.0, 3000.0, pytest.approx(3600.0), 2400.0]]
    assert SALES_BUDGET(1000, [[1, -1]]) == "#NUM!"
    assert SALES_BUDGET(1000, [[0, 0]]) == "#DIV/0!"
    assert SALES_BUDGET(None, [[1, 1]]) == "#VALUE!"
    assert SALES_BUDGET([[1000, 2000]], [[1, 1]]) == "#VALUE!"
    assert SALES_BUDGET(1000, [[1, None, 1]]) == "#VALUE!"  # a hole inside the coefficients
    assert SALES_BUDGET(1000, 1) == 1000.0  # one coefficient: the whole year
