"""Rémunération des commerciaux: commission by tiers, bonus on target, employer cost.

French definitions (BTS manuals): a *commission progressive par tranches* applies each rate to
the part of the amount inside its tier; a *commission par paliers (taux global)* applies the
rate of the tier reached to the whole amount. Functions broadcast over the amount
(or attainment): the grid (thresholds and rates) is shared by every element.
"""

from __future__ import annotations

import numpy as np

from ._vector import as_float, as_series, guard, same_length
from .errors import BadValueError, DomainError

__all__ = ["commission", "bonus", "employer_cost"]

#: Accepted spellings of the modes (case-insensitive), French and English.
COMMISSION_MODES = {
    "progressive": "progressive",
    "progressif": "progressive",
    "tranches": "progressive",
    "tranche": "progressive",
    "flat": "flat",
    "palier": "flat",
    "paliers": "flat",
    "global": "flat",
}
BONUS_MODES = {
    "step": "step",
    "palier": "step",
    "paliers": "step",
    "linear": "linear",
    "lineaire": "linear",
    "linéaire": "linear",
}


def _mode(value, modes, name):
    key = str(value).strip().lower()
    if key not in modes:
        choices = ", ".join(sorted({v for v in modes.values()}))
        raise BadValueError(f"mode inconnu « {value} » (attendu : {choices})", name)
    return modes[key]


def _grid(thresholds, values, threshold_name, value_name):
    t = as_series(thresholds, threshold_name)
    v = as_series(values, value_name)
    same_length(**{threshold_name: t, value_name: v})
    if np.any(np.diff(t) <= 0):
        raise DomainError("les seuils doivent être strictement croissants", threshold_name)
    return t, v


def commission(amount, thresholds, rates, mode="progressive"):
    """Commission on an amount (revenue, margin…) from a grid of tiers.

    Parameters
    ----------
    amount : array_like
        Amount the commission is computed on (broadcasts: one commission per amount).
    thresholds : sequence of float
        Lower bound of each tier, strictly ascending; the first one is usually 0.
    rates : sequence of float
        One rate per tier (≥ 0); ``#N/A`` when the lengths differ.
    mode : {"progressive", "flat"}, default "progressive"
        "progressive" (*par tranches*): each rate applies to the slice of the amount inside its
        tier. "flat" (*par paliers, taux global*): the rate of the highest tier reached applies
        to the whole amount. French spellings "tranches" and "paliers" are accepted.

    Returns
    -------
    float or ndarray
        The commission; 0 for an amount below the first threshold (in progressive mode the part
        below the first threshold earns nothing).

    Notes
    -----
    .. math::
        \\text{progressive: } \\sum_i r_i \\, \\max(0, \\min(x, s_{i+1}) - s_i) \\qquad
        \\text{flat: } r_k \\, x, \\; k = \\max\\{i : s_i \\le x\\}

    Examples
    --------
    commmarketingmuc.com (article 31165536): grid 0 / 5 000 / 8 000 / 10 000 € at
    3 / 4 / 6 / 8 %, revenue 9 500 € → 5 000 × 3 % + 3 000 × 4 % + 1 500 × 6 % = 360 €
    by tranches; the same grid read as paliers gives 9 500 × 6 % = 570 €.

    >>> grid = [0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08]
    >>> round(commission(9500, *grid), 2), round(commission(9500, *grid, mode="flat"), 2)
    (360.0, 570.0)
    """
    how = _mode(mode, COMMISSION_MODES, "mode")
    x = as_float(amount, "amount")
    t, r = _grid(thresholds, rates, "thresholds", "rates")
    if np.any(r < 0):
        raise DomainError("taux de commission négatif", "rates")
    xs = np.asarray(x, dtype=float)[..., np.newaxis]
    if how == "progressive":
        upper = np.append(t[1:], np.inf)
        with np.errstate(all="ignore"):
            slices = np.clip(np.minimum(xs, upper) - t, 0.0, None)
        result = (slices * r).sum(axis=-1)
    else:
        tier = np.searchsorted(t, x, side="right") - 1
        result = np.where(tier >= 0, r[np.clip(tier, 0, None)] * x, 0.0)
    return guard(result, [(~np.isfinite(x), BadValueError, "montant invalide", "amount")])


def bonus(attainment, thresholds, amounts, mode="step"):
    """Prime sur objectif from a grid of attainment thresholds.

    Parameters
    ----------
    attainment : array_like
        Measure compared to the thresholds: usually the taux de réalisation (actual / target,
        1.05 = 105 %), or an amount (broadcasts).
    thresholds : sequence of float
        Thresholds, strictly ascending.
    amounts : sequence of float
        Bonus paid at each threshold; ``#N/A`` when the lengths differ.
    mode : {"step", "linear"}, default "step"
        "step" (*paliers*): the amount of the highest threshold reached (attainment ≥
        threshold). "linear": interpolates linearly between consecutive thresholds, capped at
        the last amount.

    Returns
    -------
    float or ndarray
        The bonus; 0 below the first threshold in both modes.

    Notes
    -----
    .. math::
        \\text{step: } b_k, \\; k = \\max\\{i : s_i \\le x\\} \\qquad
        \\text{linear: } b_i + (b_{i+1} - b_i)\\frac{x - s_i}{s_{i+1} - s_i}, \\; s_i \\le x < s_{i+1}

    Examples
    --------
    DESJOYAUX case (vizasking.com/vizdevoir/2345183): target not reached → no bonus; up to 10 %
    above target → 300 €; more than 10 % above → 600 €. Jérémy (24 500 € for a 27 000 € target)
    gets nothing.

    >>> bonus(24500 / 27000, [1.0, 1.1], [300, 600])
    0.0
    """
    how = _mode(mode, BONUS_MODES, "mode")
    x = as_float(attainment, "attainment")
    t, b = _grid(thresholds, amounts, "thresholds", "amounts")
    if how == "step":
        tier = np.searchsorted(t, x, side="right") - 1
        result = np.where(tier >= 0, b[np.clip(tier, 0, None)], 0.0)
    else:
        result = np.interp(x, t, b, left=0.0, right=b[-1])
    return guard(result, [(~np.isfinite(x), BadValueError, "valeur invalide", "attainment")])


def employer_cost(gross_pay, charge_rate=0.42):
    """Coût employeur: gross pay plus the employer's social charges.

    Parameters
    ----------
    gross_pay : array_like
        Salaire brut (≥ 0).
    charge_rate : array_like, default 0.42
        Employer charge rate (taux de charges patronales, ≥ 0); exercises use 40 to 50 %, real
        payroll depends on reductions (allègements).

    Returns
    -------
    float or ndarray
        ``gross_pay * (1 + charge_rate)``.

    Notes
    -----
    .. math:: C = B (1 + t_{patronal})

    Examples
    --------
    A gross monthly pay of 2 000 € with the default 42 % costs 2 840 €.

    >>> employer_cost(2000)
    2840.0
    """
    g = as_float(gross_pay, "gross_pay")
    t = as_float(charge_rate, "charge_rate")
    return guard(
        g * (1 + t),
        [
            (g < 0, DomainError, "salaire brut négatif", "gross_pay"),
            (t < 0, DomainError, "taux de charges négatif", "charge_rate"),
        ],
    )
