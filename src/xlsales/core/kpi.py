"""Indicateurs commerciaux (tableaux de bord): activity ratios, scoring grid, variances,
indices, growth rates and the split of the revenue variance.

Every ratio broadcasts like a numpy ufunc: scalars in -> ``float`` out, ranges in -> arrays of
the broadcast shape, with ``nan`` (and, for a scalar call, an exception) where the denominator is
zero (``#DIV/0!``) or a count/amount is negative (``#NUM!``).
"""

from __future__ import annotations

import numpy as np

from ._vector import as_float, as_series, guard, same_length
from .errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "coverage_rate",
    "contact_rate",
    "conversion_rate",
    "return_rate",
    "unpaid_rate",
    "average_basket",
    "score",
    "variance",
    "variance_rate",
    "index_base",
    "growth_rate",
    "cagr",
    "revenue_variance",
    "attainment",
]


def _ratio(numerator, denominator, num_name: str, den_name: str, *, nonnegative: bool = True, scale=1.0):
    """``numerator / denominator * scale`` element-wise, with the project's error rules.

    A zero denominator gives ``#DIV/0!``; with ``nonnegative`` (counts and amounts), a negative
    numerator or denominator gives ``#NUM!``.
    """
    n, d = as_float(numerator, num_name), as_float(denominator, den_name)
    with np.errstate(all="ignore"):
        result = n / d * scale
    checks = [(d == 0, DivisionByZeroError, "dénominateur nul", den_name)]
    if nonnegative:
        checks += [
            (n < 0, DomainError, "valeur négative", num_name),
            (d < 0, DomainError, "valeur négative", den_name),
        ]
    return guard(result, checks)


def coverage_rate(customers_reached, target_size):
    """Taux de couverture de la cible: targets reached (contacted, visited) over the target size.

    Parameters
    ----------
    customers_reached : array_like
        Members of the target contacted or visited (or active customers, for a *taux de
        pénétration*); must be ≥ 0.
    target_size : array_like
        Size of the target; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``customers_reached / target_size``.

    Notes
    -----
    .. math:: T_{couverture} = \\frac{\\text{cibles atteintes}}{\\text{effectif de la cible}}

    Examples
    --------
    datalegal.fr (taux de pénétration): 1 500 of the 5 000 households of the trading area
    bought in December → 30 %.

    >>> coverage_rate(1500, 5000)
    0.3
    """
    return _ratio(customers_reached, target_size, "customers_reached", "target_size")


def contact_rate(contacts, attempts):
    """Taux de contact (joignabilité): useful contacts over call (or contact) attempts.

    Parameters
    ----------
    contacts : array_like
        Contacts actually reached (argued calls, answered e-mails…).
    attempts : array_like
        Attempts (calls dialled, leads worked); zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``contacts / attempts``.

    Notes
    -----
    .. math:: T_{contact} = \\frac{\\text{contacts utiles}}{\\text{tentatives}}

    Examples
    --------
    sky-level.fr (Contact Rate): 80 of 200 leads answered within 72 h → 40 %.

    >>> contact_rate(80, 200)
    0.4
    """
    return _ratio(contacts, attempts, "contacts", "attempts")


def conversion_rate(orders, opportunities):
    """Taux de transformation (conversion, concrétisation): orders over opportunities.

    Parameters
    ----------
    orders : array_like
        Orders (sales, signed contracts).
    opportunities : array_like
        The denominator the dashboard states: visits, meetings, quotes, store visitors…;
        zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``orders / opportunities``.

    Notes
    -----
    .. math:: T_{transformation} = \\frac{\\text{commandes}}{\\text{opportunités}}

    Examples
    --------
    rivva.ai (objectifs commerciaux, méthode bottom-up): 80 meetings a month and 20 sales
    → 25 % closing.

    >>> conversion_rate(20, 80)
    0.25
    """
    return _ratio(orders, opportunities, "orders", "opportunities")


def return_rate(returned, sent):
    """Taux de retour: answers (or returned goods) over items sent (or sold).

    Parameters
    ----------
    returned : array_like
        Answers to a mailing, or products returned.
    sent : array_like
        Items sent, or products sold; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``returned / sent``.

    Notes
    -----
    .. math:: T_{retour} = \\frac{\\text{retours}}{\\text{envois}}

    Examples
    --------
    ITL (coût d'acquisition d'un nouveau client): 20 000 mailings bring 400 orders → 2 %.

    >>> return_rate(400, 20000)
    0.02
    """
    return _ratio(returned, sent, "returned", "sent")


def unpaid_rate(unpaid_amount, invoiced_amount):
    """Taux d'impayés: unpaid amount over the amount invoiced (TTC, both on the same basis).

    Parameters
    ----------
    unpaid_amount : array_like
        Overdue receivables not settled at the date.
    invoiced_amount : array_like
        Revenue invoiced over the period (TTC); zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``unpaid_amount / invoiced_amount``.

    Notes
    -----
    .. math:: T_{impayés} = \\frac{\\text{montant des impayés}}{\\text{CA facturé}}

    The formula is the one of fint.fr's glossary (« Taux d'impayés = Montant des impayés /
    Chiffre d'affaires »); no published figures were found, the example is illustrative.

    Examples
    --------
    >>> unpaid_rate(3000, 120000)
    0.025
    """
    return _ratio(unpaid_amount, invoiced_amount, "unpaid_amount", "invoiced_amount")


def average_basket(revenue, transactions):
    """Panier moyen: revenue over the number of **transactions** (tickets, orders), not customers.

    Parameters
    ----------
    revenue : array_like
        Revenue HT of the period.
    transactions : array_like
        Number of receipts or orders; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``revenue / transactions``.

    Notes
    -----
    .. math:: PM = \\frac{CA}{\\text{nombre de transactions}}

    Revenue per *customer* is the basket times the purchase frequency: a different KPI.

    Examples
    --------
    ITL (mailing): 400 orders bring 24 000 € → 60 € per order.

    >>> average_basket(24000, 400)
    60.0
    """
    return _ratio(revenue, transactions, "revenue", "transactions")


def score(ratings, weights, max_rating=None, scale=None):
    """Weighted scoring grid: Σ wᵢ·rᵢ / Σ wᵢ, optionally shown on another scale.

    Parameters
    ----------
    ratings : array_like
        The ratings of one grid (k values), or a table of several grids: an ``(n, k)`` table
        with one grid per row gives n scores (a ``(k, n)`` table, one grid per column, too).
    weights : array_like
        k weights (coefficients or percentages), ≥ 0, not all zero.
    max_rating, scale : float, optional
        When **both** are given the score is rescaled: ``score / max_rating * scale`` (a grid
        rated 0–5 shown out of 20 or 100). When only one is given it is ignored.

    Returns
    -------
    float or ndarray
        The weighted mean of the ratings (one per grid).

    Raises
    ------
    NotAvailableError
        When ratings and weights do not match (``#N/A``).
    DivisionByZeroError
        When the weights sum to zero (``#DIV/0!``).
    DomainError
        Negative weight, or ``max_rating`` ≤ 0 (``#NUM!``).

    Notes
    -----
    .. math:: S = \\frac{\\sum_i w_i r_i}{\\sum_i w_i} \\times \\frac{scale}{max\\_rating}

    Examples
    --------
    lecoursgratuit.com (grille d'évaluation des réponses à appel d'offres): weights 35/25/30/10,
    ratings 4, 3, 4, 5 out of 5 → 77 / 100.

    >>> score([4, 3, 4, 5], [35, 25, 30, 10], 5, 100)
    77.0
    """
    w = as_series(weights, "weights")
    r = as_float(ratings, "ratings")
    if not np.all(np.isfinite(r)):
        raise BadValueError("note non numérique", "ratings")
    if np.any(w < 0):
        raise DomainError("poids négatif", "weights")
    total = w.sum()
    if total == 0:
        raise DivisionByZeroError("la somme des poids est nulle", "weights")
    if r.size == w.size:
        result = float(r.ravel() @ w / total)
    elif r.ndim == 2 and r.shape[1] == w.size:
        result = r @ w / total
    elif r.ndim == 2 and r.shape[0] == w.size:
        result = w @ r / total
    else:
        raise NotAvailableError("autant de notes que de poids sont attendues", "ratings")
    if max_rating is not None and scale is not None:
        top = float(as_float(max_rating, "max_rating"))
        if top <= 0:
            raise DomainError("la note maximale doit être positive", "max_rating")
        result = result / top * float(as_float(scale, "scale"))
    return result if np.ndim(result) else float(result)


def variance(actual, planned):
    """Écart absolu: actual − planned (convention « réel − prévu »).

    Parameters
    ----------
    actual : array_like
        Actual value (réalisé).
    planned : array_like
        Planned value (prévu, objectif, budget).

    Returns
    -------
    float or ndarray
        ``actual - planned``: favourable when > 0 for revenue or margin, when < 0 for costs.

    Notes
    -----
    .. math:: E = R - P

    Examples
    --------
    Electro Dépôt (BTS MCO, éléments de corrigé): revenue 9 800 k€ against a 10 220 k€
    objective → −420 k€.

    >>> variance(9800, 10220)
    -420.0
    """
    a, p = as_float(actual, "actual"), as_float(planned, "planned")
    return guard(a - p)


def variance_rate(actual, planned):
    """Écart relatif: (actual − planned) / planned.

    Parameters
    ----------
    actual : array_like
        Actual value.
    planned : array_like
        Planned value; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``(actual - planned) / planned``.

    Notes
    -----
    .. math:: e = \\frac{R - P}{P}

    Examples
    --------
    Electro Dépôt (BTS MCO): 9 800 k€ against 10 220 k€ → −4.1 %.

    >>> round(variance_rate(9800, 10220), 3)
    -0.041
    """
    a, p = as_float(actual, "actual"), as_float(planned, "planned")
    with np.errstate(all="ignore"):
        result = (a - p) / p
    return guard(result, [(p == 0, DivisionByZeroError, "valeur prévue nulle", "planned")])


def index_base(value, base_value, base=100.0):
    """Indice simple: value / base_value × base (base 100 by default).

    Parameters
    ----------
    value : array_like
        Value at the date studied.
    base_value : array_like
        Value at the base date; zero gives ``#DIV/0!``.
    base : array_like, default 100
        Index of the base date.

    Returns
    -------
    float or ndarray
        ``value / base_value * base``.

    Notes
    -----
    .. math:: I_{t/0} = \\frac{V_t}{V_0} \\times 100

    A difference of indices (points) is a rate of change only from the base date.

    Examples
    --------
    Maxicours (indice simple en base 100): a club grows from 136 to 145 then 200 members
    → 106.6 and 147.1.

    >>> [round(index_base(v, 136), 1) for v in (145, 200)]
    [106.6, 147.1]
    """
    v, b0, b = as_float(value, "value"), as_float(base_value, "base_value"), as_float(base, "base")
    with np.errstate(all="ignore"):
        result = v / b0 * b
    return guard(result, [(b0 == 0, DivisionByZeroError, "valeur de base nulle", "base_value")])


def growth_rate(new, old):
    """Taux d'évolution: (new − old) / old.

    Parameters
    ----------
    new : array_like
        Value at the end (valeur d'arrivée).
    old : array_like
        Value at the start (valeur de départ); zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``(new - old) / old``. Successive rates multiply, they do not add.

    Notes
    -----
    .. math:: t = \\frac{V_1 - V_0}{V_0}, \\qquad 1 + t_{global} = \\prod_i (1 + t_i)

    Examples
    --------
    BTS CG 2021 (corrigé Studyrama): revenue 1 254 (2013) → 1 655 (2018), +32 %.

    >>> round(growth_rate(1655, 1254), 2)
    0.32
    """
    n, o = as_float(new, "new"), as_float(old, "old")
    with np.errstate(all="ignore"):
        result = (n - o) / o
    return guard(result, [(o == 0, DivisionByZeroError, "valeur de départ nulle", "old")])


def cagr(end_value, start_value, periods):
    """TCAM (taux de croissance annuel moyen): (end / start)^(1 / periods) − 1.

    Parameters
    ----------
    end_value : array_like
        Value at the end.
    start_value : array_like
        Value at the start; zero gives ``#DIV/0!``.
    periods : array_like
        Number of **intervals** (years − 1 when counting years: 2013 → 2018 is 5), > 0.

    Returns
    -------
    float or ndarray
        The constant rate that leads from start to end in ``periods`` steps.

    Raises
    ------
    DomainError
        ``periods`` ≤ 0, or end and start of opposite signs (``#NUM!``).

    Notes
    -----
    .. math:: TCAM = \\left(\\frac{V_n}{V_0}\\right)^{1/n} - 1

    Excel: ``=(Vn/V0)^(1/n)-1`` or ``=TAUX.INT.EQUIV(n;V0;Vn)``.

    Examples
    --------
    BTS CG 2021 (corrigé Studyrama): 1 254 → 1 655 in 5 years, TCAM 5.7 %.

    >>> round(cagr(1655, 1254, 5), 3)
    0.057
    """
    e, s, n = as_float(end_value, "end_value"), as_float(start_value, "start_value"), as_float(periods, "periods")
    with np.errstate(all="ignore"):
        ratio = e / s
        result = np.power(ratio, 1.0 / n) - 1.0
    return guard(
        result,
        [
            (s == 0, DivisionByZeroError, "valeur de départ nulle", "start_value"),
            (n <= 0, DomainError, "le nombre de périodes doit être positif", "periods"),
            (ratio < 0, DomainError, "valeurs de signes opposés", "end_value"),
        ],
    )


#: Row labels of :func:`revenue_variance` (French, as in the manuals).
REVENUE_VARIANCE_LABELS = {
    "total": "Écart sur chiffre d'affaires",
    "price": "Écart sur prix",
    "quantity": "Écart sur quantités",
    "volume": "dont écart sur volume global",
    "mix": "dont écart sur composition (mix)",
}


def revenue_variance(actual_qty, actual_price, planned_qty, planned_price):
    """Écart sur chiffre d'affaires and its split into price and quantity effects.

    Parameters
    ----------
    actual_qty, actual_price : array_like
        Actual quantities Qr and actual unit prices Pr (one value, or one per product).
    planned_qty, planned_price : array_like
        Planned quantities Qp and prices Pp, same length.

    Returns
    -------
    list of (str, float)
        Label / amount rows in this order: total variance Σ Qr·Pr − Σ Qp·Pp, price effect
        Σ (Pr − Pp)·Qr, quantity effect Σ (Qr − Qp)·Pp; with several products two more rows
        split the quantity effect: volume effect (ΣQr − ΣQp) × planned average price
        (Σ Qp·Pp / Σ Qp) and mix effect (the rest). Price + quantity = total;
        volume + mix = quantity.

    Raises
    ------
    NotAvailableError
        Ranges of different lengths (``#N/A``).
    DomainError
        Negative quantity or price (``#NUM!``).
    DivisionByZeroError
        Several products and no planned quantity (no planned average price, ``#DIV/0!``).

    Notes
    -----
    .. math::
        E/CA = \\sum Q_r P_r - \\sum Q_p P_p = \\underbrace{\\sum (P_r - P_p) Q_r}_{E/P}
        + \\underbrace{\\sum (Q_r - Q_p) P_p}_{E/Q}, \\qquad
        E/Q = (\\textstyle\\sum Q_r - \\sum Q_p)\\,\\bar P_p + \\sum Q_r (\\bar P_{r,p} - \\bar P_p)

    where :math:`\\bar P_p` is the planned average price and :math:`\\bar P_{r,p}` the average
    price of the actual mix valued at planned prices.

    Examples
    --------
    « Mon jardin » (exercices corrigés contrôle des ventes, scribd 722367025): motoculteurs and
    tondeuses, planned 2 400 × 1 235 and 4 800 × 305, actual 2 200 × 1 250 and 4 900 × 290.

    >>> for label, amount in revenue_variance([2200, 4900], [1250, 290], [2400, 4800], [1235, 305]):
    ...     print(f"{label:<34}{amount:>10.0f}")
    Écart sur chiffre d'affaires         -257000
    Écart sur prix                        -40500
    Écart sur quantités                  -216500
    dont écart sur volume global          -61500
    dont écart sur composition (mix)     -155000
    """
    qr = as_series(actual_qty, "actual_qty")
    pr = as_series(actual_price, "actual_price")
    qp = as_series(planned_qty, "planned_qty")
    pp = as_series(planned_price, "planned_price")
    n = same_length(actual_qty=qr, actual_price=pr, planned_qty=qp, planned_price=pp)
    for arr, name in ((qr, "actual_qty"), (pr, "actual_price"), (qp, "planned_qty"), (pp, "planned_price")):
        if np.any(arr < 0):
            raise DomainError("valeur négative", name)
    total = float(qr @ pr - qp @ pp)
    price = float((pr - pp) @ qr)
    quantity = float((qr - qp) @ pp)
    labels = REVENUE_VARIANCE_LABELS
    rows = [(labels["total"], total), (labels["price"], price), (labels["quantity"], quantity)]
    if n > 1:
        if qp.sum() == 0:
            raise DivisionByZeroError("aucune quantité prévue : prix moyen prévu indéfini", "planned_qty")
        planned_average = float(qp @ pp / qp.sum())
        volume = float((qr.sum() - qp.sum()) * planned_average)
        rows += [(labels["volume"], volume), (labels["mix"], quantity - volume)]
    return rows


def attainment(actual, target):
    """Taux de réalisation de l'objectif: actual / target.

    Parameters
    ----------
    actual : array_like
        Actual value (réalisé).
    target : array_like
        Objective; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``actual / target`` (1 + the relative variance).

    Notes
    -----
    .. math:: T_{réalisation} = \\frac{R}{O}

    Examples
    --------
    Electro Dépôt (BTS MCO): 9 800 k€ for a 10 220 k€ objective, i.e. an écart of −4.1 %
    → 95.9 % achieved.

    >>> round(attainment(9800, 10220), 3)
    0.959
    """
    a, t = as_float(actual, "actual"), as_float(target, "target")
    with np.errstate(all="ignore"):
        result = a / t
    return guard(result, [(t == 0, DivisionByZeroError, "objectif nul", "target")])
