"""Stocks et budgets: Wilson economic order quantity, safety stock, reorder point, sales budget.

French definitions (BTS manuals): Q* = √(2·D·Cc / (P·t)); stock de sécurité = conso max × délai
max − conso moyenne × délai moyen; stock d'alerte (point de commande) = conso moyenne × délai +
stock de sécurité. Every scalar function broadcasts like a numpy ufunc.
"""

from __future__ import annotations

import numpy as np

from ._vector import as_float, as_series, guard
from .errors import BadValueError, DivisionByZeroError, DomainError

__all__ = ["eoq", "safety_stock", "reorder_point", "sales_budget"]


def eoq(annual_demand, order_cost, unit_cost, holding_rate):
    """Quantité économique de commande (formule de Wilson).

    Parameters
    ----------
    annual_demand : array_like
        Annual demand D in units (≥ 0).
    order_cost : array_like
        Cost of placing one order Cc (coût de passation, ≥ 0).
    unit_cost : array_like
        Unit purchase cost P (> 0).
    holding_rate : array_like
        Annual holding rate t (taux de possession, > 0), as a decimal; P × t is the annual cost of
        holding one unit. A zero holding cost gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``sqrt(2 * D * Cc / (P * t))`` units (not rounded). Number of orders N* = D / Q*;
        period = 360 (or 365) / N*.

    Notes
    -----
    .. math:: Q^* = \\sqrt{\\frac{2 \\, D \\, C_c}{P \\, t}}

    At the optimum the ordering cost N*·Cc equals the holding cost Q*/2·P·t.

    Examples
    --------
    EXO STOCK (fr.scribd.com/document/643396404): D = 2 400, Cc = 120 €, P = 20 €, t = 8 % →
    Q* = 600 units, 4 orders a year.

    >>> eoq(2400, 120, 20, 0.08)
    600.0
    """
    d = as_float(annual_demand, "annual_demand")
    c = as_float(order_cost, "order_cost")
    p = as_float(unit_cost, "unit_cost")
    t = as_float(holding_rate, "holding_rate")
    holding = p * t
    with np.errstate(all="ignore"):
        result = np.sqrt(2 * d * c / holding)
    return guard(
        result,
        [
            (d < 0, DomainError, "demande annuelle négative", "annual_demand"),
            (c < 0, DomainError, "coût de passation négatif", "order_cost"),
            (p < 0, DomainError, "coût unitaire négatif", "unit_cost"),
            (t < 0, DomainError, "taux de possession négatif", "holding_rate"),
            (p == 0, DivisionByZeroError, "coût unitaire nul", "unit_cost"),
            (t == 0, DivisionByZeroError, "taux de possession nul", "holding_rate"),
        ],
    )


def safety_stock(max_usage, max_lead_time, avg_usage, avg_lead_time):
    """Stock de sécurité: covers the worst case (maximum usage during the longest lead time).

    Parameters
    ----------
    max_usage : array_like
        Maximum usage per time unit (day, week…); not below ``avg_usage`` (``#NUM!``).
    max_lead_time : array_like
        Maximum delivery lead time, in the same time unit; not below ``avg_lead_time``.
    avg_usage : array_like
        Average usage per time unit (≥ 0).
    avg_lead_time : array_like
        Average lead time (≥ 0).

    Returns
    -------
    float or ndarray
        ``max_usage * max_lead_time - avg_usage * avg_lead_time``.

    Notes
    -----
    .. math:: SS = C_{max} \\times D_{max} - C_{moy} \\times D_{moy}

    Examples
    --------
    lecoursgratuit.com, « Stock de sécurité », exercice 1: usage 60 max / 50 average a day,
    lead time 6 days max / 5 average → 110 units.

    >>> safety_stock(60, 6, 50, 5)
    110.0
    """
    cm = as_float(max_usage, "max_usage")
    dm = as_float(max_lead_time, "max_lead_time")
    ca = as_float(avg_usage, "avg_usage")
    da = as_float(avg_lead_time, "avg_lead_time")
    result = cm * dm - ca * da
    return guard(
        result,
        [
            (ca < 0, DomainError, "consommation moyenne négative", "avg_usage"),
            (da < 0, DomainError, "délai moyen négatif", "avg_lead_time"),
            (cm < ca, DomainError, "consommation maximale inférieure à la moyenne", "max_usage"),
            (dm < da, DomainError, "délai maximal inférieur au délai moyen", "max_lead_time"),
        ],
    )


def reorder_point(avg_usage, lead_time, safety_stock=0.0):
    """Stock d'alerte (point de commande): the stock level at which to reorder.

    Parameters
    ----------
    avg_usage : array_like
        Average usage per time unit (≥ 0).
    lead_time : array_like
        Delivery lead time in the same time unit (≥ 0).
    safety_stock : array_like, default 0
        Stock de sécurité (≥ 0); 0 gives the stock minimum.

    Returns
    -------
    float or ndarray
        ``avg_usage * lead_time + safety_stock``.

    Notes
    -----
    .. math:: SA = C_{moy} \\times D + SS

    Examples
    --------
    lecoursgratuit.com, « Gestion des stocks », exercice 2: 150 units a day, 6 days of lead
    time, 300 units of safety stock → 1 200 units.

    >>> reorder_point(150, 6, 300)
    1200.0
    """
    c = as_float(avg_usage, "avg_usage")
    d = as_float(lead_time, "lead_time")
    s = as_float(safety_stock, "safety_stock")
    return guard(
        c * d + s,
        [
            (c < 0, DomainError, "consommation négative", "avg_usage"),
            (d < 0, DomainError, "délai négatif", "lead_time"),
            (s < 0, DomainError, "stock de sécurité négatif", "safety_stock"),
        ],
    )


def sales_budget(annual_total, coefficients):
    """Budget des ventes: split a yearly target between periods in proportion to coefficients.

    Parameters
    ----------
    annual_total : float
        Yearly sales target (quantity or value HT).
    coefficients : sequence of float
        One coefficient per period (seasonal coefficients with mean 1, shares summing to 1, or
        any weights ≥ 0); ``#NUM!`` if one is negative, ``#DIV/0!`` if they sum to zero.

    Returns
    -------
    ndarray
        ``annual_total * c_i / sum(c)``, one value per coefficient, in order (they add up to
        ``annual_total``).

    Notes
    -----
    .. math:: B_i = T \\times \\frac{c_i}{\\sum_j c_j}

    Examples
    --------
    A yearly target of 1 000 units with quarterly coefficients 0.8, 1.2, 1.4 and 0.6 (mean 1)
    gives 200, 300, 350 and 150 units.

    >>> sales_budget(1000, [0.8, 1.2, 1.4, 0.6]).round(6).tolist()
    [200.0, 300.0, 350.0, 150.0]
    """
    if np.size(annual_total) != 1:
        raise BadValueError("un seul total annuel est attendu", "annual_total")
    total = float(as_float(annual_total, "annual_total").reshape(-1)[0])
    if not np.isfinite(total):
        raise BadValueError("nombre invalide", "annual_total")
    c = as_series(coefficients, "coefficients")
    if np.any(c < 0):
        raise DomainError("coefficient négatif", "coefficients")
    weight = c.sum()
    if weight == 0:
        raise DivisionByZeroError("la somme des coefficients est nulle", "coefficients")
    return total * c / weight
