"""Coûts et rentabilité: contribution margin, breakeven (value, quantity, days, date), safety
margin and index, operating leverage, ROI.

French definitions (BTS manuals): MCV = CA − charges variables; seuil de rentabilité
SR = CF / taux de MCV; point mort = the day the SR is reached (360-day commercial year by
default, months of 30 days). Every scalar function broadcasts like a numpy ufunc.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ._vector import as_float, as_series, guard
from .errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "contribution_margin",
    "breakeven",
    "breakeven_qty",
    "breakeven_days",
    "breakeven_date",
    "safety_margin",
    "safety_index",
    "operating_leverage",
    "roi",
]

#: Tolerance (money) between the sum of ``period_revenues`` and ``revenue``.
PERIOD_SUM_TOLERANCE = 0.01

_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


def contribution_margin(revenue, variable_costs):
    """Marge sur coût variable (MCV): revenue minus variable costs.

    Parameters
    ----------
    revenue : array_like
        Chiffre d'affaires HT (or unit selling price for a unit MCV).
    variable_costs : array_like
        Charges variables (or unit variable cost).

    Returns
    -------
    float or ndarray
        ``revenue - variable_costs``.

    Notes
    -----
    .. math:: MCV = CA - CV

    Examples
    --------
    Gualino, *Exercices corrigés d'analyse financière*, corrigé 4 (nxtbook.com): CA 2 066 000 €,
    charges variables 43 % of CA → MCV 1 177 620 €.

    >>> contribution_margin(2066000, 0.43 * 2066000)
    1177620.0
    """
    r, v = as_float(revenue, "revenue"), as_float(variable_costs, "variable_costs")
    return guard(r - v)


def _breakeven_checks(f, r, v):
    with np.errstate(all="ignore"):
        mcv = r - v
    return [
        (~np.isfinite(f) | ~np.isfinite(r) | ~np.isfinite(v), BadValueError, "nombre invalide", None),
        (r == 0, DivisionByZeroError, "chiffre d'affaires nul", "revenue"),
        (r < 0, DomainError, "chiffre d'affaires négatif", "revenue"),
        (f < 0, DomainError, "charges fixes négatives", "fixed_costs"),
        (mcv <= 0, DomainError, "marge sur coût variable nulle ou négative : seuil jamais atteint", "variable_costs"),
    ]


def breakeven(fixed_costs, revenue, variable_costs):
    """Seuil de rentabilité in value: the revenue at which the MCV covers the fixed costs.

    Parameters
    ----------
    fixed_costs : array_like
        Charges fixes of the period (≥ 0).
    revenue : array_like
        Chiffre d'affaires HT of the period; zero gives ``#DIV/0!``.
    variable_costs : array_like
        Charges variables of the period; ``#NUM!`` when they reach the revenue (MCV ≤ 0).

    Returns
    -------
    float or ndarray
        ``fixed_costs / ((revenue - variable_costs) / revenue)``.

    Notes
    -----
    .. math:: SR = \\frac{CF}{\\text{taux de MCV}} = \\frac{CF}{(CA - CV) / CA}

    Examples
    --------
    IUT en ligne, TD 6 exercice 1: CA 375 000 €, MCV 93 750 € (taux 25 %), CF 62 500 € →
    SR 250 000 €.

    >>> breakeven(62500, 375000, 375000 - 93750)
    250000.0
    """
    f = as_float(fixed_costs, "fixed_costs")
    r = as_float(revenue, "revenue")
    v = as_float(variable_costs, "variable_costs")
    with np.errstate(all="ignore"):
        result = f * r / (r - v)
    return guard(result, _breakeven_checks(f, r, v))


def breakeven_qty(fixed_costs, unit_price, unit_variable_cost):
    """Seuil de rentabilité in quantity: fixed costs over the unit MCV.

    Parameters
    ----------
    fixed_costs : array_like
        Charges fixes (≥ 0).
    unit_price : array_like
        Unit selling price HT.
    unit_variable_cost : array_like
        Unit variable cost; ``#NUM!`` when it reaches the price (unit MCV ≤ 0: never profitable).

    Returns
    -------
    float or ndarray
        ``fixed_costs / (unit_price - unit_variable_cost)`` (not rounded: the manuals round up
        to the next whole unit, ``=ARRONDI.SUP(...;0)``).

    Notes
    -----
    .. math:: SR_{q} = \\frac{CF}{PV - CV_u}

    Examples
    --------
    Figures of Gualino, *Exercices corrigés d'analyse financière*, corrigé 5 (nxtbook.com): 300
    units sold 30,50 € with 4 575 € of variable costs (unit MCV 15,25 €) and 1 220 € of fixed
    costs → 80 units.

    >>> breakeven_qty(1220, 30.5, 15.25)
    80.0
    """
    f = as_float(fixed_costs, "fixed_costs")
    p = as_float(unit_price, "unit_price")
    c = as_float(unit_variable_cost, "unit_variable_cost")
    with np.errstate(all="ignore"):
        mcv = p - c
        result = f / mcv
    return guard(
        result,
        [
            (f < 0, DomainError, "charges fixes négatives", "fixed_costs"),
            (mcv <= 0, DomainError, "marge unitaire nulle ou négative : seuil jamais atteint", "unit_variable_cost"),
        ],
    )


def _period_crossing(sr, periods, days_per_year):
    """Days from the start of the year to the cumulative crossing of ``sr`` (array or scalar)."""
    n = periods.size
    cumulative = np.cumsum(periods)
    sr = np.asarray(sr, dtype=float)
    safe = np.where(np.isfinite(sr), sr, 0.0)
    index = np.searchsorted(cumulative, safe, side="left")  # first period with cum >= sr
    reached = index < n
    k = np.minimum(index, n - 1)
    before = np.where(k > 0, cumulative[np.maximum(k - 1, 0)], 0.0)
    inside = periods[k]
    with np.errstate(all="ignore"):
        fraction = np.where(inside > 0, (safe - before) / inside, 0.0)
    days = (k + np.clip(fraction, 0.0, 1.0)) * (days_per_year / n)
    days = np.where(safe <= 0, 0.0, days)
    return days, reached


def breakeven_days(fixed_costs, revenue, variable_costs, days_per_year=360, period_revenues=None):
    """Point mort: the number of days from the start of the year until the breakeven is reached.

    Parameters
    ----------
    fixed_costs, revenue, variable_costs : array_like
        As in :func:`breakeven` (annual amounts).
    days_per_year : array_like, default 360
        Length of the year: 360 (commercial year, months of 30 days), 365, or the number of
        opening days when the business closes part of the year.
    period_revenues : sequence of float, optional
        Revenue of each of ``n`` equal periods (4 quarters, 12 months…), in order; they must add
        up to ``revenue`` within a cent (``#N/A`` otherwise). The breakeven is then located in
        the period where the cumulative revenue reaches it, by linear interpolation inside that
        period (each period lasts ``days_per_year / n`` days).

    Returns
    -------
    float or ndarray
        Days (not rounded). ``#NUM!`` when the breakeven exceeds the yearly revenue (never
        reached within the year).

    Notes
    -----
    .. math::
        PM = \\frac{SR}{CA} \\times 360 \\qquad \\text{(regular activity)}

        PM = \\left(k + \\frac{SR - \\sum_{i<k} CA_i}{CA_k}\\right) \\frac{360}{n} \\qquad
        \\text{(seasonal: } k \\text{ periods before the crossing)}

    Examples
    --------
    UNIT, kit gestion ingénieur, 6.2.2: quarters 120 000 / 150 000 / 260 000 / 60 000 €,
    charges variables 80 %, CF 100 000 € → SR 500 000 €, reached 79.6 days into Q3
    (published rounded to 80 days), i.e. day 259.6 of a 360-day year.

    >>> quarters = [120000, 150000, 260000, 60000]
    >>> round(breakeven_days(100000, 590000, 0.8 * 590000, 360, quarters), 1)
    259.6
    """
    f = as_float(fixed_costs, "fixed_costs")
    r = as_float(revenue, "revenue")
    v = as_float(variable_costs, "variable_costs")
    d = as_float(days_per_year, "days_per_year")
    checks = _breakeven_checks(f, r, v)
    checks.append((~(d > 0), DomainError, "nombre de jours par an nul ou négatif", "days_per_year"))
    with np.errstate(all="ignore"):
        sr = f * r / (r - v)
    if period_revenues is None:
        with np.errstate(all="ignore"):
            result = sr / r * d
        checks.append((sr > r, DomainError, "seuil de rentabilité supérieur au chiffre d'affaires : jamais atteint", None))
        return guard(result, checks)
    periods = as_series(period_revenues, "period_revenues")
    if np.any(periods < 0):
        raise DomainError("chiffre d'affaires de période négatif", "period_revenues")
    days, reached = _period_crossing(sr, periods, 1.0)
    with np.errstate(all="ignore"):
        result = days * d
    total = float(periods.sum())
    shown = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    checks.append(
        (
            np.abs(r - total) > PERIOD_SUM_TOLERANCE,
            NotAvailableError,
            f"la somme des périodes ({shown}) diffère du chiffre d'affaires",
            "period_revenues",
        )
    )
    checks.append((~reached, DomainError, "seuil de rentabilité jamais atteint dans l'année", None))
    return guard(result, checks)


def _start_serial(start_date):
    if isinstance(start_date, (dt.date, dt.datetime)):
        if isinstance(start_date, dt.datetime):
            start_date = start_date.date()
        return float((np.datetime64(start_date, "D") - _EXCEL_EPOCH).astype(int))
    if isinstance(start_date, np.datetime64):
        return float((start_date.astype("datetime64[D]") - _EXCEL_EPOCH).astype(int))
    return as_float(start_date, "start_date")


def _add_30_day_months(start, day_index):
    """Date of day ``day_index`` (0-based) counted in 30-day months from ``start`` (datetime64[D])."""
    months = day_index // 30
    offset = day_index - 30 * months
    start_month = start.astype("datetime64[M]")
    day_of_month = (start - start_month.astype("datetime64[D]")).astype(int)
    target_month = start_month + months
    month_length = ((target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")).astype(int)
    anniversary = target_month.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1)
    next_month = target_month + 1
    next_length = ((next_month + 1).astype("datetime64[D]") - next_month.astype("datetime64[D]")).astype(int)
    next_anniversary = next_month.astype("datetime64[D]") + np.minimum(day_of_month, next_length - 1)
    # day 30 of a short month (February) stays in that month: never past the next anniversary.
    return np.minimum(anniversary + offset, next_anniversary - 1)


#: Excel's last date, 31 December 9999.
_LAST_EXCEL_DATE = 2958465


def breakeven_date(fixed_costs, revenue, variable_costs, start_date, days_per_year=360, period_revenues=None):
    """Date of the point mort, as an Excel date serial number (1900 date system).

    Parameters
    ----------
    fixed_costs, revenue, variable_costs : array_like
        As in :func:`breakeven` (amounts of the year that starts on ``start_date``).
    start_date : float, array_like, datetime.date or datetime.datetime
        First day of the year: an Excel serial number (1 January 2026 = 46023) or a date.
    days_per_year : array_like, default 360
        360: the manuals' convention, months of 30 days counted from ``start_date``; any other
        value: calendar days from ``start_date``.
    period_revenues : sequence of float, optional
        Seasonal revenue per equal period, as in :func:`breakeven_days`.

    Returns
    -------
    float or ndarray
        Excel serial of the day the breakeven is reached (format the cell as a date).

    Notes
    -----
    The day reached is the integer part of the point mort plus one (formulas.md §3): with
    ``PM`` days and day 1 = ``start_date``, the date is ``start_date + floor(PM)`` in calendar
    days, or, with 360 days, ``floor(PM) // 30`` whole months after ``start_date`` then
    ``floor(PM) mod 30`` days (kept inside that month: day 30 of February is its last day).
    So 243.33 days from 1 January is 4 September, 259.6 days is 20 September. A point mort
    that is a whole number of days (240.0) gives the next day (1 September), not the evening
    of the day before.

    Examples
    --------
    UNIT, kit gestion ingénieur, 6.2.2 (seasonal quarters, 360 days): published "20 septembre".
    With the year starting 1 January 2026 (serial 46023), 20 September 2026 is 46285.

    >>> quarters = [120000, 150000, 260000, 60000]
    >>> breakeven_date(100000, 590000, 0.8 * 590000, 46023, 360, quarters)
    46285.0
    """
    start = _start_serial(start_date)
    days = breakeven_days(fixed_costs, revenue, variable_costs, days_per_year, period_revenues)
    d = as_float(days_per_year, "days_per_year")
    s = np.asarray(start, dtype=float)
    bad_start = ~np.isfinite(s) | (s < 1)
    days_arr = np.asarray(days, dtype=float)
    shape = np.broadcast_shapes(days_arr.shape, s.shape, d.shape)
    days_b, s_b, d_b = (np.broadcast_to(a, shape) for a in (days_arr, s, d))
    ok = np.isfinite(days_b) & np.isfinite(s_b) & (s_b >= 1)
    index = np.where(ok, np.floor(np.where(ok, days_b, 0.0)), 0).astype(np.int64)
    start_days = _EXCEL_EPOCH + np.where(ok, np.floor(np.where(ok, s_b, 1.0)), 1).astype(np.int64)
    commercial = _add_30_day_months(start_days, index)
    calendar = start_days + index
    target = np.where(d_b == 360, commercial, calendar)
    result = (target - _EXCEL_EPOCH).astype(np.int64).astype(float)
    result = np.where(ok, result, np.nan)
    return guard(result, [(bad_start, DomainError, "date de début invalide", "start_date"),
                          (result > _LAST_EXCEL_DATE, DomainError, "date après le 31/12/9999", "start_date")])


def safety_margin(revenue, breakeven):
    """Marge de sécurité: how much revenue can be lost before making a loss.

    Parameters
    ----------
    revenue : array_like
        Chiffre d'affaires HT.
    breakeven : array_like
        Seuil de rentabilité (see :func:`breakeven`).

    Returns
    -------
    float or ndarray
        ``revenue - breakeven``.

    Notes
    -----
    .. math:: MS = CA - SR

    Examples
    --------
    Maxicours, « Le risque d'exploitation »: CA 2 000 000 €, SR 1 250 000 € → MS 750 000 €.

    >>> safety_margin(2000000, 1250000)
    750000.0
    """
    r, b = as_float(revenue, "revenue"), as_float(breakeven, "breakeven")
    return guard(r - b)


def safety_index(revenue, breakeven):
    """Indice de sécurité: the safety margin as a share of revenue (maximum fall before a loss).

    Parameters
    ----------
    revenue : array_like
        Chiffre d'affaires HT; zero gives ``#DIV/0!``.
    breakeven : array_like
        Seuil de rentabilité.

    Returns
    -------
    float or ndarray
        ``(revenue - breakeven) / revenue``.

    Notes
    -----
    .. math:: IS = \\frac{CA - SR}{CA} = \\frac{1}{\\text{levier opérationnel}}

    Examples
    --------
    Studi, « Indice de sécurité »: CA 4 700 000 €, SR 2 678 571,43 € → IS 43,01 %.

    >>> round(safety_index(4700000, 2678571.43), 4)
    0.4301
    """
    r, b = as_float(revenue, "revenue"), as_float(breakeven, "breakeven")
    with np.errstate(all="ignore"):
        result = (r - b) / r
    return guard(result, [(r == 0, DivisionByZeroError, "chiffre d'affaires nul", "revenue")])


def operating_leverage(revenue, variable_costs, fixed_costs):
    """Levier opérationnel (d'exploitation): elasticity of the operating result to revenue.

    Parameters
    ----------
    revenue : array_like
        Chiffre d'affaires HT.
    variable_costs : array_like
        Charges variables.
    fixed_costs : array_like
        Charges fixes; a result of zero (MCV = CF) gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``MCV / (MCV - fixed_costs)``; negative when the company makes a loss.

    Notes
    -----
    .. math:: LO = \\frac{\\Delta R / R}{\\Delta CA / CA} = \\frac{MCV}{R} = \\frac{1}{IS}

    Valid when fixed costs stay constant and variable costs proportional.

    Examples
    --------
    Studi, « Indice de sécurité »: CA 4 700 000 €, taux de MCV 28 %, CF 750 000 € →
    MCV 1 316 000 €, résultat 566 000 €, levier 2.325 (= 1 / 43,01 %).

    >>> round(operating_leverage(4700000, 0.72 * 4700000, 750000), 3)
    2.325
    """
    r = as_float(revenue, "revenue")
    v = as_float(variable_costs, "variable_costs")
    f = as_float(fixed_costs, "fixed_costs")
    with np.errstate(all="ignore"):
        mcv = r - v
        result = mcv / (mcv - f)
    return guard(result, [(mcv - f == 0, DivisionByZeroError, "résultat nul : levier infini", "fixed_costs")])


def roi(gain, cost):
    """Retour sur investissement of a commercial action.

    Parameters
    ----------
    gain : array_like
        What the action brought: the extra **margin** it generated (not the revenue).
    cost : array_like
        Cost of the action; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``(gain - cost) / cost``.

    Notes
    -----
    .. math:: ROI = \\frac{gain - coût}{coût}

    Examples
    --------
    An action costing 2 000 € that brings 5 000 € of extra margin returns 150 %.

    >>> roi(5000, 2000)
    1.5
    """
    g, c = as_float(gain, "gain"), as_float(cost, "cost")
    with np.errstate(all="ignore"):
        result = (g - c) / c
    return guard(result, [(c == 0, DivisionByZeroError, "coût nul", "cost")])
