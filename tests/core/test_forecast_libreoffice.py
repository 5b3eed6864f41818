"""The least-squares trend against LibreOffice's native functions (an independent engine).

One workbook holds several data sets (rows of y, rows of x) and, for each, FORECAST.LINEAR,
FORECAST, TREND, SLOPE, INTERCEPT and CORREL; it is recalculated in a single LibreOffice call.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import requires_libreoffice
from xlsales.core.forecast import linear_trend, trend_forecast
from xlsales.recalc import recalculated_workbook

DATASETS = [
    # (y, x or None, new x)
    ([842, 1095, 922, 1154, 1058, 1298], None, 7),  # Correction GB TSGE, exercice 1
    ([600, 605, 610, 625, 630], None, 6),  # « Prévisions des ventes », M. Boutin
    ([340, 360, 400, 420, 460, 480, 500, 500, 560, 580], None, 11),  # Cas Malin
    ([48, 41, 60, 65, 58, 52, 68, 74, 60, 56, 75, 78], None, 14),  # La série chronologique
    ([3.2, 1.1, 4.8, 2.2, 9.9, 0.5, 7.7], [2.5, 1.0, 3.0, 7.0, 11.0, 4.0, 8.5], 5.25),
    ([1e6 + 3, 1e6 + 1, 1e6 + 7, 1e6 + 2], [2020, 2021, 2022, 2023], 2024),
    ([-5.5, 0.25, 5, -2, 8, 1, 12, 3, 15, 4.75, 22, 6], [0.1 * k * k for k in range(12)], -3),
]

FORMULAS = {
    "forecast_linear": "_xlfn.FORECAST.LINEAR({new},{y},{x})",
    "forecast": "FORECAST({new},{y},{x})",
    "trend": "TREND({y},{x},{new})",
    "slope": "SLOPE({y},{x})",
    "intercept": "INTERCEPT({y},{x})",
    "correl": "CORREL({y},{x})",
}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forecast_lo")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    cells = []
    for k, (y, x, new) in enumerate(DATASETS):
        xs = list(range(1, len(y) + 1)) if x is None else x
        y_row, x_row, new_row, out_row = 4 * k + 1, 4 * k + 2, 4 * k + 3, 4 * k + 4
        for j, (yy, xx) in enumerate(zip(y, xs), start=1):
            sheet.cell(y_row, j, yy)
            sheet.cell(x_row, j, xx)
        sheet.cell(new_row, 1, new)
        last = get_column_letter(len(y))
        refs = {"y": f"$A${y_row}:${last}${y_row}", "x": f"$A${x_row}:${last}${x_row}", "new": f"$A${new_row}"}
        positions = {}
        for j, (name, formula) in enumerate(FORMULAS.items(), start=1):
            sheet.cell(out_row, j, "=" + formula.format(**refs))
            positions[name] = (out_row, j)
        cells.append(positions)
    path = folder / "forecast_reference.xlsx"
    book.save(path)
    values = recalculated_workbook(path, folder / "out")["Data"]
    return [{name: values.cell(*rc).value for name, rc in positions.items()} for positions in cells]


@requires_libreoffice
@pytest.mark.parametrize("k", range(len(DATASETS)))
def test_least_squares_matches_libreoffice(recalculated, k):
    y, x, new = DATASETS[k]
    got = recalculated[k]
    for name, value in got.items():
        assert isinstance(value, (int, float)), f"{name}: LibreOffice gave {value!r}"
    a, b, r = linear_trend(y, x)
    forecast = trend_forecast(new, y, x)
    assert a == pytest.approx(got["slope"], rel=1e-9)
    assert b == pytest.approx(got["intercept"], rel=1e-9)
    assert r == pytest.approx(got["correl"], rel=1e-9)
    for name in ("forecast_linear", "forecast", "trend"):
        assert forecast == pytest.approx(got[name], rel=1e-9), name
    assert np.isfinite(forecast)
