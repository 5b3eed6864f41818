"""Tests of xlsales.core.forecast: published exercises, independent references (numpy, scipy,
statsmodels), the many-series (2-D) path and the error contract."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.seasonal import seasonal_decompose

from conftest import tolerance
from xlsales.core import forecast as fc
from xlsales.core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError
from xlsales.core.forecast import (
    deseasonalize,
    ets_forecast,
    linear_trend,
    moving_average,
    seasonal_coefficients,
    seasonal_forecast,
    trend_forecast,
)


def _season_means(values, period):
    """Mean of the finite values of each season (test-side helper, plain Python)."""
    out = []
    for j in range(period):
        picked = [v for v in values[j::period] if np.isfinite(v)]
        out.append(sum(picked) / len(picked))
    return np.array(out)


def _synthetic(kind, period, cycles=4, seed=0):
    """A seasonal series with trend and noise: multiplicative or additive."""
    rng = np.random.default_rng(seed)
    n = period * cycles
    t = np.arange(n)
    pattern = 1 + 0.3 * np.sin(2 * np.pi * np.arange(period) / period + 0.4)
    season = np.tile(pattern, cycles)
    level = 200 + 3.5 * t
    if kind == "multiplicative":
        return level * season * (1 + 0.03 * rng.standard_normal(n))
    return level + 40 * (season - 1) + 2 * rng.standard_normal(n)


# =============================================================================================
# Published worked examples (tests/data/worked_examples.json)
# =============================================================================================


def test_least_squares_tsge(worked):
    # https://fr.scribd.com/document/636115310/Correction-GB-TSGE-S-N-1-Exercice1
    ex = worked("mco_tsge_ex1")
    y, x = ex["inputs"]["y"], ex["inputs"]["x"]
    exp = ex["expected"]
    a, b, r = linear_trend(y, x)
    assert a == pytest.approx(exp["a"], abs=tolerance(ex, "a"))
    assert b == pytest.approx(exp["b"], abs=tolerance(ex, "b"))
    # a = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² with the published sums, b = ȳ − a·x̄ with the published means
    assert a == pytest.approx(exp["sum_XY"] / exp["sum_X2"], rel=1e-12)
    assert b == pytest.approx(exp["y_bar"] - a * exp["x_bar"], rel=1e-12)
    assert r == pytest.approx(0.786, abs=5e-4)  # notes: r not asked; 0.786
    forecasts = trend_forecast([7, 8], y, x)
    assert forecasts[0] == pytest.approx(exp["prev_x7"], abs=tolerance(ex, "prev_x7"))
    assert forecasts[1] == pytest.approx(exp["prev_x8"], abs=tolerance(ex, "prev_x8"))


def test_extreme_points_mayer_boutin(worked):
    # https://fr.scribd.com/document/369107768/Previsions-Des-Ventes (M. Boutin, Bréal)
    ex = worked("pe_mayer_mco_boutin")
    y, x = ex["inputs"]["y_kEUR"], ex["inputs"]["x"]
    exp = ex["expected"]
    tol = tolerance(ex, "default")
    a, b, _ = linear_trend(y, x, "extreme_points")
    assert (a, b) == pytest.approx((exp["PE_a"], exp["PE_b"]), abs=tol)
    assert trend_forecast(6, y, x, "extreme_points") == pytest.approx(exp["PE_prev_x6"], abs=tol)
    a, b, _ = linear_trend(y, x, "mayer")
    assert (a, b) == pytest.approx((exp["Mayer_a"], exp["Mayer_b"]), abs=tol)
    # the line goes through both published mean points (5 points: groups of 3 and 2)
    for gx, gy in (exp["Mayer_G1"], exp["Mayer_G2"]):
        assert a * gx + b == pytest.approx(gy, abs=tol)
    assert trend_forecast(6, y, x, "mayer") == pytest.approx(exp["Mayer_prev_x6"], abs=tol)
    # least squares: truncated in the excerpt; the notes give a = 8, b = 590, forecast 638
    a, b, _ = linear_trend(y, x)
    assert (a, b) == pytest.approx((8.0, 590.0), abs=1e-9)
    assert trend_forecast(6, y, x) == pytest.approx(638.0, abs=1e-9)


def test_mayer_and_least_squares_cas_malin(worked):
    # https://ladissertation.com/Monde-du-Travail/Marketing-et-Publicite/Cas-malin-ndrc-420789.html
    ex = worked("mayer_mco_cas_malin")
    y, x = ex["inputs"]["y"], ex["inputs"]["x"]
    exp = ex["expected"]
    tol = tolerance(ex, "default")
    a, b, _ = linear_trend(y, x, "mayer")
    assert a == pytest.approx(exp["Mayer_a"], abs=tol)
    assert b == pytest.approx(exp["Mayer_b"], abs=tol)
    for gx, gy in (exp["Mayer_G1"], exp["Mayer_G2"]):
        assert a * gx + b == pytest.approx(gy, abs=tol)
    a, b, r = linear_trend(y, x)
    assert a == pytest.approx(exp["sum_XY"] / exp["sum_X2"], rel=1e-12)
    assert b == pytest.approx(exp["y_bar"] - a * 5.5, rel=1e-12)
    assert r == pytest.approx(0.991, abs=5e-4)  # notes: r = 0.991


def test_moving_average_coefficients_aunege(worked):
    # http://ressources.aunege.fr/nuxeo/site/esupversions/03b74816-96f1-45f6-a9fc-06796564c061/co/grain_3.html
    ex = worked("coef_saisonniers_mmc_huitres_aunege")
    y = np.array(ex["inputs"]["y_trimestriel"], dtype=float)
    order = ex["inputs"]["ordre_mm"]
    exp = ex["expected"]
    ma = moving_average(y, order)
    assert np.isnan(ma[:2]).all() and np.isnan(ma[-2:]).all()
    assert_allclose(ma[2:14], exp["MMC_t3_t14"], rtol=0, atol=tolerance(ex, "MMC_t3_t14"))
    assert_allclose((y / ma)[2:14], exp["rapports_t3_t14"], atol=tolerance(ex, "rapports_t3_t14"))
    raw = _season_means(y / ma, 4)
    assert_allclose(raw, exp["S_bruts"], atol=tolerance(ex, "S_bruts"))
    assert raw.sum() == pytest.approx(exp["somme_S"], abs=tolerance(ex, "somme_S"))
    coefficients = seasonal_coefficients(y, 4, "moving_average", "multiplicative")
    assert_allclose(coefficients, exp["S_centres"], atol=tolerance(ex, "S_centres"))
    # the page says the product must be 1; the normalisation it performs makes the MEAN 1
    assert coefficients.mean() == pytest.approx(1.0, abs=1e-12)
    assert np.prod(coefficients) != pytest.approx(1.0, abs=1e-3)


def test_ratio_to_trend_baoudene(worked):
    # https://fr.scribd.com/document/656483092/baoudene-yasmine-dld
    ex = worked("rapport_au_trend_baoudene")
    y, t = ex["inputs"]["y"], ex["inputs"]["t"]
    period = ex["inputs"]["periodicite"]
    exp = ex["expected"]
    a, b, _ = linear_trend(y, t)
    assert a == pytest.approx(exp["a"], abs=tolerance(ex, "a"))
    assert b == pytest.approx(exp["b"], abs=tolerance(ex, "b"))
    raw = _season_means(np.array(y) / trend_forecast(t, y, t), period)
    assert_allclose(raw, exp["S_bruts"], atol=tolerance(ex, "S_bruts"))
    assert raw.mean() == pytest.approx(exp["rho_moyenne"], abs=tolerance(ex, "rho_moyenne"))
    coefficients = seasonal_coefficients(y, period, "ratio_to_trend")
    assert_allclose(coefficients, exp["S_normalises"], atol=tolerance(ex, "S_normalises"))
    forecast = seasonal_forecast(y, period, 2, "ratio_to_trend", "multiplicative")
    # published 64.6071 uses S'2 rounded to 0.826; the unrounded coefficient gives 64.6045
    assert forecast[1] == pytest.approx(exp["prevision_t14"], abs=tolerance(ex, "prevision_t14"))
    assert forecast[1] == pytest.approx((a * 14 + b) * coefficients[1], rel=1e-12)
    assert forecast[1] == pytest.approx(64.6045, abs=5e-5)


# =============================================================================================
# Other public exercises
# =============================================================================================


def test_least_squares_td_ladissertation():
    # https://www.ladissertation.com/Archives-du-BAC/BAC-SVT/TD-la-méthode-des-moindres-carrés-431080.html
    # CA N..N+3 = 450, 520, 700, 780: a = 585 / 5 = 117, b = 320, year 5 → 905
    y = [450, 520, 700, 780]
    a, b, _ = linear_trend(y)
    assert (a, b) == pytest.approx((117.0, 320.0), abs=1e-9)
    assert trend_forecast(5, y) == pytest.approx(905.0, abs=1e-9)


def test_least_squares_alaction():
    # https://alaction.fr/moindres_carres_1.php: a = 10 522.50, b = −33.67, year 4 → 42 056.33
    y = [10421, 21147, 31466]
    a, b, _ = linear_trend(y)
    assert a == pytest.approx(10522.50, abs=0.005)
    assert b == pytest.approx(-33.67, abs=0.005)
    assert trend_forecast(4, y) == pytest.approx(42056.33, abs=0.005)


def test_least_squares_scribd_cours():
    # https://fr.scribd.com/document/702645512/Methode-des-moindres-carrees (cours)
    # CA 2018-2022: a = 18 800, b = 126 600, 2023 → 239 400. (The page labels the mean of y
    # "188 000" on one line — a typo for the Σxy; the computation uses ȳ = 183 000.)
    y = [140000, 168000, 189000, 200000, 218000]
    a, b, _ = linear_trend(y)
    assert (a, b) == pytest.approx((18800.0, 126600.0), abs=1e-6)
    assert trend_forecast(6, y) == pytest.approx(239400.0, abs=1e-6)


def test_least_squares_huit_a_8():
    # https://fr.scribd.com/document/551547148/Huit-a-8-DS-05-Corrige-Calculs-Commerciaux
    # sales 1998-2003: y = 12.43 x + 162.33; 2004 → 249.33, 2005 → 261.76 (2 decimals)
    y = [180, 185, 195, 210, 225, 240]
    a, b, _ = linear_trend(y)
    assert (a, b) == pytest.approx((12.43, 162.33), abs=0.005)
    assert_allclose(trend_forecast([7, 8], y), [249.33, 261.76], atol=0.005)


def test_least_squares_and_extreme_points_gross():
    # https://dissertationsenligne.com/M%c3%a9decine,-sciences-et-techniques/Exercice-Pr%c3%a9vision-des-ventes/74813.html
    # 8 periods. Least squares a = 275/42 = 6.55, b = 1 181.77; extreme points a = 30/7 = 4.29,
    # b = 1 195.71. The published b and forecasts for x = 9 (1 240.72 and 1 234.32) are computed
    # from the slopes ROUNDED to 6.55 and 4.29 (b = 1 211.25 − 6.55 × 4.5 = 1 181.775, printed
    # 1 181.77); with the exact slopes: b = 1 181.79, forecasts 1 240.71 and 1 234.29.
    y = [1200, 1180, 1210, 1200, 1210, 1220, 1240, 1230]
    a, b, _ = linear_trend(y)
    assert a == pytest.approx(275 / 42, rel=1e-12)
    assert round(a, 2) == 6.55
    assert b == pytest.approx(1181.77, abs=0.02)
    assert b == pytest.approx(1211.25 - 275 / 42 * 4.5, rel=1e-12)
    assert trend_forecast(9, y) == pytest.approx(1240.72, abs=0.01)
    a, b, _ = linear_trend(y, method="extreme_points")
    assert a == pytest.approx(30 / 7, rel=1e-12)
    assert (round(a, 2), round(b, 2)) == (4.29, 1195.71)
    assert trend_forecast(9, y, method="extreme_points") == pytest.approx(1234.2857142857, abs=1e-9)
    assert round(a, 2) * 9 + round(b, 2) == pytest.approx(1234.32, abs=1e-9)  # the published path


def test_mayer_dissertationsenligne():
    # https://dissertationsenligne.com/M%c3%a9decine,-sciences-et-techniques/M%c3%a9thode-de-Mayer-coefficients-saisonniers/73089.html
    # 4 years: G1(1.5; 1 900), G2(3.5; 2 560): a = 330, b = 1 405, year 5 → 3 055
    y = [1800, 2000, 2320, 2800]
    a, b, _ = linear_trend(y, method="mayer")
    assert (a, b) == pytest.approx((330.0, 1405.0), abs=1e-9)
    assert trend_forecast(5, y, method="mayer") == pytest.approx(3055.0, abs=1e-9)


def test_mayer_etudier_application1():
    # https://etudier.com/dissertations/9Aleb/421906.html (application 1, méthode de Mayer)
    # G_A(2; 1 661), G_B(5; 2 605): a = 314.67; b published 1 031.66 (truncated: 1 031.667);
    # N+6 (x = 7) published 3 234.35, computed from the rounded a; exact value 3 234.33.
    y = [1412, 1638, 1933, 2223, 2601, 2991]
    a, b, _ = linear_trend(y, method="mayer")
    assert a == pytest.approx(314.67, abs=0.005)
    assert b == pytest.approx(1031.66, abs=0.01)
    assert trend_forecast(7, y, method="mayer") == pytest.approx(3234.35, abs=0.03)
    assert trend_forecast(7, y, method="mayer") == pytest.approx(1661 + (2605 - 1661) / 3 * 5, rel=1e-12)


def test_moving_average_nathan_tendance():
    # https://fr.scribd.com/document/662857014/Corrige-Chap-9-Appli-2-Tendance (Nathan, chap. 9,
    # application 2 « Entreprise Tendance »): MMC of order 4 from quarter 3 and the ratios y / MMC
    # (3 decimals).
    y = np.array([524, 378, 354, 636, 532, 418, 378, 692, 556, 426, 394, 716, 660, 482, 434, 724], float)
    published_mmc = [474, 480, 488, 498, 508, 512, 515, 520, 536, 556, 568, 574]
    published_ratio = [0.747, 1.325, 1.090, 0.839, 0.744, 1.352, 1.080, 0.819, 0.735, 1.288, 1.162, 0.840]
    ma = moving_average(y, 4)
    assert_allclose(ma[2:14], published_mmc, atol=1e-9)
    assert_allclose((y / ma)[2:14], published_ratio, atol=5e-4 + 1e-12)
    # coefficients: the means of these ratios per quarter, normalised to mean 1
    raw = _season_means(np.array([np.nan, np.nan] + published_ratio + [np.nan, np.nan]), 4)
    assert_allclose(seasonal_coefficients(y, 4), raw / raw.mean(), atol=1e-3)


def test_average_method_etudier_budget():
    # https://etudier.com/dissertations/Module-Gestion-Budg-Taire/70323391.html
    # méthode des moyennes des moyennes, 3 years of quarters: coefficients 0.49, 1.23, 1.91, 0.37
    # (sum 4). DCVS 2014 published 142.85, 146.34, 125.65, 135.13: y divided by the coefficients
    # ROUNDED to 2 decimals (70 / 0.49 …); the exact coefficients give 142.19, 146.25, 125.81, 135.42.
    y = [40, 100, 180, 30, 50, 120, 200, 40, 70, 180, 240, 50]
    coefficients = seasonal_coefficients(y, 4, "average")
    assert_allclose(coefficients, [0.49, 1.23, 1.91, 0.37], atol=0.005)
    assert coefficients.sum() == pytest.approx(4.0, abs=1e-12)
    assert_allclose(np.array(y[-4:]) / coefficients.round(2), [142.85, 146.34, 125.65, 135.13], atol=0.01)
    assert_allclose(deseasonalize(y, 4, "average")[-4:], np.array(y[-4:]) / coefficients, rtol=1e-12)
    assert deseasonalize(y, 4, "average")[-4] == pytest.approx(142.1875, abs=1e-9)  # 70 / (53.33/108.33)


# =============================================================================================
# Independent references: numpy.polyfit, scipy.stats.linregress, statsmodels
# =============================================================================================

DATASETS = [
    ([842, 1095, 922, 1154, 1058, 1298], None),
    ([3.2, 1.1, 4.8, 2.2, 9.9, 0.5, 7.7], [2.5, 1.0, 3.0, 7.0, 11.0, 4.0, 8.5]),
    ([1e6 + 3, 1e6 + 1, 1e6 + 7, 1e6 + 2], [2020, 2021, 2022, 2023]),
    ([-5, 0, 5, -2, 8, 1, 12, 3, 15], None),
]


@pytest.mark.parametrize("y, x", DATASETS)
def test_least_squares_matches_polyfit_and_linregress(y, x):
    xs = np.arange(1, len(y) + 1) if x is None else np.array(x, float)
    a, b, r = linear_trend(y, x)
    slope, intercept = np.polyfit(xs, y, 1)
    reference = stats.linregress(xs, y)
    assert a == pytest.approx(slope, rel=1e-9)
    assert b == pytest.approx(intercept, rel=1e-9)
    assert a == pytest.approx(reference.slope, rel=1e-9)
    assert b == pytest.approx(reference.intercept, rel=1e-9)
    assert r == pytest.approx(reference.rvalue, rel=1e-9)
    assert_allclose(trend_forecast([0.5, 20], y, x), np.polyval([slope, intercept], [0.5, 20]), rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=3, max_size=40),
    st.randoms(use_true_random=False),
)
def test_least_squares_property(values, rnd):
    y = np.array(values)
    x = np.array([rnd.uniform(-100, 100) for _ in values])
    if np.ptp(x) < 1e-3 or np.ptp(y) < 1e-6:
        return
    a, b, r = linear_trend(y, x)
    reference = stats.linregress(x, y)
    scale = max(1.0, np.abs(y).max())
    assert a == pytest.approx(reference.slope, rel=1e-7, abs=1e-9 * scale)
    assert b == pytest.approx(reference.intercept, rel=1e-7, abs=1e-7 * scale)
    assert r == pytest.approx(reference.rvalue, abs=1e-9)
    assert -1 <= r <= 1
    # residuals of the least-squares line are orthogonal to 1 and to x
    residuals = y - (a * x + b)
    assert abs(residuals.sum()) <= 1e-7 * scale * len(y)
    # the extreme-points and Mayer lines report the same r
    assert linear_trend(y, x, "mayer")[2] == r
    assert linear_trend(y, x, "extreme_points")[2] == r


@pytest.mark.parametrize("model", ["multiplicative", "additive"])
@pytest.mark.parametrize("period", [4, 12, 5])
def test_moving_average_coefficients_match_statsmodels(model, period):
    # statsmodels seasonal_decompose: same centred filter (half weights at the ends for an even
    # period), ratios / differences averaged per season (season of the first observation first),
    # then normalised the same way: divided by their mean (multiplicative) or minus their mean
    # (additive). Its `seasonal` component is those coefficients tiled, so seasonal[:period] is
    # directly comparable.
    y = _synthetic(model, period, cycles=4, seed=period)
    result = seasonal_decompose(y, model=model, period=period)
    assert_allclose(moving_average(y, period), result.trend, rtol=1e-12, equal_nan=True)
    coefficients = seasonal_coefficients(y, period, "moving_average", model)
    assert_allclose(coefficients, result.seasonal[:period], rtol=1e-12, atol=1e-12)
    expected_cvs = y / result.seasonal if model == "multiplicative" else y - result.seasonal
    assert_allclose(deseasonalize(y, period, "moving_average", model), expected_cvs, rtol=1e-12)


@pytest.mark.parametrize("model", ["multiplicative", "additive"])
def test_seasonal_forecast_moving_average_matches_statsmodels_pipeline(model):
    # the manuals' pipeline with independent tools: statsmodels coefficients, CVS, numpy.polyfit
    period = 12
    y = _synthetic(model, period, cycles=3, seed=7)
    seasonal = seasonal_decompose(y, model=model, period=period).seasonal[:period]
    cvs = y / np.tile(seasonal, 3) if model == "multiplicative" else y - np.tile(seasonal, 3)
    slope, intercept = np.polyfit(np.arange(1, 37), cvs, 1)
    trend = slope * np.arange(37, 37 + 18) + intercept
    season = np.tile(seasonal, 2)[:18]
    expected = trend * season if model == "multiplicative" else trend + season
    got = seasonal_forecast(y, period, 18, "moving_average", model)
    assert_allclose(got, expected, rtol=1e-9)


def test_ratio_to_trend_additive_by_hand():
    # additive ratio-to-trend: differences to the least-squares trend, season means, centred
    y = np.array([48, 41, 60, 65, 58, 52, 68, 74, 60, 56, 75, 78], float)
    t = np.arange(1, 13)
    slope, intercept = np.polyfit(t, y, 1)
    raw = _season_means(y - (slope * t + intercept), 4)
    expected = raw - raw.mean()
    assert_allclose(seasonal_coefficients(y, 4, "ratio_to_trend", "additive"), expected, atol=1e-12)
    assert seasonal_coefficients(y, 4, "ratio_to_trend", "additive").sum() == pytest.approx(0, abs=1e-12)
    forecast = seasonal_forecast(y, 4, 6, "ratio_to_trend", "additive")
    future = np.arange(13, 19)
    assert_allclose(forecast, slope * future + intercept + np.r_[expected, expected[:2]], rtol=1e-12)


def test_moving_average_odd_order_and_incomplete_cycle():
    y = np.array([3.0, 5, 4, 8, 6, 9, 7])
    ma = moving_average(y, 3)
    assert np.isnan(ma[0]) and np.isnan(ma[-1])
    assert_allclose(ma[1:-1], [np.mean(y[i - 1:i + 2]) for i in range(1, 6)], rtol=1e-15)
    # season 1 = season of the first observation, even when the series stops mid-cycle
    y = np.array([10, 20, 30, 12, 22, 33, 14, 25], float)
    raw = _season_means(y, 3)
    assert_allclose(seasonal_coefficients(y, 3, "average"), raw / raw.mean(), rtol=1e-12)


# =============================================================================================
# Many series at once (2-D path)
# =============================================================================================


def _panel(kind, n_series=7, period=4, cycles=3):
    return np.vstack([_synthetic(kind, period, cycles, seed=s) for s in range(n_series)])


@pytest.mark.parametrize("method", ["least_squares", "extreme_points", "mayer"])
def test_linear_trend_2d_equals_rows(method):
    y = _panel("additive", n_series=6, period=4, cycles=2)[:, :7]  # n odd for Mayer
    a, b, r = linear_trend(y, method=method)
    assert a.shape == b.shape == r.shape == (6,)
    for i, row in enumerate(y):
        assert (a[i], b[i], r[i]) == pytest.approx(linear_trend(row, method=method), rel=1e-12)
    x = np.array([5.0, 1, 3, 2, 7, 4, 6])
    a, b, r = linear_trend(y, x, method)
    for i, row in enumerate(y):
        assert (a[i], b[i], r[i]) == pytest.approx(linear_trend(row, x, method), rel=1e-12)
    x2 = np.vstack([np.arange(7.0) * (i + 1) for i in range(6)])
    a, b, r = linear_trend(y, x2, method)
    for i, row in enumerate(y):
        assert (a[i], b[i], r[i]) == pytest.approx(linear_trend(row, x2[i], method), rel=1e-12)
    forecasts = trend_forecast([8, 9], y, method=method)
    assert forecasts.shape == (6, 2)
    for i, row in enumerate(y):
        assert_allclose(forecasts[i], trend_forecast([8, 9], row, method=method), rtol=1e-12)


@pytest.mark.parametrize("method", ["moving_average", "ratio_to_trend", "average"])
@pytest.mark.parametrize("model", ["multiplicative", "additive"])
def test_seasonal_functions_2d_equal_rows(method, model):
    y = _panel(model, n_series=5, period=4, cycles=3)
    coefficients = seasonal_coefficients(y, 4, method, model)
    cvs = deseasonalize(y, 4, method, model)
    forecasts = seasonal_forecast(y, 4, 6, method, model)
    ma = moving_average(y, 4)
    assert coefficients.shape == (5, 4) and cvs.shape == y.shape and forecasts.shape == (5, 6)
    for i, row in enumerate(y):
        assert_allclose(coefficients[i], seasonal_coefficients(row, 4, method, model), rtol=1e-12)
        assert_allclose(cvs[i], deseasonalize(row, 4, method, model), rtol=1e-12)
        assert_allclose(forecasts[i], seasonal_forecast(row, 4, 6, method, model), rtol=1e-12)
        assert_allclose(ma[i], moving_average(row, 4), rtol=1e-12, equal_nan=True)


def test_2d_bad_row_is_nan_and_others_computed():
    y = _panel("multiplicative", n_series=3, period=4, cycles=3)
    y[1, 5] = -10.0  # a negative value: no multiplicative model for that series
    with pytest.raises(DomainError):
        seasonal_forecast(y[1], 4)
    forecasts = seasonal_forecast(y, 4)
    assert np.isnan(forecasts[1]).all()
    assert_allclose(forecasts[0], seasonal_forecast(y[0], 4), rtol=1e-12)
    assert_allclose(forecasts[2], seasonal_forecast(y[2], 4), rtol=1e-12)
    assert np.isfinite(seasonal_forecast(y, 4, model="additive")).all()
    x2 = np.vstack([np.arange(1.0, 13.0), np.full(12, 3.0), np.arange(1.0, 13.0)])
    a, b, r = linear_trend(y, x2)
    assert np.isnan([a[1], b[1], r[1]]).all() and np.isfinite([a[0], a[2]]).all()


def test_seasonal_forecast_many_series_equals_the_statsmodels_loop():
    # The speed of the 10 000-series path against this loop is measured in bench/run.py.
    rng = np.random.default_rng(1)
    season = np.tile(1 + 0.3 * np.sin(np.arange(12) / 12 * 2 * np.pi), 3)
    y = (100 + rng.uniform(0, 3, (10_000, 1)) * np.arange(36)) * season * rng.uniform(0.95, 1.05, (10_000, 36))
    ours = seasonal_forecast(y, 12, 12, "moving_average")
    sample = 200
    loop = []
    for row in y[:sample]:
        seasonal = seasonal_decompose(row, model="multiplicative", period=12).seasonal
        slope, intercept = np.polyfit(np.arange(1, 37), row / seasonal, 1)
        loop.append((slope * np.arange(37, 49) + intercept) * seasonal[:12])
    assert ours.shape == (10_000, 12)
    assert_allclose(ours[:sample], np.array(loop), rtol=1e-9)


# =============================================================================================
# Holt-Winters
# =============================================================================================


def test_ets_deterministic_and_shapes():
    y = _synthetic("multiplicative", 12, cycles=3, seed=3)
    first = ets_forecast(y, 12)
    assert first.shape == (12,)
    assert np.array_equal(first, ets_forecast(y, 12))
    assert ets_forecast(y, 12, 5).shape == (5,)
    assert_allclose(ets_forecast(y, 12, 5), first[:5], rtol=1e-12)
    panel = np.vstack([y, _synthetic("additive", 12, cycles=3, seed=4)])
    both = ets_forecast(panel, 12, 3)
    assert both.shape == (2, 3)
    assert_allclose(both[0], first[:3], rtol=1e-12)


def test_ets_seasonal_rule():
    # growing swing with a positive level -> multiplicative; constant swing -> additive
    assert fc.ets_seasonal_model(_synthetic("multiplicative", 12, 3), 12) == "multiplicative"
    assert fc.ets_seasonal_model(_synthetic("additive", 12, 3), 12) == "additive"
    assert fc.ets_seasonal_model(_synthetic("additive", 4, 3) - 500, 4) == "additive"  # negative values
    assert fc.ets_seasonal_model([10, 20, 30, 20] * 3, 4) == "additive"  # flat level


def test_ets_matches_statsmodels_and_tracks_an_exact_series():
    y = _synthetic("multiplicative", 4, cycles=5, seed=11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = ExponentialSmoothing(
            y, trend="add", seasonal="mul", seasonal_periods=4, initialization_method="estimated"
        ).fit().forecast(4)
    assert_allclose(ets_forecast(y, 4), reference, rtol=1e-9)
    # an exact additive series (linear trend + fixed quarterly pattern) is continued closely
    t = np.arange(24)
    pattern = np.array([-30.0, 10.0, 40.0, -20.0])
    exact = 500 + 4 * t + np.tile(pattern, 6)
    future = 500 + 4 * np.arange(24, 32) + np.tile(pattern, 2)
    assert_allclose(ets_forecast(exact, 4, 8), future, rtol=0.01)


def test_ets_needs_two_full_seasons():
    with pytest.raises(NotAvailableError) as error:
        ets_forecast(np.arange(1.0, 24.0), 12)
    assert error.value.argument == "known_y"
    assert error.value.excel == "#N/A"


# =============================================================================================
# Errors and options
# =============================================================================================


def test_errors_linear_trend():
    with pytest.raises(NotAvailableError):
        linear_trend([5.0])
    with pytest.raises(NotAvailableError):
        linear_trend([1, 2, 3], [1, 2])
    with pytest.raises(DivisionByZeroError) as error:
        linear_trend([1, 2, 3], [4, 4, 4])
    assert error.value.argument == "known_x"
    with pytest.raises(BadValueError) as error:
        linear_trend([1, 2, 3], method="quadratic")
    assert error.value.argument == "method"
    with pytest.raises(BadValueError):
        linear_trend([1, "a", 3])
    with pytest.raises(BadValueError):
        linear_trend([1, np.nan, 3])
    a, b, r = linear_trend([5, 5, 5])  # constant y: flat line, r undefined (CORREL: #DIV/0!)
    assert (a, b) == (0.0, 5.0) and np.isnan(r)


@pytest.mark.parametrize(
    "period, error",
    [(1, DomainError), (0, DomainError), (-4, DomainError), (4.5, DomainError), ("abc", BadValueError),
     ([4, 4], BadValueError), (np.nan, BadValueError)],
)
def test_errors_period(period, error):
    y = list(range(1, 17))
    for function in (seasonal_coefficients, deseasonalize, seasonal_forecast, ets_forecast):
        with pytest.raises(error) as raised:
            function(y, period)
        assert raised.value.argument == "period"


def test_errors_seasonal():
    y = list(range(1, 17))
    with pytest.raises(BadValueError) as error:
        seasonal_coefficients(y, 4, method="regression")
    assert error.value.argument == "method"
    with pytest.raises(BadValueError) as error:
        seasonal_coefficients(y, 4, model="logistic")
    assert error.value.argument == "model"
    with pytest.raises(NotAvailableError):
        seasonal_coefficients(y[:7], 4)  # moving averages need 2 cycles for an even period
    assert seasonal_coefficients(y[:8], 4).shape == (4,)
    assert seasonal_coefficients(y[:5], 3).shape == (3,)  # odd period: 2 cycles less one value
    with pytest.raises(NotAvailableError):
        seasonal_coefficients(y[:3], 4, "ratio_to_trend")
    with pytest.raises(NotAvailableError):
        moving_average([1, 2, 3, 4], 4)
    with pytest.raises(DomainError) as error:
        moving_average(y, 1)
    assert error.value.argument == "order"
    with pytest.raises(DomainError) as error:
        seasonal_forecast(y, 4, horizon=0)
    assert error.value.argument == "horizon"
    with pytest.raises(DomainError):
        seasonal_coefficients([-1, 2, 3, 4, 5, 6, 7, 8], 4)  # multiplicative with a negative value
    with pytest.raises(DomainError):
        seasonal_coefficients([10, 8, 6, 4, 2, 1, 0.5, 0.1], 4, "ratio_to_trend")  # trend below 0


def test_french_option_names_and_defaults():
    y = [48, 41, 60, 65, 58, 52, 68, 74, 60, 56, 75, 78]
    assert linear_trend(y, method="Moindres carrés") == linear_trend(y)
    assert linear_trend(y, method="points extrêmes") == linear_trend(y, method="extreme_points")
    assert linear_trend(y, method=None) == linear_trend(y)
    assert_allclose(seasonal_coefficients(y, 4, "Rapports à la tendance", "Multiplicatif"),
                    seasonal_coefficients(y, 4, "ratio_to_trend"))
    assert_allclose(seasonal_coefficients(y, 4, "moyennes-mobiles", "additif"),
                    seasonal_coefficients(y, 4, "moving_average", "additive"))
    assert_allclose(seasonal_forecast(y, 4.0), seasonal_forecast(y, 4, 4, "ratio_to_trend", "multiplicative"))
    assert_allclose(deseasonalize(y, 4), deseasonalize(y, 4, "moving_average", "multiplicative"))


def test_unsorted_x_and_shared_x_row():
    # extreme points and Mayer work in x order: the same points in another order give the same line
    y = np.array([600, 605, 610, 625, 630.0])
    x = np.array([1, 2, 3, 4, 5.0])
    order = np.array([3, 0, 4, 2, 1])
    for method in ("least_squares", "extreme_points", "mayer"):
        assert linear_trend(y[order], x[order], method) == pytest.approx(linear_trend(y, x, method), rel=1e-12)
    panel = np.vstack([y, y[::-1]])
    a, b, r = linear_trend(panel, x.reshape(1, -1), "mayer")  # one row of x for every series
    assert (a[1], b[1], r[1]) == pytest.approx(linear_trend(y[::-1], x, "mayer"), rel=1e-12)
