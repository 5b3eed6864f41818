"""Prévision: the BTS manuals' forecasting methods, plus Holt-Winters.

* Linear trend ``y = a·x + b`` by least squares (moindres carrés), extreme points (points
  extrêmes) or Mayer (double moyenne); ``r`` is always the Pearson correlation of the data.
* Centred moving averages (moyennes mobiles centrées), seasonal coefficients by moving averages,
  by ratios to the least-squares trend or by season averages, deseasonalisation (CVS) and the
  manuals' seasonal forecast (trend × coefficient, or trend + coefficient).
* Holt-Winters (statsmodels ``ExponentialSmoothing``), the modern counterpart of Excel's
  ``FORECAST.ETS``.

``x`` defaults to the ranks 1..n everywhere. Season 1 is the season of the first observation.

Many series at once
-------------------
:func:`linear_trend`, :func:`moving_average`, :func:`seasonal_coefficients`,
:func:`deseasonalize` and :func:`seasonal_forecast` also take a 2-D ``known_y`` of shape
``(n_series, n_periods)`` (one series per row, all of the same length) and compute every series at
once with numpy array operations, without a Python loop over the series: 10 000 monthly series of
3 years take milliseconds. The result gets a leading ``n_series`` axis. A problem that concerns the
shape (too few periods, bad ``period``, unknown method) raises; a problem that concerns one series
only (all ``x`` equal, non-positive trend in a multiplicative model…) raises for a 1-D call and puts
``nan`` on that series' row for a 2-D call, the other rows staying computed.

Options may be given in English (as in the function catalogue) or in French (``"moindres carrés"``,
``"points extrêmes"``, ``"moyennes mobiles"``, ``"rapport à la tendance"``, ``"multiplicatif"``…);
case, accents, spaces and hyphens do not matter.
"""

from __future__ import annotations

import unicodedata
import warnings

import numpy as np

from ._vector import as_float
from .errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "linear_trend",
    "trend_forecast",
    "moving_average",
    "seasonal_coefficients",
    "deseasonalize",
    "seasonal_forecast",
    "ets_forecast",
]

TREND_METHODS = ("least_squares", "extreme_points", "mayer")
SEASONAL_METHODS = ("moving_average", "ratio_to_trend", "average")
MODELS = ("multiplicative", "additive")

_ALIASES = {
    # trend
    "least_squares": "least_squares", "moindres_carres": "least_squares", "mco": "least_squares",
    "ols": "least_squares",
    "extreme_points": "extreme_points", "points_extremes": "extreme_points",
    "mayer": "mayer", "double_moyenne": "mayer", "methode_de_mayer": "mayer",
    # seasonal
    "moving_average": "moving_average", "moving_averages": "moving_average",
    "moyennes_mobiles": "moving_average", "moyenne_mobile": "moving_average",
    "moyennes_mobiles_centrees": "moving_average", "mmc": "moving_average",
    "ratio_to_trend": "ratio_to_trend", "rapport_a_la_tendance": "ratio_to_trend",
    "rapports_a_la_tendance": "ratio_to_trend", "rapport_tendance": "ratio_to_trend",
    "rapports_tendance": "ratio_to_trend", "rapport_au_trend": "ratio_to_trend",
    "average": "average", "moyenne": "average", "moyennes": "average",
    "methode_des_moyennes": "average",
    # model
    "multiplicative": "multiplicative", "multiplicatif": "multiplicative", "mul": "multiplicative",
    "additive": "additive", "additif": "additive", "add": "additive",
}


# ---------------------------------------------------------------------------------------------
# argument helpers
# ---------------------------------------------------------------------------------------------


def _option(value, name: str, choices: tuple[str, ...], default: str) -> str:
    """An option name (English or French), normalised; ``BadValueError`` if unknown."""
    if value is None:
        return default
    if not isinstance(value, str):
        raise BadValueError(f"un texte est attendu ({', '.join(choices)})", name)
    key = unicodedata.normalize("NFKD", value.strip().lower())
    key = "".join(ch for ch in key if not unicodedata.combining(ch))
    for sep in (" ", "-", "'", "’", "."):
        key = key.replace(sep, "_")
    key = "_".join(part for part in key.split("_") if part)
    if not key:
        return default
    found = _ALIASES.get(key)
    if found not in choices:
        raise BadValueError(f"option inconnue « {value} » (choix : {', '.join(choices)})", name)
    return found


#: Longest forecast returned (periods): far beyond any sales forecast, and it keeps a cell's spill bounded.
MAX_HORIZON = 10_000


def _horizon(value, period: int) -> int:
    h = period if value is None else _integer(value, "horizon", 1)
    if h > MAX_HORIZON:
        raise DomainError(f"horizon limité à {MAX_HORIZON} périodes", "horizon")
    return h


def _integer(value, name: str, minimum: int) -> int:
    """A whole number ≥ ``minimum`` (``#VALUE!`` if not a number, ``#NUM!`` otherwise)."""
    arr = as_float(value, name)
    if arr.size != 1:
        raise BadValueError("un seul nombre est attendu", name)
    number = float(arr.reshape(-1)[0])
    if not np.isfinite(number):
        raise BadValueError("nombre invalide", name)
    if number != round(number):
        raise DomainError("un nombre entier est attendu", name)
    if number < minimum:
        raise DomainError(f"doit valoir au moins {minimum}", name)
    return int(round(number))


def _panel(values, name: str = "known_y") -> tuple[np.ndarray, bool]:
    """``known_y`` as a 2-D float array (one series per row) and whether it was a single series."""
    arr = as_float(values, name)
    if arr.ndim > 2:
        raise BadValueError("une série (1-D) ou un tableau de séries (2-D) est attendu", name)
    single = arr.ndim < 2
    arr = arr.reshape(1, -1) if single else arr
    if not np.all(np.isfinite(arr)):
        raise BadValueError("la plage contient une valeur non numérique", name)
    return arr, single


def _need(n: int, minimum: int, name: str = "known_y", what: str = "valeurs") -> None:
    if n < minimum:
        raise NotAvailableError(f"au moins {minimum} {what} nécessaires (reçu {n})", name)


def _settle(single: bool, checks, *arrays: np.ndarray):
    """Per-series problems: raise for a single series, else put ``nan`` on the faulty rows.

    ``checks`` are ``(mask, error_class, message, argument)`` with one mask value per series.
    """
    if single:
        for mask, error, message, argument in checks:
            if bool(np.any(mask)):
                raise error(message, argument)
        return arrays
    bad = np.zeros(arrays[0].shape[0], dtype=bool)
    for mask, *_ in checks:
        bad |= np.asarray(mask, dtype=bool).reshape(bad.shape[0], -1).any(axis=1)
    if bad.any():
        arrays = tuple(np.where(bad.reshape((-1,) + (1,) * (a.ndim - 1)), np.nan, a) for a in arrays)
    return arrays


def _out(array: np.ndarray, single: bool) -> np.ndarray:
    return array[0] if single else array


# ---------------------------------------------------------------------------------------------
# linear trend
# ---------------------------------------------------------------------------------------------


def _known_x(known_x, shape: tuple[int, int]) -> np.ndarray:
    n = shape[1]
    if known_x is None:
        return np.arange(1.0, n + 1.0)
    x = as_float(known_x, "known_x")
    if not np.all(np.isfinite(x)):
        raise BadValueError("la plage contient une valeur non numérique", "known_x")
    if x.ndim <= 1 or 1 in x.shape:  # a row or a column of x, shared by every series
        x = x.reshape(-1)
        if x.size != n:
            raise NotAvailableError(f"plages de tailles différentes (known_y = {n}, known_x = {x.size})")
        return x
    if x.shape != shape:
        raise NotAvailableError(f"plages de tailles différentes (known_y {shape}, known_x {x.shape})")
    return x


def _least_squares(x: np.ndarray, y: np.ndarray):
    """Slope, intercept, Pearson r and the three sums of squares, row by row (no check)."""
    x = np.broadcast_to(x, y.shape)
    xm = x.mean(axis=-1, keepdims=True)
    ym = y.mean(axis=-1, keepdims=True)
    dx, dy = x - xm, y - ym
    sxx = np.einsum("ij,ij->i", dx, dx)
    sxy = np.einsum("ij,ij->i", dx, dy)
    syy = np.einsum("ij,ij->i", dy, dy)
    with np.errstate(all="ignore"):
        a = sxy / sxx
        b = ym[:, 0] - a * xm[:, 0]
        r = np.clip(sxy / np.sqrt(sxx * syy), -1.0, 1.0)
    r = np.where((sxx > 0) & (syy > 0), r, np.nan)
    return a, b, r, sxx


def _least_squares_finite(t: np.ndarray, y: np.ndarray):
    """Least-squares slope and intercept of each row on ``t``, skipping the ``nan`` values
    (a CVS is undefined where a multiplicative coefficient is 0: a season without sales)."""
    ok = np.isfinite(y)
    if ok.all():
        a, b, _r, _sxx = _least_squares(t, y)
        return a, b
    count = ok.sum(axis=1)
    with np.errstate(all="ignore"):
        tm = np.where(ok, t, 0.0).sum(axis=1) / count
        ym = np.where(ok, y, 0.0).sum(axis=1) / count
        dt = np.where(ok, t - tm[:, None], 0.0)
        dy = np.where(ok, y - ym[:, None], 0.0)
        a = (dt * dy).sum(axis=1) / (dt * dt).sum(axis=1)
        return a, ym - a * tm


def _trend_panel(y: np.ndarray, x: np.ndarray, method: str):
    """(a, b, r, zero-denominator mask) for every row of ``y``."""
    a, b, r, sxx = _least_squares(x, y)
    if method == "least_squares":
        return a, b, r, sxx == 0
    if x.ndim == 1:
        if np.any(np.diff(x) < 0):
            order = np.argsort(x, kind="stable")
            x, y = x[order], y[:, order]
        xs = np.broadcast_to(x, y.shape)
    else:
        order = np.argsort(x, axis=-1, kind="stable")
        xs, y = np.take_along_axis(x, order, -1), np.take_along_axis(y, order, -1)
    n = y.shape[1]
    if method == "extreme_points":
        x1, y1, x2, y2 = xs[:, 0], y[:, 0], xs[:, -1], y[:, -1]
    else:  # mayer: two consecutive groups, the first takes the extra point when n is odd
        g = (n + 1) // 2
        x1, y1 = xs[:, :g].mean(axis=-1), y[:, :g].mean(axis=-1)
        x2, y2 = xs[:, g:].mean(axis=-1), y[:, g:].mean(axis=-1)
    with np.errstate(all="ignore"):
        a = (y2 - y1) / (x2 - x1)
        b = y1 - a * x1
    return a, b, r, x2 == x1


def linear_trend(known_y, known_x=None, method="least_squares"):
    """Linear trend ``y = a·x + b`` (ajustement linéaire) and the correlation coefficient.

    Parameters
    ----------
    known_y : array_like
        The observed values (ventes, CA…): a 1-D series, or a 2-D array of shape
        ``(n_series, n_periods)`` to fit every row at once.
    known_x : array_like, optional
        The x of each value (default: the ranks 1..n). 1-D (shared by every series) or the shape
        of ``known_y``.
    method : {"least_squares", "extreme_points", "mayer"}, default "least_squares"
        * ``"least_squares"`` (moindres carrés, as Excel's SLOPE/INTERCEPT);
        * ``"extreme_points"`` (points extrêmes): the line through the points of smallest and
          largest x;
        * ``"mayer"`` (double moyenne): the line through the mean points of two consecutive groups
          (in x order); when n is odd the first group takes the extra point.

    Returns
    -------
    tuple of (float, float, float)
        ``(a, b, r)``: slope, intercept and the Pearson correlation of the data, whatever the
        method (``nan`` when x or y is constant: Excel's CORREL shows ``#DIV/0!``). For a 2-D
        ``known_y``, three arrays of length ``n_series``.

    Raises
    ------
    NotAvailableError
        Fewer than 2 points, or ``known_x`` and ``known_y`` of different sizes (``#N/A``).
    DivisionByZeroError
        All x equal (or both Mayer groups with the same mean x) (``#DIV/0!``).

    Notes
    -----
    Least squares:

    .. math:: a = \\frac{\\sum (x - \\bar x)(y - \\bar y)}{\\sum (x - \\bar x)^2}, \\quad
              b = \\bar y - a \\bar x, \\quad
              r = \\frac{\\sum (x - \\bar x)(y - \\bar y)}{\\sqrt{\\sum (x - \\bar x)^2 \\sum (y - \\bar y)^2}}

    Extreme points: :math:`a = (y_n - y_1)/(x_n - x_1)`, :math:`b = y_1 - a x_1`.
    Mayer: mean points :math:`G_1(\\bar x_1, \\bar y_1)`, :math:`G_2(\\bar x_2, \\bar y_2)`,
    :math:`a = (\\bar y_2 - \\bar y_1)/(\\bar x_2 - \\bar x_1)`, :math:`b = \\bar y_1 - a \\bar x_1`.

    Examples
    --------
    Correction GB TSGE, exercice 1 (fr.scribd.com/document/636115310): sales 2011-2016,
    published y = 68.6 x + 821.4.

    >>> a, b, r = linear_trend([842, 1095, 922, 1154, 1058, 1298])
    >>> round(a, 1), round(b, 1)
    (68.6, 821.4)

    « Prévisions des ventes » (fr.scribd.com/document/369107768): points extrêmes
    y = 7.5 x + 592.5, Mayer (3 + 2 points) y = 9 x + 587.

    >>> linear_trend([600, 605, 610, 625, 630], method="extreme_points")[:2]
    (7.5, 592.5)
    >>> linear_trend([600, 605, 610, 625, 630], method="mayer")[:2]
    (9.0, 587.0)
    """
    method = _option(method, "method", TREND_METHODS, "least_squares")
    y, single = _panel(known_y)
    _need(y.shape[1], 2)
    x = _known_x(known_x, y.shape)
    a, b, r, zero = _trend_panel(y, x, method)
    a, b, r = _settle(single, [(zero, DivisionByZeroError, "toutes les valeurs de x sont égales", "known_x")],
                      a, b, r)
    if single:
        return float(a[0]), float(b[0]), float(r[0])
    return a, b, r


def trend_forecast(new_x, known_y, known_x=None, method="least_squares"):
    """Forecast on the linear trend: ``a·new_x + b`` (Excel's FORECAST.LINEAR / TREND for least squares).

    Parameters
    ----------
    new_x : array_like
        The x to forecast (a rank such as n + 1); broadcasts.
    known_y, known_x, method
        As in :func:`linear_trend`. With a 2-D ``known_y`` the result has shape
        ``(n_series,) + shape(new_x)``.

    Returns
    -------
    float or ndarray
        A Python float for a scalar ``new_x`` and one series, else an ndarray.

    Notes
    -----
    .. math:: \\hat y = a \\cdot x_{new} + b

    Examples
    --------
    Correction GB TSGE, exercice 1: forecasts for 2017 (x = 7) and 2018 (x = 8),
    published 1 301.6 and 1 370.2 (from the rounded a = 68.6 and b = 821.4).

    >>> trend_forecast([7, 8], [842, 1095, 922, 1154, 1058, 1298]).round(1).tolist()
    [1301.6, 1370.2]
    """
    nx = as_float(new_x, "new_x")
    if not np.all(np.isfinite(nx)):
        raise BadValueError("nombre invalide", "new_x")
    y, single = _panel(known_y)
    a, b, _r = linear_trend(known_y, known_x, method)
    if single:
        result = a * nx + b
        return float(result) if result.ndim == 0 else result
    expand = (-1,) + (1,) * nx.ndim
    return a.reshape(expand) * nx + b.reshape(expand)


# ---------------------------------------------------------------------------------------------
# moving averages and seasonal coefficients
# ---------------------------------------------------------------------------------------------


def _moving_average(y: np.ndarray, order: int) -> np.ndarray:
    n = y.shape[1]
    if order % 2:
        weights = np.full(order, 1.0 / order)
    else:
        weights = np.r_[0.5, np.ones(order - 1), 0.5] / order
    width = weights.size
    half = width // 2
    out = np.full(y.shape, np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(y, width, axis=-1)
    out[:, half:n - half] = windows @ weights
    return out


def moving_average(known_y, order):
    """Centred moving average (moyenne mobile centrée), aligned with the data.

    Parameters
    ----------
    known_y : array_like
        The series (1-D), or ``(n_series, n_periods)`` to smooth every row at once.
    order : int
        Number of periods averaged (4 for quarters, 12 for months), at least 2.

    Returns
    -------
    ndarray
        Same shape as ``known_y``; ``nan`` where the average is undefined (the first and last
        ``order // 2`` values).

    Raises
    ------
    NotAvailableError
        Fewer than ``order`` values (``order + 1`` for an even order) (``#N/A``).
    DomainError
        ``order`` not a whole number ≥ 2 (``#NUM!``).

    Notes
    -----
    Odd order :math:`2m + 1`: :math:`MM_t = \\frac{1}{2m+1}\\sum_{k=-m}^{m} y_{t+k}`.
    Even order :math:`2m` (half-weighted ends):

    .. math:: MMC_t = \\frac{\\tfrac12 y_{t-m} + y_{t-m+1} + \\dots + y_{t+m-1} + \\tfrac12 y_{t+m}}{2m}

    Examples
    --------
    Aunege, variations saisonnières (ressources.aunege.fr, grain 3): quarterly oyster sales
    2010-2013, MMC of order 4 from t3 = 63.125.

    >>> y = [52, 36, 69, 89, 65, 45, 86, 111, 81, 56, 108, 139, 102, 70, 135, 174]
    >>> moving_average(y, 4)[:5]
    array([   nan,    nan, 63.125, 65.875, 69.125])
    """
    k = _integer(order, "order", 2)
    y, single = _panel(known_y)
    _need(y.shape[1], k + 1 - k % 2)
    return _out(_moving_average(y, k), single)


def _season_means(values: np.ndarray, period: int) -> np.ndarray:
    """Mean of the finite values of each season (column ``i % period``), row by row."""
    s, n = values.shape
    blocks = -(-n // period)
    padded = np.full((s, blocks * period), np.nan)
    padded[:, :n] = values
    cube = padded.reshape(s, blocks, period)
    ok = np.isfinite(cube)
    count = ok.sum(axis=1)
    total = np.where(ok, cube, 0.0).sum(axis=1)
    with np.errstate(all="ignore"):
        return total / count


def _season_index(n: int, period: int, start: int = 0) -> np.ndarray:
    return (np.arange(start, start + n)) % period


def _min_length(period: int, method: str) -> int:
    """Values needed for every season to get at least one ratio."""
    if method == "moving_average":
        return 2 * period if period % 2 == 0 else 2 * period - 1
    return period


def _coefficients(y: np.ndarray, period: int, method: str, model: str):
    """Normalised coefficients ``(n_series, period)`` and the per-series checks."""
    n = y.shape[1]
    t = np.arange(1.0, n + 1.0)
    checks = []
    if model == "multiplicative":
        checks.append((np.any(y < 0, axis=1), DomainError,
                       "le modèle multiplicatif demande des valeurs positives (essayez le modèle additif)",
                       "known_y"))
    if method == "average":
        raw = _season_means(y, period)
    else:
        if method == "moving_average":
            base = _moving_average(y, period)
        else:
            a, b, _r, _sxx = _least_squares(t, y)
            base = a[:, None] * t + b[:, None]
        if model == "multiplicative":
            positive = np.where(np.isfinite(base), base > 0, True)
            checks.append((~np.all(positive, axis=1), DomainError,
                           "tendance nulle ou négative : le modèle multiplicatif ne s'applique pas", "known_y"))
            with np.errstate(all="ignore"):
                ratios = y / base
        else:
            ratios = y - base
        raw = _season_means(ratios, period)
    if model == "multiplicative":
        level = raw.mean(axis=1, keepdims=True)
        checks.append((~(level[:, 0] > 0), DivisionByZeroError,
                       "moyenne des coefficients nulle : le modèle multiplicatif ne s'applique pas", "known_y"))
        with np.errstate(all="ignore"):
            coefficients = raw / level
    else:
        coefficients = raw - raw.mean(axis=1, keepdims=True)
    return coefficients, checks


def _seasonal_setup(known_y, period, method, model, default_method):
    p = _integer(period, "period", 2)
    method = _option(method, "method", SEASONAL_METHODS, default_method)
    model = _option(model, "model", MODELS, "multiplicative")
    y, single = _panel(known_y)
    _need(y.shape[1], max(_min_length(p, method), 2), what=f"valeurs (period = {p}, méthode {method})")
    return y, single, p, method, model


def seasonal_coefficients(known_y, period, method="moving_average", model="multiplicative"):
    """Seasonal coefficients (coefficients saisonniers), season 1 first.

    Parameters
    ----------
    known_y : array_like
        The series in time order (1-D), or ``(n_series, n_periods)`` for many series at once.
        Season 1 is the season of the first observation.
    period : int
        Seasons per cycle (4 quarters, 12 months…), at least 2.
    method : {"moving_average", "ratio_to_trend", "average"}, default "moving_average"
        * ``"moving_average"``: ratios to the centred moving average of order ``period``
          (needs 2 cycles for an even period, 2 cycles less one value for an odd one);
        * ``"ratio_to_trend"``: ratios to the least-squares trend on t = 1..n (one cycle at least);
        * ``"average"``: season mean over the cycles / mean of the season means (one cycle at least).
    model : {"multiplicative", "additive"}, default "multiplicative"
        Ratios ``y / base`` or differences ``y − base``.

    Returns
    -------
    ndarray
        Shape ``(period,)`` (or ``(n_series, period)``). Multiplicative coefficients have mean 1
        (sum = period); additive ones sum to 0.

    Raises
    ------
    NotAvailableError
        Too few values for every season to get a ratio (``#N/A``).
    DomainError
        Bad ``period`` (``#NUM!``); negative values or a non-positive trend with the
        multiplicative model (``#NUM!``).
    BadValueError
        Unknown method or model (``#VALUE!``).

    Notes
    -----
    Raw coefficient of season j: the mean over the cycles of the ratios :math:`y_t / B_t` (or
    differences :math:`y_t - B_t`) of that season, :math:`B` being the centred moving average or
    the trend. Normalisation (the manuals' rule: the *mean* of the coefficients is 1, not their
    product):

    .. math:: S'_j = \\frac{S_j}{\\frac1p \\sum_k S_k} \\qquad \\text{or} \\qquad S'_j = S_j - \\frac1p \\sum_k S_k

    Examples
    --------
    Aunege (ressources.aunege.fr, grain 3), oyster sales by quarter 2010-2013: published
    centred coefficients 0.943, 0.607, 1.096, 1.354.

    >>> y = [52, 36, 69, 89, 65, 45, 86, 111, 81, 56, 108, 139, 102, 70, 135, 174]
    >>> seasonal_coefficients(y, 4).round(3)
    array([0.943, 0.607, 1.096, 1.354])
    """
    y, single, p, method, model = _seasonal_setup(known_y, period, method, model, "moving_average")
    coefficients, checks = _coefficients(y, p, method, model)
    (coefficients,) = _settle(single, checks, coefficients)
    return _out(coefficients, single)


def deseasonalize(known_y, period, method="moving_average", model="multiplicative"):
    """Deseasonalised series (série corrigée des variations saisonnières, CVS).

    Parameters
    ----------
    known_y, period, method, model
        As in :func:`seasonal_coefficients` (2-D ``known_y``: one series per row).

    Returns
    -------
    ndarray
        Same shape as ``known_y``: ``y / S'`` (multiplicative) or ``y − S'`` (additive), with the
        coefficient of each value's season; ``nan`` where a multiplicative coefficient is 0 (a
        season that never sells).

    Notes
    -----
    .. math:: CVS_t = \\frac{y_t}{S'_{j(t)}} \\qquad \\text{or} \\qquad CVS_t = y_t - S'_{j(t)}

    Examples
    --------
    Aunege, oyster sales: 2010 Q1 = 52 with S'1 = 0.943 gives a CVS of about 55.1.

    >>> y = [52, 36, 69, 89, 65, 45, 86, 111, 81, 56, 108, 139, 102, 70, 135, 174]
    >>> round(float(deseasonalize(y, 4)[0]), 1)
    55.1
    """
    y, single, p, method, model = _seasonal_setup(known_y, period, method, model, "moving_average")
    coefficients, checks = _coefficients(y, p, method, model)
    (coefficients,) = _settle(single, checks, coefficients)
    tiled = coefficients[:, _season_index(y.shape[1], p)]
    with np.errstate(all="ignore"):
        result = y / tiled if model == "multiplicative" else y - tiled
    return _out(result, single)


def seasonal_forecast(known_y, period, horizon=None, method="ratio_to_trend", model="multiplicative"):
    """The manuals' seasonal forecast: least-squares trend × (or +) seasonal coefficient.

    Parameters
    ----------
    known_y : array_like
        The series in time order (1-D), or ``(n_series, n_periods)`` for many series at once.
    period : int
        Seasons per cycle, at least 2.
    horizon : int, optional
        Number of future periods (default: ``period``, one cycle).
    method : {"ratio_to_trend", "moving_average", "average"}, default "ratio_to_trend"
        How the coefficients are computed (see :func:`seasonal_coefficients`).
    model : {"multiplicative", "additive"}, default "multiplicative"

    Returns
    -------
    ndarray
        Shape ``(horizon,)`` (or ``(n_series, horizon)``): the forecasts for t = n + 1 … n + horizon.

    Notes
    -----
    With :math:`T(t) = a t + b` the least-squares trend on t = 1..n — fitted on the raw series
    for ``"ratio_to_trend"`` (as the manuals do: the coefficients are ratios to that very trend),
    on the deseasonalised series (CVS) for the other methods (skipping the seasons whose
    multiplicative coefficient is 0, where the CVS is undefined; their forecast is 0):

    .. math:: \\hat y_t = T(t) \\times S'_{j(t)} \\qquad \\text{or} \\qquad \\hat y_t = T(t) + S'_{j(t)}

    For 10 000 series × 36 months the 2-D call takes a few milliseconds (one set of array
    operations; no loop over the series).

    Examples
    --------
    Devoir « La série chronologique » (fr.scribd.com/document/656483092): 3 years of quarterly
    sales, T(t) = 2.2622 t + 46.5455, S'2 = 0.826; published forecast for t = 14: 64.6071
    (with S'2 rounded to 0.826; 64.6045 with the unrounded coefficient).

    >>> y = [48, 41, 60, 65, 58, 52, 68, 74, 60, 56, 75, 78]
    >>> round(float(seasonal_forecast(y, 4)[1]), 2)  # t = 14, second quarter
    64.6
    """
    y, single, p, method, model = _seasonal_setup(known_y, period, method, model, "ratio_to_trend")
    h = _horizon(horizon, p)
    n = y.shape[1]
    coefficients, checks = _coefficients(y, p, method, model)
    if method == "ratio_to_trend":
        base = y
    else:
        tiled = coefficients[:, _season_index(n, p)]
        with np.errstate(all="ignore"):
            base = y / tiled if model == "multiplicative" else y - tiled
    t = np.arange(1.0, n + 1.0)
    a, b = _least_squares_finite(t, base)
    future = np.arange(n + 1.0, n + h + 1.0)
    trend = a[:, None] * future + b[:, None]
    season = coefficients[:, _season_index(h, p, start=n)]
    result = trend * season if model == "multiplicative" else trend + season
    (result,) = _settle(single, checks, result)
    return _out(result, single)


# ---------------------------------------------------------------------------------------------
# Holt-Winters
# ---------------------------------------------------------------------------------------------


def ets_seasonal_model(known_y, period) -> str:
    """The seasonal component :func:`ets_forecast` uses for a series: ``"multiplicative"`` or ``"additive"``.

    Rule: multiplicative when every value is positive **and** the seasonal swing grows with the
    level. The swing is measured per complete cycle (cycles counted from the first observation):
    ``A_k`` = standard deviation, within cycle k, of the residuals of the least-squares trend on
    the whole series; the level ``L_k`` = mean of the values of cycle k. The swing "grows with the
    level" when it is more stable relative to the level than in absolute terms, i.e. when the
    coefficient of variation of ``A_k / L_k`` across the cycles is strictly smaller than that of
    ``A_k``. A flat level (both equal) or no swing at all gives additive.
    """
    y = np.asarray(known_y, dtype=float).reshape(-1)
    p = int(period)
    cycles = y.size // p
    if cycles < 2 or np.any(y <= 0):
        return "additive"
    t = np.arange(1.0, y.size + 1.0)
    a, b, _r, _sxx = _least_squares(t, y[None, :])
    residuals = (y - (a[0] * t + b[0]))[: cycles * p].reshape(cycles, p)
    swing = residuals.std(axis=1)
    level = y[: cycles * p].reshape(cycles, p).mean(axis=1)
    if not np.all(swing > 0):
        return "additive"

    def variation(v):
        return v.std() / v.mean()

    return "multiplicative" if variation(swing / level) < variation(swing) else "additive"


def _ets_one(y: np.ndarray, period: int, horizon: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    seasonal = "mul" if ets_seasonal_model(y, period) == "multiplicative" else "add"
    if np.ptp(y) == 0:  # a constant series: nothing to smooth
        return np.full(horizon, y[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(
            y, trend="add", seasonal=seasonal, seasonal_periods=period, initialization_method="estimated"
        )
        fitted = model.fit(optimized=True)
        forecast = np.asarray(fitted.forecast(horizon), dtype=float)
    return forecast


def ets_forecast(known_y, period, horizon=None):
    """Holt-Winters forecast (additive trend, seasonal per the data), fitted with statsmodels.

    The modern counterpart of Excel's ``FORECAST.ETS`` — not one of the manuals' methods.

    Parameters
    ----------
    known_y : array_like
        The series in time order, at least 2 complete cycles (``2 × period`` values). A 2-D
        array ``(n_series, n_periods)`` is accepted too, but is fitted series by series (one
        statsmodels fit each, unlike the manuals' methods); a series whose fit fails gets a
        row of ``nan``.
    period : int
        Seasons per cycle, at least 2.
    horizon : int, optional
        Number of future periods (default ``period``).

    Returns
    -------
    ndarray
        Shape ``(horizon,)`` (or ``(n_series, horizon)``).

    Raises
    ------
    NotAvailableError
        Fewer than 2 complete cycles (``#N/A``).

    Notes
    -----
    ``statsmodels.tsa.holtwinters.ExponentialSmoothing(trend="add", seasonal=…,
    initialization_method="estimated")`` with its default deterministic optimiser (same data,
    same forecast). The seasonal component follows :func:`ets_seasonal_model`: multiplicative
    when all values are positive and the seasonal swing grows with the level, else additive.
    A constant series is forecast as that constant.

    Examples
    --------
    A series that repeats exactly the same cycle is forecast as that cycle.

    >>> ets_forecast([10, 20, 30, 20] * 4, 4).round(1)
    array([10., 20., 30., 20.])
    """
    p = _integer(period, "period", 2)
    h = _horizon(horizon, p)
    y, single = _panel(known_y)
    _need(y.shape[1], 2 * p, what=f"valeurs (2 saisons complètes de {p})")
    rows = []
    for row in y:
        try:
            rows.append(_ets_one(row, p, h))
        except (ValueError, ArithmeticError, np.linalg.LinAlgError):
            rows.append(np.full(h, np.nan))
    result = np.vstack(rows)
    if single and not np.all(np.isfinite(result)):
        raise NotAvailableError("le lissage de Holt-Winters n'a pas abouti sur ces données", "known_y")
    return _out(result, single)
