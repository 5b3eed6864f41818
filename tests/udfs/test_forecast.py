"""The forecasting Excel functions, called with what Excel sends (ndim=2 lists of rows, None for
empty cells, French text numbers) and checked for values, spill shapes and error strings."""

from __future__ import annotations

import numpy as np
import pytest

import xlsales.udfs as udfs
from conftest import tolerance
from xlsales.udfs.forecast import (
    DESEASONALIZE,
    ETS_FORECAST,
    LINEAR_TREND,
    MOVING_AVERAGE,
    SEASONAL_COEFFICIENTS,
    SEASONAL_FORECAST,
    TREND_FORECAST,
)

# Aunege, quarterly oyster sales 2010-2013
# http://ressources.aunege.fr/nuxeo/site/esupversions/03b74816-96f1-45f6-a9fc-06796564c061/co/grain_3.html
OYSTERS = [52, 36, 69, 89, 65, 45, 86, 111, 81, 56, 108, 139, 102, 70, 135, 174]
# « La série chronologique » https://fr.scribd.com/document/656483092/baoudene-yasmine-dld
QUARTERS = [48, 41, 60, 65, 58, 52, 68, 74, 60, 56, 75, 78]


def column(values):
    return [[v] for v in values]


def row(values):
    return [list(values)]


def table(values, width):
    return [list(values[i:i + width]) for i in range(0, len(values), width)]


def test_registered_under_excel_names():
    for name in ("LINEAR_TREND", "TREND_FORECAST", "MOVING_AVERAGE", "SEASONAL_COEFFICIENTS",
                 "DESEASONALIZE", "SEASONAL_FORECAST", "ETS_FORECAST"):
        assert getattr(udfs, name) is getattr(udfs, name.lower())
    assert udfs.LINEAR_TREND is LINEAR_TREND


# ---------------------------------------------------------------------------------------------
# LINEAR_TREND / TREND_FORECAST
# ---------------------------------------------------------------------------------------------


def test_linear_trend_spills_one_row(worked):
    # https://fr.scribd.com/document/636115310/Correction-GB-TSGE-S-N-1-Exercice1
    ex = worked("mco_tsge_ex1")
    y = ex["inputs"]["y"]
    result = LINEAR_TREND(column(y))
    assert len(result) == 1 and len(result[0]) == 3
    a, b, r = result[0]
    assert a == pytest.approx(ex["expected"]["a"], abs=tolerance(ex, "a"))
    assert b == pytest.approx(ex["expected"]["b"], abs=tolerance(ex, "b"))
    assert r == pytest.approx(0.786, abs=5e-4)
    # same from a row, with x given, and with French text numbers and trailing empty cells
    assert LINEAR_TREND(row(y), row(ex["inputs"]["x"])) == result
    french = [["842"], ["1 095"], ["922"], ["1\u00a0154"], ["1058,0"], [1298], [None], [""]]
    assert LINEAR_TREND(french, None, None) == result


def test_linear_trend_methods(worked):
    # https://fr.scribd.com/document/369107768/Previsions-Des-Ventes
    ex = worked("pe_mayer_mco_boutin")
    y = column(ex["inputs"]["y_kEUR"])
    assert LINEAR_TREND(y, None, "extreme_points")[0][:2] == pytest.approx([7.5, 592.5])
    assert LINEAR_TREND(y, None, "Mayer")[0][:2] == pytest.approx([9.0, 587.0])
    assert LINEAR_TREND(y, None, "points extrêmes")[0][:2] == pytest.approx([7.5, 592.5])
    assert LINEAR_TREND(y, [[None]], [[None]])[0][:2] == pytest.approx([8.0, 590.0])


def test_linear_trend_errors():
    assert LINEAR_TREND([[5], [5], [5]])[0] == [0.0, 5.0, "#DIV/0!"]  # r undefined, like CORREL
    assert LINEAR_TREND([[1], [2], [3]], [[1], [2]]) == "#N/A"
    assert LINEAR_TREND([[1], [2], [3]], [[4], [4], [4]]) == "#DIV/0!"
    assert LINEAR_TREND([[1], [2], [3]], None, "quadratic") == "#VALUE!"
    assert LINEAR_TREND([[1], ["abc"], [3]]) == "#VALUE!"
    assert LINEAR_TREND([[1], [None], [3]]) == "#VALUE!"  # a hole inside the data
    assert LINEAR_TREND([[7]]) == "#N/A"
    assert LINEAR_TREND(None) == "#N/A"


def test_trend_forecast_shapes():
    # Correction GB TSGE: 2017 (x = 7) → 1 301.6, 2018 (x = 8) → 1 370.2
    y = column([842, 1095, 922, 1154, 1058, 1298])
    assert TREND_FORECAST(7, y) == pytest.approx(1301.6, abs=0.05)
    assert TREND_FORECAST([[7]], y) == pytest.approx(1301.6, abs=0.05)
    assert TREND_FORECAST("7", y) == pytest.approx(1301.6, abs=0.05)
    spilled = TREND_FORECAST([[7], [8]], y)
    assert len(spilled) == 2 and all(len(r) == 1 for r in spilled)
    assert [r[0] for r in spilled] == pytest.approx([1301.6, 1370.2], abs=0.05)
    spilled = TREND_FORECAST([[7, 8]], y)
    assert len(spilled) == 1 and spilled[0] == pytest.approx([1301.6, 1370.2], abs=0.05)
    block = TREND_FORECAST([[7, 8], [9, 10]], y)
    assert np.shape(block) == (2, 2)
    assert TREND_FORECAST(6, column([1800, 2000, 2320, 2800]), None, "mayer") == pytest.approx(1405 + 330 * 6)
    assert TREND_FORECAST("sept", y) == "#VALUE!"
    assert TREND_FORECAST(7, [[1], [2], [3]], [[1], [1], [1]]) == "#DIV/0!"


# ---------------------------------------------------------------------------------------------
# MOVING_AVERAGE / DESEASONALIZE: the shape of the input
# ---------------------------------------------------------------------------------------------


def test_moving_average_column_row_and_table(worked):
    ex = worked("coef_saisonniers_mmc_huitres_aunege")
    y = ex["inputs"]["y_trimestriel"]
    expected = ex["expected"]["MMC_t3_t14"]
    out = MOVING_AVERAGE(column(y) + [[None], [None]], 4)  # a selection longer than the data
    assert len(out) == 18 and all(len(r) == 1 for r in out)
    flat = [r[0] for r in out]
    assert flat[:2] == ["", ""] and flat[14:] == ["", "", "", ""]
    assert flat[2:14] == pytest.approx(expected, abs=1e-9)
    out = MOVING_AVERAGE(row(y), "4")
    assert len(out) == 1 and out[0][2:14] == pytest.approx(expected, abs=1e-9)
    out = MOVING_AVERAGE(table(y, 4), 4)  # one row per year, one column per quarter
    assert np.shape(out) == (4, 4)
    assert out[0][:2] == ["", ""] and out[3][2:] == ["", ""]
    assert out[0][2:] + out[1] + out[2] + out[3][:2] == pytest.approx(expected, abs=1e-9)


def test_moving_average_errors():
    assert MOVING_AVERAGE(column(OYSTERS), 1) == "#NUM!"
    assert MOVING_AVERAGE(column(OYSTERS), 2.5) == "#NUM!"
    assert MOVING_AVERAGE(column(OYSTERS), None) == "#VALUE!"
    assert MOVING_AVERAGE(column(OYSTERS), "quatre") == "#VALUE!"
    assert MOVING_AVERAGE(column(OYSTERS[:4]), 4) == "#N/A"


def test_deseasonalize_has_the_shape_of_the_input():
    coefficients = SEASONAL_COEFFICIENTS(row(OYSTERS), 4)[0]
    expected = (np.array(OYSTERS) / np.tile(coefficients, 4)).tolist()  # y / S' of its quarter
    out = DESEASONALIZE(column(OYSTERS), 4)
    assert len(out) == 16 and [r[0] for r in out] == pytest.approx(expected, rel=1e-12)
    out = DESEASONALIZE(table(OYSTERS, 4), 4, "moyennes mobiles", "multiplicatif")
    assert np.shape(out) == (4, 4)
    assert sum(out, []) == pytest.approx(expected, rel=1e-12)
    # Aunege: CVS 2010 Q1 = 52 / 0.943
    assert out[0][0] == pytest.approx(52 / 0.943, rel=2e-3)
    out = DESEASONALIZE(column(QUARTERS), 4, "ratio_to_trend", "additive")
    assert len(out) == 12


# ---------------------------------------------------------------------------------------------
# SEASONAL_COEFFICIENTS / SEASONAL_FORECAST / ETS_FORECAST: the orientation of known_y
# ---------------------------------------------------------------------------------------------


def test_seasonal_coefficients_orientation(worked):
    ex = worked("coef_saisonniers_mmc_huitres_aunege")
    expected = ex["expected"]["S_centres"]
    tol = tolerance(ex, "S_centres")
    out = SEASONAL_COEFFICIENTS(column(OYSTERS), 4)
    assert np.shape(out) == (4, 1) and [r[0] for r in out] == pytest.approx(expected, abs=tol)
    out = SEASONAL_COEFFICIENTS(row(OYSTERS), 4)
    assert np.shape(out) == (1, 4) and out[0] == pytest.approx(expected, abs=tol)
    out = SEASONAL_COEFFICIENTS(table(OYSTERS, 4), "4")  # years × quarters: a row under the table
    assert np.shape(out) == (1, 4) and out[0] == pytest.approx(expected, abs=tol)
    out = SEASONAL_COEFFICIENTS(table(OYSTERS, 8), 4)  # 8 columns, period 4: a column
    assert np.shape(out) == (4, 1)


def test_seasonal_coefficients_ratio_to_trend(worked):
    ex = worked("rapport_au_trend_baoudene")
    out = SEASONAL_COEFFICIENTS(column(ex["inputs"]["y"]), 4, "ratio_to_trend", None)
    assert [r[0] for r in out] == pytest.approx(ex["expected"]["S_normalises"], abs=tolerance(ex, "S_normalises"))
    additive = SEASONAL_COEFFICIENTS(column(ex["inputs"]["y"]), 4, "rapport à la tendance", "additif")
    assert sum(r[0] for r in additive) == pytest.approx(0.0, abs=1e-9)


def test_seasonal_forecast(worked):
    ex = worked("rapport_au_trend_baoudene")
    y = ex["inputs"]["y"]
    out = SEASONAL_FORECAST(column(y), 4)  # horizon = period by default
    assert np.shape(out) == (4, 1)
    assert out[1][0] == pytest.approx(ex["expected"]["prevision_t14"], abs=tolerance(ex, "prevision_t14"))
    out = SEASONAL_FORECAST(row(y), 4, 6)
    assert np.shape(out) == (1, 6)
    assert out[0][1] == pytest.approx(ex["expected"]["prevision_t14"], abs=tolerance(ex, "prevision_t14"))
    assert SEASONAL_FORECAST(table(y, 4), 4, None)[0][1] == pytest.approx(out[0][1], rel=1e-12)
    assert SEASONAL_FORECAST(column(y), 4, [[None]], "ratio_to_trend", "multiplicative")[1][0] == out[0][1]
    single = SEASONAL_FORECAST(column(y), 4, 2)
    assert single[1][0] == pytest.approx(out[0][1], rel=1e-12)
    assert SEASONAL_FORECAST(column(y), 4, 1) == pytest.approx(out[0][0], rel=1e-12)  # one cell
    assert np.shape(SEASONAL_FORECAST(column(y), 4, 8, "moving_average", "additive")) == (8, 1)


def test_seasonal_errors():
    y = column(QUARTERS)
    assert SEASONAL_FORECAST(y, 4.5) == "#NUM!"
    assert SEASONAL_FORECAST(y, 1) == "#NUM!"
    assert SEASONAL_FORECAST(y, "abc") == "#VALUE!"
    assert SEASONAL_FORECAST(y, None) == "#VALUE!"
    assert SEASONAL_FORECAST(y, [[4], [4]]) == "#VALUE!"
    assert SEASONAL_FORECAST(y, 4, 0) == "#NUM!"
    assert SEASONAL_FORECAST(y, 4, None, "regression") == "#VALUE!"
    assert SEASONAL_FORECAST(y, 4, None, None, "logistic") == "#VALUE!"
    assert SEASONAL_COEFFICIENTS(column(QUARTERS[:7]), 4) == "#N/A"
    assert SEASONAL_COEFFICIENTS(column([-1] + QUARTERS[1:]), 4) == "#NUM!"
    assert DESEASONALIZE(column(QUARTERS[:3]), 4, "average") == "#N/A"


def test_ets_forecast():
    t = np.arange(24)
    y = (500 + 4 * t + np.tile([-30.0, 10.0, 40.0, -20.0], 6)).tolist()
    out = ETS_FORECAST(column(y), 4)
    assert np.shape(out) == (4, 1)
    future = 500 + 4 * np.arange(24, 28) + np.array([-30.0, 10.0, 40.0, -20.0])
    assert [r[0] for r in out] == pytest.approx(future.tolist(), rel=0.01)
    out = ETS_FORECAST(row(y), "4", 6)
    assert np.shape(out) == (1, 6)
    assert ETS_FORECAST(column(y[:7]), 4) == "#N/A"  # fewer than 2 full seasons
    assert ETS_FORECAST(column(y), 0) == "#NUM!"


def test_season_without_sales():
    # a shop closed every third quarter: coefficient 0 (average method), CVS undefined there,
    # forecast 0 for that quarter; the trend is fitted on the other quarters' CVS
    y = [10, 20, 0, 30, 11, 22, 0, 33, 12, 24, 0, 36]
    coefficients = SEASONAL_COEFFICIENTS(row(y), 4, "average")[0]
    # season means 11, 22, 0, 33 over their mean 16.5
    assert coefficients == pytest.approx([11 / 16.5, 22 / 16.5, 0.0, 33 / 16.5], rel=1e-12)
    cvs = DESEASONALIZE(row(y), 4, "average")[0]
    assert cvs[2] == cvs[6] == cvs[10] == "#DIV/0!"
    assert cvs[:2] == pytest.approx([15.0, 15.0], rel=1e-12)
    forecast = SEASONAL_FORECAST(row(y), 4, None, "average")[0]
    assert forecast[2] == 0.0
    # CVS = 15, 15, 15 (year 1), 16.5 ×3, 18 ×3 at t = 1, 2, 4, 5, 6, 8, 9, 10, 12
    t = np.array([1, 2, 4, 5, 6, 8, 9, 10, 12])
    slope, intercept = np.polyfit(t, [15, 15, 15, 16.5, 16.5, 16.5, 18, 18, 18], 1)
    assert forecast[0] == pytest.approx((slope * 13 + intercept) * 11 / 16.5, rel=1e-12)
