"""Prévision automatique: the forecast that would have done best on the user's own history.

The manuals' method (least-squares trend × seasonal coefficients on the whole history) often
loses to "same season last year" on real sales, because long histories are not linear; Excel's
``FORECAST.ETS`` only chooses its seasonality. :func:`forecast_auto` back-tests a fixed list of
candidates on the history and returns the forecast of the best one; :func:`forecast_auto_report`
shows the back-test, so a manager sees why.

Back-test (rolling origin, no look-ahead)
-----------------------------------------
With ``n`` values, a period ``p`` and a horizon ``h``, the cut-offs are
``c_j = n - h - j·h`` for ``j = 0 … k-1``: each candidate is fitted on ``y[:c_j]`` only and
forecasts ``y[c_j : c_j + h]`` (the same horizon as asked). For a yearly horizon, each method is
thus tried on each of the last :data:`MAX_CUTOFFS` (4) years, fitted on the years before: the
test windows do not overlap, every value of the back-test is scored once. ``k`` is smaller when
the history is short, the earliest cut-off keeping at least two full seasons for fitting; at
least two cut-offs are needed (the step then shrinks below ``h`` if it must), so the history must
hold ``2p + h + 1`` values, else ``#N/A``.

Score: the MAPE pooled over every (cut-off, step ahead) pair, ``mean(|y - ŷ| / |y|)``, as a
decimal (0.05 = 5 %). Actual values equal to zero are left out of the mean (the percentage error
is undefined there); if every actual of the back-test is zero, ``#N/A``. A candidate that fails at
one cut-off (fit error, non-finite forecast — e.g. a multiplicative model whose trend turns
negative) is out of the race and shows no score.

Candidates, in tie-break order (simplest first; a candidate within :data:`TIE_TOLERANCE` of the
best MAPE and earlier in this list wins):

1. seasonal naive (same season one cycle earlier);
2. the manuals' trend × seasonal coefficients (:func:`xlsales.core.forecast.seasonal_forecast`):
   ratios to the trend, then ratios to the centred moving average; multiplicative, then additive;
   each fitted on the whole history, on the last 3 seasons and on the last 5 seasons (a window is a
   candidate only when it is shorter than the history at the earliest cut-off);
3. Holt-Winters (statsmodels ``ExponentialSmoothing``, additive trend): additive seasonality,
   additive damped, multiplicative, multiplicative damped. Initial states by the heuristic of
   Hyndman et al. (needs ``max(2p, 10 + 2⌊p/2⌋)`` values at the earliest cut-off, else no
   Holt-Winters candidate), smoothing parameters by L-BFGS-B from :data:`HW_START` (no
   brute-force grid): about 6 ms a fit for 15 years of months, where statsmodels' defaults
   (initial states estimated too, brute-force start) cost about 10 times more.

Multiplicative candidates are considered only when every value is strictly positive. The final
forecast is the chosen candidate refitted, by the same procedure, on the whole history.
Everything is deterministic (no random start; the BLAS thread count, which only slows these small
problems down, is set to one during the call when ``threadpoolctl`` is installed).
"""

from __future__ import annotations

import contextlib
import importlib
import math
import warnings
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from . import forecast as _manuals
from ._vector import as_float, as_series
from .errors import BadValueError, DomainError, NotAvailableError

__all__ = ["forecast_auto", "forecast_auto_report"]

#: Most cut-offs (origins) of the rolling back-test, one horizon apart.
MAX_CUTOFFS = 4

#: Start of the Holt-Winters optimiser: smoothing level, trend, seasonal, damping. From statsmodels'
#: own start (level 0.5/p, trend 0.05/p…) L-BFGS-B often stops at a poor local optimum (in-sample
#: error up to twice as large on quarterly and monthly series); from here it reached the lowest
#: in-sample error of five starts tried on each of 40 quarterly and monthly fits checked, for the
#: same cost.
HW_START = (0.3, 0.01, 0.3, 0.98)

#: Two MAPEs closer than this (absolute, as decimals) are a tie: the simpler candidate wins.
TIE_TOLERANCE = 1e-9

#: Window labels, by number of seasons (``None`` = whole history).
WINDOW_LABELS = {None: "tout l'historique", 3: "3 dernières saisons", 5: "5 dernières saisons"}

#: Column titles of the report (as spilled by FORECAST_AUTO_REPORT).
REPORT_HEADER = ("Méthode", "Fenêtre", "MAPE back-test", "Choisie")

_MANUAL_LABELS = {
    ("ratio_to_trend", "multiplicative"): "Tendance × coefficients (rapports à la tendance)",
    ("ratio_to_trend", "additive"): "Tendance + écarts saisonniers (écarts à la tendance)",
    ("moving_average", "multiplicative"): "Tendance × coefficients (moyennes mobiles)",
    ("moving_average", "additive"): "Tendance + écarts saisonniers (moyennes mobiles)",
}

_HW_LABELS = {
    ("add", False): "Holt-Winters additif",
    ("add", True): "Holt-Winters additif amorti",
    ("mul", False): "Holt-Winters multiplicatif",
    ("mul", True): "Holt-Winters multiplicatif amorti",
}


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


def _seasonal_naive(train: np.ndarray, period: int, horizon: int) -> np.ndarray:
    last = train[-period:]
    return last[np.arange(horizon) % period].astype(float)


def _manual(method: str, model: str) -> Callable[[np.ndarray, int, int], np.ndarray]:
    def fit(train: np.ndarray, period: int, horizon: int) -> np.ndarray:
        return np.asarray(
            _manuals.seasonal_forecast(train, period, horizon, method=method, model=model), dtype=float
        )

    return fit


def _hw_min_length(period: int) -> int:
    return max(2 * period, 10 + 2 * (period // 2))


def _holt_winters(seasonal: str, damped: bool) -> Callable[[np.ndarray, int, int], np.ndarray]:
    def fit(train: np.ndarray, period: int, horizon: int) -> np.ndarray:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                model = ExponentialSmoothing(
                    train,
                    trend="add",
                    damped_trend=damped,
                    seasonal=seasonal,
                    seasonal_periods=period,
                    initialization_method="heuristic",
                )
                start = list(HW_START if damped else HW_START[:3])
                result = model.fit(optimized=True, use_brute=False, start_params=start)
                return np.asarray(result.forecast(horizon), dtype=float)

    return fit


@dataclass(frozen=True)
class Candidate:
    """One forecasting procedure of the race.

    Attributes
    ----------
    key : str
        Stable identifier, e.g. ``"ratio_to_trend_multiplicative_3"`` or ``"hw_mul_damped"``.
    method, window : str
        French labels shown in the report.
    seasons : int or None
        Fitting window in seasons (``None``: the whole history available).
    fit : callable
        ``fit(train, period, horizon) -> ndarray(horizon)``.
    """

    key: str
    method: str
    window: str
    seasons: int | None
    fit: Callable[[np.ndarray, int, int], np.ndarray]

    def forecast(self, history, period: int, horizon: int) -> np.ndarray:
        """Fit on ``history`` (cut to the window) and forecast the next ``horizon`` values."""
        history = np.asarray(history, dtype=float)
        train = history if self.seasons is None else history[-self.seasons * period :]
        result = np.asarray(self.fit(train, period, horizon), dtype=float).reshape(-1)
        if result.shape != (horizon,) or not np.all(np.isfinite(result)):
            raise ValueError(f"{self.key}: forecast not finite")
        return result


def candidates(known_y, period: int, horizon: int, shortest: int) -> list[Candidate]:
    """The candidates eligible for a history, in tie-break order (simplest first).

    Parameters
    ----------
    known_y : ndarray
        The whole history (only its sign decides whether multiplicative models are eligible).
    period, horizon : int
        Season length and forecast horizon.
    shortest : int
        Length of the shortest fitting set (the history before the earliest cut-off).
    """
    y = np.asarray(known_y, dtype=float)
    positive = bool(np.all(y > 0))
    models = ("multiplicative", "additive") if positive else ("additive",)
    out = [Candidate("seasonal_naive", "Saisonnière naïve (même saison l'an dernier)",
                     WINDOW_LABELS[None], None, _seasonal_naive)]
    for method in ("ratio_to_trend", "moving_average"):
        for model in models:
            for seasons in (None, 3, 5):
                if seasons is not None and seasons * period >= shortest:
                    continue
                key = f"{method}_{model}" + ("" if seasons is None else f"_{seasons}")
                out.append(Candidate(key, _MANUAL_LABELS[method, model], WINDOW_LABELS[seasons],
                                     seasons, _manual(method, model)))
    if shortest >= _hw_min_length(period):
        for seasonal in ("add", "mul") if positive else ("add",):
            for damped in (False, True):
                key = f"hw_{seasonal}" + ("_damped" if damped else "")
                out.append(Candidate(key, _HW_LABELS[seasonal, damped], WINDOW_LABELS[None], None,
                                     _holt_winters(seasonal, damped)))
    return out


# --------------------------------------------------------------------------------------------
# Back-test
# --------------------------------------------------------------------------------------------


def _integer(value, name: str, minimum: int) -> int:
    v = as_float(value, name)
    if v.size != 1:
        raise BadValueError("un seul nombre est attendu", name)
    v = float(v.reshape(-1)[0])
    if not math.isfinite(v) or v != int(v) or v < minimum:
        raise DomainError(f"un entier supérieur ou égal à {minimum} est attendu", name)
    return int(v)


def cutoffs(n: int, period: int, horizon: int) -> tuple[int, ...]:
    """The rolling origins, latest first: each fits on ``y[:c]`` and forecasts ``y[c:c+horizon]``.

    >>> cutoffs(180, 12, 12)
    (168, 156, 144, 132)
    >>> cutoffs(60, 12, 12)
    (48, 36, 24)
    >>> cutoffs(40, 12, 12)
    (28, 24)
    >>> cutoffs(37, 12, 12)
    (25, 24)
    """
    need = 2 * period + horizon + 1
    if n < need:
        raise NotAvailableError(
            f"historique trop court pour un back-test : {need} valeurs au moins "
            f"(2 saisons + horizon + 1), {n} fournies",
            "known_y",
        )
    room = n - horizon - 2 * period  # how far back the origins may go
    step = min(horizon, room)
    k = min(MAX_CUTOFFS, room // step + 1)
    return tuple(n - horizon - j * step for j in range(k))


@dataclass(frozen=True)
class Backtest:
    """The result of the rolling-origin back-test, shared by both public functions.

    Attributes
    ----------
    period, horizon : int
    cutoffs : tuple of int
        The origins, latest first.
    candidates : tuple of Candidate
        In tie-break order.
    forecasts : ndarray, shape (candidates, cutoffs, horizon)
        Back-test forecasts (``nan`` for a candidate that failed at that cut-off).
    mape : ndarray, shape (candidates,)
        Pooled MAPE as a decimal, ``nan`` for a candidate out of the race.
    chosen : int
        Index of the winner in ``candidates``.
    forecast : ndarray, shape (horizon,)
        The winner refitted on the whole history: the next ``horizon`` values.
    """

    period: int
    horizon: int
    cutoffs: tuple[int, ...]
    candidates: tuple[Candidate, ...]
    forecasts: np.ndarray
    mape: np.ndarray
    chosen: int
    forecast: np.ndarray

    @property
    def winner(self) -> Candidate:
        return self.candidates[self.chosen]


def _one_blas_thread():
    """One BLAS thread for the call: threads only slow these small fits down (2 to 5 times on a
    busy 2-core machine). Results do not depend on it.

    ``threadpoolctl`` is optional: imported by name at run time, so that it is not taken for a
    requirement of the xlwings Lite bundle (Pyodide has no such package, and no BLAS threads).
    """
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
        return threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    except Exception:  # pragma: no cover - not installed, or cannot act here
        return contextlib.nullcontext()


def _arguments(known_y, period, horizon):
    y = as_series(known_y, "known_y")
    p = _integer(period, "period", 2)
    h = p if horizon is None else _integer(horizon, "horizon", 1)
    return y, p, h


def backtest(known_y, period, horizon=None) -> Backtest:
    """Run the rolling-origin back-test of every candidate, then refit the winner on all the data.

    This one function serves both :func:`forecast_auto` and :func:`forecast_auto_report`, so
    the forecast and the report always tell the same story.

    Parameters
    ----------
    known_y : array_like
        The history, oldest first.
    period : int
        Season length (4 quarters, 12 months…), at least 2.
    horizon : int, optional
        Number of values forecast at each cut-off and in the end; default ``period``.

    Returns
    -------
    Backtest
        The winner is the candidate with the lowest MAPE (ties: the earlier one); should its
        refit on the whole history fail, the next one in the ranking is taken.
    """
    y, p, h = _arguments(known_y, period, horizon)
    cuts = cutoffs(y.size, p, h)
    actual = np.stack([y[c : c + h] for c in cuts])
    if not np.any(actual != 0):
        raise NotAvailableError("MAPE indéfinie : toutes les valeurs du back-test sont nulles", "known_y")
    cands = candidates(y, p, h, shortest=min(cuts))
    with _one_blas_thread():
        return _race(y, p, h, cuts, cands, actual)


def _race(y, p, h, cuts, cands, actual) -> Backtest:
    forecasts = np.full((len(cands), len(cuts), h), np.nan)
    for i, cand in enumerate(cands):
        for j, c in enumerate(cuts):
            try:
                forecasts[i, j] = cand.forecast(y[:c], p, h)
            except Exception:  # a failed fit puts the candidate out of the race
                break
    scored = actual != 0
    with np.errstate(all="ignore"):
        ape = np.abs(forecasts - actual) / np.abs(actual)
    mape = np.array([np.mean(a[scored]) for a in ape])  # nan if one forecast is nan
    for i in _ranking(mape):
        try:
            final = cands[i].forecast(y, p, h)
        except Exception:
            mape[i] = np.nan
            continue
        return Backtest(p, h, cuts, tuple(cands), forecasts, mape, i, final)
    raise NotAvailableError("aucune méthode n'a pu être évaluée", "known_y")


def _ranking(mape: np.ndarray) -> list[int]:
    """Indices of the scored candidates, best first; near-ties (TIE_TOLERANCE) keep list order."""
    order: list[int] = []
    left = [i for i in range(mape.size) if np.isfinite(mape[i])]
    while left:
        best = min(mape[i] for i in left)
        first = next(i for i in left if mape[i] <= best + TIE_TOLERANCE)
        order.append(first)
        left.remove(first)
    return order


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


class ReportRow(NamedTuple):
    """One row of :func:`forecast_auto_report`."""

    method: str
    window: str
    mape: float | None
    chosen: bool


def forecast_auto(known_y, period, horizon=None):
    """Forecast with the candidate that back-tests best on the history (FORECAST_AUTO).

    Parameters
    ----------
    known_y : array_like
        The history (sales by month, quarter…), oldest first; at least ``2·period + horizon + 1``
        values.
    period : int
        Season length: 12 for months, 4 for quarters (at least 2).
    horizon : int, optional
        Number of future values; default ``period``.

    Returns
    -------
    ndarray
        The next ``horizon`` values forecast by the winning candidate, refitted on the whole
        history.

    Raises
    ------
    NotAvailableError
        History too short for two cut-offs, or only zeros to score (``#N/A``).
    BadValueError
        A value that is not a number (``#VALUE!``).
    DomainError
        ``period`` < 2 or ``horizon`` < 1, or not whole numbers (``#NUM!``).

    Notes
    -----
    Rolling-origin back-test: cut-offs :math:`c_j = n - h - j\\,h`, at most four (fewer, closer
    together, for a short history); every candidate :math:`m` is fitted on :math:`y_1 … y_{c_j}`
    only and scored by

    .. math:: MAPE_m = \\frac{1}{|E|} \\sum_{(j, i) \\in E} \\frac{|y_{c_j+i} - \\hat y^{(m)}_{c_j+i}|}{|y_{c_j+i}|}

    over the pairs :math:`E` whose actual value is not zero. The lowest MAPE wins; ties go to the
    simpler candidate. See the module documentation for the candidate list.

    Examples
    --------
    Four years of quarterly sales that repeat exactly: "same quarter last year" back-tests
    perfectly and is what is forecast.

    >>> forecast_auto([120, 80, 95, 160] * 4, 4)
    array([120.,  80.,  95., 160.])
    """
    return backtest(known_y, period, horizon).forecast.copy()


def forecast_auto_report(known_y, period, horizon=None) -> list[ReportRow]:
    """The back-test table behind :func:`forecast_auto` (FORECAST_AUTO_REPORT).

    Parameters
    ----------
    known_y, period, horizon
        As for :func:`forecast_auto`.

    Returns
    -------
    list of ReportRow
        One row per candidate — method, window, back-test MAPE (decimal; ``None`` when the
        candidate could not be fitted at every cut-off), chosen — sorted by MAPE, best first (the
        chosen one, the only row with ``chosen`` true, comes first).

    Notes
    -----
    Same back-test as :func:`forecast_auto` (one shared computation), so the chosen row is the
    method whose forecast FORECAST_AUTO returns.

    Examples
    --------
    >>> rows = forecast_auto_report([120, 80, 95, 160] * 4, 4)
    >>> rows[0]
    ReportRow(method="Saisonnière naïve (même saison l'an dernier)", window="tout l'historique", mape=0.0, chosen=True)
    >>> sum(row.chosen for row in rows)
    1
    """
    result = backtest(known_y, period, horizon)
    order = _ranking(result.mape)
    order = [result.chosen] + [i for i in order if i != result.chosen]
    order += [i for i in range(len(result.candidates)) if i not in order]
    rows = []
    for i in order:
        cand = result.candidates[i]
        score = float(result.mape[i]) if np.isfinite(result.mape[i]) else None
        rows.append(ReportRow(cand.method, cand.window, score, i == result.chosen))
    return rows
