"""Marché et concentration: market share, relative market share, Gini index (Lorenz curve by
trapezoids), médiale, Herfindahl-Hirschman index, customer density.
"""

from __future__ import annotations

import numpy as np

from ._vector import as_float, as_series, guard, same_length
from .errors import DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "market_share",
    "relative_market_share",
    "gini",
    "mediale",
    "hhi",
    "customer_density",
]


def _ratio(numerator, denominator, num_name: str, den_name: str):
    n, d = as_float(numerator, num_name), as_float(denominator, den_name)
    with np.errstate(all="ignore"):
        result = n / d
    return guard(
        result,
        [
            (d == 0, DivisionByZeroError, "dénominateur nul", den_name),
            (n < 0, DomainError, "valeur négative", num_name),
            (d < 0, DomainError, "valeur négative", den_name),
        ],
    )


def market_share(sales, market_sales):
    """Part de marché: the company's sales over the sales of the whole market.

    Parameters
    ----------
    sales : array_like
        Company sales, in value (revenue) or volume (units).
    market_sales : array_like
        Market sales measured the same way; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``sales / market_sales``. A gap between the share in value and in volume reveals the
        price positioning.

    Notes
    -----
    .. math:: PDM = \\frac{CA_{entreprise}}{CA_{marché}}

    Examples
    --------
    Exercice BCG « voitures » (scribd 715218592): 8 000 k€ on the 101 200 k€ mini-citadine
    market → 7.91 %.

    >>> round(market_share(8000, 101200), 4)
    0.0791
    """
    return _ratio(sales, market_sales, "sales", "market_sales")


def relative_market_share(own_sales, competitor_sales_range):
    """Part de marché relative: own sales over those of the main competitor.

    Parameters
    ----------
    own_sales : array_like
        The company's sales (or market share); broadcasts.
    competitor_sales_range : sequence of float
        Sales (or shares) of the competitors. The range may also hold the company's own line
        (a whole-market table): when its largest value equals ``own_sales`` exactly, that value
        is taken to be the company itself and the next one is used.

    Returns
    -------
    float or ndarray
        ``own / largest competitor`` — the leader when the company is not, the n° 2 when it
        is; > 1 means market leader.

    Raises
    ------
    NotAvailableError
        No competitor left (``#N/A``).
    DivisionByZeroError
        Main competitor with zero sales (``#DIV/0!``).

    Notes
    -----
    .. math:: PDMR = \\frac{PDM_{entreprise}}{PDM_{principal\\ concurrent}}

    An exact tie with a competitor in a competitors-only range is indistinguishable from the
    company's own line: the next competitor is then used.

    Examples
    --------
    Exercice BCG (CBG vs GBC, scribd 739876397), product A: 20 500 against 35 600 → 0.58.

    >>> round(relative_market_share(20500, [35600]), 2)
    0.58

    Distilco and Co (etudier.com, BCG): 45 % of the Calvados market, the n° 2 holds 23 %
    → 1.96 (leader).

    >>> round(relative_market_share(0.45, [0.23, 0.12, 0.20]), 2)
    1.96
    """
    own = as_float(own_sales, "own_sales")
    others = np.sort(as_series(competitor_sales_range, "competitor_sales_range"))[::-1]
    if np.any(others < 0):
        raise DomainError("valeur négative", "competitor_sales_range")
    first = others[0]
    second = others[1] if others.size > 1 else np.nan
    denominator = np.where(own == first, second, first)
    with np.errstate(all="ignore"):
        result = own / denominator
    return guard(
        result,
        [
            (np.isnan(denominator), NotAvailableError, "aucun concurrent", "competitor_sales_range"),
            (denominator == 0, DivisionByZeroError, "principal concurrent sans ventes", "competitor_sales_range"),
            (own < 0, DomainError, "valeur négative", "own_sales"),
        ],
    )


def _lorenz(values, weights, name="values"):
    v = as_series(values, name)
    w = np.ones_like(v) if weights is None else as_series(weights, "weights")
    same_length(values=v, weights=w)
    if np.any(v < 0):
        raise DomainError("valeur négative", name)
    if np.any(w < 0):
        raise DomainError("effectif négatif", "weights")
    order = np.argsort(v, kind="stable")
    counts, mass = w[order], (v * w)[order]
    if counts.sum() == 0:
        raise DivisionByZeroError("effectif total nul", "weights")
    if mass.sum() == 0:
        raise DivisionByZeroError("masse totale nulle", name)
    x = np.concatenate(([0.0], np.cumsum(counts) / counts.sum()))
    y = np.concatenate(([0.0], np.cumsum(mass) / mass.sum()))
    return x, y


def gini(values, weights=None):
    """Indice de Gini from the Lorenz curve, by trapezoids (the manuals' method).

    Parameters
    ----------
    values : sequence of float
        Raw data (revenue per customer…), or for grouped data the class centres (or the
        mass per unit of each class); ≥ 0.
    weights : sequence of float, optional
        Class counts (nᵢ) for grouped data; by default each value counts once.

    Returns
    -------
    float
        G in [0, 1): 0 = perfect equality, close to 1 = strong concentration.

    Raises
    ------
    NotAvailableError
        Values and weights of different lengths (``#N/A``).
    DomainError
        Negative value or count (``#NUM!``).
    DivisionByZeroError
        Zero total count or mass (``#DIV/0!``).

    Notes
    -----
    Sort by value ascending; x = cumulative share of the counts, y = cumulative share of the
    mass (value × count), both starting at (0, 0); then

    .. math:: G = 1 - \\sum_i (x_i - x_{i-1})(y_i + y_{i-1}) = \\frac{5000 - S}{5000}

    with S the area under the curve in percent (trapezoids) and 5 000 the half-square.

    Examples
    --------
    TCE/TSGE Dakhla (« Les indicateurs de concentration », TP 9): household spending in
    classes 0–10 … 40–50 with 10, 30, 40, 70, 50 households → G = 20.484 %.

    >>> round(gini([5, 15, 25, 35, 45], [10, 30, 40, 70, 50]), 5)
    0.20484
    """
    x, y = _lorenz(values, weights)
    return float(1.0 - np.sum(np.diff(x) * (y[1:] + y[:-1])))


def mediale(class_lower_bounds, class_upper_bounds, counts):
    """Médiale: the value that splits the total **mass** in two, interpolated in its class.

    Parameters
    ----------
    class_lower_bounds, class_upper_bounds : sequence of float
        Bounds of the classes, ascending and not overlapping (upper > lower, ≥ 0).
    counts : sequence of float
        Count of each class (nᵢ ≥ 0).

    Returns
    -------
    float
        The médiale. Compare with the median: ΔM = médiale − médiane, relative to the range.

    Raises
    ------
    NotAvailableError
        Ranges of different lengths (``#N/A``).
    DomainError
        Bad class bounds or negative count (``#NUM!``).
    DivisionByZeroError
        Zero total mass (``#DIV/0!``).

    Notes
    -----
    Mass of a class = nᵢ × cᵢ (cᵢ its centre). Find the first class where the cumulative mass
    reaches half the total, then

    .. math:: Ml = L_k + (U_k - L_k) \\frac{M/2 - M_{<k}}{n_k c_k}

    Examples
    --------
    TCE/TSGE Dakhla (TP 9): classes 0–10 … 40–50, counts 10, 30, 40, 70, 50 → 36.53.

    >>> round(mediale([0, 10, 20, 30, 40], [10, 20, 30, 40, 50], [10, 30, 40, 70, 50]), 2)
    36.53
    """
    lower = as_series(class_lower_bounds, "class_lower_bounds")
    upper = as_series(class_upper_bounds, "class_upper_bounds")
    n = as_series(counts, "counts")
    same_length(class_lower_bounds=lower, class_upper_bounds=upper, counts=n)
    if np.any(upper <= lower):
        raise DomainError("chaque borne supérieure doit dépasser la borne inférieure", "class_upper_bounds")
    if np.any(lower[1:] < upper[:-1]):
        raise DomainError("classes non croissantes ou qui se chevauchent", "class_lower_bounds")
    if np.any(lower < 0):
        raise DomainError("borne négative : masse non définie", "class_lower_bounds")
    if np.any(n < 0):
        raise DomainError("effectif négatif", "counts")
    mass = n * (lower + upper) / 2
    total = mass.sum()
    if total == 0:
        raise DivisionByZeroError("masse totale nulle", "counts")
    cumulative = np.cumsum(mass)
    half = total / 2
    k = int(np.argmax(cumulative >= half * (1 - 1e-12)))
    before = cumulative[k - 1] if k > 0 else 0.0
    return float(lower[k] + (upper[k] - lower[k]) * (half - before) / mass[k])


def hhi(shares):
    """Indice de Herfindahl-Hirschman: sum of the squared market shares, on a 0–10 000 scale.

    Parameters
    ----------
    shares : sequence of float
        Market shares of the firms. Read as **decimals** (0.2 = 20 %) when they sum to 1 or
        less; as **percentage points** (20 = 20 %) when they sum to more than 1 and at most
        100. A list of shares that sums to more than 100 is an error (``#NUM!``).

    Returns
    -------
    float
        Σ sᵢ² × 10 000 for decimals (Σ sᵢ² for percentage points): 10 000 = monopoly;
        below 1 000 low concentration, above 1 800 (EU) or 2 000 high.

    Raises
    ------
    DomainError
        Negative share, or shares summing to more than 100 (``#NUM!``).

    Notes
    -----
    .. math:: HHI = \\sum_i (100\\, s_i)^2

    Shares typed as percentage points that sum to 1 or less (tiny firms only) would be read
    as decimals: give such shares as decimals.

    Examples
    --------
    European Commission glossary (competition policy, 2002): five firms with 20 % each
    → 2 000.

    >>> hhi([0.2] * 5)
    2000.0
    >>> hhi([20, 20, 20, 20, 20])
    2000.0
    """
    s = as_series(shares, "shares")
    if np.any(s < 0):
        raise DomainError("part négative", "shares")
    total = s.sum()
    tolerance = 1e-9
    if total <= 1 + tolerance:
        return float(np.sum((s * 100) ** 2))
    if total <= 100 * (1 + tolerance):
        return float(np.sum(s**2))
    raise DomainError("les parts doivent être des décimales (somme ≤ 1) ou des points de % (somme ≤ 100)", "shares")


def customer_density(customers, potential):
    """Densité de clientèle: customers over the potential customers of the area.

    Parameters
    ----------
    customers : array_like
        Customers in the area (≥ 0).
    potential : array_like
        Potential customers of the area (or km², thousands of inhabitants: state the unit);
        zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``customers / potential``.

    Notes
    -----
    .. math:: D = \\frac{\\text{clients}}{\\text{clients potentiels}}

    Examples
    --------
    Smappen (taux de pénétration): 500 customers in a trading area of 10 000 potential
    customers → 5 %.

    >>> customer_density(500, 10000)
    0.05
    """
    return _ratio(customers, potential, "customers", "potential")
