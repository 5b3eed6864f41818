"""Excel functions — 6. Prévision.

Layout of the spilled results:

* LINEAR_TREND spills one row ``a | b | r``;
* TREND_FORECAST has the shape of ``new_x``;
* MOVING_AVERAGE and DESEASONALIZE have the shape of ``known_y`` (a column, a row, or a table read
  row by row, e.g. one row per year and one column per quarter), blank beyond the data; blank
  where the moving average is undefined, ``#DIV/0!`` where a CVS is (coefficient 0);
* SEASONAL_COEFFICIENTS, SEASONAL_FORECAST and ETS_FORECAST follow the orientation of ``known_y``:
  a column in gives a column out, a row gives a row; a table (one row per year) gives a row when it
  has ``period`` columns (each coefficient under its season), else a column.
"""

from __future__ import annotations

import math

import numpy as np

from ..core import forecast as core
from ._convert import number, optional_number, optional_text, series
from ._excel import excel_function

_KNOWN_Y = "Valeurs observées (ventes, CA…) dans l'ordre chronologique — observed values, in time order"
_KNOWN_X = "Rangs x des valeurs (1..n par défaut) — x of each value, default 1..n"
_TREND_METHOD = (
    "Méthode : \"least_squares\" (moindres carrés, défaut), \"extreme_points\" (points extrêmes), "
    "\"mayer\" — fitting method"
)
_PERIOD = "Nombre de saisons par cycle : 4 trimestres, 12 mois… — seasons per cycle"
_SEASONAL_METHOD = (
    "Méthode des coefficients : \"moving_average\" (moyennes mobiles), \"ratio_to_trend\" "
    "(rapports à la tendance), \"average\" (moyennes) — coefficient method"
)
_MODEL = "Modèle : \"multiplicative\" (défaut) ou \"additive\" — seasonal model"
_HORIZON = "Nombre de périodes à prévoir (period par défaut) — periods ahead, default period"


def _shape(value) -> tuple[int, int]:
    """Rows and columns of what Excel sent (a single cell counts as 1 × 1)."""
    if not isinstance(value, (list, tuple)):
        return 1, 1
    if value and not isinstance(value[0], (list, tuple)):
        return 1, len(value)
    return len(value), (len(value[0]) if value else 0)


def _blank(v, undefined=""):
    return undefined if v is None or (isinstance(v, float) and not math.isfinite(v)) else float(v)


def _like_input(values, known_y, undefined=""):
    """Spill ``values`` in the cells of ``known_y`` (read row by row), blank beyond the data;
    ``undefined`` marks the values the core left undefined (``nan``)."""
    rows, cols = _shape(known_y)
    flat = [_blank(v, undefined) for v in np.asarray(values, dtype=float).tolist()]
    flat += [""] * (rows * cols - len(flat))
    return [flat[r * cols:(r + 1) * cols] for r in range(rows)]


def _oriented(values, known_y, period: int | None = None):
    """Spill a 1-D result as a column or a row, following the orientation of ``known_y``."""
    rows, cols = _shape(known_y)
    flat = [_blank(v) for v in np.asarray(values, dtype=float).tolist()]
    as_row = (rows == 1 and cols > 1) or (rows > 1 and cols > 1 and cols == period)
    if len(flat) == 1:
        return flat[0]
    return [flat] if as_row else [[v] for v in flat]


def _data(known_y, known_x=None):
    y = series(known_y, "known_y")
    x = series(known_x, "known_x", optional=True)
    return y, x


def _period(period):
    return number(period, "period", empty=None)


@excel_function(
    "Droite de tendance y = a·x + b : renvoie a, b et r (corrélation) sur une ligne. "
    "— Linear trend: spills a, b and the correlation r.",
    known_y=_KNOWN_Y,
    known_x=_KNOWN_X,
    method=_TREND_METHOD,
)
def LINEAR_TREND(known_y, known_x=None, method=None):
    y, x = _data(known_y, known_x)
    a, b, r = core.linear_trend(y, x, optional_text(method, "method", None))
    # r is undefined when y (or x) is constant: CORREL shows #DIV/0!.
    return [[a, b, r if math.isfinite(r) else "#DIV/0!"]]


@excel_function(
    "Prévision sur la droite de tendance : a·x + b (plage de x : renvoie une plage). "
    "— Forecast on the linear trend.",
    new_x="Rang(s) x à prévoir, par ex. n + 1 (nombre ou plage) — x to forecast",
    known_y=_KNOWN_Y,
    known_x=_KNOWN_X,
    method=_TREND_METHOD,
)
def TREND_FORECAST(new_x, known_y, known_x=None, method=None):
    y, x = _data(known_y, known_x)
    return core.trend_forecast(number(new_x, "new_x"), y, x, optional_text(method, "method", None))


@excel_function(
    "Moyenne mobile centrée, alignée sur les données (vide aux extrémités). "
    "— Centred moving average, aligned with the data.",
    known_y=_KNOWN_Y,
    order="Ordre : nombre de périodes de la moyenne (4 trimestres, 12 mois) — number of periods averaged",
)
def MOVING_AVERAGE(known_y, order):
    y = series(known_y, "known_y")
    return _like_input(core.moving_average(y, number(order, "order", empty=None)), known_y)


@excel_function(
    "Coefficients saisonniers (saison 1 = saison de la première valeur), de moyenne 1 "
    "(multiplicatif) ou de somme 0 (additif). — Seasonal coefficients.",
    known_y=_KNOWN_Y,
    period=_PERIOD,
    method=_SEASONAL_METHOD,
    model=_MODEL,
)
def SEASONAL_COEFFICIENTS(known_y, period, method=None, model=None):
    p = _period(period)
    result = core.seasonal_coefficients(
        series(known_y, "known_y"), p, optional_text(method, "method", None), optional_text(model, "model", None)
    )
    return _oriented(result, known_y, result.size)


@excel_function(
    "Série désaisonnalisée (CVS) : y / coefficient (ou y − coefficient en additif). "
    "— Seasonally adjusted series.",
    known_y=_KNOWN_Y,
    period=_PERIOD,
    method=_SEASONAL_METHOD,
    model=_MODEL,
)
def DESEASONALIZE(known_y, period, method=None, model=None):
    result = core.deseasonalize(
        series(known_y, "known_y"), _period(period),
        optional_text(method, "method", None), optional_text(model, "model", None),
    )
    # y / 0 where a season never sells: the CVS is undefined
    return _like_input(result, known_y, undefined="#DIV/0!")


@excel_function(
    "Prévision saisonnière des manuels : tendance (moindres carrés) × coefficient saisonnier. "
    "— Seasonal forecast: trend times seasonal coefficient.",
    known_y=_KNOWN_Y,
    period=_PERIOD,
    horizon=_HORIZON,
    method=(
        "Méthode des coefficients : \"ratio_to_trend\" (rapports à la tendance, défaut), "
        "\"moving_average\", \"average\" — coefficient method"
    ),
    model=_MODEL,
)
def SEASONAL_FORECAST(known_y, period, horizon=None, method=None, model=None):
    p = _period(period)
    result = core.seasonal_forecast(
        series(known_y, "known_y"), p, optional_number(horizon, "horizon", None),
        optional_text(method, "method", None), optional_text(model, "model", None),
    )
    return _oriented(result, known_y, int(p) if float(p).is_integer() else None)


@excel_function(
    "Prévision de Holt-Winters (lissage exponentiel, tendance additive, saisonnalité selon les données). "
    "— Holt-Winters forecast (statsmodels).",
    known_y="Valeurs observées, au moins 2 cycles complets — observed values, at least 2 full cycles",
    period=_PERIOD,
    horizon=_HORIZON,
)
def ETS_FORECAST(known_y, period, horizon=None):
    p = _period(period)
    result = core.ets_forecast(series(known_y, "known_y"), p, optional_number(horizon, "horizon", None))
    return _oriented(result, known_y, int(p) if float(p).is_integer() else None)
