"""Excel functions — 10. Beyond the manuals: automatic forecast by back-testing.

Layout of the spilled results:

* FORECAST_AUTO follows the orientation of ``known_y`` (as SEASONAL_FORECAST does): a column in
  gives a column out, a row gives a row; a table (one row per year) gives a row when it has
  ``period`` columns (next year's row), else a column;
* FORECAST_AUTO_REPORT spills a table with a header row — Méthode | Fenêtre | MAPE back-test |
  Choisie — then one row per candidate, best first; the MAPE is a decimal (format the column as
  %), blank for a candidate that could not be fitted; TRUE on exactly one row, the method whose
  forecast FORECAST_AUTO returns.
"""

from __future__ import annotations

import numpy as np

from ..core.forecast_auto import REPORT_HEADER, forecast_auto, forecast_auto_report
from ._convert import number, optional_number, series
from ._excel import excel_function

_KNOWN_Y = "Valeurs observées (ventes, CA…) dans l'ordre chronologique — observed values, in time order"
_PERIOD = "Nombre de saisons par cycle : 4 trimestres, 12 mois… — seasons per cycle"
_HORIZON = "Nombre de périodes à prévoir (period par défaut) — periods ahead, default period"


def _shape(value) -> tuple[int, int]:
    """Rows and columns of what Excel sent (a single cell counts as 1 × 1)."""
    if not isinstance(value, (list, tuple)):
        return 1, 1
    if value and not isinstance(value[0], (list, tuple)):
        return 1, len(value)
    return len(value), (len(value[0]) if value else 0)


def _oriented(values: np.ndarray, known_y, period: float):
    """A 1-D result as a column or a row, following the orientation of ``known_y``."""
    rows, cols = _shape(known_y)
    flat = [float(v) for v in np.asarray(values, dtype=float).tolist()]
    if len(flat) == 1:
        return flat[0]
    as_row = (rows == 1 and cols > 1) or (rows > 1 and cols > 1 and cols == period)
    return [flat] if as_row else [[v] for v in flat]


def _arguments(known_y, period, horizon):
    return (
        series(known_y, "known_y"),
        number(period, "period", empty=None),
        optional_number(horizon, "horizon", None),
    )


@excel_function(
    "Prévision automatique : la méthode qui aurait le mieux prévu votre historique (back-test). "
    "— Automatic forecast: the method that back-tests best on the history.",
    known_y=_KNOWN_Y,
    period=_PERIOD,
    horizon=_HORIZON,
)
def FORECAST_AUTO(known_y, period, horizon=None):
    y, p, h = _arguments(known_y, period, horizon)
    return _oriented(forecast_auto(y, p, h), known_y, p)


@excel_function(
    "Tableau du back-test de PREVISION AUTO : méthode, fenêtre, MAPE, choisie. "
    "— Back-test table behind FORECAST_AUTO: method, window, MAPE, chosen.",
    known_y=_KNOWN_Y,
    period=_PERIOD,
    horizon=_HORIZON,
)
def FORECAST_AUTO_REPORT(known_y, period, horizon=None):
    y, p, h = _arguments(known_y, period, horizon)
    rows = forecast_auto_report(y, p, h)
    return [list(REPORT_HEADER)] + [
        [row.method, row.window, "" if row.mape is None else row.mape, bool(row.chosen)] for row in rows
    ]
