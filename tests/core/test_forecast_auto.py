"""FORECAST_AUTO core: rolling-origin back-test without look-ahead, choice, report, errors."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from xlsales.core.errors import BadValueError, DomainError, NotAvailableError

# ``xlsales.core.forecast_auto`` is also the name of the function re-exported by the package.
fa = importlib.import_module("xlsales.core.forecast_auto")

SEASON_Q = np.array([0.8, 1.1, 1.3, 0.8])


def noisy_monthly(n=120, seed=7):
    """Trend × season × noise, strictly positive (all candidates take part)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    season = np.array([0.8, 0.85, 0.95, 1.0, 1.05, 1.1, 1.2, 1.15, 1.0, 0.95, 0.9, 1.05])
    return (1000 + 8 * t) * season[t % 12] * (1 + 0.05 * rng.standard_normal(n))


def noisy_quarterly(n=40, seed=7):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return (500 + 6 * t) * SEASON_Q[t % 4] * (1 + 0.05 * rng.standard_normal(n))


def pmdarima_series(name):
    datasets = pytest.importorskip("pmdarima.datasets")
    return np.asarray(getattr(datasets, f"load_{name}")(), dtype=float)


# --------------------------------------------------------------------------------------------
# Cut-offs and minimum data
# --------------------------------------------------------------------------------------------


def test_cutoffs_monthly_one_year_ahead():
    # each of the last four years forecast from the years before it, latest first
    assert fa.cutoffs(180, 12, 12) == (168, 156, 144, 132)
    assert fa.cutoffs(180, 12, 3) == (177, 174, 171, 168)


def test_cutoffs_long_horizon_and_short_history():
    assert fa.cutoffs(4032, 48, 96) == (3936, 3840, 3744, 3648)
    # room for 3 origins one year apart above two full seasons (24 values)
    assert fa.cutoffs(60, 12, 12) == (48, 36, 24)
    # less than a year of room: two origins, closer together
    assert fa.cutoffs(40, 12, 12) == (28, 24)
    # the shortest history that can be back-tested: 2 seasons + horizon + 1
    assert fa.cutoffs(37, 12, 12) == (25, 24)


def test_too_short_history_is_not_available_with_a_message():
    with pytest.raises(NotAvailableError) as info:
        fa.forecast_auto(np.arange(1.0, 37.0), 12)
    assert info.value.excel == "#N/A"
    assert "37 valeurs au moins" in str(info.value) and "36 fournies" in str(info.value)
    assert info.value.argument == "known_y"


def test_bad_arguments():
    y = noisy_monthly(48)
    with pytest.raises(DomainError):
        fa.forecast_auto(y, 1)
    with pytest.raises(DomainError):
        fa.forecast_auto(y, 12.5)
    with pytest.raises(DomainError):
        fa.forecast_auto(y, 12, 0)
    with pytest.raises(BadValueError):
        fa.forecast_auto(list(y[:-1]) + ["abc"], 12)
    with pytest.raises(BadValueError):
        fa.forecast_auto(list(y[:-1]) + [np.nan], 12)


# --------------------------------------------------------------------------------------------
# No look-ahead, determinism
# --------------------------------------------------------------------------------------------


def test_no_look_ahead_changing_values_after_a_cutoff_keeps_its_forecasts():
    y = noisy_quarterly(40)
    base = fa.backtest(y, 4)
    keys = [c.key for c in base.candidates]
    # every family takes part (HW needs 14 values at the earliest cut-off, windows 3 and 5 seasons)
    assert len(keys) == 17 and {"seasonal_naive", "ratio_to_trend_multiplicative_5", "hw_mul_damped"} <= set(keys)
    assert len(base.cutoffs) == 4 and np.all(np.isfinite(base.forecasts))
    rng = np.random.default_rng(1)
    for j, c in enumerate(base.cutoffs):
        changed = y.copy()
        changed[c:] *= rng.uniform(0.5, 2.0, size=y.size - c)  # the future is rewritten
        other = fa.backtest(changed, 4)
        assert [cand.key for cand in other.candidates] == keys
        np.testing.assert_array_equal(other.forecasts[:, j], base.forecasts[:, j])
        # later origins did see the rewritten values: the test would catch a leak
        if j > 0:
            assert not np.array_equal(other.forecasts[:, 0], base.forecasts[:, 0])


def test_backtest_forecasts_are_the_candidates_fitted_on_the_data_before_the_cutoff():
    y = noisy_monthly(120)
    result = fa.backtest(y, 12)
    with fa._one_blas_thread():
        for i, cand in enumerate(result.candidates):
            for j, c in enumerate(result.cutoffs):
                np.testing.assert_array_equal(result.forecasts[i, j], cand.forecast(y[:c], 12, 12))


def test_windows_use_only_the_last_seasons_before_the_cutoff():
    y = noisy_monthly(120)
    result = fa.backtest(y, 12)
    cand = next(c for c in result.candidates if c.key == "ratio_to_trend_multiplicative_3")
    manuals = importlib.import_module("xlsales.core.forecast")
    c = result.cutoffs[-1]
    expected = manuals.seasonal_forecast(y[c - 36 : c], 12, 12, method="ratio_to_trend", model="multiplicative")
    np.testing.assert_allclose(result.forecasts[result.candidates.index(cand), -1], expected, rtol=0, atol=1e-9)


def test_deterministic():
    y = noisy_monthly(120, seed=3)
    first, second = fa.backtest(y, 12), fa.backtest(y, 12)
    np.testing.assert_array_equal(first.forecasts, second.forecasts)
    np.testing.assert_array_equal(first.mape, second.mape)
    assert first.chosen == second.chosen
    np.testing.assert_array_equal(fa.forecast_auto(y, 12), first.forecast)
    assert fa.forecast_auto_report(y, 12) == fa.forecast_auto_report(y, 12)


# --------------------------------------------------------------------------------------------
# Scoring and choice
# --------------------------------------------------------------------------------------------


def test_mape_of_seasonal_naive_recomputed_by_hand():
    y = noisy_monthly(60, seed=11)
    result = fa.backtest(y, 12, 6)
    i = [c.key for c in result.candidates].index("seasonal_naive")
    errors = []
    for c in result.cutoffs:
        forecast = y[c - 12 : c - 6]  # same month one year earlier, 6 months ahead
        actual = y[c : c + 6]
        errors.extend(np.abs(actual - forecast) / np.abs(actual))
    assert result.cutoffs == (54, 48, 42, 36) and len(errors) == 24
    assert result.mape[i] == pytest.approx(np.mean(errors), rel=1e-12)


def test_exactly_one_chosen_row_with_the_minimum_mape_first():
    y = noisy_monthly(120, seed=5)
    rows = fa.forecast_auto_report(y, 12)
    result = fa.backtest(y, 12)
    assert len(rows) == len(result.candidates) == 17
    chosen = [r for r in rows if r.chosen]
    assert len(chosen) == 1 and rows[0] is chosen[0]
    scores = [r.mape for r in rows]
    assert all(s is not None for s in scores)
    assert rows[0].mape == min(scores)
    assert scores == sorted(scores)
    winner = result.winner
    assert (rows[0].method, rows[0].window) == (winner.method, winner.window)


def test_exact_repetition_chooses_seasonal_naive_and_reproduces_it():
    season = [120.0, 80.0, 95.0, 160.0]
    y = season * 5
    rows = fa.forecast_auto_report(y, 4)
    # the moving-average methods are exact here too (flat trend): the simpler method wins the tie
    assert rows[0] == ("Saisonnière naïve (même saison l'an dernier)", "tout l'historique", 0.0, True)
    np.testing.assert_array_equal(fa.forecast_auto(y, 4), season)
    np.testing.assert_array_equal(fa.forecast_auto(y, 4, 6), season + season[:2])
    monthly = list(range(10, 130, 10)) * 4
    np.testing.assert_array_equal(fa.forecast_auto(monthly, 12), monthly[:12])


def test_linear_plus_seasonal_the_manuals_method_wins_exactly():
    t = np.arange(1, 41)
    swing = np.array([-30.0, 10.0, 40.0, -20.0])
    y = 200 + 5 * t + swing[(t - 1) % 4]
    result = fa.backtest(y, 4)
    assert result.winner.key == "moving_average_additive"
    assert result.mape[result.chosen] == pytest.approx(0.0, abs=1e-12)
    future = np.arange(41, 49)
    np.testing.assert_allclose(fa.forecast_auto(y, 4, 8), 200 + 5 * future + swing[(future - 1) % 4], atol=1e-9)
    row = fa.forecast_auto_report(y, 4)[0]
    assert row.method == "Tendance + écarts saisonniers (moyennes mobiles)" and row.chosen


def test_linear_times_seasonal_a_manuals_method_wins_with_about_zero_mape():
    t = np.arange(1, 41)
    y = (200 + 5 * t) * SEASON_Q[(t - 1) % 4]
    rows = fa.forecast_auto_report(y, 4)
    assert rows[0].method.startswith("Tendance × coefficients")
    assert rows[0].mape < 0.002  # 0.14 %: the centred moving average of a product is nearly the trend
    future = np.arange(41, 45)
    np.testing.assert_allclose(fa.forecast_auto(y, 4), (200 + 5 * future) * SEASON_Q[(future - 1) % 4], rtol=0.003)
    naive = next(r for r in rows if r.method.startswith("Saisonnière"))
    assert naive.mape > 0.03  # "same quarter last year" misses the growth


@pytest.mark.parametrize(
    "name, period, winner",
    [
        ("austres", 4, "hw_add_damped"),
        ("wineind", 12, "hw_mul_damped"),
        ("airpassengers", 12, "ratio_to_trend_multiplicative_5"),
    ],
)
def test_forecast_is_the_chosen_candidate_refitted_on_the_whole_history(name, period, winner):
    y = pmdarima_series(name)
    result = fa.backtest(y, period)
    assert result.winner.key == winner
    expected = result.winner.forecast(y, period, period)
    np.testing.assert_array_equal(fa.forecast_auto(y, period), expected)
    np.testing.assert_array_equal(result.forecast, expected)


def test_candidates_for_short_or_non_positive_histories():
    # 4 years of quarters, horizon 4: shortest fitting set 8 values -> no HW (needs 14), no window
    keys = [c.key for c in fa.candidates(np.arange(1.0, 17.0), 4, 4, shortest=8)]
    assert keys == [
        "seasonal_naive",
        "ratio_to_trend_multiplicative",
        "ratio_to_trend_additive",
        "moving_average_multiplicative",
        "moving_average_additive",
    ]
    y = noisy_monthly(120)
    y[10] = -5.0  # a return: no multiplicative model
    keys = [c.key for c in fa.backtest(y, 12).candidates]
    assert keys == [
        "seasonal_naive",
        "ratio_to_trend_additive",
        "ratio_to_trend_additive_3",
        "ratio_to_trend_additive_5",
        "moving_average_additive",
        "moving_average_additive_3",
        "moving_average_additive_5",
        "hw_add",
        "hw_add_damped",
    ]


# --------------------------------------------------------------------------------------------
# Zeros, failures
# --------------------------------------------------------------------------------------------


def test_zero_actuals_are_left_out_of_the_mape():
    season = np.array([0.0, 50.0, 80.0, 30.0])  # a quarter without sales every year
    t = np.arange(24)
    y = season[t % 4] * (1 + 0.02 * t)
    result = fa.backtest(y, 4)
    assert np.isfinite(result.mape[result.chosen])
    i = [c.key for c in result.candidates].index("seasonal_naive")
    errors = [
        abs(y[c + k] - y[c + k - 4]) / y[c + k] for c in result.cutoffs for k in range(4) if y[c + k] != 0
    ]
    assert len(errors) == 3 * len(result.cutoffs)
    assert result.mape[i] == pytest.approx(np.mean(errors), rel=1e-12)
    # zeros exclude the multiplicative models, and the forecast keeps the empty quarter
    assert not any("multiplicative" in c.key or c.key.startswith("hw_mul") for c in result.candidates)
    assert fa.forecast_auto(y, 4).shape == (4,)


def test_all_zero_backtest_is_not_available():
    y = [5.0, 3.0, 4.0, 6.0] * 3 + [0.0] * 12
    with pytest.raises(NotAvailableError, match="MAPE indéfinie"):
        fa.forecast_auto(y, 4, 2)


def _with_extra(monkeypatch, extra):
    original = fa.candidates

    def patched(*args, **kwargs):
        return original(*args, **kwargs) + [extra]

    monkeypatch.setattr(fa, "candidates", patched)


def test_a_candidate_that_fails_at_one_cutoff_is_out_of_the_race(monkeypatch):
    def fit(train, period, horizon):
        if train.size == 84:
            raise ValueError("no convergence")
        return np.full(horizon, train[-1])

    _with_extra(monkeypatch, fa.Candidate("flaky", "Essai", "tout l'historique", None, fit))
    y = noisy_monthly(120)
    result = fa.backtest(y, 12)
    assert np.isnan(result.mape[-1]) and result.chosen != len(result.candidates) - 1
    row = fa.forecast_auto_report(y, 12)[-1]
    assert row == ("Essai", "tout l'historique", None, False)


def test_if_the_winner_cannot_be_refitted_the_next_best_is_chosen(monkeypatch):
    y = noisy_monthly(120)

    def oracle(train, period, horizon):
        if train.size == y.size:
            raise ValueError("no convergence")
        return y[train.size : train.size + horizon]  # perfect in the back-test

    _with_extra(monkeypatch, fa.Candidate("oracle", "Oracle", "tout l'historique", None, oracle))
    result = fa.backtest(y, 12)
    assert result.candidates[result.chosen].key != "oracle"
    assert np.isnan(result.mape[-1])
    rows = fa.forecast_auto_report(y, 12)
    assert sum(r.chosen for r in rows) == 1 and rows[-1].method == "Oracle" and rows[-1].mape is None
