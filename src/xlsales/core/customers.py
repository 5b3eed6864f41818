"""Clients et portefeuille: customer value (CLV), acquisition cost, churn, lifetime, ABC
(Pareto) classes and RFM segmentation.

Scalar functions broadcast like numpy ufuncs; :func:`abc_class` and :func:`rfm` work on whole
lists (one class per value, one row per customer).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from ._vector import as_float, as_series, guard
from .errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "customer_value",
    "acquisition_cost",
    "churn_rate",
    "customer_lifetime",
    "abc_class",
    "rfm",
]


#: Longest horizon of a customer value, in periods (a lifetime, with room to spare).
MAX_PERIODS = 1000


def _whole_number(value, name: str, minimum: int, maximum: int = MAX_PERIODS) -> int:
    number = float(as_float(value, name))
    if not math.isfinite(number) or number != int(number):
        raise DomainError("un nombre entier est attendu", name)
    if number < minimum:
        raise DomainError(f"doit être au moins {minimum}", name)
    if number > maximum:
        raise DomainError(f"doit être au plus {maximum}", name)
    return int(number)


def customer_value(margin, retention_rate, discount_rate, years=None, acquisition_cost=0.0, first_period=1):
    """Customer lifetime value (valeur vie client): discounted margins weighted by retention.

    Parameters
    ----------
    margin : float or sequence of float
        The margin (not the revenue) a retained customer brings each period: one number (the
        same every period) or one margin per period from ``first_period`` on.
    retention_rate : array_like
        Share of customers kept from one period to the next, 0 ≤ r ≤ 1 (as a decimal).
    discount_rate : array_like
        Discount rate per period (> −1), as a decimal.
    years : int, optional
        Number of periods summed. Defaults to the length of ``margin`` when it is a sequence;
        with a single margin and no ``years`` the horizon is infinite (closed form).
    acquisition_cost : array_like, default 0
        Subtracted once (coût d'acquisition).
    first_period : int, default 1
        Exponent t of the first margin: 1 when the first margin is received at the end of the
        first period (the manuals' closed form), 0 when it is immediate.

    Returns
    -------
    float or ndarray
        ``Σ_{t=first}^{first+years-1} m_t r^t / (1 + d)^t - acquisition_cost``; broadcast over
        ``retention_rate``, ``discount_rate`` and ``acquisition_cost`` (a margin sequence is
        always the per-period margins, never broadcast).

    Raises
    ------
    DomainError
        Retention outside [0, 1], discount ≤ −1, bad ``years``/``first_period``, or — infinite
        horizon only — retention ≥ 1 + discount (the sum diverges) (``#NUM!``).
    NotAvailableError
        ``years`` longer than the margin range (``#N/A``).

    Notes
    -----
    .. math::
        CLV = \\sum_{t=f}^{f+n-1} \\frac{m_t\\, r^t}{(1+d)^t} - CAC, \\qquad
        CLV_\\infty = \\frac{m\\, r^f}{(1+d)^{f-1}\\,(1+d-r)} - CAC
        \\;\\; (f = 1: \\; \\frac{m r}{1+d-r})

    Use decimals (0.12, not 12) and the unrounded retention.

    Examples
    --------
    waycalculator.com (CLV with discount rate): margin 8, retention 4.25 %, discount 12 %
    → 0.315545 (the page prints percent points in the substitution but its result is the
    decimal one).

    >>> round(customer_value(8, 0.0425, 0.12), 6)
    0.315545

    cours-bts-mco.fr (valeur client): 150 € margin a year, 20 € a year to keep the customer,
    10 years, no discounting → valeur de fidélisation 1 300 €.

    >>> customer_value(150 - 20, 1, 0, years=10)
    1300.0
    """
    r = as_float(retention_rate, "retention_rate")
    d = as_float(discount_rate, "discount_rate")
    cac = as_float(acquisition_cost, "acquisition_cost")
    first = _whole_number(first_period, "first_period", 0)
    series = np.ndim(margin) > 0
    if series:
        m = as_series(margin, "margin")
        n = m.size if years is None else _whole_number(years, "years", 1)
        if n > m.size:
            raise NotAvailableError(f"{m.size} marge(s) pour {n} période(s)", "years")
        m = m[:n]
    else:
        m = as_float(margin, "margin")
        n = None if years is None else _whole_number(years, "years", 1)
    checks = [
        ((r < 0) | (r > 1), DomainError, "le taux de rétention doit être compris entre 0 et 1", "retention_rate"),
        (d <= -1, DomainError, "taux d'actualisation invalide", "discount_rate"),
    ]
    with np.errstate(all="ignore"):
        q = r / (1 + d)
        if n is None:
            # infinite horizon, constant margin
            value = m * r**first / (1 + d) ** (first - 1) / (1 + d - r)
            checks.append(
                (r >= 1 + d, DomainError, "horizon infini : la rétention doit être inférieure à 1 + taux", "retention_rate")
            )
        elif series:
            t = np.arange(first, first + n)
            value = np.sum(m * np.power(q[..., None], t), axis=-1)
        else:
            t = np.arange(first, first + n)
            value = m * np.sum(np.power(q[..., None], t), axis=-1)
        value = value - cac
    return guard(value, checks)


def acquisition_cost(spend, new_customers):
    """Coût d'acquisition client (CAC): acquisition spending over the new customers won.

    Parameters
    ----------
    spend : array_like
        Prospecting, advertising, welcome discounts, sales time… (≥ 0).
    new_customers : array_like
        New customers won; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``spend / new_customers``.

    Notes
    -----
    .. math:: CAC = \\frac{\\text{dépenses d'acquisition}}{\\text{nouveaux clients}}

    Examples
    --------
    Adviz (lexique, coût d'acquisition client): a 2 500 $ campaign brings 25 new customers
    → 100 $ each.

    >>> acquisition_cost(2500, 25)
    100.0

    cours-bts-mco.fr (valeur d'acquisition): a 500 € offer brings 40 customers whose first
    purchase leaves 600 € of margin: (600 − 500) / 40 = 2.50 € per customer, i.e. one period
    of a 15 € margin minus a 12.50 € CAC.

    >>> customer_value(600 / 40, 1, 0, years=1, acquisition_cost=acquisition_cost(500, 40))
    2.5
    """
    s, n = as_float(spend, "spend"), as_float(new_customers, "new_customers")
    with np.errstate(all="ignore"):
        result = s / n
    return guard(
        result,
        [
            (n == 0, DivisionByZeroError, "aucun nouveau client", "new_customers"),
            (s < 0, DomainError, "dépense négative", "spend"),
            (n < 0, DomainError, "nombre négatif", "new_customers"),
        ],
    )


def churn_rate(lost_customers, customers_at_start):
    """Taux d'attrition (churn): customers lost over the customers at the start of the period.

    Parameters
    ----------
    lost_customers : array_like
        Customers lost during the period (≥ 0).
    customers_at_start : array_like
        Customers at the start of the period; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``lost_customers / customers_at_start``; the retention rate is 1 − churn.

    Notes
    -----
    .. math:: \\text{attrition} = \\frac{\\text{clients perdus}}{\\text{clients en début de période}}

    The formula is the manuals' (see also gocardless.com, « Définition du taux d'attrition »);
    the figures below are illustrative.

    Examples
    --------
    >>> churn_rate(20, 100)
    0.2
    """
    lost, start = as_float(lost_customers, "lost_customers"), as_float(customers_at_start, "customers_at_start")
    with np.errstate(all="ignore"):
        result = lost / start
    return guard(
        result,
        [
            (start == 0, DivisionByZeroError, "aucun client en début de période", "customers_at_start"),
            (lost < 0, DomainError, "nombre négatif", "lost_customers"),
            (start < 0, DomainError, "nombre négatif", "customers_at_start"),
        ],
    )


def customer_lifetime(churn_rate):
    """Durée de vie moyenne d'un client: 1 / churn rate (in periods, usually years).

    Parameters
    ----------
    churn_rate : array_like
        Churn per period, 0 < c ≤ 1; zero gives ``#DIV/0!``, outside [0, 1] ``#NUM!``.

    Returns
    -------
    float or ndarray
        ``1 / churn_rate``.

    Notes
    -----
    .. math:: D = \\frac{1}{\\text{attrition}} = \\frac{1}{1 - r}

    Examples
    --------
    The CLV table « 8700 Profitable » (termpaperwarehouse.com): a life expectancy of
    7.37 years is 1 / (1 − r) for a retention of 86.43 % (printed rounded as 86 %).

    >>> round(customer_lifetime(1 - 0.8643), 2)
    7.37
    """
    c = as_float(churn_rate, "churn_rate")
    with np.errstate(all="ignore"):
        result = 1.0 / c
    return guard(
        result,
        [
            (c == 0, DivisionByZeroError, "attrition nulle : durée infinie", "churn_rate"),
            ((c < 0) | (c > 1), DomainError, "l'attrition doit être comprise entre 0 et 1", "churn_rate"),
        ],
    )


_SHARE_TOLERANCE = 1e-9


def abc_class(values, a_share=0.8, b_share=0.95):
    """ABC (Pareto) class of each value: "A", "B" or "C", aligned with the input.

    Parameters
    ----------
    values : sequence of float
        Revenue (or margin, volume…) per customer or product, ≥ 0, not all zero.
    a_share : float, default 0.8
        Cumulative share of the total up to which items are "A".
    b_share : float, default 0.95
        Cumulative share up to which items are "B" (≥ ``a_share``); the rest is "C".

    Returns
    -------
    list of str
        One class per value, in the input order.

    Raises
    ------
    DomainError
        Negative value, or shares not in 0 < a_share ≤ b_share ≤ 1 (``#NUM!``).
    DivisionByZeroError
        All values zero (``#DIV/0!``).

    Notes
    -----
    Sort by value descending (ties keep the input order), cumulate the share of the total
    *including* the item: "A" while it is ≤ ``a_share``, then "B" while ≤ ``b_share``, else
    "C". The largest item is always "A" (even when it alone exceeds ``a_share``).
    Excel: ``=SI(cumul<=0,8;"A";SI(cumul<=0,95;"B";"C"))``.

    Examples
    --------
    « La loi de Pareto : 20/80 et ABC » (scribd 512838402), entreprise ALPHA: B, K and A make
    78.06 % of the 63 064 k revenue (3 articles out of 15 = 20 %): class A; N brings the
    cumulative share to 85.20 %.

    >>> ca = {"A": 6250, "B": 29480, "C": 276, "D": 350, "E": 2610, "F": 150, "G": 1260, "H": 50,
    ...       "I": 38, "J": 1800, "K": 13500, "L": 1200, "M": 1200, "N": 4500, "O": 400}
    >>> dict(zip(ca, abc_class(list(ca.values()))))  # doctest: +NORMALIZE_WHITESPACE
    {'A': 'A', 'B': 'A', 'C': 'C', 'D': 'C', 'E': 'B', 'F': 'C', 'G': 'B', 'H': 'C', 'I': 'C',
     'J': 'B', 'K': 'A', 'L': 'C', 'M': 'C', 'N': 'B', 'O': 'C'}
    """
    v = as_series(values, "values")
    a = float(as_float(a_share, "a_share"))
    b = float(as_float(b_share, "b_share"))
    if not 0 < a <= 1:
        raise DomainError("la part A doit être comprise entre 0 et 1", "a_share")
    if not a <= b <= 1:
        raise DomainError("la part B doit être comprise entre la part A et 1", "b_share")
    if np.any(v < 0):
        raise DomainError("valeur négative", "values")
    total = v.sum()
    if total == 0:
        raise DivisionByZeroError("total nul", "values")
    order = np.argsort(-v, kind="stable")
    cumulative = np.cumsum(v[order]) / total
    ranked = np.where(
        cumulative <= a + _SHARE_TOLERANCE, "A", np.where(cumulative <= b + _SHARE_TOLERANCE, "B", "C")
    )
    ranked[0] = "A"
    classes = np.empty(v.size, dtype=object)
    classes[order] = ranked
    return [str(c) for c in classes]


# --------------------------------------------------------------------------------------- RFM

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

#: Header row of :func:`rfm`.
RFM_HEADER = ("Client", "Récence (jours)", "Fréquence", "Montant", "R", "F", "M", "RFM", "Segment")

#: Segment names, in the order the rule tests them (see :func:`rfm_segment`).
RFM_SEGMENTS = ("Champions", "Nouveaux clients", "Fidèles", "Prometteurs", "À risque", "Perdus", "En sommeil")


def _day_number(value, name: str) -> float:
    """A date as a day count (Excel serial): numbers pass through, dates are converted."""
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[s]").astype(dt.datetime)
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86400
    if isinstance(value, dt.date):
        return float((value - _EXCEL_EPOCH.date()).days)
    number = float(as_float(value, name))
    if not math.isfinite(number):
        raise BadValueError("date invalide", name)
    return number


def _quantile_scores(values: np.ndarray, bins: int, *, higher_is_better: bool = True) -> np.ndarray:
    """Score 1..bins: 1 + floor(bins × (number of values strictly worse) / n); ties share a score."""
    n = values.size
    if higher_is_better:
        worse = np.searchsorted(np.sort(values), values, side="left")
    else:
        worse = n - np.searchsorted(np.sort(values), values, side="right")
    return 1 + (bins * worse) // n


def rfm_segment(r: int, f: int, m: int, bins: int = 5) -> str:
    """Segment name of an R/F/M score triple (scores 1..bins).

    Levels use p = (score − 1) / (bins − 1): *high* p ≥ 0.75, *medium* p ≥ 0.5 (for bins = 5:
    high = 4–5, medium = 3, low = 1–2); FM is the mean of the F and M scores. First rule that
    matches wins:

    1. R high and FM high → "Champions"
    2. R high and F = 1 (one purchase) → "Nouveaux clients"
    3. R ≥ medium and FM ≥ medium → "Fidèles"
    4. R ≥ medium → "Prometteurs"
    5. FM ≥ medium (R low) → "À risque"
    6. R = 1 → "Perdus"
    7. otherwise → "En sommeil"

    >>> rfm_segment(5, 5, 4), rfm_segment(5, 1, 2), rfm_segment(1, 5, 5), rfm_segment(1, 1, 2)
    ('Champions', 'Nouveaux clients', 'À risque', 'Perdus')
    """

    def level(score: float) -> float:
        return (score - 1) / (bins - 1)

    fm = (f + m) / 2
    if level(r) >= 0.75 and level(fm) >= 0.75:
        return "Champions"
    if level(r) >= 0.75 and f == 1:
        return "Nouveaux clients"
    if level(r) >= 0.5 and level(fm) >= 0.5:
        return "Fidèles"
    if level(r) >= 0.5:
        return "Prometteurs"
    if level(fm) >= 0.5:
        return "À risque"
    if r == 1:
        return "Perdus"
    return "En sommeil"


def _customer_key(value):
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def rfm(customer_ids, dates, amounts, as_of=None, bins=5):
    """RFM table (Récence, Fréquence, Montant) from a list of transactions.

    Parameters
    ----------
    customer_ids : sequence
        Customer of each transaction (text or number).
    dates : sequence
        Date of each transaction: Excel serial numbers or Python dates.
    amounts : sequence of float
        Amount of each transaction (credit notes may be negative).
    as_of : date or float, optional
        Reference date; default: the latest transaction date + 1 day. Transactions after it
        give ``#NUM!``.
    bins : int, default 5
        Number of score levels, 2 to 9 (so that the RFM code stays one digit per letter).

    Returns
    -------
    list of tuple
        A header row (:data:`RFM_HEADER`) then one row per customer, in order of first
        appearance: customer, recency (days from the last purchase to ``as_of``), frequency
        (number of transactions), monetary (sum of amounts), R, F, M scores, RFM code
        (e.g. "545") and segment (:func:`rfm_segment`).

    Raises
    ------
    NotAvailableError
        Lists of different lengths or empty (``#N/A``).
    DomainError
        ``bins`` outside 2..9, or a transaction after ``as_of`` (``#NUM!``).

    Notes
    -----
    Scores are quantile ranks among the customers, defined so that ties are handled
    predictably: for a customer with value x among n customers,

    .. math:: score = 1 + \\left\\lfloor \\frac{bins \\times \\#\\{\\text{customers strictly worse than } x\\}}{n} \\right\\rfloor

    "Worse" means a smaller frequency or amount, and for recency a *larger* number of days
    (recent = high R). Equal values always share a score; with n distinct values and n a
    multiple of ``bins``, each score holds exactly n / bins customers (quintiles for bins = 5).
    Excel: ``=1+ENT(5*NB.SI(F_plage;"<"&F2)/NB(F_plage))`` (for R: ``">"&R2``).

    No published RFM exercise with quantile scores was found (published cases use business
    thresholds); the example is illustrative and can be checked by hand.

    Examples
    --------
    >>> rows = rfm(["Ana", "Bob", "Ana", "Cyd", "Bob", "Ana"],
    ...            [45000, 45010, 45020, 45005, 45030, 45031],
    ...            [100, 50, 80, 20, 70, 40], bins=3)
    >>> for row in rows[1:]:
    ...     print(row)
    ('Ana', 1.0, 3, 220.0, 3, 3, 3, '333', 'Champions')
    ('Bob', 2.0, 2, 120.0, 2, 2, 2, '222', 'Fidèles')
    ('Cyd', 27.0, 1, 20.0, 1, 1, 1, '111', 'Perdus')
    """
    ids = [_customer_key(c) for c in np.asarray(customer_ids, dtype=object).ravel()]
    day = np.asarray([_day_number(x, "dates") for x in np.asarray(dates, dtype=object).ravel()], dtype=float)
    amount = as_series(amounts, "amounts", min_length=0)
    if len(ids) != day.size or day.size != amount.size:
        raise NotAvailableError(
            f"plages de tailles différentes (customer_ids = {len(ids)}, dates = {day.size}, amounts = {amount.size})"
        )
    if not ids:
        raise NotAvailableError("aucune transaction", "customer_ids")
    if any(c is None or (isinstance(c, str) and not c) for c in ids):
        raise BadValueError("client manquant", "customer_ids")
    k = _whole_number(bins, "bins", 2)
    if k > 9:
        raise DomainError("de 2 à 9 niveaux", "bins")
    reference = day.max() + 1 if as_of is None else _day_number(as_of, "as_of")
    if np.any(day > reference):
        raise DomainError("transaction postérieure à la date de référence", "as_of")

    customers: dict = {}
    for c in ids:
        customers.setdefault(c, len(customers))
    index = np.fromiter((customers[c] for c in ids), dtype=int, count=len(ids))
    n = len(customers)
    last = np.full(n, -np.inf)
    np.maximum.at(last, index, day)
    recency = reference - last
    frequency = np.bincount(index, minlength=n)
    monetary = np.bincount(index, weights=amount, minlength=n)
    r_score = _quantile_scores(recency, k, higher_is_better=False)
    f_score = _quantile_scores(frequency.astype(float), k)
    m_score = _quantile_scores(monetary, k)
    rows = [RFM_HEADER]
    for c, i in customers.items():
        r, f, m = int(r_score[i]), int(f_score[i]), int(m_score[i])
        rows.append(
            (c, float(recency[i]), int(frequency[i]), float(monetary[i]), r, f, m, f"{r}{f}{m}", rfm_segment(r, f, m, k))
        )
    return rows
