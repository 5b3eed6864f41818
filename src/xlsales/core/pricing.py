"""Prix et marges: margins, mark-up and mark rates, multipliers, VAT, invoice chain.

French definitions (BTS manuals): the *taux de marge* is on the purchase cost, the
*taux de marque* on the selling price HT. Every function broadcasts like a numpy ufunc.
"""

from __future__ import annotations

import numpy as np

from ._vector import as_float, as_series, guard
from .errors import BadValueError, DivisionByZeroError, DomainError

__all__ = [
    "margin",
    "margin_rate",
    "mark_rate",
    "multiplier",
    "price_from_margin_rate",
    "price_from_mark_rate",
    "price_ttc",
    "price_ht",
    "net_price",
    "invoice",
]


def margin(price, cost):
    """Marge unitaire: selling price minus cost.

    Parameters
    ----------
    price : array_like
        Selling price HT (prix de vente hors taxes).
    cost : array_like
        Purchase cost HT (coût d'achat) or full cost (coût de revient).

    Returns
    -------
    float or ndarray
        ``price - cost``.

    Notes
    -----
    .. math:: M = PV_{HT} - PA_{HT}

    Examples
    --------
    Épicerie Verte (monbtsmco.com, exercice 1): bought 18 €, sold 30 € HT.

    >>> margin(30, 18)
    12.0
    """
    p, c = as_float(price, "price"), as_float(cost, "cost")
    return guard(p - c)


def margin_rate(price, cost):
    """Taux de marge: margin over the **purchase cost** (French convention; US "markup").

    Parameters
    ----------
    price : array_like
        Selling price HT.
    cost : array_like
        Purchase cost HT; zero gives ``#DIV/0!``.

    Returns
    -------
    float or ndarray
        ``(price - cost) / cost``.

    Notes
    -----
    .. math:: T_{marge} = \\frac{PV_{HT} - PA_{HT}}{PA_{HT}}

    Examples
    --------
    Épicerie Verte (monbtsmco.com): (30 − 18) / 18 = 66.67 %.

    >>> round(margin_rate(30, 18), 4)
    0.6667
    """
    p, c = as_float(price, "price"), as_float(cost, "cost")
    with np.errstate(all="ignore"):
        result = (p - c) / c
    return guard(result, [(c == 0, DivisionByZeroError, "coût nul", "cost")])


def mark_rate(price, cost):
    """Taux de marque: margin over the **selling price HT** (never TTC).

    Parameters
    ----------
    price : array_like
        Selling price HT; zero gives ``#DIV/0!``.
    cost : array_like
        Purchase cost HT.

    Returns
    -------
    float or ndarray
        ``(price - cost) / price``.

    Notes
    -----
    .. math:: T_{marque} = \\frac{PV_{HT} - PA_{HT}}{PV_{HT}} = \\frac{T_{marge}}{1 + T_{marge}}

    Examples
    --------
    Bijoutier (monbtsmco.com): cost 875 €, sold 1 250 € HT → 30 %.

    >>> mark_rate(1250, 875)
    0.3
    """
    p, c = as_float(price, "price"), as_float(cost, "cost")
    with np.errstate(all="ignore"):
        result = (p - c) / p
    return guard(result, [(p == 0, DivisionByZeroError, "prix nul", "price")])


def multiplier(price_ht, cost, vat_rate=0.0):
    """Coefficient multiplicateur: selling price (HT, or TTC when ``vat_rate`` > 0) over cost HT.

    Parameters
    ----------
    price_ht : array_like
        Selling price HT.
    cost : array_like
        Purchase cost HT; zero gives ``#DIV/0!``.
    vat_rate : array_like, default 0
        VAT rate; 0 gives the coefficient HT, 0.2 the coefficient TTC.

    Returns
    -------
    float or ndarray
        ``price_ht * (1 + vat_rate) / cost``.

    Notes
    -----
    .. math:: CM_{HT} = \\frac{PV_{HT}}{PA_{HT}} = 1 + T_{marge} = \\frac{1}{1 - T_{marque}}, \\quad CM_{TTC} = CM_{HT}(1 + t)

    Examples
    --------
    Bijoutier (monbtsmco.com): 1 250 / 875 = 1.4286 (published truncated to 1.42).

    >>> round(multiplier(1250, 875), 4)
    1.4286
    """
    p, c, t = as_float(price_ht, "price_ht"), as_float(cost, "cost"), as_float(vat_rate, "vat_rate")
    with np.errstate(all="ignore"):
        result = p * (1 + t) / c
    return guard(result, [(c == 0, DivisionByZeroError, "coût nul", "cost")])


def price_from_margin_rate(cost, margin_rate):
    """Selling price HT from the cost and the taux de marge.

    Parameters
    ----------
    cost : array_like
        Purchase cost HT.
    margin_rate : array_like
        Taux de marge (on cost), as a decimal.

    Returns
    -------
    float or ndarray
        ``cost * (1 + margin_rate)``.

    Notes
    -----
    .. math:: PV_{HT} = PA_{HT} (1 + T_{marge})

    Examples
    --------
    K. Petit, fiche « Les marges »: a product sold 260 € with a 30 % taux de marge cost 200 €;
    back again:

    >>> price_from_margin_rate(200, 0.3)
    260.0
    """
    c, r = as_float(cost, "cost"), as_float(margin_rate, "margin_rate")
    return guard(c * (1 + r))


def price_from_mark_rate(cost, mark_rate):
    """Selling price HT from the cost and the taux de marque.

    Parameters
    ----------
    cost : array_like
        Purchase cost HT.
    mark_rate : array_like
        Taux de marque (on price), below 1; ``#NUM!`` otherwise.

    Returns
    -------
    float or ndarray
        ``cost / (1 - mark_rate)``.

    Notes
    -----
    .. math:: PV_{HT} = \\frac{PA_{HT}}{1 - T_{marque}}

    Examples
    --------
    K. Petit, fiche « Les marges »: bought 72 €, taux de marque 20 % → sold 90 € HT.

    >>> price_from_mark_rate(72, 0.2)
    90.0
    """
    c, r = as_float(cost, "cost"), as_float(mark_rate, "mark_rate")
    with np.errstate(all="ignore"):
        result = c / (1 - r)
    return guard(result, [(r >= 1, DomainError, "le taux de marque doit être inférieur à 1", "mark_rate")])


def price_ttc(price_ht, vat_rate=0.2):
    """Price including VAT (TTC).

    Parameters
    ----------
    price_ht : array_like
        Price HT.
    vat_rate : array_like, default 0.2
        VAT rate (France: 0.2, 0.1, 0.055, 0.021).

    Returns
    -------
    float or ndarray
        ``price_ht * (1 + vat_rate)``.

    Notes
    -----
    .. math:: PV_{TTC} = PV_{HT} (1 + t)

    Examples
    --------
    Chaussures (monbtsmco.com): cost 15 € HT with a coefficient TTC of 3 sell at 45 € TTC,
    i.e. 37.50 € HT:

    >>> price_ttc(37.5)
    45.0
    """
    p, t = as_float(price_ht, "price_ht"), as_float(vat_rate, "vat_rate")
    return guard(p * (1 + t), [(t <= -1, DomainError, "taux de TVA invalide", "vat_rate")])


def price_ht(price_ttc, vat_rate=0.2):
    """Price excluding VAT (HT) — divide, never subtract the rate.

    Parameters
    ----------
    price_ttc : array_like
        Price TTC.
    vat_rate : array_like, default 0.2
        VAT rate.

    Returns
    -------
    float or ndarray
        ``price_ttc / (1 + vat_rate)``.

    Notes
    -----
    .. math:: PV_{HT} = \\frac{PV_{TTC}}{1 + t} \\neq PV_{TTC}(1 - t)

    Examples
    --------
    OpenClassrooms (remises et escomptes), cas 2: 10 800 € TTC at 20 % is 9 000 € HT.

    >>> price_ht(10800)
    9000.0
    """
    p, t = as_float(price_ttc, "price_ttc"), as_float(vat_rate, "vat_rate")
    with np.errstate(all="ignore"):
        result = p / (1 + t)
    return guard(result, [(t <= -1, DomainError, "taux de TVA invalide", "vat_rate")])


def _discount_rates(discounts, name):
    if discounts is None:
        return np.zeros(0)
    d = as_series(discounts, name, min_length=0)
    if np.any(d < 0) or np.any(d >= 1):
        raise DomainError("chaque réduction doit être comprise entre 0 et 1 (exclu)", name)
    return d


def net_price(gross, discounts_range):
    """Net price after commercial reductions in cascade (rabais, remise, ristourne).

    Parameters
    ----------
    gross : array_like
        Gross price or amount HT (broadcasts).
    discounts_range : sequence of float
        Successive reduction rates, each applied to the previous net (0 ≤ d < 1).

    Returns
    -------
    float or ndarray
        ``gross * prod(1 - d_i)``.

    Notes
    -----
    .. math:: Net = Brut \\prod_i (1 - d_i) \\qquad (10\\,\\% + 5\\,\\% \\text{ give } 14.5\\,\\%, \\text{ not } 15\\,\\%)

    Examples
    --------
    TI-89 note (fisker.free.fr): 3 550 € brut, remise 10 % → net commercial 3 195 €.

    >>> net_price(3550, [0.10])
    3195.0
    """
    g = as_float(gross, "gross")
    d = _discount_rates(discounts_range, "discounts_range")
    return guard(g * np.prod(1 - d))


#: Row labels of :func:`invoice` (French, as printed on an invoice).
INVOICE_LABELS = {
    "gross": "Montant brut HT",
    "discount": "Réduction {k} ({rate})",
    "net_commercial": "Net commercial HT",
    "shipping": "Frais de port HT",
    "cash_discount": "Escompte ({rate})",
    "net_financial": "Net financier HT",
    "vat": "TVA ({rate})",
    "total": "Net à payer TTC",
}


def _pct(rate: float) -> str:
    text = f"{rate * 100:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %"


def invoice(gross, commercial_discounts_range=(), shipping=0.0, cash_discount=0.0, vat_rate=0.2):
    """The invoice chain (chaîne de facturation): brut → net commercial → net financier → TTC.

    Parameters
    ----------
    gross : float
        Gross amount HT (montant brut).
    commercial_discounts_range : sequence of float, optional
        Rabais, remise, ristourne rates in cascade, each on the previous net (``None``: none).
    shipping : float, default 0
        Shipping charged HT (port), added after the commercial reductions.
    cash_discount : float, default 0
        Escompte rate, on net commercial + shipping.
    vat_rate : float, default 0.2
        VAT rate, on the net financier.

    Returns
    -------
    list of (str, float)
        Label / amount rows: brut, each reduction (negative), net commercial, port, escompte
        (negative), net financier, TVA, net à payer TTC.

    Notes
    -----
    .. math::
        NC = B \\prod (1 - d_i), \\quad NF = (NC + port)(1 - e), \\quad TTC = NF (1 + t)

    Examples
    --------
    OpenClassrooms, cas 4: 10 000 € brut, remise 10 %, escompte 2 %, TVA 20 %.

    >>> for label, amount in invoice(10000, [0.10], cash_discount=0.02):
    ...     print(f"{label:<22}{amount:>10.2f}")
    Montant brut HT         10000.00
    Réduction 1 (10 %)      -1000.00
    Net commercial HT        9000.00
    Frais de port HT            0.00
    Escompte (2 %)           -180.00
    Net financier HT         8820.00
    TVA (20 %)               1764.00
    Net à payer TTC         10584.00
    """
    g = float(as_float(gross, "gross").reshape(-1)[0]) if np.size(gross) == 1 else None
    if g is None:
        raise BadValueError("un seul montant brut est attendu", "gross")
    if g < 0:
        raise DomainError("montant brut négatif", "gross")
    d = _discount_rates(commercial_discounts_range, "commercial_discounts_range")
    port = float(as_float(shipping, "shipping"))
    e = float(as_float(cash_discount, "cash_discount"))
    t = float(as_float(vat_rate, "vat_rate"))
    if port < 0:
        raise DomainError("frais de port négatifs", "shipping")
    if not 0 <= e < 1:
        raise DomainError("l'escompte doit être compris entre 0 et 1 (exclu)", "cash_discount")
    if t < 0:
        raise DomainError("taux de TVA négatif", "vat_rate")
    rows = [(INVOICE_LABELS["gross"], g)]
    net = g
    for k, rate in enumerate(d.tolist(), start=1):
        reduction = net * rate
        rows.append((INVOICE_LABELS["discount"].format(k=k, rate=_pct(rate)), 0.0 - reduction))
        net -= reduction
    rows.append((INVOICE_LABELS["net_commercial"], net))
    rows.append((INVOICE_LABELS["shipping"], port))
    escompte = (net + port) * e
    rows.append((INVOICE_LABELS["cash_discount"].format(rate=_pct(e)), 0.0 - escompte))
    financial = net + port - escompte
    rows.append((INVOICE_LABELS["net_financial"], financial))
    vat = financial * t
    rows.append((INVOICE_LABELS["vat"].format(rate=_pct(t)), vat))
    rows.append((INVOICE_LABELS["total"], financial + vat))
    return rows
