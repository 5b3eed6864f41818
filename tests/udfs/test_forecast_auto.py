"""FORECAST_AUTO and FORECAST_AUTO_REPORT called with what Excel sends (ndim=2 lists of rows, None
for empty cells, French text numbers): values, spill shapes, error strings, and the same calls
under the classic (COM) and Office.js (xlwings Server) runtimes and in the xlwings Lite bundle."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import xlsales.udfs as udfs
from xlsales.udfs.forecast_auto import FORECAST_AUTO, FORECAST_AUTO_REPORT

from ._xlwings_runtimes import as_cells, direct_args, run_runtime

fa = importlib.import_module("xlsales.core.forecast_auto")

SEASON = [120.0, 80.0, 95.0, 160.0]
REPEATED = SEASON * 5  # five years of quarters that repeat exactly
# ten years of quarters: trend + seasonal swing + a little noise (every candidate takes part)
_t = np.arange(40)
NOISY = [
    round(v, 1)
    for v in (500 + 6 * _t) * np.array([0.8, 1.1, 1.3, 0.8])[_t % 4] * (1 + 0.04 * np.sin(1.7 * _t * _t))
]


def column(values):
    return [[v] for v in values]


def row(values):
    return [list(values)]


def table(values, width):
    return [list(values[i : i + width]) for i in range(0, len(values), width)]


def test_registered_under_excel_names():
    assert udfs.FORECAST_AUTO is FORECAST_AUTO and udfs.FORECAST_AUTO_REPORT is FORECAST_AUTO_REPORT
    assert udfs.forecast_auto_report is FORECAST_AUTO_REPORT
    assert udfs.UDF_REGISTRY["FORECAST_AUTO"] is FORECAST_AUTO


# ---------------------------------------------------------------------------------------------
# FORECAST_AUTO: values and orientation
# ---------------------------------------------------------------------------------------------


def test_column_in_column_out_same_values_as_the_core():
    result = FORECAST_AUTO(column(NOISY), [[4]])
    expected = fa.forecast_auto(NOISY, 4)
    assert len(result) == 4 and all(len(r) == 1 for r in result)
    assert [r[0] for r in result] == expected.tolist()


def test_exact_repetition_forecasts_next_year():
    assert FORECAST_AUTO(column(REPEATED), [[4]]) == column(SEASON)
    assert FORECAST_AUTO(column(REPEATED), [[4]], [[6]]) == column(SEASON + SEASON[:2])


def test_row_in_row_out():
    assert FORECAST_AUTO(row(REPEATED), [[4]]) == row(SEASON)
    assert FORECAST_AUTO(row(REPEATED), [[4]], [[2]]) == row(SEASON[:2])


def test_table_one_row_per_year_gives_next_years_row():
    assert FORECAST_AUTO(table(REPEATED, 4), [[4]]) == row(SEASON)
    # a table whose width is not the period: a column
    assert FORECAST_AUTO(table(REPEATED, 5), [[4]]) == column(SEASON)


def test_single_value_horizon_is_one_cell():
    assert FORECAST_AUTO(column(REPEATED), [[4]], [[1]]) == SEASON[0]


def test_empty_cells_after_the_data_and_empty_optional_horizon():
    padded = column(REPEATED) + [[None], [None], [""]]
    assert FORECAST_AUTO(padded, [[4]], [[None]]) == column(SEASON)
    assert FORECAST_AUTO(column(REPEATED), [[4]], None) == column(SEASON)


def test_french_text_numbers():
    text = [[f"{v:.1f}".replace(".", ",")] for v in REPEATED]
    text[0] = ["1 20,0"]  # "120,0" with a thousands space: still 120
    assert FORECAST_AUTO(text, [["4"]]) == column(SEASON)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_too_short_history_is_na():
    # 2 seasons + horizon + 1 = 13 quarters at least
    assert FORECAST_AUTO(column(REPEATED[:12]), [[4]]) == "#N/A"
    assert FORECAST_AUTO_REPORT(column(REPEATED[:12]), [[4]]) == "#N/A"
    # 13 quarters end on a first quarter: the forecast starts with the second one
    assert FORECAST_AUTO(column(REPEATED[:13]), [[4]]) == column(SEASON[1:] + SEASON[:1])


def test_text_or_holes_in_the_data_are_value_errors():
    bad = column(REPEATED)
    bad[3] = ["beaucoup"]
    assert FORECAST_AUTO(bad, [[4]]) == "#VALUE!"
    assert FORECAST_AUTO_REPORT(bad, [[4]]) == "#VALUE!"
    hole = column(REPEATED)
    hole[5] = [None]
    assert FORECAST_AUTO(hole, [[4]]) == "#VALUE!"
    assert FORECAST_AUTO(column(REPEATED), [["trimestre"]]) == "#VALUE!"
    assert FORECAST_AUTO(column(REPEATED), [[None]]) == "#VALUE!"  # period is required


def test_bad_period_or_horizon_is_num():
    assert FORECAST_AUTO(column(REPEATED), [[1]]) == "#NUM!"
    assert FORECAST_AUTO(column(REPEATED), [[4.5]]) == "#NUM!"
    assert FORECAST_AUTO(column(REPEATED), [[4]], [[0]]) == "#NUM!"
    assert FORECAST_AUTO_REPORT(column(REPEATED), [[4]], [[-2]]) == "#NUM!"


def test_error_cell_in_the_data():
    bad = column(REPEATED)
    bad[2] = ["#DIV/0!"]
    assert FORECAST_AUTO(bad, [[4]]) == "#DIV/0!"


# ---------------------------------------------------------------------------------------------
# FORECAST_AUTO_REPORT
# ---------------------------------------------------------------------------------------------


def test_report_table_header_and_one_true():
    result = FORECAST_AUTO_REPORT(column(NOISY), [[4]])
    assert result[0] == ["Méthode", "Fenêtre", "MAPE back-test", "Choisie"]
    body = result[1:]
    assert len(body) == len(fa.backtest(NOISY, 4).candidates) == 17
    assert all(len(r) == 4 for r in body)
    assert [r[3] for r in body].count(True) == 1 and all(isinstance(r[3], bool) for r in body)
    assert body[0][3] is True
    scores = [r[2] for r in body]
    assert all(isinstance(s, float) for s in scores) and scores == sorted(scores)
    # the same numbers as the core report
    core = fa.forecast_auto_report(NOISY, 4)
    assert body == [[r.method, r.window, r.mape, r.chosen] for r in core]


def test_report_chosen_row_is_the_forecast_method():
    result = fa.backtest(NOISY, 4)
    body = FORECAST_AUTO_REPORT(column(NOISY), [[4]])[1:]
    chosen = next(r for r in body if r[3] is True)
    assert (chosen[0], chosen[1]) == (result.winner.method, result.winner.window)
    assert [r[0] for r in FORECAST_AUTO(column(NOISY), [[4]])] == result.forecast.tolist()


def test_report_on_exact_repetition():
    body = FORECAST_AUTO_REPORT(row(REPEATED), [[4]])[1:]
    assert body[0] == ["Saisonnière naïve (même saison l'an dernier)", "tout l'historique", 0.0, True]
    methods = {r[0] for r in body}
    assert "Tendance × coefficients (rapports à la tendance)" in methods
    assert not any(m.startswith("Holt-Winters") for m in methods)  # earliest fit on 8 quarters: HW needs 14


def test_report_blank_mape_for_a_candidate_that_failed(monkeypatch):
    original = fa.candidates

    def failing(train, period, horizon):
        raise ValueError("no convergence")

    def patched(*args, **kwargs):
        return original(*args, **kwargs) + [fa.Candidate("bad", "Essai", "tout l'historique", None, failing)]

    monkeypatch.setattr(fa, "candidates", patched)
    last = FORECAST_AUTO_REPORT(column(REPEATED), [[4]])[-1]
    assert last == ["Essai", "tout l'historique", "", False]


# ---------------------------------------------------------------------------------------------
# Both xlwings runtimes
# ---------------------------------------------------------------------------------------------

RUNTIME_CALLS = [
    {"func": "FORECAST_AUTO", "args": [column(NOISY), [[4]], {"$missing": True}]},
    {"func": "FORECAST_AUTO", "args": [row(REPEATED), [[4]], [[6]]]},
    {"func": "FORECAST_AUTO", "args": [column(REPEATED[:12]), [[4]], {"$missing": True}]},
    {"func": "FORECAST_AUTO", "args": [column(REPEATED[:-1]) + [["abc"]], [[4]], [[""]]]},
    {"func": "FORECAST_AUTO_REPORT", "args": [column(NOISY), [[4]], {"$missing": True}]},
    {"func": "FORECAST_AUTO_REPORT", "args": [column(REPEATED), [[4]], [[2]]]},
]


@pytest.fixture(scope="module", params=["classic", "officejs", "lite"])
def runtime(request, tmp_path_factory):
    if request.param == "lite":
        # the xlwings Lite bundle rendered from the current sources (main.py, no xlsales installed)
        from xlsales import lite

        outdir = tmp_path_factory.mktemp("lite")
        lite.write_lite_bundle(outdir)
        return "officejs", run_runtime("lite", {"calls": RUNTIME_CALLS, "lite_dir": str(outdir), "rerun": True})
    return request.param, run_runtime(request.param, {"calls": RUNTIME_CALLS})


def test_runtimes_show_what_a_direct_call_gives(runtime):
    mode, answer = runtime
    for call, got in zip(RUNTIME_CALLS, answer["calls"]):
        assert got["ok"], got.get("error")
        direct = getattr(udfs, call["func"])(*direct_args(call, mode))
        expected = as_cells(direct, mode)
        assert as_cells(got["value"], mode) == expected, call["func"]


def test_runtimes_errors_and_shapes(runtime):
    mode, answer = runtime
    values = [as_cells(c["value"], mode) for c in answer["calls"]]
    assert len(values[0]) == 4 and all(len(r) == 1 for r in values[0])
    assert values[1] == [SEASON + SEASON[:2]]
    na = "#N/A" if mode == "classic" else {"type": "Error", "errorType": "NotAvailable"}
    value = "#VALUE!" if mode == "classic" else {"type": "Error", "errorType": "Value"}
    assert values[2] == [[na]] and values[3] == [[value]]
    report = values[4]
    assert report[0] == ["Méthode", "Fenêtre", "MAPE back-test", "Choisie"]
    assert [r[3] for r in report[1:]].count(True) == 1
