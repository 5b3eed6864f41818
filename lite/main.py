"""xlsales — fonctions Excel du manager commercial, pour xlwings Lite.

Sales-math Excel functions for xlwings Lite (64 functions, xlsales 0.1.0).

Installation : dans Excel, ouvrir xlwings Lite (onglet Accueil), coller ce fichier dans
l'onglet « main.py » et le contenu de requirements.txt dans l'onglet « requirements.txt »,
puis redémarrer xlwings Lite. Les fonctions s'utilisent ensuite comme les fonctions
natives : =MARGIN_RATE(B2; C2), =INVOICE(1000; E2:E3), …

FICHIER GÉNÉRÉ — ne pas modifier : il est régénéré par « python -m xlsales.lite » à partir
du paquet xlsales (sources de xlsales/__init__.py, xlsales/core/*.py, xlsales/udfs/*.py
incluses ci-dessous et servies comme le paquet « xlsales »).
Generated file: do not edit; regenerate with "python -m xlsales.lite".
"""

import importlib.machinery
import linecache
import sys

import xlwings as xw  # noqa: F401
from xlwings import arg, func, ret, script  # noqa: F401  (xlwings Lite: @func, @arg, @ret, @script)

_SOURCES = {
    'xlsales': (
        True,
        r'''"""xlsales — Excel-native toolkit for technical-sales managers.

* :mod:`xlsales.core` — the sales-math core (pure numpy / pandas / statsmodels).
* :mod:`xlsales.udfs` — the same functions as Excel functions (xlwings).
"""

__version__ = "0.1.0"
''',
    ),
    'xlsales.core': (
        True,
        r'''"""The sales-math core: pure, vectorised computations by domain (no xlwings, no files).

Every function of the Excel catalogue (``spec/functions.md``) has a snake_case counterpart here:
``MARGIN_RATE`` is :func:`xlsales.core.pricing.margin_rate`, also importable as
``xlsales.core.margin_rate``.
"""

from . import costs, customers, forecast, forecast_auto, journey, kpi, market, pay, pricing, stock
from . import forecast_auto as _forecast_auto_module
from .costs import *  # noqa: F401,F403
from .customers import *  # noqa: F401,F403
from .errors import *  # noqa: F401,F403
from .forecast import *  # noqa: F401,F403
from .forecast_auto import *  # noqa: F401,F403
from .journey import *  # noqa: F401,F403
from .kpi import *  # noqa: F401,F403
from .market import *  # noqa: F401,F403
from .pay import *  # noqa: F401,F403
from .pricing import *  # noqa: F401,F403
from .stock import *  # noqa: F401,F403

#: the domain modules (``forecast_auto`` the module, not the function of the same name)
DOMAINS = (pricing, costs, kpi, customers, market, forecast, _forecast_auto_module, stock, pay, journey)
''',
    ),
    'xlsales.core._vector': (
        False,
        r'''"""Helpers shared by the core modules: argument conversion and element-wise error guards.

Conventions (numpy-financial style)
-----------------------------------
* Every scalar function broadcasts: scalars in -> Python ``float`` out; arrays in -> ``ndarray``
  of the broadcast shape out.
* Element-wise domain problems (zero denominator, rate >= 1 …) are declared with :func:`guard`:
  a scalar call raises the matching :mod:`xlsales.core.errors` exception; an array call puts
  ``nan`` at the faulty positions and leaves the others computed (one bad row never hides
  10 000 good ones). The UDF layer re-asks the scalar call at those positions to learn which
  Excel error to show.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .errors import BadValueError, NotAvailableError, SalesMathError

__all__ = ["excel_round", "as_float", "as_series", "guard", "is_scalar_result", "same_length"]


def as_float(value, name: str) -> np.ndarray:
    """Convert ``value`` (number, sequence or array) to a float ndarray, naming ``name`` on failure."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    if isinstance(value, (bool, np.bool_)):
        return np.asarray(float(value))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise BadValueError("un nombre est attendu", name) from None
    return arr


def as_series(values, name: str, *, min_length: int = 1) -> np.ndarray:
    """A 1-D float array from a list, column or row; ``NotAvailableError`` if too short."""
    arr = as_float(values, name).ravel()
    if not np.all(np.isfinite(arr)):
        raise BadValueError("la plage contient une valeur non numérique", name)
    if arr.size < min_length:
        raise NotAvailableError(f"au moins {min_length} valeur(s) nécessaire(s)", name)
    return arr


def same_length(**arrays: np.ndarray) -> int:
    """Check that the named 1-D arrays have one length; return it or raise ``#N/A``."""
    lengths = {name: np.size(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{n} = {k}" for n, k in lengths.items())
        raise NotAvailableError(f"plages de tailles différentes ({detail})")
    return next(iter(lengths.values()))


def is_scalar_result(result) -> bool:
    return np.ndim(result) == 0


def guard(result, checks: Iterable[tuple[np.ndarray, type[SalesMathError], str, str | None]] = ()):
    """Finish an element-wise computation.

    Parameters
    ----------
    result : array_like
        The computed values (already broadcast).
    checks : iterable of (mask, error_class, message, argument)
        ``mask`` marks the invalid positions; the first check that hits wins.

    Returns
    -------
    float or ndarray
        A Python float for a 0-d result, else an ndarray with ``nan`` at invalid positions.

    Raises
    ------
    SalesMathError
        For a 0-d result hit by a check.
    """
    result = np.asarray(result, dtype=float)
    if result.ndim == 0:
        for mask, error, message, argument in checks:
            if bool(np.any(mask)):
                raise error(message, argument)
        return float(result)
    result = result.copy()
    for mask, _error, _message, _argument in checks:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), result.shape)
        result[mask] = np.nan
    return result


def excel_round(values, digits: int = 2):
    """Round half away from zero, as Excel's ROUND does (numpy rounds half to even).

    Float noise is removed first (Excel works on 15 significant digits), so that
    ``excel_round(1.005)`` is 1.01 as in Excel, not 1.0.

    >>> excel_round(11.725), excel_round(-2.5, 0), float(excel_round(1.005))
    (11.73, -3.0, 1.01)
    """
    x = np.asarray(values, dtype=float)
    scale = 10.0 ** digits
    scaled = np.round(np.abs(x) * scale, 6)
    result = np.sign(x) * np.floor(scaled + 0.5) / scale
    return float(result) if result.ndim == 0 else result
''',
    ),
    'xlsales.core.budget': (
        False,
        r'''"""Budgets: procurement (Wilson, safety stock, reorder point, monthly stock plan) and cash budget.

The BTS manuals' rules, as the forecast workbook writes them in native formulas:

* **Approvisionnement** — Q* = √(2·D·Cc / (Cu·t)), lot ordered = Q* rounded to the unit, N* = D / Q*,
  period = days per year / N*, average usage = D / days per year, safety stock = max usage × max lead
  time − average usage × average lead time, reorder point (stock d'alerte) = average usage × lead
  time + safety stock. Monthly stock plan: stock final = stock initial + entrées − sorties, the
  entrées of a month being the whole lots needed for the final stock to stay at or above the safety
  stock.
* **Trésorerie** — receipts TTC spread by payment terms (share collected the month of the sale, one
  month later, two months later…), supplier payments likewise, salaries and social charges, VAT
  collected − deductible paid the following month (a VAT credit is carried forward), closing
  balance = opening balance + receipts − disbursements.

Everything is pure numpy / pandas; :mod:`xlsales.macros.forecast` lays the same computations out
as formulas and its tests compare every cell with these functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._vector import as_float, as_series, excel_round
from .errors import BadValueError, DomainError, NotAvailableError
from .stock import eoq, reorder_point, safety_stock

__all__ = ["CASH_ROWS", "cash_budget", "collections", "procurement", "stock_plan", "vat_schedule"]

#: Columns of :func:`cash_budget`, in the order of the workbook's rows.
CASH_ROWS = (
    "sales_ht", "vat_collected", "sales_ttc", "purchases_ht", "vat_deductible", "purchases_ttc",
    "customer_receipts", "other_receipts", "total_receipts",
    "supplier_payments", "salaries", "social_charges", "vat_paid", "other_payments", "total_payments",
    "vat_net", "vat_due", "vat_credit",
    "opening", "net_flow", "closing",
)


def _roundup(x: np.ndarray) -> np.ndarray:
    """Spreadsheet ROUNDUP(x; 0) for x ≥ 0: a value within 1e-9 of a whole number counts as that
    number (Excel and LibreOffice work on 15 significant digits), the rest goes up."""
    return np.ceil(np.round(x, 9))


def procurement(annual_demand, order_cost, unit_cost, holding_rate, max_usage, avg_lead_time, max_lead_time,
                days_per_year=360):
    """Procurement figures of one or several products (families): Wilson, safety stock, reorder point.

    Parameters
    ----------
    annual_demand : array_like
        Annual demand D, in units (≥ 0).
    order_cost : array_like
        Cost of one order Cc (coût de passation, €).
    unit_cost : array_like
        Unit purchase cost Cu (€ HT, > 0).
    holding_rate : array_like
        Annual holding rate t (taux de possession, decimal, > 0).
    max_usage : array_like
        Maximum usage per day (units); not below the average usage D / days.
    avg_lead_time, max_lead_time : array_like
        Average and maximum delivery lead times, in days.
    days_per_year : int, default 360
        The manuals' commercial year (360) or 365.

    Returns
    -------
    dict of float or ndarray
        ``eoq`` (Q*), ``lot`` (Q* rounded to the unit, at least 1), ``orders`` (N* = D / Q*, ``nan``
        when D = 0), ``period_days`` (days / N*, ``nan`` when D = 0), ``avg_usage`` (D / days),
        ``safety_stock``, ``reorder_point``.

    Raises
    ------
    DomainError, DivisionByZeroError
        As :func:`~xlsales.core.stock.eoq` and :func:`~xlsales.core.stock.safety_stock` (scalar call).

    Notes
    -----
    .. math:: Q^* = \\sqrt{\\frac{2 D C_c}{C_u t}}, \\quad N^* = \\frac{D}{Q^*}, \\quad
              T = \\frac{360}{N^*}, \\quad SS = c_{max} d_{max} - \\bar c \\, \\bar d, \\quad
              SA = \\bar c \\, \\bar d + SS, \\quad \\bar c = \\frac{D}{360}

    Examples
    --------
    EXO STOCK (fr.scribd.com/document/643396404): D = 2 400, Cc = 120 €, Cu = 20 €, t = 8 % → Q* = 600,
    4 orders, one every 90 days. Usage 10 a day at most, lead time 8 days on average, 12 at most.

    >>> p = procurement(2400, 120, 20, 0.08, 10, 8, 12)
    >>> p["eoq"], p["lot"], p["orders"], p["period_days"]
    (600.0, 600.0, 4.0, 90.0)
    >>> round(p["avg_usage"], 4), round(p["safety_stock"], 4), round(p["reorder_point"], 4)
    (6.6667, 66.6667, 120.0)
    """
    d = as_float(annual_demand, "annual_demand")
    days = as_float(days_per_year, "days_per_year")
    if np.any(days <= 0):
        raise DomainError("nombre de jours par an nul ou négatif", "days_per_year")
    q = eoq(d, order_cost, unit_cost, holding_rate)
    q_arr = np.asarray(q, dtype=float)
    lot = np.maximum(1.0, excel_round(q_arr, 0))
    with np.errstate(all="ignore"):
        orders = np.where(d > 0, d / q_arr, np.nan)
        period = np.where(d > 0, days * q_arr / d, np.nan)
    avg_usage = d / days
    ss = safety_stock(max_usage, max_lead_time, avg_usage, avg_lead_time)
    rop = reorder_point(avg_usage, avg_lead_time, ss)
    out = {"eoq": q_arr, "lot": lot, "orders": orders, "period_days": period, "avg_usage": avg_usage,
           "safety_stock": np.asarray(ss, dtype=float), "reorder_point": np.asarray(rop, dtype=float)}
    if all(np.ndim(v) == 0 for v in out.values()):
        return {k: float(v) for k, v in out.items()}
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {k: np.broadcast_to(np.asarray(v, dtype=float), shape).copy() for k, v in out.items()}


def stock_plan(consumption, initial_stock, lot, safety_stock=0.0) -> pd.DataFrame:
    """Monthly stock plan (budget des approvisionnements in units) with deliveries by whole lots.

    Parameters
    ----------
    consumption : sequence of float
        Units consumed (sold) each month, in order.
    initial_stock : float
        Stock at the start of the first month.
    lot : float
        Size of one delivery (the Wilson lot), > 0.
    safety_stock : float, default 0
        The final stock of a month must not fall below it.

    Returns
    -------
    DataFrame
        One row per month: ``initial``, ``lots``, ``entries`` (= lots × lot), ``consumption``,
        ``final`` (= initial + entries − consumption; the next month's initial).

    Raises
    ------
    DomainError
        A lot that is not positive, or a negative consumption (``#NUM!``).

    Notes
    -----
    Lots delivered in month m: the fewest whole lots that keep the final stock at or above the
    safety stock, as the spreadsheet writes it:

    .. math:: n_m = \\max\\left(0, \\left\\lceil \\frac{SS + C_m - S_m}{Q} \\right\\rceil\\right), \\quad
              S_{m+1} = S_m + n_m Q - C_m

    Examples
    --------
    Stock 150, lot 200, safety stock 50; consumption 120, 90, 300. Month 1: 150 − 120 = 30 would fall
    below 50, so one lot (final 230); month 2: no delivery (140); month 3: two lots (140 + 400 − 300 = 240).

    >>> stock_plan([120, 90, 300], 150, 200, 50)[["initial", "entries", "final"]].to_numpy().tolist()
    [[150.0, 200.0, 230.0], [230.0, 0.0, 140.0], [140.0, 400.0, 240.0]]
    """
    c = as_series(consumption, "consumption")
    lot_value = float(as_float(lot, "lot").reshape(-1)[0])
    if not lot_value > 0:
        raise DomainError("le lot doit être positif", "lot")
    if np.any(c < 0):
        raise DomainError("consommation négative", "consumption")
    stock = float(as_float(initial_stock, "initial_stock").reshape(-1)[0])
    ss = float(as_float(safety_stock, "safety_stock").reshape(-1)[0])
    rows = []
    for used in c:
        lots = max(0.0, float(_roundup((ss + used - stock) / lot_value)))
        entries = lots * lot_value
        final = stock + entries - used
        rows.append((stock, lots, entries, float(used), final))
        stock = final
    return pd.DataFrame(rows, columns=["initial", "lots", "entries", "consumption", "final"])


def collections(amounts, shares, previous=()) -> np.ndarray:
    """Cash collected (or paid) each month from amounts invoiced with payment terms.

    Parameters
    ----------
    amounts : sequence of float
        Amounts invoiced (TTC) each month of the budget, in order.
    shares : sequence of float
        ``shares[k]`` = part of an invoice settled ``k`` months after it (0 = the same month:
        comptant; 1 = 30 jours fin de mois; 2 = 60 jours fin de mois; 3 = 90 jours…).
    previous : sequence of float, optional
        Amounts invoiced in the months just before the budget, oldest first (the receivables or
        payables at the start); earlier months count as nothing.

    Returns
    -------
    ndarray
        One amount per budget month.

    Notes
    -----
    .. math:: E_m = \\sum_k s_k \\, A_{m-k}

    Examples
    --------
    Sales TTC of 1 200 and 2 400, with 600 in the month before; 30 % cash, 70 % at 30 days end of month:

    >>> collections([1200, 2400], [0.3, 0.7], previous=[600]).round(2).tolist()
    [780.0, 1560.0]
    """
    a = as_series(amounts, "amounts")
    s = as_series(shares, "shares")
    prev = np.asarray(as_float(previous, "previous"), dtype=float).reshape(-1)
    if not np.all(np.isfinite(prev)):
        raise BadValueError("la plage contient une valeur non numérique", "previous")
    full = np.concatenate([prev, a])
    p = prev.size
    out = np.zeros(a.size)
    for k, share in enumerate(s):
        idx = p + np.arange(a.size) - k
        ok = idx >= 0
        out[ok] += share * full[idx[ok]]
    return out


def vat_schedule(collected, deductible) -> pd.DataFrame:
    """VAT of each month and when it is paid: the following month, a credit carried forward.

    Parameters
    ----------
    collected, deductible : sequence of float
        VAT collected on sales and deductible on purchases, month by month (same length).

    Returns
    -------
    DataFrame
        One row per month: ``net`` (collected − deductible − credit carried from the previous
        month), ``due`` (max(0, net), paid the following month), ``credit`` (max(0, −net), carried
        to the next month), ``paid`` (the previous month's ``due``; 0 for the first month).

    Notes
    -----
    .. math:: V_m = TVA^{coll}_m - TVA^{déd}_m - Cr_{m-1}, \\quad D_m = \\max(0, V_m), \\quad
              Cr_m = \\max(0, -V_m), \\quad P_{m+1} = D_m

    Examples
    --------
    >>> vat_schedule([400, 100, 500], [150, 300, 120]).to_numpy().tolist()
    [[250.0, 250.0, 0.0, 0.0], [-200.0, 0.0, 200.0, 250.0], [180.0, 180.0, 0.0, 0.0]]
    """
    col = as_series(collected, "collected")
    ded = as_series(deductible, "deductible")
    if col.size != ded.size:
        raise NotAvailableError(f"plages de tailles différentes (collected = {col.size}, deductible = {ded.size})")
    rows = []
    credit = 0.0
    due_before = 0.0
    for c, d in zip(col, ded):
        net = c - d - credit
        due, credit = max(0.0, net), max(0.0, -net)
        rows.append((net, due, credit, due_before))
        due_before = due
    return pd.DataFrame(rows, columns=["net", "due", "credit", "paid"])


def _monthly(value, m: int, name: str) -> np.ndarray:
    arr = np.asarray(as_float(value, name), dtype=float).reshape(-1)
    if arr.size == 1:
        arr = np.full(m, arr[0])
    if arr.size != m:
        raise NotAvailableError(f"{m} valeurs mensuelles attendues ({arr.size} reçues)", name)
    if not np.all(np.isfinite(arr)):
        raise BadValueError("la plage contient une valeur non numérique", name)
    return arr


def cash_budget(sales_ht, purchases_ht, *, vat_rate=0.2, customer_shares=(1.0,), supplier_shares=(1.0,),
                salaries=0.0, charge_rate=0.0, other_receipts=0.0, other_payments=0.0, opening_balance=0.0,
                sales_before=(), purchases_before=()) -> pd.DataFrame:
    """Budget de trésorerie, month by month.

    Parameters
    ----------
    sales_ht, purchases_ht : sequence of float
        Sales and purchases HT of each budget month (same length m).
    vat_rate : float, default 0.2
        VAT rate on sales and purchases.
    customer_shares, supplier_shares : sequence of float
        Payment terms: share settled the month of the invoice, 1 month later, 2 months later…
        (see :func:`collections`).
    salaries : float or sequence of float, default 0
        Gross salaries paid each month (one number = the same every month).
    charge_rate : float, default 0
        Employer social charges as a share of the salaries, paid the same month.
    other_receipts, other_payments : float or sequence of float, default 0
        Other receipts and disbursements of each month (amounts paid, no VAT).
    opening_balance : float, default 0
        Cash at the start of the first month.
    sales_before, purchases_before : sequence of float, optional
        Sales and purchases HT of the months just before the budget (same length, oldest first):
        the receivables and payables at the start, and the VAT of the last of these months,
        paid in the first budget month.

    Returns
    -------
    DataFrame
        Indexed by month offset: ``-p … -1`` for the months before (only the sales, purchases and
        VAT columns are filled), ``0 … m-1`` for the budget months. Columns: :data:`CASH_ROWS`.

    Notes
    -----
    Amounts TTC = HT × (1 + VAT rate); receipts :math:`E_m = \\sum_k s_k \\, TTC_{m-k}` (same for the
    suppliers); VAT of month m (see :func:`vat_schedule`) is paid in month m + 1;

    .. math:: Tréso^{fin}_m = Tréso^{début}_m + Encaissements_m - Décaissements_m, \\quad
              Tréso^{début}_{m+1} = Tréso^{fin}_m

    Examples
    --------
    Two months of sales (10 000 and 12 000 HT, 9 000 the month before), purchases 6 000, 5 000
    (4 000 before), VAT 20 %, customers 50 % cash / 50 % at 30 days, suppliers at 30 days,
    salaries 2 000 + 40 % charges, opening cash 1 000.

    >>> cb = cash_budget([10000, 12000], [6000, 5000], customer_shares=[0.5, 0.5], supplier_shares=[0, 1],
    ...                  salaries=2000, charge_rate=0.4, opening_balance=1000,
    ...                  sales_before=[9000], purchases_before=[4000])
    >>> cb.loc[0, ["total_receipts", "supplier_payments", "vat_paid", "total_payments", "closing"]].tolist()
    [11400.0, 4800.0, 1000.0, 8600.0, 3800.0]
    >>> cb.loc[1, ["total_receipts", "total_payments", "closing"]].tolist()
    [13200.0, 10800.0, 6200.0]
    """
    sales = as_series(sales_ht, "sales_ht")
    m = sales.size
    purchases = _monthly(purchases_ht, m, "purchases_ht")
    before_s = np.asarray(as_float(sales_before, "sales_before"), dtype=float).reshape(-1)
    before_p = np.asarray(as_float(purchases_before, "purchases_before"), dtype=float).reshape(-1)
    if before_s.size != before_p.size:
        raise NotAvailableError("sales_before et purchases_before doivent avoir la même longueur")
    rate = float(as_float(vat_rate, "vat_rate").reshape(-1)[0])
    if rate < 0:
        raise DomainError("taux de TVA négatif", "vat_rate")
    p = before_s.size
    all_sales = np.concatenate([before_s, sales])
    all_purchases = np.concatenate([before_p, purchases])
    frame = pd.DataFrame(index=pd.RangeIndex(-p, m, name="month"), columns=list(CASH_ROWS), dtype=float)
    frame["sales_ht"] = all_sales
    frame["vat_collected"] = all_sales * rate
    frame["sales_ttc"] = all_sales + frame["vat_collected"].to_numpy()
    frame["purchases_ht"] = all_purchases
    frame["vat_deductible"] = all_purchases * rate
    frame["purchases_ttc"] = all_purchases + frame["vat_deductible"].to_numpy()
    vat = vat_schedule(frame["vat_collected"], frame["vat_deductible"])
    frame["vat_net"] = vat["net"].to_numpy()
    frame["vat_due"] = vat["due"].to_numpy()
    frame["vat_credit"] = vat["credit"].to_numpy()

    budget = slice(0, m - 1)
    ttc_s = frame["sales_ttc"].to_numpy()
    ttc_p = frame["purchases_ttc"].to_numpy()
    frame.loc[budget, "customer_receipts"] = collections(ttc_s[p:], customer_shares, ttc_s[:p])
    frame.loc[budget, "other_receipts"] = _monthly(other_receipts, m, "other_receipts")
    frame.loc[budget, "total_receipts"] = (frame.loc[budget, "customer_receipts"] + frame.loc[budget, "other_receipts"])
    frame.loc[budget, "supplier_payments"] = collections(ttc_p[p:], supplier_shares, ttc_p[:p])
    pay = _monthly(salaries, m, "salaries")
    frame.loc[budget, "salaries"] = pay
    frame.loc[budget, "social_charges"] = pay * float(as_float(charge_rate, "charge_rate").reshape(-1)[0])
    frame.loc[budget, "vat_paid"] = vat["paid"].to_numpy()[p:]
    frame.loc[budget, "other_payments"] = _monthly(other_payments, m, "other_payments")
    frame.loc[budget, "total_payments"] = frame.loc[budget, ["supplier_payments", "salaries", "social_charges",
                                                             "vat_paid", "other_payments"]].sum(axis=1)
    flow = (frame.loc[budget, "total_receipts"] - frame.loc[budget, "total_payments"]).to_numpy()
    closing = float(as_float(opening_balance, "opening_balance").reshape(-1)[0]) + np.cumsum(flow)
    frame.loc[budget, "net_flow"] = flow
    frame.loc[budget, "closing"] = closing
    frame.loc[budget, "opening"] = closing - flow
    return frame
''',
    ),
    'xlsales.core.costs': (
        False,
        r'''"""Coûts et rentabilité: contribution margin, breakeven (value, quantity, days, date), safety
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
''',
    ),
    'xlsales.core.customers': (
        False,
        r'''"""Clients et portefeuille: customer value (CLV), acquisition cost, churn, lifetime, ABC
(Pareto) classes and RFM segmentation.

Scalar functions broadcast like numpy ufuncs; :func:`abc_class` and :func:`rfm` work on whole
lists (one class per value, one row per customer).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from ._vector import as_float, as_series, guard, same_length
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
''',
    ),
    'xlsales.core.errors': (
        False,
        r'''"""Errors of the sales-math core and the Excel error value each one stands for.

This is the project's single error mapping: every layer (UDFs, sheet builders, CLI)
turns a core error into what its user sees through :attr:`SalesMathError.excel`.
"""

from __future__ import annotations

__all__ = [
    "SalesMathError",
    "BadValueError",
    "DivisionByZeroError",
    "DomainError",
    "NotAvailableError",
    "EXCEL_ERRORS",
]

#: The Excel error values a cell may show, as strings (xlwings Lite turns them into real errors).
EXCEL_ERRORS = ("#VALUE!", "#DIV/0!", "#NUM!", "#N/A")


class SalesMathError(ValueError):
    """Bad input for a computation.

    Parameters
    ----------
    message : str
        A short French message for the user.
    argument : str, optional
        The name of the argument at fault (as in the function catalogue).
    """

    #: Excel error value shown in the cell.
    excel = "#VALUE!"

    def __init__(self, message: str, argument: str | None = None):
        self.argument = argument
        self.message = message
        text = f"{argument} : {message}" if argument else message
        super().__init__(text)


class BadValueError(SalesMathError, TypeError):
    """Wrong type: text where a number is expected, unknown option… (``#VALUE!``)."""

    excel = "#VALUE!"


class DivisionByZeroError(SalesMathError, ZeroDivisionError):
    """A zero denominator (``#DIV/0!``)."""

    excel = "#DIV/0!"


class DomainError(SalesMathError):
    """A value outside the domain: negative quantity, rate ≥ 1… (``#NUM!``)."""

    excel = "#NUM!"


class NotAvailableError(SalesMathError):
    """Ranges of different sizes, or not enough data (``#N/A``)."""

    excel = "#N/A"
''',
    ),
    'xlsales.core.exercise_data': (
        False,
        r'''"""Seeded figures for the trainers' exercises: plausible data of a technical-sales SME, by topic.

Each topic has a generator that draws its figures from one :class:`numpy.random.Generator` seeded
by ``(seed, topic)``: the same seed always gives the same exercise, another seed other figures.
Figures are rounded the way textbooks print them (amounts to the euro, the ten or the thousand,
rates to the whole or half percent) and kept in ranges a manager meets (a mark rate between 5 % and
60 %, a breakeven reached within the year, a positive trend…). Only the *data* of the statement is
produced here; every answer is computed by the catalogue functions (:mod:`xlsales.core`).

Topics
------
``facture`` (invoice chain), ``marges`` (margin and mark rates), ``seuil`` (breakeven and point
mort), ``moindres_carres`` (least squares, Mayer, extreme points), ``saisonnalite`` (seasonal
coefficients), ``commissions`` (progressive and flat grids), ``gini`` (Lorenz curve), ``abc``
(Pareto classes), ``valeur_client`` (customer lifetime value).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["TOPIC_KEYS", "ExerciseData", "generate"]

#: The topics, in the order of the exercise book; the number is part of the random stream's seed.
TOPIC_KEYS = ("facture", "marges", "seuil", "moindres_carres", "saisonnalite", "commissions", "gini", "abc",
              "valeur_client")

#: Fictional technical-sales SMEs: name, trade, town, products sold.
COMPANIES = (
    ("Hydrolis", "pompes et équipements hydrauliques", "Lyon",
     ("Pompe centrifuge PC-40", "Vanne papillon DN100", "Kit d'étanchéité", "Coffret de commande",
      "Clapet anti-retour DN80", "Manomètre inox", "Surpresseur compact")),
    ("Thermatec", "génie climatique", "Nantes",
     ("Pompe à chaleur 12 kW", "Ventilo-convecteur", "Régulateur connecté", "Vase d'expansion 50 L",
      "Module hydraulique", "Filtre magnétique", "Sonde d'ambiance")),
    ("Électrosud", "matériel électrique industriel", "Toulouse",
     ("Variateur de vitesse 7,5 kW", "Disjoncteur 63 A", "Armoire IP65", "Câble U1000 (touret 100 m)",
      "Automate compact", "Capteur inductif", "Contacteur 40 A")),
    ("Mécaparts", "transmission mécanique", "Saint-Étienne",
     ("Motoréducteur 1,5 kW", "Roulement à rouleaux", "Courroie crantée", "Accouplement élastique",
      "Palier fonte", "Chaîne de transmission (5 m)", "Poulie à gorge")),
    ("Airpro Industrie", "air comprimé", "Lille",
     ("Compresseur à vis 15 kW", "Sécheur frigorifique", "Filtre coalescent", "Réservoir 500 L",
      "Purgeur électronique", "Raccords rapides (lot de 10)", "Enrouleur de flexible")),
    ("Optilab", "instrumentation de laboratoire", "Grenoble",
     ("Balance de précision", "pH-mètre de paillasse", "Étuve 53 L", "Agitateur magnétique",
      "Pipette électronique", "Centrifugeuse compacte", "Bain thermostaté")),
    ("Sécuritech", "équipements de protection et de sécurité", "Rennes",
     ("Détecteur de gaz portable", "Harnais antichute", "Extincteur CO2 5 kg", "Douche de sécurité",
      "Casque ventilé", "Armoire pour produits inflammables", "Balisage lumineux")),
    ("Agriméca", "machinisme agricole", "Reims",
     ("Pulvérisateur porté 800 L", "Herse rotative", "Kit de guidage GPS", "Pièces d'usure (lot)",
      "Pompe de relevage", "Console de semoir", "Coupleur hydraulique")),
)

#: Business customers of those SMEs (invoice, ABC).
CUSTOMERS = (
    "Fromagerie des Alpes", "Papeteries de l'Ouest", "Brasserie Saint-Roch", "Clinique du Parc",
    "Lycée Jean-Moulin", "Transports Morel", "Scierie Garnier", "Laiterie Bellevue", "Imprimerie Lenoir",
    "Conserverie Marine", "Plasturgie du Jura", "Boulangeries Roux", "Chais du Médoc", "Fonderie Dubreuil",
    "Hôtel des Remparts", "Menuiserie Perrin", "Cartonnages Vidal", "Verrerie de l'Est", "Abattoirs du Centre",
    "Station d'épuration de Vienne",
)

#: Sales representatives (commissions).
REPS = ("Léa Fontaine", "Hugo Marchand", "Inès Carpentier", "Karim Benali", "Manon Leroy", "Théo Girard",
        "Sarah Nguyen", "Lucas Mercier")


@dataclass
class ExerciseData:
    """The data of one exercise: who, where, and the figures of the statement.

    ``figures`` holds numbers and lists of numbers (and a few labels): what the statement gives,
    never an answer.
    """

    topic: str
    seed: int
    company: str
    trade: str
    town: str
    figures: dict[str, Any] = field(default_factory=dict)


def _rng(topic: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), TOPIC_KEYS.index(topic) + 1])


def _round_to(value: float, step: float) -> float:
    """Round half away from zero to a multiple of ``step`` (textbook rounding)."""
    q = abs(value) / step
    k = np.floor(q + 0.5)
    return float(np.copysign(k * step, value)) if k else 0.0


def _price(value: float) -> float:
    """A catalogue price: to the 50 cents below 100 €, the euro below 1 000 €, else the ten."""
    step = 0.5 if value < 100 else (1.0 if value < 1000 else 10.0)
    return max(step, _round_to(value, step))


def _company(rng: np.random.Generator):
    return COMPANIES[int(rng.integers(len(COMPANIES)))]


def _pick(rng: np.random.Generator, items, k: int) -> list:
    return [items[i] for i in rng.choice(len(items), size=k, replace=False)]


# ------------------------------------------------------------------------------------------------
# Topics
# ------------------------------------------------------------------------------------------------


def _facture(rng):
    name, trade, town, products = _company(rng)
    n = int(rng.integers(2, 5))
    designations = _pick(rng, products, n)
    quantities, prices = [], []
    for _ in range(n):
        price = _price(float(np.exp(rng.uniform(np.log(18), np.log(2400)))))
        budget = rng.uniform(400, 6000)
        quantities.append(int(np.clip(round(budget / price), 1, 60)))
        prices.append(price)
    discounts = []
    if rng.random() < 0.4:
        discounts.append(("Rabais", float(rng.choice([0.02, 0.03, 0.05]))))
    discounts.append(("Remise", float(rng.choice([0.05, 0.08, 0.1, 0.12, 0.15]))))
    if rng.random() < 0.5:
        discounts.append(("Ristourne", float(rng.choice([0.01, 0.02, 0.03]))))
    gross = float(sum(q * p for q, p in zip(quantities, prices)))
    shipping = 0.0 if gross > 8000 else float(rng.choice([35.0, 45.0, 60.0, 85.0, 120.0]))
    cash_discount = float(rng.choice([0.0, 0.01, 0.015, 0.02]))
    return (name, trade, town), {
        "customer": CUSTOMERS[int(rng.integers(len(CUSTOMERS)))],
        "invoice_number": f"FA-{int(rng.integers(2024, 2027))}-{int(rng.integers(100, 999)):04d}",
        "designations": designations, "quantities": quantities, "unit_prices": prices,
        "discount_labels": [d[0] for d in discounts], "discount_rates": [d[1] for d in discounts],
        "shipping": shipping, "cash_discount": cash_discount, "vat_rate": 0.2,
    }


def _marges(rng):
    name, trade, town, products = _company(rng)
    chosen = _pick(rng, products, 7)
    costs, prices = [], []
    for _ in range(4):
        while True:
            cost = _price(float(np.exp(rng.uniform(np.log(12), np.log(1500)))))
            price = _price(cost / (1 - rng.uniform(0.12, 0.5)))
            rate = (price - cost) / price
            if 0.05 <= rate <= 0.6:
                break
        costs.append(cost)
        prices.append(price)
    new_costs = [_price(float(np.exp(rng.uniform(np.log(20), np.log(1200))))) for _ in range(3)]
    new_rates = [float(r) for r in rng.choice([0.2, 0.25, 0.3, 0.35, 0.4, 0.45], size=3, replace=False)]
    return (name, trade, town), {
        "designations": chosen[:4], "costs": costs, "prices": prices, "vat_rate": 0.2,
        "new_designations": chosen[4:], "new_costs": new_costs, "new_mark_rates": new_rates,
    }


#: Month-by-month activity profile of a technical-sales SME (August closure, year-end peak).
_SEASON = np.array([0.85, 0.9, 1.05, 1.0, 1.0, 1.05, 0.95, 0.55, 1.05, 1.15, 1.15, 1.25])


def _seuil(rng):
    name, trade, town, _ = _company(rng)
    revenue = _round_to(rng.uniform(800_000, 4_800_000), 10_000)
    weights = _SEASON * rng.uniform(0.9, 1.1, 12)
    months = [_round_to(revenue * w / weights.sum(), 1000) for w in weights]
    months[-1] = revenue - sum(months[:-1])
    variable_costs = _round_to(revenue * rng.uniform(0.45, 0.72), 1000)
    contribution_rate = (revenue - variable_costs) / revenue
    safety = rng.uniform(0.12, 0.38)
    fixed_costs = _round_to(revenue * (1 - safety) * contribution_rate, 1000)
    return (name, trade, town), {
        "year": int(rng.integers(2024, 2028)), "revenue": revenue, "variable_costs": variable_costs,
        "fixed_costs": fixed_costs, "monthly_revenue": months,
    }


def _moindres_carres(rng):
    name, trade, town, products = _company(rng)
    n = int(rng.integers(6, 10))
    last = int(rng.integers(2023, 2027))
    base = rng.uniform(400, 5000)
    slope = base * rng.uniform(0.03, 0.12)
    for _ in range(50):
        noise = rng.normal(0, base * rng.uniform(0.02, 0.05), n)
        y = np.round(base + slope * np.arange(1, n + 1) + noise)
        r = np.corrcoef(np.arange(1, n + 1), y)[0, 1]
        if r > 0.8:
            break
    unit = "k€" if rng.random() < 0.5 else "unités"
    return (name, trade, town), {
        "years": list(range(last - n + 1, last + 1)), "x": list(range(1, n + 1)), "y": [float(v) for v in y],
        "unit": unit, "product": products[int(rng.integers(len(products)))],
    }


def _saisonnalite(rng):
    name, trade, town, _ = _company(rng)
    years = int(rng.choice([3, 4]))
    last = int(rng.integers(2023, 2027))
    base = rng.uniform(120, 900)
    growth = rng.uniform(0.005, 0.04)
    raw = rng.uniform(0.7, 1.35, 4)
    season = raw / raw.mean()
    t = np.arange(1, 4 * years + 1)
    y = np.round(base * (1 + growth * t) * season[(t - 1) % 4] * rng.normal(1, 0.02, t.size))
    annual_forecast = _round_to(y[-4:].sum() * rng.uniform(1.02, 1.08), 10)
    return (name, trade, town), {
        "years": list(range(last - years + 1, last + 1)), "y": [float(v) for v in y],
        "annual_forecast": annual_forecast,
    }


def _commissions(rng):
    name, trade, town, _ = _company(rng)
    tiers = int(rng.choice([3, 4]))
    bounds = [0.0]
    for _ in range(tiers - 1):
        bounds.append(bounds[-1] + float(rng.choice([8000, 10000, 12000])))
    first = float(rng.choice([0.02, 0.025, 0.03]))
    rates = [first]
    for _ in range(tiers - 1):
        rates.append(round(rates[-1] + float(rng.choice([0.01, 0.015, 0.02])), 4))
    n = 5
    # every tier reached by at least one rep
    tier_of = np.concatenate([np.arange(tiers), rng.integers(0, tiers, n - tiers)])
    rng.shuffle(tier_of)
    revenue = []
    for k in tier_of:
        low = bounds[k] if k else 4000.0
        high = bounds[k + 1] if k + 1 < tiers else bounds[-1] + 15000.0
        revenue.append(_round_to(rng.uniform(low + 10, high - 10), 10))
    return (name, trade, town), {
        "reps": _pick(rng, REPS, n), "revenue": revenue, "thresholds": bounds, "rates": rates,
        "month": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                  "octobre", "novembre", "décembre"][int(rng.integers(12))],
    }


_LADDERS = ((0, 5, 10, 20, 40, 80, 160, 320), (0, 10, 25, 50, 100, 200, 400, 800), (0, 2, 5, 10, 20, 50, 100, 200))


def _gini(rng):
    name, trade, town, _ = _company(rng)
    ladder = _LADDERS[int(rng.integers(len(_LADDERS)))]
    k = int(rng.integers(5, 8))
    total = rng.uniform(150, 900)
    ratio = rng.uniform(0.45, 0.8)
    shares = ratio ** np.arange(k) * rng.uniform(0.8, 1.2, k)
    counts = [max(2, round(total * s / shares.sum())) for s in shares]
    return (name, trade, town), {
        "lower": [float(v) for v in ladder[:k]], "upper": [float(v) for v in ladder[1:k + 1]], "counts": counts,
    }


def _abc(rng):
    name, trade, town, _ = _company(rng)
    n = int(rng.integers(12, 16))
    values = []
    for v in 1000 * (rng.pareto(1.3, n) + 0.15) * rng.uniform(8, 20):
        v = max(100.0, _round_to(float(300_000 * -np.expm1(-v / 300_000)), 100))  # big accounts level off
        while v in values:
            v += 100.0
        values.append(v)
    a, b = (0.8, 0.95) if rng.random() < 0.75 else (0.7, 0.9)
    return (name, trade, town), {
        "codes": [f"CL{i:03d}" for i in sorted(rng.choice(np.arange(1, 400), n, replace=False))],
        "customers": _pick(rng, CUSTOMERS, n), "revenue": values, "a_share": a, "b_share": b,
    }


def _valeur_client(rng):
    name, trade, town, _ = _company(rng)
    start = int(rng.integers(300, 2500))
    lost = round(start * rng.uniform(0.08, 0.35))
    new = round(start * rng.uniform(0.1, 0.4))
    spend = _round_to(new * rng.uniform(120, 900), 100)
    return (name, trade, town), {
        "customers_start": start, "customers_lost": lost, "new_customers": new, "acquisition_spend": spend,
        "margin": _round_to(rng.uniform(250, 2500), 10),
        "discount_rate": float(rng.choice([0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12])),
        "years": int(rng.integers(4, 9)),
    }


_GENERATORS: dict[str, Callable] = {
    "facture": _facture, "marges": _marges, "seuil": _seuil, "moindres_carres": _moindres_carres,
    "saisonnalite": _saisonnalite, "commissions": _commissions, "gini": _gini, "abc": _abc,
    "valeur_client": _valeur_client,
}


def generate(topic: str, seed: int) -> ExerciseData:
    """The data of the exercise ``topic`` for ``seed``.

    Parameters
    ----------
    topic : str
        One of :data:`TOPIC_KEYS`.
    seed : int
        Any whole number ≥ 0; the same seed gives the same figures.

    Returns
    -------
    ExerciseData
        Company, trade, town and the figures of the statement (see each topic below).

    Notes
    -----
    Figures by topic (amounts HT in euros unless said, rates as decimals):

    * ``facture``: customer, invoice_number, designations, quantities, unit_prices, discount_labels
      and discount_rates (rabais, remise, ristourne in cascade), shipping, cash_discount, vat_rate.
    * ``marges``: designations, costs, prices (mark rate 5–60 %), vat_rate; new_designations,
      new_costs, new_mark_rates (prices to set).
    * ``seuil``: year, revenue, variable_costs, fixed_costs (safety index 12–38 %: the breakeven
      is reached within the year), monthly_revenue (12 months adding up to revenue).
    * ``moindres_carres``: years, x (ranks 1..n, 6 ≤ n ≤ 9), y (rising, r > 0.8), unit, product.
    * ``saisonnalite``: years (3 or 4), y (quarterly), annual_forecast (next year's total).
    * ``commissions``: reps, revenue (one month, each tier reached by someone), thresholds (lower
      bounds, first 0), rates (rising), month.
    * ``gini``: lower, upper (class bounds, k€), counts (customers per class).
    * ``abc``: codes, customers, revenue (distinct), a_share, b_share.
    * ``valeur_client``: customers_start, customers_lost, new_customers, acquisition_spend, margin
      (per customer and year), discount_rate, years.

    The stream is ``numpy.random.default_rng([seed, topic number])``: topics never share draws.

    Examples
    --------
    >>> data = generate("seuil", 1)
    >>> data.figures["variable_costs"] < data.figures["revenue"]
    True
    >>> sum(data.figures["monthly_revenue"]) == data.figures["revenue"]
    True
    >>> generate("abc", 3) == generate("abc", 3), generate("abc", 3) == generate("abc", 4)
    (True, False)
    """
    if topic not in _GENERATORS:
        raise ValueError(f"thème inconnu : {topic!r} (attendu : {', '.join(TOPIC_KEYS)})")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"la graine doit être un entier positif ou nul (reçu : {seed!r})")
    (name, trade, town), figures = _GENERATORS[topic](_rng(topic, int(seed)))
    return ExerciseData(topic=topic, seed=int(seed), company=name, trade=trade, town=town, figures=figures)
''',
    ),
    'xlsales.core.forecast': (
        False,
        r'''"""Prévision: the BTS manuals' forecasting methods, plus Holt-Winters.

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
''',
    ),
    'xlsales.core.forecast_auto': (
        False,
        r'''"""Prévision automatique: the forecast that would have done best on the user's own history.

The manuals' method (least-squares trend × seasonal coefficients on the whole history) often
loses to "same season last year" on real sales, because long histories are not linear; Excel's
``FORECAST.ETS`` only chooses its seasonality. :func:`forecast_auto` back-tests a fixed list of
candidates on the history and returns the forecast of the best one; :func:`forecast_auto_report`
shows the back-test, so a manager sees why.

Back-test (rolling origin, no look-ahead)
-----------------------------------------
With ``n`` values, a period ``p`` and a horizon ``h``, the cut-offs are
``c_j = n - h - j·h`` for ``j = 0 … k-1``: each candidate is fitted on ``y[:c_j]`` only and
forecasts ``y[c_j : c_j + h]`` (the same horizon as asked). For a yearly horizon, each method is
thus tried on each of the last :data:`MAX_CUTOFFS` (4) years, fitted on the years before: the
test windows do not overlap, every value of the back-test is scored once. ``k`` is smaller when
the history is short, the earliest cut-off keeping at least two full seasons for fitting; at
least two cut-offs are needed (the step then shrinks below ``h`` if it must), so the history must
hold ``2p + h + 1`` values, else ``#N/A``.

Score: the MAPE pooled over every (cut-off, step ahead) pair, ``mean(|y - ŷ| / |y|)``, as a
decimal (0.05 = 5 %). Actual values equal to zero are left out of the mean (the percentage error
is undefined there); if every actual of the back-test is zero, ``#N/A``. A candidate that fails at
one cut-off (fit error, non-finite forecast — e.g. a multiplicative model whose trend turns
negative) is out of the race and shows no score.

Candidates, in tie-break order (simplest first; a candidate within :data:`TIE_TOLERANCE` of the
best MAPE and earlier in this list wins):

1. seasonal naive (same season one cycle earlier);
2. the manuals' trend × seasonal coefficients (:func:`xlsales.core.forecast.seasonal_forecast`):
   ratios to the trend, then ratios to the centred moving average; multiplicative, then additive;
   each fitted on the whole history, on the last 3 seasons and on the last 5 seasons (a window is a
   candidate only when it is shorter than the history at the earliest cut-off);
3. Holt-Winters (statsmodels ``ExponentialSmoothing``, additive trend): additive seasonality,
   additive damped, multiplicative, multiplicative damped. Initial states by the heuristic of
   Hyndman et al. (needs ``max(2p, 10 + 2⌊p/2⌋)`` values at the earliest cut-off, else no
   Holt-Winters candidate), smoothing parameters by L-BFGS-B from :data:`HW_START` (no
   brute-force grid): about 6 ms a fit for 15 years of months, where statsmodels' defaults
   (initial states estimated too, brute-force start) cost about 10 times more.

Multiplicative candidates are considered only when every value is strictly positive. The final
forecast is the chosen candidate refitted, by the same procedure, on the whole history.
Everything is deterministic (no random start; the BLAS thread count, which only slows these small
problems down, is set to one during the call when ``threadpoolctl`` is installed).
"""

from __future__ import annotations

import contextlib
import importlib
import math
import warnings
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from . import forecast as _manuals
from ._vector import as_float, as_series
from .errors import BadValueError, DomainError, NotAvailableError

__all__ = ["forecast_auto", "forecast_auto_report"]

#: Most cut-offs (origins) of the rolling back-test, one horizon apart.
MAX_CUTOFFS = 4

#: Start of the Holt-Winters optimiser: smoothing level, trend, seasonal, damping. From statsmodels'
#: own start (level 0.5/p, trend 0.05/p…) L-BFGS-B often stops at a poor local optimum (in-sample
#: error up to twice as large on quarterly and monthly series); from here it reached the lowest
#: in-sample error of five starts tried on each of 40 quarterly and monthly fits checked, for the
#: same cost.
HW_START = (0.3, 0.01, 0.3, 0.98)

#: Two MAPEs closer than this (absolute, as decimals) are a tie: the simpler candidate wins.
TIE_TOLERANCE = 1e-9

#: Window labels, by number of seasons (``None`` = whole history).
WINDOW_LABELS = {None: "tout l'historique", 3: "3 dernières saisons", 5: "5 dernières saisons"}

#: Column titles of the report (as spilled by FORECAST_AUTO_REPORT).
REPORT_HEADER = ("Méthode", "Fenêtre", "MAPE back-test", "Choisie")

_MANUAL_LABELS = {
    ("ratio_to_trend", "multiplicative"): "Tendance × coefficients (rapports à la tendance)",
    ("ratio_to_trend", "additive"): "Tendance + écarts saisonniers (écarts à la tendance)",
    ("moving_average", "multiplicative"): "Tendance × coefficients (moyennes mobiles)",
    ("moving_average", "additive"): "Tendance + écarts saisonniers (moyennes mobiles)",
}

_HW_LABELS = {
    ("add", False): "Holt-Winters additif",
    ("add", True): "Holt-Winters additif amorti",
    ("mul", False): "Holt-Winters multiplicatif",
    ("mul", True): "Holt-Winters multiplicatif amorti",
}


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


def _seasonal_naive(train: np.ndarray, period: int, horizon: int) -> np.ndarray:
    last = train[-period:]
    return last[np.arange(horizon) % period].astype(float)


def _manual(method: str, model: str) -> Callable[[np.ndarray, int, int], np.ndarray]:
    def fit(train: np.ndarray, period: int, horizon: int) -> np.ndarray:
        return np.asarray(
            _manuals.seasonal_forecast(train, period, horizon, method=method, model=model), dtype=float
        )

    return fit


def _hw_min_length(period: int) -> int:
    return max(2 * period, 10 + 2 * (period // 2))


def _holt_winters(seasonal: str, damped: bool) -> Callable[[np.ndarray, int, int], np.ndarray]:
    def fit(train: np.ndarray, period: int, horizon: int) -> np.ndarray:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                model = ExponentialSmoothing(
                    train,
                    trend="add",
                    damped_trend=damped,
                    seasonal=seasonal,
                    seasonal_periods=period,
                    initialization_method="heuristic",
                )
                start = list(HW_START if damped else HW_START[:3])
                result = model.fit(optimized=True, use_brute=False, start_params=start)
                return np.asarray(result.forecast(horizon), dtype=float)

    return fit


@dataclass(frozen=True)
class Candidate:
    """One forecasting procedure of the race.

    Attributes
    ----------
    key : str
        Stable identifier, e.g. ``"ratio_to_trend_multiplicative_3"`` or ``"hw_mul_damped"``.
    method, window : str
        French labels shown in the report.
    seasons : int or None
        Fitting window in seasons (``None``: the whole history available).
    fit : callable
        ``fit(train, period, horizon) -> ndarray(horizon)``.
    """

    key: str
    method: str
    window: str
    seasons: int | None
    fit: Callable[[np.ndarray, int, int], np.ndarray]

    def forecast(self, history, period: int, horizon: int) -> np.ndarray:
        """Fit on ``history`` (cut to the window) and forecast the next ``horizon`` values."""
        history = np.asarray(history, dtype=float)
        train = history if self.seasons is None else history[-self.seasons * period :]
        result = np.asarray(self.fit(train, period, horizon), dtype=float).reshape(-1)
        if result.shape != (horizon,) or not np.all(np.isfinite(result)):
            raise ValueError(f"{self.key}: forecast not finite")
        return result


def candidates(known_y, period: int, horizon: int, shortest: int) -> list[Candidate]:
    """The candidates eligible for a history, in tie-break order (simplest first).

    Parameters
    ----------
    known_y : ndarray
        The whole history (only its sign decides whether multiplicative models are eligible).
    period, horizon : int
        Season length and forecast horizon.
    shortest : int
        Length of the shortest fitting set (the history before the earliest cut-off).
    """
    y = np.asarray(known_y, dtype=float)
    positive = bool(np.all(y > 0))
    models = ("multiplicative", "additive") if positive else ("additive",)
    out = [Candidate("seasonal_naive", "Saisonnière naïve (même saison l'an dernier)",
                     WINDOW_LABELS[None], None, _seasonal_naive)]
    for method in ("ratio_to_trend", "moving_average"):
        for model in models:
            for seasons in (None, 3, 5):
                if seasons is not None and seasons * period >= shortest:
                    continue
                key = f"{method}_{model}" + ("" if seasons is None else f"_{seasons}")
                out.append(Candidate(key, _MANUAL_LABELS[method, model], WINDOW_LABELS[seasons],
                                     seasons, _manual(method, model)))
    if shortest >= _hw_min_length(period):
        for seasonal in ("add", "mul") if positive else ("add",):
            for damped in (False, True):
                key = f"hw_{seasonal}" + ("_damped" if damped else "")
                out.append(Candidate(key, _HW_LABELS[seasonal, damped], WINDOW_LABELS[None], None,
                                     _holt_winters(seasonal, damped)))
    return out


# --------------------------------------------------------------------------------------------
# Back-test
# --------------------------------------------------------------------------------------------


def _integer(value, name: str, minimum: int) -> int:
    v = as_float(value, name)
    if v.size != 1:
        raise BadValueError("un seul nombre est attendu", name)
    v = float(v.reshape(-1)[0])
    if not math.isfinite(v) or v != int(v) or v < minimum:
        raise DomainError(f"un entier supérieur ou égal à {minimum} est attendu", name)
    return int(v)


def cutoffs(n: int, period: int, horizon: int) -> tuple[int, ...]:
    """The rolling origins, latest first: each fits on ``y[:c]`` and forecasts ``y[c:c+horizon]``.

    >>> cutoffs(180, 12, 12)
    (168, 156, 144, 132)
    >>> cutoffs(60, 12, 12)
    (48, 36, 24)
    >>> cutoffs(40, 12, 12)
    (28, 24)
    >>> cutoffs(37, 12, 12)
    (25, 24)
    """
    need = 2 * period + horizon + 1
    if n < need:
        raise NotAvailableError(
            f"historique trop court pour un back-test : {need} valeurs au moins "
            f"(2 saisons + horizon + 1), {n} fournies",
            "known_y",
        )
    room = n - horizon - 2 * period  # how far back the origins may go
    step = min(horizon, room)
    k = min(MAX_CUTOFFS, room // step + 1)
    return tuple(n - horizon - j * step for j in range(k))


@dataclass(frozen=True)
class Backtest:
    """The result of the rolling-origin back-test, shared by both public functions.

    Attributes
    ----------
    period, horizon : int
    cutoffs : tuple of int
        The origins, latest first.
    candidates : tuple of Candidate
        In tie-break order.
    forecasts : ndarray, shape (candidates, cutoffs, horizon)
        Back-test forecasts (``nan`` for a candidate that failed at that cut-off).
    mape : ndarray, shape (candidates,)
        Pooled MAPE as a decimal, ``nan`` for a candidate out of the race.
    chosen : int
        Index of the winner in ``candidates``.
    forecast : ndarray, shape (horizon,)
        The winner refitted on the whole history: the next ``horizon`` values.
    """

    period: int
    horizon: int
    cutoffs: tuple[int, ...]
    candidates: tuple[Candidate, ...]
    forecasts: np.ndarray
    mape: np.ndarray
    chosen: int
    forecast: np.ndarray

    @property
    def winner(self) -> Candidate:
        return self.candidates[self.chosen]


def _one_blas_thread():
    """One BLAS thread for the call: threads only slow these small fits down (2 to 5 times on a
    busy 2-core machine). Results do not depend on it.

    ``threadpoolctl`` is optional: imported by name at run time, so that it is not taken for a
    requirement of the xlwings Lite bundle (Pyodide has no such package, and no BLAS threads).
    """
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
        return threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    except Exception:  # pragma: no cover - not installed, or cannot act here
        return contextlib.nullcontext()


def _arguments(known_y, period, horizon):
    y = as_series(known_y, "known_y")
    p = _integer(period, "period", 2)
    h = p if horizon is None else _integer(horizon, "horizon", 1)
    return y, p, h


def backtest(known_y, period, horizon=None) -> Backtest:
    """Run the rolling-origin back-test of every candidate, then refit the winner on all the data.

    This one function serves both :func:`forecast_auto` and :func:`forecast_auto_report`, so
    the forecast and the report always tell the same story.

    Parameters
    ----------
    known_y : array_like
        The history, oldest first.
    period : int
        Season length (4 quarters, 12 months…), at least 2.
    horizon : int, optional
        Number of values forecast at each cut-off and in the end; default ``period``.

    Returns
    -------
    Backtest
        The winner is the candidate with the lowest MAPE (ties: the earlier one); should its
        refit on the whole history fail, the next one in the ranking is taken.
    """
    y, p, h = _arguments(known_y, period, horizon)
    cuts = cutoffs(y.size, p, h)
    actual = np.stack([y[c : c + h] for c in cuts])
    if not np.any(actual != 0):
        raise NotAvailableError("MAPE indéfinie : toutes les valeurs du back-test sont nulles", "known_y")
    cands = candidates(y, p, h, shortest=min(cuts))
    with _one_blas_thread():
        return _race(y, p, h, cuts, cands, actual)


def _race(y, p, h, cuts, cands, actual) -> Backtest:
    forecasts = np.full((len(cands), len(cuts), h), np.nan)
    for i, cand in enumerate(cands):
        for j, c in enumerate(cuts):
            try:
                forecasts[i, j] = cand.forecast(y[:c], p, h)
            except Exception:  # a failed fit puts the candidate out of the race
                break
    scored = actual != 0
    with np.errstate(all="ignore"):
        ape = np.abs(forecasts - actual) / np.abs(actual)
    mape = np.array([np.mean(a[scored]) for a in ape])  # nan if one forecast is nan
    for i in _ranking(mape):
        try:
            final = cands[i].forecast(y, p, h)
        except Exception:
            mape[i] = np.nan
            continue
        return Backtest(p, h, cuts, tuple(cands), forecasts, mape, i, final)
    raise NotAvailableError("aucune méthode n'a pu être évaluée", "known_y")


def _ranking(mape: np.ndarray) -> list[int]:
    """Indices of the scored candidates, best first; near-ties (TIE_TOLERANCE) keep list order."""
    order: list[int] = []
    left = [i for i in range(mape.size) if np.isfinite(mape[i])]
    while left:
        best = min(mape[i] for i in left)
        first = next(i for i in left if mape[i] <= best + TIE_TOLERANCE)
        order.append(first)
        left.remove(first)
    return order


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


class ReportRow(NamedTuple):
    """One row of :func:`forecast_auto_report`."""

    method: str
    window: str
    mape: float | None
    chosen: bool


def forecast_auto(known_y, period, horizon=None):
    """Forecast with the candidate that back-tests best on the history (FORECAST_AUTO).

    Parameters
    ----------
    known_y : array_like
        The history (sales by month, quarter…), oldest first; at least ``2·period + horizon + 1``
        values.
    period : int
        Season length: 12 for months, 4 for quarters (at least 2).
    horizon : int, optional
        Number of future values; default ``period``.

    Returns
    -------
    ndarray
        The next ``horizon`` values forecast by the winning candidate, refitted on the whole
        history.

    Raises
    ------
    NotAvailableError
        History too short for two cut-offs, or only zeros to score (``#N/A``).
    BadValueError
        A value that is not a number (``#VALUE!``).
    DomainError
        ``period`` < 2 or ``horizon`` < 1, or not whole numbers (``#NUM!``).

    Notes
    -----
    Rolling-origin back-test: cut-offs :math:`c_j = n - h - j\\,h`, at most four (fewer, closer
    together, for a short history); every candidate :math:`m` is fitted on :math:`y_1 … y_{c_j}`
    only and scored by

    .. math:: MAPE_m = \\frac{1}{|E|} \\sum_{(j, i) \\in E} \\frac{|y_{c_j+i} - \\hat y^{(m)}_{c_j+i}|}{|y_{c_j+i}|}

    over the pairs :math:`E` whose actual value is not zero. The lowest MAPE wins; ties go to the
    simpler candidate. See the module documentation for the candidate list.

    Examples
    --------
    Four years of quarterly sales that repeat exactly: "same quarter last year" back-tests
    perfectly and is what is forecast.

    >>> forecast_auto([120, 80, 95, 160] * 4, 4)
    array([120.,  80.,  95., 160.])
    """
    return backtest(known_y, period, horizon).forecast.copy()


def forecast_auto_report(known_y, period, horizon=None) -> list[ReportRow]:
    """The back-test table behind :func:`forecast_auto` (FORECAST_AUTO_REPORT).

    Parameters
    ----------
    known_y, period, horizon
        As for :func:`forecast_auto`.

    Returns
    -------
    list of ReportRow
        One row per candidate — method, window, back-test MAPE (decimal; ``None`` when the
        candidate could not be fitted at every cut-off), chosen — sorted by MAPE, best first (the
        chosen one, the only row with ``chosen`` true, comes first).

    Notes
    -----
    Same back-test as :func:`forecast_auto` (one shared computation), so the chosen row is the
    method whose forecast FORECAST_AUTO returns.

    Examples
    --------
    >>> rows = forecast_auto_report([120, 80, 95, 160] * 4, 4)
    >>> rows[0]
    ReportRow(method="Saisonnière naïve (même saison l'an dernier)", window="tout l'historique", mape=0.0, chosen=True)
    >>> sum(row.chosen for row in rows)
    1
    """
    result = backtest(known_y, period, horizon)
    order = _ranking(result.mape)
    order = [result.chosen] + [i for i in order if i != result.chosen]
    order += [i for i in range(len(result.candidates)) if i not in order]
    rows = []
    for i in order:
        cand = result.candidates[i]
        score = float(result.mape[i]) if np.isfinite(result.mape[i]) else None
        rows.append(ReportRow(cand.method, cand.window, score, i == result.chosen))
    return rows
''',
    ),
    'xlsales.core.journey': (
        False,
        r'''"""Parcours client et tournées: conversion funnel, great-circle distances, visiting order of a tour.

* :func:`funnel` — the *entonnoir de conversion* (taux de transformation étape par étape).
* :func:`distance_km` — distance "à vol d'oiseau" (haversine on a sphere of radius 6 371 km);
  broadcasts like a numpy ufunc.
* :func:`tour` — the order in which a sales representative should visit customers (a travelling
  salesman tour, closed or open), from their latitudes and longitudes; :func:`tour_matrix` does
  the same from any symmetric distance matrix (road kilometres, minutes…).

Tour solver
-----------
Up to :data:`EXACT_MAX_POINTS` points (12) the order is **optimal**: Held-Karp dynamic programming
over subsets, vectorised with numpy (one array operation per subset size and last point).

Above, a deterministic iterated local search:

1. nearest neighbour from the start;
2. descent by 2-opt and Or-opt moves (a chain of 1 to 3 consecutive visits moved elsewhere,
   possibly reversed), the best move first. Moves are sought among each point's 8 nearest
   neighbours, for all points at once with numpy, and only around the points touched by the last
   changes ("don't look bits");
3. 10 perturbations per point (at most 1 000): a double bridge that swaps two short consecutive
   stretches of the best tour, followed by the same descent; the result is kept when shorter.
   The perturbations come from a fixed seed, so the same input always gives the same tour;
4. a last 2-opt and Or-opt pass over all pairs, so no improving move of either kind is left (in
   particular the tour never crosses itself on a plane-like region).

An open route (no return) is solved as a round trip through a dummy point that is free to reach
from the start and costly from anywhere else. On the TSPLIB geographical instances gr96, gr137
and gr202 (96 to 202 cities) the result is 0.2 %, 0.4 % and 1.2 % above the published optima; on
200 random points it is within about 1 % of the Held-Karp lower bound; it takes about 0.3 s of
CPU for 200 points. With many more points there are fewer perturbations per point and the
result tends to the quality of plain 2-opt + Or-opt (typically a few % above the optimum).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._vector import as_float, as_series, guard, same_length
from .errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "FUNNEL_HEADER",
    "EARTH_RADIUS_KM",
    "EXACT_MAX_POINTS",
    "Tour",
    "funnel",
    "distance_km",
    "distance_matrix_km",
    "tour",
    "tour_matrix",
]

#: Column headers of :func:`funnel` (French, as shown in the spilled table).
FUNNEL_HEADER = ("Effectif", "Conversion étape", "Conversion globale", "Déperdition")

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0

#: Largest number of points for which :func:`tour` (``method="auto"``) solves exactly.
EXACT_MAX_POINTS = 12

#: Largest number of points accepted by ``method="exact"`` (memory grows as 2^n).
_EXACT_HARD_LIMIT = 16


# --------------------------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------------------------


def funnel(stage_counts):
    """Entonnoir de conversion: for each stage, its count and its conversion rates.

    Parameters
    ----------
    stage_counts : sequence of float
        Counts at each stage, from the top of the funnel down (visitors, leads, appointments,
        quotes, orders…). Must be ≥ 0 and never increase from one stage to the next.

    Returns
    -------
    ndarray, shape (n, 4)
        One row per stage, columns as :data:`FUNNEL_HEADER`:

        * ``count`` — the stage count (effectif);
        * ``step conversion`` — count / previous count (first stage: 1);
        * ``overall conversion`` — count / first count;
        * ``drop-off`` (déperdition) — share of the previous stage lost at this stage,
          ``1 − step conversion`` (first stage: 0).

        After a stage with a count of 0, the step conversion and drop-off of the following stages
        are 0/0: they are ``nan`` (the UDF shows ``#DIV/0!`` in those cells only).

    Raises
    ------
    DomainError
        A negative count, or a stage larger than the previous one (``#NUM!``): a funnel only
        narrows — people who enter a later stage without passing the earlier one must be counted
        in the earlier stage too.
    DivisionByZeroError
        The first stage is 0 (``#DIV/0!``): no rate can be computed.
    NotAvailableError
        No stage at all (``#N/A``).

    Notes
    -----
    .. math::
        t^{étape}_k = \\frac{N_k}{N_{k-1}}, \\quad t^{global}_k = \\frac{N_k}{N_1}
        = \\prod_{i \\le k} t^{étape}_i, \\quad d_k = 1 - t^{étape}_k = \\frac{N_{k-1} - N_k}{N_{k-1}}

    Examples
    --------
    Post Affiliate Pro (postaffiliatepro.fr, calculateur de taux de conversion): 10 000 visitors,
    4 000 product views, 1 000 add-to-carts, 600 checkouts, 300 purchases: step rates 40 %, 25 %,
    60 % and 50 %.

    >>> table = funnel([10000, 4000, 1000, 600, 300])
    >>> table[:, 1].round(2).tolist()
    [1.0, 0.4, 0.25, 0.6, 0.5]
    >>> table[-1, 2:].round(4).tolist()
    [0.03, 0.5]
    """
    counts = as_series(stage_counts, "stage_counts", min_length=1)
    if np.any(counts < 0):
        k = int(np.argmax(counts < 0)) + 1
        raise DomainError(f"effectif négatif à l'étape {k}", "stage_counts")
    rises = np.nonzero(counts[1:] > counts[:-1])[0]
    if rises.size:
        k = int(rises[0]) + 2
        raise DomainError(
            f"l'étape {k} ({counts[k - 1]:g}) dépasse l'étape {k - 1} ({counts[k - 2]:g}) : "
            "un entonnoir ne peut que se rétrécir",
            "stage_counts",
        )
    if counts[0] == 0:
        raise DivisionByZeroError("la première étape est nulle", "stage_counts")
    previous = np.concatenate(([counts[0]], counts[:-1]))
    with np.errstate(all="ignore"):
        step = counts / previous
    step[previous == 0] = np.nan
    overall = counts / counts[0]
    return np.column_stack([counts, step, overall, 1.0 - step])


# --------------------------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------------------------


def _latitude_checks(lat, name):
    return (np.abs(lat) > 90, DomainError, "la latitude doit être comprise entre -90 et 90 degrés", name)


def _haversine(p1, l1, p2, l2):
    """Great-circle distance in km between points given in degrees (no checks)."""
    p1, l1, p2, l2 = (np.radians(x) for x in (p1, l1, p2, l2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance ("à vol d'oiseau") between two points, in km.

    Parameters
    ----------
    lat1, lon1 : array_like
        Latitude (−90 to 90, north positive) and longitude (east positive) of the first point,
        in decimal degrees. Any longitude is accepted (−180/180 and 0/360 conventions agree).
    lat2, lon2 : array_like
        The second point, likewise.

    Returns
    -------
    float or ndarray
        Distance in km on a sphere of radius 6 371 km (mean Earth radius). A latitude outside
        [−90, 90] gives ``#NUM!``.

    Notes
    -----
    Haversine formula, accurate for short and long distances alike (antipodes give π R):

    .. math::
        h = \\sin^2\\frac{\\varphi_2 - \\varphi_1}{2} + \\cos\\varphi_1 \\cos\\varphi_2
        \\sin^2\\frac{\\lambda_2 - \\lambda_1}{2}, \\quad d = 2 R \\arcsin \\sqrt{h}

    The Earth is not a sphere: the error against the ellipsoid stays below 0.5 %; road distances
    are typically 20 % to 40 % longer.

    Examples
    --------
    Rosetta Code, "Haversine formula": Nashville airport (36.12, −86.67) to Los Angeles airport
    (33.94, −118.40), R = 6 371 km → 2 886.444 442 838 km.

    >>> round(distance_km(36.12, -86.67, 33.94, -118.40), 6)
    2886.444443
    """
    p1, l1 = as_float(lat1, "lat1"), as_float(lon1, "lon1")
    p2, l2 = as_float(lat2, "lat2"), as_float(lon2, "lon2")
    with np.errstate(all="ignore"):
        result = _haversine(p1, l1, p2, l2)
    return guard(result, [_latitude_checks(p1, "lat1"), _latitude_checks(p2, "lat2")])


def distance_matrix_km(latitudes, longitudes):
    """Matrix of the great-circle distances (km) between all pairs of points.

    Parameters
    ----------
    latitudes, longitudes : sequence of float
        Coordinates in decimal degrees, same length.

    Returns
    -------
    ndarray, shape (n, n)
        ``D[i, j] = distance_km(lat[i], lon[i], lat[j], lon[j])``.

    Examples
    --------
    Three points on the equator, 1° of longitude apart (1° of a great circle = 2πR/360 km):

    >>> distance_matrix_km([0, 0, 0], [0, 1, 2]).round(3)
    array([[  0.   , 111.195, 222.39 ],
           [111.195,   0.   , 111.195],
           [222.39 , 111.195,   0.   ]])
    """
    lat, lon = _coordinates(latitudes, longitudes)
    return _haversine(lat[:, None], lon[:, None], lat[None, :], lon[None, :])


def _coordinates(latitudes, longitudes):
    lat = as_series(latitudes, "latitudes", min_length=1)
    lon = as_series(longitudes, "longitudes", min_length=1)
    same_length(latitudes=lat, longitudes=lon)
    if np.any(np.abs(lat) > 90):
        k = int(np.argmax(np.abs(lat) > 90)) + 1
        raise DomainError(f"latitude du point {k} hors de [-90, 90]", "latitudes")
    return lat, lon


# --------------------------------------------------------------------------------------------
# Tours
# --------------------------------------------------------------------------------------------


class Tour(NamedTuple):
    """A visiting order and its length."""

    #: 1-based indices of the points in visiting order, each point once, starting with the start
    #: point (the return to it, for a round trip, is not repeated).
    order: np.ndarray
    #: Total length (km for :func:`tour`; the matrix unit for :func:`tour_matrix`), including the
    #: way back to the start for a round trip.
    length: float


def tour(latitudes, longitudes, start_index=1, return_to_start=True, method="auto"):
    """Shortest visiting order of a set of points (tournée), from their coordinates.

    Parameters
    ----------
    latitudes, longitudes : sequence of float
        Coordinates of the points (customers, depot…) in decimal degrees, same length.
    start_index : int, default 1
        1-based index of the starting point (the depot, the representative's home).
    return_to_start : bool, default True
        True for a round trip back to the start; False for an open route that ends at whichever
        point makes it shortest.
    method : {"auto", "exact", "heuristic"}, default "auto"
        ``auto`` is exact up to :data:`EXACT_MAX_POINTS` points and heuristic above;
        ``exact`` is allowed up to 16 points.

    Returns
    -------
    Tour
        ``order`` (1-based indices, beginning with ``start_index``) and ``length`` in km,
        great-circle legs as :func:`distance_km`.

    Raises
    ------
    NotAvailableError
        Ranges of different sizes, or no point (``#N/A``).
    DomainError
        A latitude outside [−90, 90], or ``start_index`` not an integer between 1 and the number
        of points (``#NUM!``).

    Notes
    -----
    Minimises :math:`\\sum_k d(p_{\\sigma_k}, p_{\\sigma_{k+1}})` (+ the leg back to the start for
    a round trip) over the orders σ beginning with the start. Exact (Held-Karp) up to 12 points,
    else local search (see the module notes): within a few % of the optimum, not guaranteed optimal.

    Examples
    --------
    Four points on the equator at longitudes 0°, 3°, 1°, 2° (listed out of order). The round
    trip goes out along the equator and back: 6° of a great circle = 6 × 2π × 6 371 / 360 = 667.170 km.

    >>> t = tour([0, 0, 0, 0], [0, 3, 1, 2])
    >>> t.order.tolist(), round(t.length, 3)
    ([1, 3, 4, 2], 667.17)

    Open route from the point at 1°: first to 0°, then east to 3° (4° in all):

    >>> t = tour([0, 0, 0, 0], [0, 3, 1, 2], start_index=3, return_to_start=False)
    >>> t.order.tolist(), round(t.length, 3)
    ([3, 1, 4, 2], 444.779)
    """
    lat, lon = _coordinates(latitudes, longitudes)
    distances = _haversine(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    return _solve(distances, start_index, return_to_start, method)


def tour_matrix(distances, start_index=1, return_to_start=True, method="auto"):
    """Shortest visiting order from a symmetric distance matrix (road km, minutes…).

    Parameters
    ----------
    distances : array_like, shape (n, n)
        ``distances[i][j]`` ≥ 0 from point i to point j; must be symmetric (the diagonal is ignored).
    start_index, return_to_start, method
        As :func:`tour`.

    Returns
    -------
    Tour
        ``order`` (1-based) and ``length`` in the unit of the matrix.

    Examples
    --------
    Four towns on a line at km 0, 10, 30, 60, given out of order; open route from the first:

    >>> x = [0, 30, 10, 60]
    >>> d = [[abs(a - b) for b in x] for a in x]
    >>> t = tour_matrix(d, return_to_start=False)
    >>> t.order.tolist(), t.length
    ([1, 3, 2, 4], 60.0)
    """
    d = as_float(distances, "distances")
    if d.ndim != 2 or d.shape[0] != d.shape[1] or d.shape[0] == 0:
        raise NotAvailableError("une matrice carrée de distances est attendue", "distances")
    if not np.all(np.isfinite(d)):
        raise BadValueError("la matrice contient une valeur non numérique", "distances")
    d = d.copy()
    np.fill_diagonal(d, 0.0)
    if np.any(d < 0):
        raise DomainError("distance négative", "distances")
    if not np.allclose(d, d.T, rtol=1e-9, atol=1e-12):
        raise DomainError("la matrice de distances doit être symétrique", "distances")
    return _solve(d, start_index, return_to_start, method)


def _start(start_index, n):
    s = as_float(start_index, "start_index")
    if s.size != 1:
        raise BadValueError("un seul indice de départ est attendu", "start_index")
    s = float(s.reshape(-1)[0])
    if not np.isfinite(s) or s != int(s) or not 1 <= s <= n:
        raise DomainError(f"l'indice de départ doit être un entier entre 1 et {n}", "start_index")
    return int(s) - 1


def _solve(d, start_index, return_to_start, method):
    n = d.shape[0]
    s = _start(start_index, n)
    closed = bool(return_to_start)
    if method not in ("auto", "exact", "heuristic"):
        raise BadValueError("méthode inconnue (auto, exact ou heuristic)", "method")
    if method == "exact" and n > _EXACT_HARD_LIMIT:
        raise DomainError(f"résolution exacte limitée à {_EXACT_HARD_LIMIT} points", "method")
    if n <= 3:
        order = _small(d, s, n)
    elif method == "exact" or (method == "auto" and n <= EXACT_MAX_POINTS):
        order = _held_karp(d, s, closed)
    else:
        order = _local_search_tour(d, s, closed)
    return Tour(order + 1, _length(d, order, closed))


def _length(d, order, closed):
    legs = d[order[:-1], order[1:]].sum() if order.size > 1 else 0.0
    if closed and order.size > 1:
        legs += d[order[-1], order[0]]
    return float(legs)


def _small(d, s, n):
    others = [k for k in range(n) if k != s]
    if n == 3 and d[s, others[1]] < d[s, others[0]]:
        others.reverse()  # open route: nearest first (closed: both orders are equal)
    return np.array([s, *others], dtype=np.intp)


def _held_karp(d, s, closed):
    """Exact shortest route from ``s`` through every point (dynamic programming over subsets).

    ``cost[mask, j]`` is the shortest path leaving ``s``, visiting exactly the points of ``mask``
    (bits over the other points) and ending at point ``j`` of ``mask``.
    """
    n = d.shape[0]
    others = np.array([k for k in range(n) if k != s], dtype=np.intp)
    m = others.size
    inner = d[np.ix_(others, others)]
    size = 1 << m
    cost = np.full((size, m), np.inf)
    parent = np.full((size, m), -1, dtype=np.int8)
    singles = 1 << np.arange(m)
    cost[singles, np.arange(m)] = d[s, others]
    masks = np.arange(size)
    popcount = np.zeros(size, dtype=np.int8)
    for j in range(m):
        popcount += ((masks >> j) & 1).astype(np.int8)
    for k in range(2, m + 1):
        layer = masks[popcount == k]
        for j in range(m):
            sel = layer[(layer >> j) & 1 == 1]
            candidates = cost[sel ^ (1 << j)] + inner[:, j]
            best = np.argmin(candidates, axis=1)
            cost[sel, j] = candidates[np.arange(sel.size), best]
            parent[sel, j] = best
    full = size - 1
    final = cost[full] + (d[others, s] if closed else 0.0)
    j = int(np.argmin(final))
    path = []
    mask = full
    while j >= 0:
        path.append(j)
        j, mask = int(parent[mask, j]), mask ^ (1 << j)
    return np.array([s, *others[path[::-1]]], dtype=np.intp)


# --- local search ----------------------------------------------------------------------------

#: Candidate list size: moves are first sought among each point's nearest neighbours.
_NEIGHBOURS = 8
#: Number of perturbations (local double bridges) tried after the first local optimum: 10 per
#: point, at most 1 000.
_KICKS = 1000
_KICKS_PER_POINT = 10
#: A double bridge reorders three consecutive stretches within this many consecutive visits.
_KICK_SPAN = 50
_SEED = 20240601


def _local_search_tour(d, s, closed):
    n = d.shape[0]
    if closed:
        cost = d
    else:
        # An open route from s is a round trip through a dummy point joined to s at no cost and to
        # every other point at a cost larger than any route: the dummy then sits between s and the
        # last visit, and the round trip costs route + big.
        big = n * float(d.max()) + 1.0
        cost = np.full((n + 1, n + 1), big)
        cost[:n, :n] = d
        cost[n, s] = cost[s, n] = 0.0
        cost[n, n] = 0.0
    tol = 1e-9 * max(float(d.max()), 1e-300)
    neighbours = _neighbour_lists(cost, _NEIGHBOURS)
    best = _descend_candidates(cost, _nearest_neighbour(cost, s), neighbours, tol)
    best_cost = _cycle_cost(cost, best)
    rng = np.random.default_rng(_SEED)
    m = best.size
    if m >= 8:
        span = min(_KICK_SPAN, m)
        for _ in range(min(_KICKS, _KICKS_PER_POINT * m)):
            cut = int(rng.integers(m))
            shifted = np.concatenate([best[cut:], best[:cut]])
            a, b, c = (int(x) for x in np.sort(rng.choice(np.arange(1, span), size=3, replace=False)))
            kicked = np.concatenate([shifted[:a], shifted[b:c], shifted[a:b], shifted[c:]])
            active = np.zeros(m, dtype=bool)
            active[shifted[[0, a - 1, a, b - 1, b, c - 1, c, m - 1]]] = True
            kicked = _descend_candidates(cost, kicked, neighbours, tol, active)
            kicked_cost = _cycle_cost(cost, kicked)
            if kicked_cost < best_cost - tol:
                best, best_cost = kicked, kicked_cost
    best = _descend(cost, best, tol)  # full neighbourhoods: a true 2-opt and Or-opt local optimum
    return _rotate(best, s, None if closed else n)


def _neighbour_lists(cost, k):
    """The k nearest other points of each point (ties: lower index first)."""
    m = cost.shape[0]
    k = min(k, m - 1)
    away = cost.copy()
    np.fill_diagonal(away, np.inf)
    return np.argsort(away, axis=1, kind="stable")[:, :k]


def _descend_candidates(cost, cycle, neighbours, tol, active=None):
    """2-opt and Or-opt restricted to candidate lists, best move first, to a local optimum.

    Only moves around *active* points are sought (all of them when ``active`` is None); the ends
    of every edge a move changes become active (the "don't look bits" of Bentley).
    """
    cycle = cycle.copy()
    size = cost.shape[0]
    m = cycle.size
    flat = cost.ravel()
    pos = np.empty(size, dtype=np.intp)
    following = np.concatenate([np.arange(1, m), [0]])
    preceding = np.concatenate([[m - 1], np.arange(m - 1)])
    active = np.ones(size, dtype=bool) if active is None else active.copy()
    while True:
        pos[cycle] = np.arange(m)
        rows = np.sort(pos[np.nonzero(active)[0]])
        succ = cycle[following]
        pred = cycle[preceding]
        edge = flat[cycle * size + succ]
        delta, move = _best_two_opt_candidates(flat, size, cycle, rows, succ, pred, edge, pos, neighbours)
        if delta < -tol:
            p, q = sorted(move)
            active[cycle[[p, (p + 1) % m, q, (q + 1) % m]]] = True
            cycle[p + 1 : q + 1] = cycle[p + 1 : q + 1][::-1].copy()
            continue
        delta, move = _best_or_opt_candidates(flat, size, cycle, rows, succ, edge, pos, neighbours, preceding)
        if delta >= -tol:
            return cycle
        i, j, length, _ = move
        active[cycle[np.array([i - 1, i, i + length - 1, i + length, j, j + 1]) % m]] = True
        cycle = _move_chain(cycle, *move)


def _best_two_opt_candidates(flat, size, cycle, rows, succ, pred, edge, pos, neighbours):
    """Best 2-opt move joining a point of ``rows`` (positions) to one of its neighbours.

    A move removes the edges at positions p and q (edge p joins cycle[p] to cycle[p+1]) and
    reconnects cycle[p]-cycle[q] and cycle[p+1]-cycle[q+1] (reversal of cycle[p+1 .. q]).
    """
    m = cycle.size
    here = rows[:, None]
    point = cycle[rows]
    near = neighbours[point]
    other = pos[near]  # positions of the neighbours of each point
    linked = flat[point[:, None] * size + near]
    # edges i and j: new edges cycle[i]-cycle[j] (neighbours) and succ[i]-succ[j]
    after = linked + flat[succ[here] * size + succ[other]] - edge[here] - edge[other]
    # edges i-1 and j-1: new edges cycle[i]-cycle[j] and pred[i]-pred[j]
    before = linked + flat[pred[here] * size + pred[other]] - edge[here - 1] - edge[other - 1]
    same = other == here
    after[same] = np.inf
    before[same] = np.inf
    ka, kb = int(after.argmin()), int(before.argmin())
    k = other.shape[1]
    if after.flat[ka] <= before.flat[kb]:
        r, c = divmod(ka, k)
        return float(after.flat[ka]), (int(rows[r]), int(other[r, c]))
    r, c = divmod(kb, k)
    return float(before.flat[kb]), ((int(rows[r]) - 1) % m, (int(other[r, c]) - 1) % m)


def _best_or_opt_candidates(flat, size, cycle, rows, succ, edge, pos, neighbours, back):
    """Best move of a chain of 1-3 visits, with an end in ``rows``, next to a neighbour of an end.

    ``back[p]`` is the position before position p (p - 1, cyclically).
    """
    m = cycle.size
    lengths = [k for k in (1, 2, 3) if m >= k + 3]
    if not lengths:
        return np.inf, None
    # chains starting at an active position, and chains ending at one
    n_rows = rows.size
    start = np.concatenate([rows] + [(rows - k + 1) % m for k in lengths[1:]] + [rows] * (len(lengths) - 1))
    chain = np.repeat(np.array([1] + lengths[1:] * 2), n_rows)
    end = (start + chain - 1) % m
    before = back[start]
    first, last = cycle[start], cycle[end]
    gain = edge[before] + edge[end] - flat[cycle[before] * size + succ[end]]
    near_first, near_last = pos[neighbours[first]], pos[neighbours[last]]
    # forward: x-first…last-y with x near first, or y near last
    fwd_at = np.concatenate([near_first, back[near_last]], axis=1)
    # backward: x-last…first-y with x near last, or y near first
    bwd_at = np.concatenate([near_last, back[near_first]], axis=1)
    fwd = flat[cycle[fwd_at] * size + first[:, None]] + flat[last[:, None] * size + succ[fwd_at]] - edge[fwd_at]
    bwd = flat[cycle[bwd_at] * size + last[:, None]] + flat[first[:, None] * size + succ[bwd_at]] - edge[bwd_at]
    at = np.concatenate([fwd_at, bwd_at], axis=1)
    delta = np.concatenate([fwd, bwd], axis=1) - gain[:, None]
    # the insertion edge must not touch the chain: edges before[..]end are excluded, i.e.
    # (at - start + 1) mod m in [0, chain]
    shift = at - (start - 1)[:, None]
    limit = chain[:, None]
    delta[((shift >= 0) & (shift <= limit)) | (shift <= limit - m) | (shift == m)] = np.inf
    k = int(delta.argmin())
    r, c = divmod(k, at.shape[1])
    return float(delta.flat[k]), (int(start[r]), int(at[r, c]), int(chain[r]), c >= fwd_at.shape[1])


def _cycle_cost(cost, cycle):
    return float(cost[cycle, np.concatenate([cycle[1:], cycle[:1]])].sum())


def _nearest_neighbour(cost, s):
    m = cost.shape[0]
    visited = np.zeros(m, dtype=bool)
    cycle = np.empty(m, dtype=np.intp)
    current = s
    for k in range(m):
        cycle[k] = current
        visited[current] = True
        if k < m - 1:
            row = np.where(visited, np.inf, cost[current])
            current = int(np.argmin(row))
    return cycle


def _descend(cost, cycle, tol):
    """2-opt to a local optimum, then one Or-opt move, and again until neither improves."""
    cycle = cycle.copy()
    while True:
        _two_opt(cost, cycle, tol)
        moved = _or_opt(cost, cycle, tol)
        if moved is None:
            return cycle
        cycle = moved


def _two_opt(cost, cycle, tol):
    """Best-improvement 2-opt in place: reverse cycle[i+1 .. j] when it shortens the cycle."""
    m = cycle.size
    if m < 4:
        return
    valid = np.triu(np.ones((m, m), dtype=bool), k=2)
    valid[0, m - 1] = False
    while True:
        a = cycle
        b = np.roll(cycle, -1)
        edge = cost[a, b]
        delta = cost[a[:, None], a[None, :]] + cost[b[:, None], b[None, :]] - edge[:, None] - edge[None, :]
        delta = np.where(valid, delta, 0.0)
        k = int(np.argmin(delta))
        if delta.flat[k] >= -tol:
            return
        i, j = divmod(k, m)
        cycle[i + 1 : j + 1] = cycle[i + 1 : j + 1][::-1].copy()


def _or_opt(cost, cycle, tol):
    """The best move of a chain of 1-3 consecutive visits elsewhere (possibly reversed), or None."""
    m = cycle.size
    pos = np.arange(m)
    nxt = np.roll(cycle, -1)
    edge = cost[cycle, nxt]
    best_delta, best_move = -tol, None
    for length in (1, 2, 3):
        if m < length + 3:
            break
        first = cycle
        last = cycle[(pos + length - 1) % m]
        before = cycle[(pos - 1) % m]
        after = cycle[(pos + length) % m]
        gain = cost[before, first] + cost[last, after] - cost[before, after]
        forward = cost[first[:, None], cycle[None, :]] + cost[last[:, None], nxt[None, :]] - edge[None, :]
        backward = cost[last[:, None], cycle[None, :]] + cost[first[:, None], nxt[None, :]] - edge[None, :]
        insert = np.minimum(forward, backward)
        offset = (pos[None, :] - pos[:, None]) % m
        insert[(offset < length) | (offset == m - 1)] = np.inf
        delta = insert - gain[:, None]
        k = int(np.argmin(delta))
        if delta.flat[k] < best_delta:
            i, j = divmod(k, m)
            best_delta = float(delta.flat[k])
            best_move = (i, j, length, bool(backward[i, j] < forward[i, j]))
    if best_move is None:
        return None
    return _move_chain(cycle, *best_move)


def _move_chain(cycle, i, j, length, reverse):
    """Move cycle[i .. i+length-1] between cycle[j] and its successor (reversed if asked)."""
    m = cycle.size
    chain = cycle[(i + np.arange(length)) % m]
    rest = cycle[(i + length + np.arange(m - length)) % m]
    where = int(np.nonzero(rest == cycle[j])[0][0])
    chain = chain[::-1] if reverse else chain
    return np.concatenate([rest[: where + 1], chain, rest[where + 1 :]])


def _rotate(cycle, s, dummy):
    """The cycle as an order starting at s (and, for an open route, without the dummy point)."""
    m = cycle.size
    if dummy is None:
        k = int(np.nonzero(cycle == s)[0][0])
        order = np.roll(cycle, -k)
        # deterministic direction: the smaller neighbour index first
        if order.size > 2 and order[-1] < order[1]:
            order = np.concatenate([order[:1], order[1:][::-1]])
        return order
    k = int(np.nonzero(cycle == dummy)[0][0])
    order = np.roll(cycle, -k)[1:]  # starts right after the dummy
    if order[0] != s:
        order = order[::-1]
    if order[0] != s:  # pragma: no cover - the penalty keeps s next to the dummy
        raise AssertionError("tour construction failed")
    assert order.size == m - 1
    return order
''',
    ),
    'xlsales.core.journey_plan': (
        False,
        r'''"""Parcours client et tournées, côté tableaux: funnel per channel, delays between stages, cost per
acquisition, and a visiting tour split into working days.

These are the computations of the customer-journey workbook (:mod:`xlsales.macros.journey`), done
with numpy / pandas on the same inputs, so that every formula of the workbook can be checked
against them:

* :func:`funnel_by_group` — :func:`~xlsales.core.journey.funnel` for each channel and for all
  channels together, from the furthest stage each opportunity reached;
* :func:`median_stage_days` — median number of days between two consecutive stages (and from
  the first stage to the last), per channel;
* :func:`channel_summary` — leads, orders, revenue ordered, cost per lead and per acquisition,
  median sales cycle and satisfaction per channel;
* :func:`split_days` and :func:`plan_tour` — the optimised visiting order of
  :func:`~xlsales.core.journey.tour` from a starting point, split into working days ("route
  first, cluster second"): the rep leaves the start every morning and comes back every evening.

Stages are given by their canonical names, in funnel order: ``lead`` (piste), ``contact``,
``meeting`` (rendez-vous), ``quote`` (devis), ``order`` (commande).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ._vector import as_float
from .errors import BadValueError, DomainError
from .journey import _haversine, funnel, tour

__all__ = [
    "ALL_CHANNELS",
    "STAGES",
    "DayPlan",
    "TourPlan",
    "channel_summary",
    "funnel_by_group",
    "median_stage_days",
    "plan_tour",
    "reached_counts",
    "split_days",
    "stage_ranks",
]

#: Canonical stages of the funnel, from the top down.
STAGES = ("lead", "contact", "meeting", "quote", "order")

#: Label of the group made of every opportunity, whatever its channel.
ALL_CHANNELS = "Tous canaux"


# --------------------------------------------------------------------------------------------
# Funnel
# --------------------------------------------------------------------------------------------


def stage_ranks(stages, order=STAGES):
    """Rank (1 = first stage) of the furthest stage each opportunity reached.

    Parameters
    ----------
    stages : sequence of str
        Stage names, as in ``order`` (case and surrounding spaces ignored).
    order : sequence of str, default :data:`STAGES`
        The stages from the top of the funnel down.

    Returns
    -------
    ndarray of int
        1 for the first stage, ``len(order)`` for the last.

    Raises
    ------
    BadValueError
        A stage that is not in ``order``.

    Examples
    --------
    >>> stage_ranks(["order", "lead", " Quote "]).tolist()
    [5, 1, 4]
    """
    index = {str(s).strip().lower(): k for k, s in enumerate(order, start=1)}
    ranks = []
    for position, stage in enumerate(stages, start=1):
        key = str(stage).strip().lower()
        if key not in index:
            raise BadValueError(f"étape inconnue à la ligne {position} : {stage!r}", "stages")
        ranks.append(index[key])
    return np.asarray(ranks, dtype=int)


def reached_counts(ranks, n_stages=5):
    """Number of opportunities that reached at least each stage.

    Parameters
    ----------
    ranks : sequence of int
        Furthest stage reached by each opportunity (1-based, as :func:`stage_ranks`).
    n_stages : int, default 5
        Number of stages of the funnel (:data:`STAGES`).

    Returns
    -------
    ndarray of float, shape (n_stages,)
        ``counts[k]`` = number of ranks ≥ k + 1: an opportunity at the quote stage went through
        the lead, contact and meeting stages too, so the counts never increase.

    Notes
    -----
    .. math:: N_k = \\#\\{i : r_i \\ge k\\} = \\sum_{j \\ge k} \\#\\{i : r_i = j\\}

    Examples
    --------
    >>> reached_counts([1, 2, 2, 5, 4]).tolist()
    [5.0, 4.0, 2.0, 2.0, 1.0]
    """
    r = np.asarray(ranks, dtype=int).ravel()
    exact = np.bincount(r, minlength=n_stages + 1)[1 : n_stages + 1]
    return np.cumsum(exact[::-1])[::-1].astype(float)


def funnel_by_group(stages, groups=None, order=STAGES, *, total_label=ALL_CHANNELS):
    """:func:`~xlsales.core.journey.funnel` of each group (channel) and of all opportunities.

    Parameters
    ----------
    stages : sequence of str
        Furthest stage reached by each opportunity (names of ``order``).
    groups : sequence of str, optional
        Group (channel) of each opportunity; empty or missing values belong to no group but
        count in the total.
    order : sequence of str, default :data:`STAGES`
    total_label : str
        Name of the all-opportunities group (last).

    Returns
    -------
    DataFrame
        One row per (group, stage): ``group``, ``stage``, ``count`` (reached at least the
        stage), ``at_stage`` (stopped exactly at the stage), ``step``, ``overall``,
        ``drop_off`` as :func:`~xlsales.core.journey.funnel` (``nan`` where it divides by 0).
        Groups in order of first appearance, then the total.

    Notes
    -----
    Step conversion :math:`N_k / N_{k-1}`, overall :math:`N_k / N_1`, drop-off
    :math:`1 - N_k / N_{k-1}`.

    Examples
    --------
    >>> t = funnel_by_group(["order", "lead", "quote", "lead"], ["Web", "Web", "Salon", "Salon"])
    >>> t[t.group == "Web"]["count"].tolist(), t[t.group == "Web"]["step"].tolist()
    ([2.0, 1.0, 1.0, 1.0, 1.0], [1.0, 0.5, 1.0, 1.0, 1.0])
    >>> t[t.group == "Tous canaux"]["overall"].round(2).tolist()
    [1.0, 0.5, 0.5, 0.5, 0.25]
    """
    ranks = stage_ranks(stages, order)
    labels = _group_labels(groups, ranks.size)
    names = [g for g in dict.fromkeys(labels) if g]
    frames = []
    for name in names + [total_label]:
        mask = np.ones(ranks.size, bool) if name == total_label else (labels == name)
        counts = reached_counts(ranks[mask], len(order))
        table = funnel(counts) if counts[0] > 0 else np.column_stack([counts] + [np.full(len(order), np.nan)] * 3)
        exact = np.bincount(ranks[mask], minlength=len(order) + 1)[1:].astype(float)
        frames.append(pd.DataFrame({
            "group": name, "stage": list(order), "count": table[:, 0], "at_stage": exact,
            "step": table[:, 1], "overall": table[:, 2], "drop_off": table[:, 3],
        }))
    return pd.concat(frames, ignore_index=True)


def _group_labels(groups, n):
    if groups is None:
        return np.full(n, "", dtype=object)
    labels = np.array(["" if (g is None or (isinstance(g, float) and np.isnan(g))) else str(g).strip()
                       for g in groups], dtype=object)
    if labels.size != n:
        raise BadValueError("une valeur de groupe par opportunité est attendue", "groups")
    return labels


# --------------------------------------------------------------------------------------------
# Delays
# --------------------------------------------------------------------------------------------


def median_stage_days(dates, groups=None, *, total_label=ALL_CHANNELS):
    """Median number of days between consecutive stages, and from the first stage to the last.

    Parameters
    ----------
    dates : array_like of datetime64, shape (n, s)
        Date at which each opportunity reached each stage (``NaT`` when unknown or not reached).
    groups : sequence of str, optional
        Group (channel) of each opportunity.
    total_label : str
        Name of the all-opportunities group (last row).

    Returns
    -------
    DataFrame
        Index: the groups then ``total_label``; columns ``1`` … ``s − 1`` (median days from stage
        k − 1 to stage k, 0-based k) and ``"cycle"`` (first stage to last stage). An
        opportunity counts in a median only when both its dates are known; ``nan`` when none.

    Notes
    -----
    The median of an even number of delays is the mean of the two middle ones (what the
    workbook's ``AGGREGATE(16, 6, …, 0.5)``, i.e. ``PERCENTILE.INC(…, 0.5)``, gives).

    Examples
    --------
    >>> d = np.array([["2025-01-01", "2025-01-04", "2025-01-10"],
    ...               ["2025-01-02", "2025-01-12", "NaT"],
    ...               ["2025-01-03", "2025-01-04", "2025-01-08"]], dtype="datetime64[D]")
    >>> median_stage_days(d, ["A", "A", "B"]).round(1).to_dict("index")["A"]
    {1: 6.5, 2: 6.0, 'cycle': 9.0}
    """
    d = np.asarray(dates, dtype="datetime64[D]")
    if d.ndim != 2 or d.shape[1] < 2:
        raise BadValueError("une date par étape (au moins deux étapes) est attendue", "dates")
    days = d.astype("int64").astype(float)
    days[np.isnat(d)] = np.nan
    labels = _group_labels(groups, d.shape[0])
    names = [g for g in dict.fromkeys(labels) if g]
    deltas = {k: days[:, k] - days[:, k - 1] for k in range(1, d.shape[1])}
    deltas["cycle"] = days[:, -1] - days[:, 0]
    rows = {}
    for name in names + [total_label]:
        mask = np.ones(d.shape[0], bool) if name == total_label else (labels == name)
        rows[name] = {k: _median(v[mask]) for k, v in deltas.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _median(values):
    values = values[~np.isnan(values)]
    return float(np.median(values)) if values.size else np.nan


# --------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------


def channel_summary(opportunities: pd.DataFrame, spend=None, *, total_label=ALL_CHANNELS):
    """Leads, orders and costs of acquisition per channel.

    Parameters
    ----------
    opportunities : DataFrame
        Columns ``channel``, ``stage`` (canonical names), ``date_lead`` … ``date_order``,
        ``amount`` (expected or ordered, HT) and ``satisfaction`` (survey mark, /10), the last
        ones optional.
    spend : mapping channel → float, optional
        Acquisition spending per channel (salons, advertising, prospecting time…); a channel
        without spending has ``nan`` costs.

    Returns
    -------
    DataFrame
        Index: the channels (order of first appearance) then ``total_label``. Columns:
        ``leads``, ``orders``, ``conversion`` (orders / leads), ``revenue`` (amounts of the
        orders), ``average_order`` (revenue / orders), ``spend``, ``cost_per_lead`` (spend /
        leads), ``cost_per_acquisition`` (spend / orders), ``spend_to_revenue`` (spend /
        revenue), ``cycle_days`` (median days from lead to order), ``satisfaction`` (mean
        mark) and ``answers`` (marks given). Total spend is the sum of the channels' spending
        (``nan`` when none is given).

    Notes
    -----
    .. math:: CPA = \\frac{\\text{dépenses d'acquisition du canal}}{\\text{commandes du canal}}

    the coût d'acquisition client of :func:`~xlsales.core.customers.acquisition_cost` measured
    per channel.

    Examples
    --------
    >>> o = pd.DataFrame({"channel": ["Salon", "Salon", "Web"], "stage": ["order", "quote", "order"],
    ...                   "amount": [1000.0, 500.0, 300.0]})
    >>> s = channel_summary(o, {"Salon": 1200.0})
    >>> s.loc["Salon", ["leads", "orders", "revenue", "cost_per_acquisition", "cost_per_lead"]].tolist()
    [2.0, 1.0, 1000.0, 1200.0, 600.0]
    >>> s.loc["Tous canaux", ["orders", "spend", "cost_per_acquisition"]].tolist()
    [2.0, 1200.0, 600.0]
    """
    o = opportunities
    ranks = stage_ranks(o["stage"])
    labels = _group_labels(o.get("channel", None), len(o))
    names = [g for g in dict.fromkeys(labels) if g]
    amount = as_float(o["amount"], "amount") if "amount" in o else np.zeros(len(o))
    marks = as_float(o["satisfaction"], "satisfaction") if "satisfaction" in o else np.full(len(o), np.nan)
    date_cols = ["date_" + s for s in STAGES]
    if all(c in o for c in date_cols):
        cycle = median_stage_days(o[date_cols].to_numpy(dtype="datetime64[ns]"), labels)["cycle"]
    else:
        cycle = pd.Series(np.nan, index=names + [total_label])
    spend = dict(spend or {})
    rows = {}
    for name in names + [total_label]:
        mask = np.ones(len(o), bool) if name == total_label else (labels == name)
        won = mask & (ranks == len(STAGES))
        leads, orders = float(mask.sum()), float(won.sum())
        revenue = float(np.nansum(amount[won]))
        if name == total_label:
            given = [float(v) for k, v in spend.items() if k in names and v is not None and not np.isnan(float(v))]
            cost = float(sum(given)) if given else np.nan
        else:
            value = spend.get(name)
            cost = np.nan if value is None else float(value)
        if not np.isnan(cost) and cost < 0:
            raise DomainError(f"dépense négative pour le canal {name!r}", "spend")
        answered = mask & ~np.isnan(marks)
        rows[name] = {
            "leads": leads, "orders": orders, "conversion": _div(orders, leads), "revenue": revenue,
            "average_order": _div(revenue, orders), "spend": cost, "cost_per_lead": _div(cost, leads),
            "cost_per_acquisition": _div(cost, orders), "spend_to_revenue": _div(cost, revenue),
            "cycle_days": float(cycle[name]), "satisfaction": float(marks[answered].mean()) if answered.any() else np.nan,
            "answers": float(answered.sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _div(a, b):
    return a / b if b and not np.isnan(a) else np.nan


# --------------------------------------------------------------------------------------------
# Tour split into days
# --------------------------------------------------------------------------------------------


class DayPlan(NamedTuple):
    """Stops of a tour (in visiting order) assigned to working days."""

    day: np.ndarray  #: day number of each stop (1, 2, …)
    travel_km: np.ndarray  #: leg driven to reach the stop: from the previous stop, or from the start on a new day
    travel_minutes: np.ndarray  #: ``travel_km`` × minutes per km
    end_minutes: np.ndarray  #: minutes since the day's departure when the visit ends
    return_km: np.ndarray  #: way back to the start after the stop when it is the day's last, else 0
    day_end_minutes: np.ndarray  #: minutes since departure when back at the start (day's last stop), else nan


def split_days(leg_km, start_km, visit_minutes, minutes_per_km, day_minutes):
    """Split a visiting order into working days that leave from and return to the start.

    Parameters
    ----------
    leg_km : sequence of float
        Distance from the previous stop to each stop, in visiting order (the first from the start).
    start_km : sequence of float
        Distance from the start to each stop.
    visit_minutes : sequence of float
        Duration of each visit.
    minutes_per_km : float
        Driving time per km of ``leg_km`` (road factor / speed × 60).
    day_minutes : float
        Working time of a day: driving and visits, from the departure to the return.

    Returns
    -------
    DayPlan

    Notes
    -----
    Greedy, in the order given: the next stop stays on the current day when the day can still
    end in time after it,

    .. math:: T_{i-1} + (d_{i-1,i} + d_{0,i}) \\cdot m + v_i \\le L,

    where :math:`T_{i-1}` is the time at the end of the previous visit, :math:`d_{0,i}` the way
    back to the start, :math:`m` minutes per km and :math:`L` the working time; otherwise a new
    day begins at the start: :math:`T_i = d_{0,i} \\cdot m + v_i`. A stop too far to fit in a day
    alone gets a day of its own (which runs over). This is the "route first, cluster second"
    method (Beasley, 1983): one optimised circuit, cut into day trips.

    Examples
    --------
    Three stops 30 km apart on a line from the start, 1 minute per km, visits of 60 minutes and
    a 4-hour day: the first two fit (30 + 60 + 30 + 60 + 60 back = 240), the third goes to day 2.

    >>> p = split_days([30, 30, 30], [30, 60, 90], [60, 60, 60], 1.0, 240)
    >>> p.day.tolist(), p.travel_km.tolist(), p.return_km.tolist(), p.end_minutes.tolist()
    ([1, 1, 2], [30.0, 30.0, 90.0], [0.0, 60.0, 90.0], [90.0, 180.0, 150.0])
    """
    leg = as_float(leg_km, "leg_km").ravel()
    home = as_float(start_km, "start_km").ravel()
    visit = as_float(visit_minutes, "visit_minutes").ravel()
    if not (leg.size == home.size == visit.size):
        raise BadValueError("une distance et une durée par arrêt sont attendues", "leg_km")
    m, limit = float(minutes_per_km), float(day_minutes)
    n = leg.size
    day = np.zeros(n, dtype=int)
    travel = np.zeros(n)
    end = np.zeros(n)
    for i in range(n):
        if i > 0 and end[i - 1] + (leg[i] + home[i]) * m + visit[i] <= limit:
            day[i], travel[i] = day[i - 1], leg[i]
            end[i] = end[i - 1] + leg[i] * m + visit[i]
        else:
            day[i] = day[i - 1] + 1 if i > 0 else 1
            travel[i] = home[i]
            end[i] = home[i] * m + visit[i]
    last = np.ones(n, bool)
    last[:-1] = day[1:] != day[:-1]
    back = np.where(last, home, 0.0)
    day_end = np.where(last, end + back * m, np.nan)
    return DayPlan(day, travel, travel * m, end, back, day_end)


class TourPlan(NamedTuple):
    """A tour from a start point, in visiting order, split into days."""

    order: np.ndarray  #: 0-based indices of the stops (into the inputs), in visiting order
    leg_km: np.ndarray  #: distance from the previous stop (the first from the start), visiting order
    start_km: np.ndarray  #: distance from the start, visiting order
    circuit_km: float  #: length of the single round trip through every stop (TOUR)
    days: DayPlan


def plan_tour(latitudes, longitudes, visit_minutes, start_latitude, start_longitude, *, speed_kmh=60.0,
              road_factor=1.3, day_minutes=480.0):
    """Optimised visiting order of customers from a start point, split into working days.

    Parameters
    ----------
    latitudes, longitudes : sequence of float
        Coordinates of the customers to visit (decimal degrees).
    visit_minutes : sequence of float
        Duration of each visit.
    start_latitude, start_longitude : float
        The start (home, agency), where every day begins and ends.
    speed_kmh : float, default 60
        Mean driving speed on the road.
    road_factor : float, default 1.3
        Road distance / great-circle distance (roads are typically 20 % to 40 % longer).
    day_minutes : float, default 480
        Working time per day (driving and visits).

    Returns
    -------
    TourPlan
        The order of :func:`~xlsales.core.journey.tour` over the start and the customers (a
        round trip from the start, optimal up to 11 customers), great-circle distances as
        :func:`~xlsales.core.journey.distance_km`, and :func:`split_days` with
        ``minutes_per_km = road_factor / speed_kmh × 60``.

    Raises
    ------
    DomainError
        Speed or road factor ≤ 0, negative working time or visit.

    Examples
    --------
    Three customers at the corners of a 1° square whose fourth corner is the start, on the
    equator; 1° of a great circle is 111.195 km, driven in 60 minutes at 111.195 km/h; visits
    of 60 minutes, 6-hour days. The round trip goes round the square (4 sides, the north one
    slightly shorter); the third customer does not fit in the first day
    (240 + 60 + 60 + 60 back > 360):

    >>> p = plan_tour([0, 1, 1], [1, 1, 0], [60] * 3, 0, 0, speed_kmh=111.19492664455873,
    ...               road_factor=1, day_minutes=360)
    >>> p.order.tolist(), round(p.circuit_km, 3), p.days.day.tolist()
    ([2, 1, 0], 444.763, [1, 1, 2])
    >>> p.days.end_minutes.round(2).tolist(), p.days.return_km.round(3).tolist()
    ([120.0, 239.99, 120.0], [0.0, 157.249, 111.195])
    """
    lat = as_float(latitudes, "latitudes").ravel()
    lon = as_float(longitudes, "longitudes").ravel()
    visit = as_float(visit_minutes, "visit_minutes").ravel()
    if not (lat.size == lon.size == visit.size):
        raise BadValueError("une latitude, une longitude et une durée par client sont attendues", "latitudes")
    if speed_kmh <= 0 or road_factor <= 0:
        raise DomainError("la vitesse et le coefficient routier doivent être positifs", "speed_kmh")
    if day_minutes < 0 or np.any(visit < 0):
        raise DomainError("durées négatives", "visit_minutes")
    if lat.size == 0:
        empty = np.zeros(0)
        return TourPlan(np.zeros(0, dtype=int), empty, empty, 0.0, split_days(empty, empty, empty, 1.0, day_minutes))
    result = tour(np.r_[start_latitude, lat], np.r_[start_longitude, lon], start_index=1, return_to_start=True)
    order = np.asarray(result.order[1:], dtype=int) - 2
    path_lat = np.r_[start_latitude, lat[order]]
    path_lon = np.r_[start_longitude, lon[order]]
    leg = _haversine(path_lat[:-1], path_lon[:-1], path_lat[1:], path_lon[1:])
    home = _haversine(start_latitude, start_longitude, lat[order], lon[order])
    days = split_days(leg, home, visit[order], road_factor / speed_kmh * 60.0, day_minutes)
    return TourPlan(order, leg, home, float(result.length), days)
''',
    ),
    'xlsales.core.kpi': (
        False,
        r'''"""Indicateurs commerciaux (tableaux de bord): activity ratios, scoring grid, variances,
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
''',
    ),
    'xlsales.core.market': (
        False,
        r'''"""Marché et concentration: market share, relative market share, Gini index (Lorenz curve by
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
''',
    ),
    'xlsales.core.network': (
        False,
        r'''"""Partner network and GDPR: segments, growth, share of potential, retention dates and alerts.

Pure computations behind the « Réseau de partenaires » workbook (:mod:`xlsales.macros.network`):
the workbook computes the same figures with live formulas and the tests compare them with these
functions. Dates follow Excel: ``EDATE`` clamps to the end of the month (31 Jan + 1 month = 28/29
Feb).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .training import edate

__all__ = [
    "LEGAL_BASES",
    "NO_CONSENT",
    "PURGE",
    "growth_rate",
    "potential_share",
    "retention_end",
    "retention_start",
    "retention_status",
    "segment",
]

#: legal bases of a processing (RGPD art. 6), as written in the workbook's list
LEGAL_BASES = ("consentement", "contrat", "intérêt légitime", "obligation légale")
#: alert when the retention period is over
PURGE = "à purger"
#: alert when a processing based on consent has no consent date
NO_CONSENT = "consentement manquant"


def _float(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))), errors="coerce").to_numpy(float)


def segment(scores, threshold_a, threshold_b):
    """Segment A / B / C of partners by their qualification score.

    Parameters
    ----------
    scores : array_like of float
        Qualification scores (missing: NaN or None).
    threshold_a, threshold_b : float or array_like of float
        Lowest score of segment A and of segment B (one pair, or one per partner when the
        thresholds depend on the partner's type).

    Returns
    -------
    ndarray of str
        "A" when score ≥ threshold A, "B" when score ≥ threshold B, "C" otherwise, "" when the
        score is missing (grid not fully rated).

    Notes
    -----
    Excel: ``=IF(score="","",IF(score>=SeuilA,"A",IF(score>=SeuilB,"B","C")))``.

    Examples
    --------
    >>> segment([4.5, 3.2, 2.0, None], 4, 3).tolist()
    ['A', 'B', 'C', '']
    >>> segment([3.5, 3.5], [3, 4], [2, 3]).tolist()
    ['A', 'B']
    """
    s = _float(scores)
    a = np.broadcast_to(_float(threshold_a), s.shape) if np.ndim(threshold_a) else float(threshold_a)
    b = np.broadcast_to(_float(threshold_b), s.shape) if np.ndim(threshold_b) else float(threshold_b)
    out = np.where(s >= a, "A", np.where(s >= b, "B", "C")).astype(object)
    out[np.isnan(s)] = ""
    return out


def growth_rate(current, previous):
    """Growth of revenue over the previous period: (current − previous) / previous.

    Parameters
    ----------
    current, previous : array_like of float
        Revenue of the period and of the previous one (missing counts as 0).

    Returns
    -------
    ndarray of float
        NaN where the previous revenue is 0 or missing (no base to compare with).

    Notes
    -----
    .. math:: g = \\frac{CA_N - CA_{N-1}}{CA_{N-1}}

    Excel: ``=IF(previous=0,"",(current-previous)/previous)``.

    Examples
    --------
    >>> growth_rate([110, 50, 30], [100, 0, None]).round(4).tolist()
    [0.1, nan, nan]
    """
    c = np.nan_to_num(_float(current))
    p = np.nan_to_num(_float(previous))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p == 0, np.nan, (c - p) / np.where(p == 0, 1.0, p))


def potential_share(revenue, potential):
    """Share of the potential already achieved (taux de pénétration du potentiel).

    Parameters
    ----------
    revenue, potential : array_like of float
        Revenue made with the partner and its potential (missing counts as 0).

    Returns
    -------
    ndarray of float
        revenue / potential; NaN where the potential is 0 or missing.

    Notes
    -----
    Excel: ``=IF(potential=0,"",revenue/potential)``.

    Examples
    --------
    >>> potential_share([50, 10], [200, 0]).tolist()
    [0.25, nan]
    """
    r = np.nan_to_num(_float(revenue))
    p = np.nan_to_num(_float(potential))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p == 0, np.nan, r / np.where(p == 0, 1.0, p))


def _dates(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))), errors="coerce").to_numpy("datetime64[D]")


def retention_start(last_contact, consent):
    """Start of the retention period: the later of the last contact and the consent date.

    Parameters
    ----------
    last_contact, consent : array_like of dates
        Date of the last contact with the person and date of the consent (missing: NaT/None).

    Returns
    -------
    ndarray of datetime64[D]
        The most recent of the two dates known; NaT when both are missing.

    Notes
    -----
    CNIL guidance for prospects: data may be kept 3 years from the collection or from the last
    contact coming from the person. Excel: ``=IF(AND(lc="",cs=""),"",MAX(lc,cs))``.

    Examples
    --------
    >>> retention_start(["2024-05-02", None, None], ["2023-01-10", "2022-03-01", None]).astype(str).tolist()
    ['2024-05-02', '2022-03-01', 'NaT']
    """
    lc, cs = _dates(last_contact), _dates(consent)
    lc, cs = np.broadcast_arrays(lc, cs)
    out = np.where(np.isnat(lc), cs, np.where(np.isnat(cs), lc, np.maximum(lc, cs)))
    return out.astype("datetime64[D]")


def retention_end(last_contact, consent, months):
    """End of the retention period: ``EDATE(start, months)`` with start = :func:`retention_start`.

    Parameters
    ----------
    last_contact, consent : array_like of dates
        Date of the last contact and of the consent (missing: NaT/None).
    months : int or array_like of int
        Retention period of the processing, in months.

    Returns
    -------
    ndarray of datetime64[D]
        NaT when both dates are missing.

    Notes
    -----
    Excel: ``=IF(start="","",EDATE(start,months))`` (end of month clamped).

    Examples
    --------
    >>> retention_end(["2023-01-31"], [None], 36).astype(str).tolist()
    ['2026-01-31']
    >>> retention_end(["2021-11-30"], ["2021-12-31"], 2).astype(str).tolist()
    ['2022-02-28']
    """
    start = retention_start(last_contact, consent)
    months = np.asarray(months, dtype=np.int64)
    result = edate(start, np.broadcast_to(months, start.shape))
    return np.asarray(result, dtype="datetime64[D]").reshape(start.shape)


def retention_status(end, reference, consent=None, legal_basis=None):
    """GDPR alert of each person's record.

    Parameters
    ----------
    end : array_like of dates
        End of the retention period (:func:`retention_end`).
    reference : date
        Today (or the reference date of the register).
    consent : array_like of dates, optional
        Consent dates; with ``legal_basis``, a record whose processing rests on consent and that
        has no consent date is flagged.
    legal_basis : array_like of str, optional
        Legal basis of each record's processing (:data:`LEGAL_BASES`).

    Returns
    -------
    ndarray of str
        :data:`PURGE` (« à purger ») when ``end < reference``; otherwise :data:`NO_CONSENT` when
        the basis is consent and the consent date is missing; otherwise "".

    Notes
    -----
    Excel: ``=IF(AND(end<>"",end<DateRef),"à purger",IF(AND(basis="consentement",cs=""),"consentement manquant",""))``.

    Examples
    --------
    >>> retention_status(["2025-01-01", "2027-01-01", "2027-01-01"], "2026-01-15",
    ...                  [None, None, "2024-01-01"], ["consentement"] * 3).tolist()
    ['à purger', 'consentement manquant', '']
    """
    e = _dates(end)
    ref = np.datetime64(pd.Timestamp(reference).date(), "D")
    out = np.full(e.shape, "", dtype=object)
    if consent is not None and legal_basis is not None:
        cs = np.broadcast_to(_dates(consent), e.shape)
        basis = np.broadcast_to(np.asarray([str(b).strip().lower() if b is not None else "" for b in np.atleast_1d(np.asarray(legal_basis, dtype=object))], dtype=object), e.shape)
        out[(basis == "consentement") & np.isnat(cs)] = NO_CONSENT
    out[~np.isnat(e) & (e < ref)] = PURGE
    return out
''',
    ),
    'xlsales.core.pay': (
        False,
        r'''"""Rémunération des commerciaux: commission by tiers, bonus on target, employer cost.

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
''',
    ),
    'xlsales.core.payplan': (
        False,
        r'''"""Plan de commissionnement complet: a year of pay for a whole sales team, reps × months.

A :class:`CommissionPlan` gathers the rules of a variable-pay plan; :func:`compute_pay` applies them
to a grid of commission bases (revenue, margin or cash collected) and targets, one row per rep and
one column per month, vectorised with numpy over the reps (only the recoverable draw needs a loop
over the 12 months). The generated commissions workbook (:mod:`xlsales.macros.commissions`)
computes the same figures with native Excel formulas; every cell is checked against this module.

Rules, in the order they apply (month *m*, rep *i*)
---------------------------------------------------
1. **Presence** (mid-period hire or leaver): ``p = days worked / days in the month``, calendar
   days, the hire day and the leaving day included (an entry on 10 January 2024 works 22/31).
2. **Prorated fixed pay and target**: ``fixe = ROUND(salaire annuel / 12 × p, 2)``,
   ``objectif = ROUND(objectif saisi × p, 2)``.
3. **Period to date.** The plan's period is the month, the quarter or the year. The base ``B``
   and the target ``T`` are summed from the first month of the current period to *m*
   (for a monthly plan they are the month's figures). A yearly plan is thus paid monthly on the
   year-to-date figures, each month getting the increase of the commission due.
4. **Attainment** ``a = ROUND(B / T, 4)`` (4 decimals, i.e. 0.01 %, so that a threshold such
   as 110 % is met exactly as a person reading the statement expects); none when ``T = 0``.
5. **Grid commission** ``c(B)`` from the tiers (lower bounds ``s_k``, rates ``r_k``):
   progressive (*par tranches*) ``Σ_k r_k · max(0, min(B, s_{k+1}) − s_k)``, written in Excel as
   ``SUMPRODUCT((B>s)·(B−s)·(r_k − r_{k−1}))``; flat (*par paliers, taux global*) ``r_k · B`` with
   ``k`` the highest tier reached (``s_k ≤ B``); 0 below the first bound.
6. **Accelerator** ``k ≥ 1`` above 100 % of target: the commission earned on the part of the base
   above the target is multiplied by ``k``:
   ``C = c(T) + k · (c(B) − c(T))`` when ``T > 0`` and ``B > T``, else ``C = c(B)``.
7. **Gate**: when a target is set and ``a < gate``, the commission is 0.
8. **Cap**: ``C_due = ROUND(min(C, cap), 2)`` (cap per period; none when 0 or None).
9. **Commission of the month** ``= C_due(m) − C_due(m − 1)`` within the period (``C_due`` of the
   first month of a period for that month). It may be negative in a yearly or quarterly plan
   when a later month lowers the attainment (the gate is lost, or a higher target shrinks the
   accelerated part): a regularisation.
10. **Draw** (avance sur commissions) ``D = ROUND(draw × p, 2)`` a month, a guaranteed minimum of
    the variable pay of the month. Top-up ``A = max(0, D − commission)``. Non-recoverable: the
    top-up is never recovered. Recoverable: the balance owed ``S`` (0 at the start of the year)
    grows by each top-up, and a later month's commission above the draw repays it first:
    ``R = min(S_{m−1}, max(0, commission − D))``, ``S_m = S_{m−1} + A − R``. The balance left on
    31 December is reported, not deducted from the fixed pay.
    Commission paid ``= commission + A − R``.
11. **Bonus on target** (*prime sur objectif*), step grid: the amount of the highest attainment
    threshold reached, paid in the last month of each period on the period's attainment.
12. **Team bonus** (*prime d'équipe*), step grid on the team's attainment (sum of its members'
    period-to-date bases over the sum of their targets), paid in the last month of a period to the
    members present that month (``p > 0``), split equally (*parts égales*: amount / members
    present), pro rata of the fixed pay of the month (*prorata du fixe*), or the amount to each
    member (*par commercial*). Reps without a team get none.
13. **Gross pay** ``= fixe + commission paid + bonus + team bonus``;
    **employer cost** ``= ROUND(gross × (1 + charge rate), 2)``.

Money amounts are rounded to the cent as in a payslip (Excel's ``ROUND``, half away from zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from ._vector import excel_round
from .errors import BadValueError, DomainError
from .pay import COMMISSION_MODES, bonus, commission

__all__ = ["FIELDS", "PERIOD_MONTHS", "CommissionPlan", "PayResult", "compute_pay", "presence"]

#: Months in a period of the plan.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

_PERIODS = {
    "month": "month", "mois": "month", "mensuel": "month", "mensuelle": "month", "monthly": "month",
    "quarter": "quarter", "trimestre": "quarter", "trimestriel": "quarter", "trimestrielle": "quarter",
    "quarterly": "quarter",
    "year": "year", "année": "year", "annee": "year", "an": "year", "annuel": "year", "annuelle": "year",
    "yearly": "year", "annual": "year",
}
_BASES = {
    "revenue": "revenue", "ca": "revenue", "ca ht": "revenue", "chiffre d'affaires": "revenue",
    "margin": "margin", "marge": "margin", "marge brute": "margin",
    "cash": "cash", "encaissé": "cash", "encaisse": "cash", "encaissements": "cash", "ca encaissé": "cash",
    "cash collected": "cash",
}
_SPLITS = {
    "equal": "equal", "parts égales": "equal", "parts egales": "equal", "égal": "equal",
    "salary": "salary", "prorata du fixe": "salary", "fixe": "salary", "prorata": "salary",
    "member": "member", "par commercial": "member", "per rep": "member", "par membre": "member",
}
_YES = {"oui", "o", "yes", "y", "true", "vrai", "1"}
_NO = {"non", "n", "no", "false", "faux", "0"}


def _choice(value: Any, choices: Mapping[str, str], name: str) -> str:
    key = str(value).strip().lower()
    if key not in choices:
        allowed = ", ".join(sorted(set(choices.values())))
        raise BadValueError(f"valeur inconnue « {value} » (attendu : {allowed})", name)
    return choices[key]


def _grid(thresholds: Iterable[float], values: Iterable[float], name: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    t = tuple(float(x) for x in thresholds)
    v = tuple(float(x) for x in values)
    if len(t) != len(v):
        raise BadValueError(f"{len(t)} seuils pour {len(v)} valeurs", name)
    if any(not np.isfinite(x) for x in t + v):
        raise BadValueError("valeur non numérique dans la grille", name)
    if any(b <= a for a, b in pairwise(t)):
        raise DomainError("les seuils doivent être strictement croissants", name)
    if any(x < 0 for x in v):
        raise DomainError("valeur négative dans la grille", name)
    return t, v


@dataclass(frozen=True)
class CommissionPlan:
    """The rules of a commission plan (see the module docstring for the exact formulas).

    Parameters
    ----------
    thresholds, rates : sequence of float
        Tiers: lower bound of each tier (strictly ascending, first one usually 0) and its rate.
    mode : {"progressive", "flat"}
        *Par tranches* (each rate on the slice of the base inside its tier) or *par paliers*
        (the rate of the tier reached on the whole base). French spellings accepted.
    base : {"revenue", "margin", "cash"}
        What the commission is computed on: CA HT, marge, CA encaissé (informative for the
        computation, which receives the amounts; the workbook pre-fills the grid with it).
    period : {"month", "quarter", "year"}
        Period of the grid, the gate, the cap and the bonuses; paid monthly on period-to-date figures.
    gate : float
        Minimum attainment (0.8 = 80 %) below which no commission is due for the period.
    cap : float or None
        Maximum commission due for a period (None or 0: no cap).
    accelerator : float
        Multiplier of the commission earned on the part of the base above 100 % of target (1: none).
    bonus_thresholds, bonus_amounts : sequence of float
        Bonus on target, step grid: attainment thresholds (1.0 = 100 %) and amounts.
    draw : float
        Monthly draw (avance sur commissions), prorated like the fixed pay.
    draw_recoverable : bool
        Whether the top-ups paid to reach the draw are recovered on later commissions.
    team_bonus_thresholds, team_bonus_amounts : sequence of float
        Team bonus, step grid on the team's attainment.
    team_bonus_split : {"equal", "salary", "member"}
        Parts égales, prorata du fixe du mois, or the amount to each member present.
    charge_rate : float
        Employer charge rate (taux de charges patronales).
    """

    thresholds: Sequence[float] = (0.0,)
    rates: Sequence[float] = (0.05,)
    mode: str = "progressive"
    base: str = "revenue"
    period: str = "month"
    gate: float = 0.0
    cap: float | None = None
    accelerator: float = 1.0
    bonus_thresholds: Sequence[float] = ()
    bonus_amounts: Sequence[float] = ()
    draw: float = 0.0
    draw_recoverable: bool = True
    team_bonus_thresholds: Sequence[float] = ()
    team_bonus_amounts: Sequence[float] = ()
    team_bonus_split: str = "equal"
    charge_rate: float = 0.42

    def __post_init__(self):
        put = lambda name, value: object.__setattr__(self, name, value)
        thresholds, rates = _grid(self.thresholds, self.rates, "rates")
        if not thresholds:
            raise BadValueError("au moins une tranche est nécessaire", "thresholds")
        put("thresholds", thresholds)
        put("rates", rates)
        put("mode", _choice(self.mode, COMMISSION_MODES, "mode"))
        put("base", _choice(self.base, _BASES, "base"))
        put("period", _choice(self.period, _PERIODS, "period"))
        b = _grid(self.bonus_thresholds, self.bonus_amounts, "bonus_amounts")
        put("bonus_thresholds", b[0])
        put("bonus_amounts", b[1])
        t = _grid(self.team_bonus_thresholds, self.team_bonus_amounts, "team_bonus_amounts")
        put("team_bonus_thresholds", t[0])
        put("team_bonus_amounts", t[1])
        put("team_bonus_split", _choice(self.team_bonus_split, _SPLITS, "team_bonus_split"))
        cap = None if self.cap is None or (isinstance(self.cap, float) and np.isnan(self.cap)) else float(self.cap)
        put("cap", cap if cap else None)
        for name in ("gate", "accelerator", "draw", "charge_rate"):
            value = float(getattr(self, name))
            if not np.isfinite(value) or value < 0:
                raise DomainError("un nombre positif ou nul est attendu", name)
            put(name, value)
        if cap is not None and cap < 0:
            raise DomainError("un plafond positif est attendu", "cap")
        recoverable = self.draw_recoverable
        if isinstance(recoverable, str):
            key = recoverable.strip().lower()
            if key not in _YES | _NO:
                raise BadValueError(f"oui ou non attendu, pas « {recoverable} »", "draw_recoverable")
            recoverable = key in _YES
        put("draw_recoverable", bool(recoverable))

    @property
    def months(self) -> int:
        """Months in a period (1, 3 or 12)."""
        return PERIOD_MONTHS[self.period]

    def grid_commission(self, amount):
        """``c(amount)``: the commission of the tiers alone (no gate, accelerator or cap).

        >>> CommissionPlan([0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08]).grid_commission(9500)
        360.0
        """
        return commission(amount, self.thresholds, self.rates, self.mode)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any]) -> CommissionPlan:
        """A plan from a dict: this class's field names, or the keys of
        :func:`xlsales.io.commission_plans` (``tiers`` [(bound, rate)], ``bonus_grid``,
        ``team_bonus`` [(team attainment, amount per rep)], ``employer_charge_rate``…)."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in spec.items() if k in known and v is not None}
        if spec.get("tiers"):
            tiers = sorted(spec["tiers"])
            kwargs["thresholds"] = [t[0] for t in tiers]
            kwargs["rates"] = [t[1] for t in tiers]
        if spec.get("bonus_grid"):
            grid = sorted(spec["bonus_grid"])
            kwargs["bonus_thresholds"] = [g[0] for g in grid]
            kwargs["bonus_amounts"] = [g[1] for g in grid]
        if spec.get("team_bonus"):
            grid = sorted(spec["team_bonus"])
            kwargs["team_bonus_thresholds"] = [g[0] for g in grid]
            kwargs["team_bonus_amounts"] = [g[1] for g in grid]
            kwargs.setdefault("team_bonus_split", "member")  # the reader's amounts are per rep
        if spec.get("employer_charge_rate") is not None:
            kwargs["charge_rate"] = spec["employer_charge_rate"]
        return cls(**kwargs)


#: The arrays of a :class:`PayResult` (reps × 12), in the order of the workbook's « Calcul » sheet.
FIELDS = (
    "presence", "base", "target", "cum_base", "cum_target", "attainment", "gate_ok",
    "grid_commission", "grid_commission_at_target", "accelerator_extra", "commission_after_gate",
    "commission_due_cum", "commission", "draw", "draw_topup", "draw_recovery", "commission_paid",
    "draw_balance", "bonus", "team_attainment", "fixed", "team_pool", "team_bonus", "gross", "employer_cost",
)


@dataclass
class PayResult:
    """Pay of every rep for every month of ``year``: arrays of shape (reps, 12), see :data:`FIELDS`.

    ``attainment`` and ``team_attainment`` are NaN where there is no target (no team);
    ``gate_ok`` is boolean; ``team_pool`` is the team bonus of the rep's team for the period
    (before the split), in the last month of a period.
    """

    year: int
    reps: list
    arrays: dict[str, np.ndarray] = field(repr=False)

    def __getattr__(self, name: str) -> np.ndarray:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name]
        raise AttributeError(name)

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per (rep, month), one column per field."""
        n = len(self.reps)
        data = {"rep": np.repeat(np.asarray(self.reps, dtype=object), 12), "month": np.tile(np.arange(1, 13), n)}
        data.update({name: self.arrays[name].reshape(-1) for name in FIELDS})
        return pd.DataFrame(data)

    def totals(self) -> pd.DataFrame:
        """Per rep over the year: base, target, attainment, commission, paid, bonuses, fixed,
        gross, employer cost and the draw balance left on 31 December."""
        a = self.arrays
        base, target = a["base"].sum(axis=1), a["target"].sum(axis=1)
        with np.errstate(all="ignore"):
            attainment = np.where(target > 0, base / np.where(target > 0, target, 1.0), np.nan)
        frame = pd.DataFrame({
            "rep": list(self.reps), "base": base, "target": target, "attainment": attainment,
            "commission": a["commission"].sum(axis=1), "commission_paid": a["commission_paid"].sum(axis=1),
            "bonus": a["bonus"].sum(axis=1), "team_bonus": a["team_bonus"].sum(axis=1),
            "fixed": a["fixed"].sum(axis=1), "gross": a["gross"].sum(axis=1),
            "employer_cost": a["employer_cost"].sum(axis=1), "draw_balance": a["draw_balance"][:, -1],
        })
        return frame


def _dates(values, n: int, fill: np.datetime64) -> np.ndarray:
    if values is None:
        return np.full(n, fill, dtype="datetime64[D]")
    arr = pd.to_datetime(pd.Series(list(values) if not isinstance(values, pd.Series) else values.to_numpy()),
                         errors="coerce").to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if arr.shape != (n,):
        raise BadValueError(f"{arr.size} dates pour {n} commerciaux", "hire_dates")
    return np.where(np.isnat(arr), fill, arr)


def presence(hire_dates, year: int, end_dates=None, n: int | None = None) -> np.ndarray:
    """Share of each month worked (reps × 12): calendar days from the hire day to the leaving day
    (both included) over the days of the month; 1 without dates.

    Examples
    --------
    Personio (support article 115002403225, « tous les jours du mois »): 17/31 of January for an
    entry on 15 January, 14/28 of February, 16/30 of April.

    >>> p = presence(["2025-01-15", "2025-02-15", "2025-04-15"], 2025)
    >>> [round(float(2800 * p[i, m]), 2) for i, m in ((0, 0), (1, 1), (2, 3))]
    [1535.48, 1400.0, 1493.33]
    """
    if n is None:
        n = len(hire_dates) if hire_dates is not None else len(end_dates)
    start = np.datetime64(f"{int(year):04d}-01", "M") + np.arange(12)
    first = start.astype("datetime64[D]")
    last = (start + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    hire = _dates(hire_dates, n, np.datetime64("1900-01-01"))
    end = _dates(end_dates, n, np.datetime64("2999-12-31"))
    lo = np.maximum(first[None, :], hire[:, None])
    hi = np.minimum(last[None, :], end[:, None])
    worked = np.clip((hi - lo).astype(np.int64) + 1, 0, None)
    days = ((last - first).astype(np.int64) + 1)[None, :]
    return worked / days


def _grid_or_zero(x: np.ndarray, thresholds, amounts) -> np.ndarray:
    """Step grid with NaN (no attainment) → 0 and an empty grid → 0."""
    if not thresholds:
        return np.zeros_like(x)
    missing = np.isnan(x)
    safe = np.where(missing, thresholds[0] - 1.0, x)
    return np.where(missing, 0.0, np.asarray(bonus(safe, thresholds, amounts, "step"), dtype=float))


def _period_cumsum(values: np.ndarray, months: int) -> np.ndarray:
    r = values.shape[0]
    return values.reshape(r, 12 // months, months).cumsum(axis=2).reshape(r, 12)


def _team_codes(teams, n: int) -> tuple[np.ndarray, int]:
    """Integer code per rep (−1: no team) and the number of teams."""
    if teams is None:
        return np.full(n, -1), 0
    labels = pd.Series(list(teams), dtype=object).map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    if len(labels) != n:
        raise BadValueError(f"{len(labels)} équipes pour {n} commerciaux", "teams")
    codes, uniques = pd.factorize(labels.where(labels != "", None))
    return codes, len(uniques)


def compute_pay(plan: CommissionPlan, base_amounts, targets, base_salary, hire_dates=None, year: int | None = None,
                *, end_dates=None, teams=None, reps: Sequence | None = None) -> PayResult:
    """Pay of a sales team for a year: commission, draw, bonuses, fixed pay, gross, employer cost.

    Parameters
    ----------
    plan : CommissionPlan
    base_amounts : array_like, shape (reps, 12)
        Commission base of each month (CA, marge or encaissé), ≥ 0.
    targets : array_like, shape (reps, 12)
        Monthly targets as set for a full month (prorated here for partial months); 0 = none.
    base_salary : array_like, shape (reps,)
        Annual gross fixed pay (monthly fixed = annual / 12).
    hire_dates, end_dates : sequence of dates, optional
        Hire and leaving dates (None / NaT: present all year).
    year : int
        The calendar year of the 12 months (needed for the days of each month).
    teams : sequence of str, optional
        Team of each rep, for the team bonus (empty: no team).
    reps : sequence, optional
        Rep codes, kept in the result.

    Returns
    -------
    PayResult
        Arrays (reps × 12) named in :data:`FIELDS`; ``.to_frame()`` and ``.totals()``.

    Examples
    --------
    The progressive grid of commmarketingmuc.com (article 31165536): 0 / 5 000 / 8 000 / 10 000 €
    at 3 / 4 / 6 / 8 %, 9 500 € of revenue in January → 5 000 × 3 % + 3 000 × 4 % + 1 500 × 6 %.

    >>> plan = CommissionPlan([0, 5000, 8000, 10000], [0.03, 0.04, 0.06, 0.08])
    >>> pay = compute_pay(plan, [[9500] + [0] * 11], [[0] * 12], [24000], year=2026)
    >>> [float(a[0, 0]) for a in (pay.commission, pay.fixed, pay.gross, pay.employer_cost)]
    [360.0, 2000.0, 2360.0, 3351.2]
    """
    if not isinstance(plan, CommissionPlan):
        plan = CommissionPlan.from_mapping(plan)
    if year is None:
        raise BadValueError("l'année est nécessaire (jours de chaque mois)", "year")
    x = np.asarray(base_amounts, dtype=float)
    if x.ndim != 2 or x.shape[1] != 12:
        raise BadValueError(f"une grille commerciaux × 12 mois est attendue, pas {x.shape}", "base_amounts")
    n = x.shape[0]
    raw_targets = np.asarray(targets, dtype=float)
    if raw_targets.shape != x.shape:
        raise BadValueError(f"objectifs {raw_targets.shape} pour des assiettes {x.shape}", "targets")
    salary = np.asarray(base_salary, dtype=float).reshape(-1)
    if salary.shape != (n,):
        raise BadValueError(f"{salary.size} salaires pour {n} commerciaux", "base_salary")
    x = np.nan_to_num(x)
    raw_targets = np.nan_to_num(raw_targets)
    salary = np.nan_to_num(salary)

    p = presence(hire_dates, year, end_dates, n)
    fixed = excel_round(salary[:, None] / 12 * p, 2)
    target = excel_round(raw_targets * p, 2)

    months = plan.months
    month = np.arange(1, 13)
    period_start = (month - (month - 1) % months) == month  # first month of a period
    period_end = month % months == 0
    cum_base = _period_cumsum(x, months)
    cum_target = _period_cumsum(target, months)
    has_target = cum_target > 0
    with np.errstate(all="ignore"):
        attainment = np.where(has_target, excel_round(cum_base / np.where(has_target, cum_target, 1.0), 4), np.nan)
    gate_ok = ~has_target | (np.nan_to_num(attainment, nan=np.inf) >= plan.gate)

    grid = np.asarray(plan.grid_commission(cum_base), dtype=float)
    above = has_target & (cum_base > cum_target)
    at_target = np.where(above, np.asarray(plan.grid_commission(cum_target), dtype=float), grid)
    extra = (plan.accelerator - 1.0) * (grid - at_target)
    after_gate = np.where(gate_ok, grid + extra, 0.0)
    capped = np.minimum(after_gate, plan.cap) if plan.cap else after_gate
    due_cum = excel_round(capped, 2)
    previous = np.zeros_like(due_cum)
    previous[:, 1:] = due_cum[:, :-1]
    previous[:, period_start] = 0.0
    monthly = excel_round(due_cum - previous, 2)

    draw = excel_round(plan.draw * p, 2)
    topup = np.zeros_like(monthly)
    recovery = np.zeros_like(monthly)
    balance = np.zeros_like(monthly)
    owed = np.zeros(n)
    for m in range(12):
        topup[:, m] = excel_round(np.maximum(0.0, draw[:, m] - monthly[:, m]), 2)
        if plan.draw_recoverable:
            recovery[:, m] = excel_round(np.minimum(owed, np.maximum(0.0, monthly[:, m] - draw[:, m])), 2)
            owed = excel_round(owed + topup[:, m] - recovery[:, m], 2)
            balance[:, m] = owed
    paid = excel_round(monthly + topup - recovery, 2)

    rep_bonus = np.where(period_end[None, :], _grid_or_zero(attainment, plan.bonus_thresholds, plan.bonus_amounts), 0.0)

    codes, n_teams = _team_codes(teams, n)
    team_attainment = np.full_like(monthly, np.nan)
    team_bonus = np.zeros_like(monthly)
    pool_rep = np.zeros_like(monthly)
    if n_teams:
        member = codes >= 0
        idx = codes[member]
        team_base = np.zeros((n_teams, 12))
        team_target = np.zeros((n_teams, 12))
        np.add.at(team_base, idx, cum_base[member])
        np.add.at(team_target, idx, cum_target[member])
        ok = team_target > 0
        with np.errstate(all="ignore"):
            t_att = np.where(ok, excel_round(team_base / np.where(ok, team_target, 1.0), 4), np.nan)
        pool = np.where(period_end[None, :], _grid_or_zero(t_att, plan.team_bonus_thresholds, plan.team_bonus_amounts), 0.0)
        present = (p > 0) & member[:, None]
        team_attainment[member] = t_att[idx]
        pool_rep[member] = pool[idx]
        if plan.team_bonus_split == "equal":
            count = np.zeros((n_teams, 12))
            np.add.at(count, idx, present[member].astype(float))
            share = np.zeros_like(monthly)
            with np.errstate(all="ignore"):
                share[member] = pool[idx] / np.where(count[idx] > 0, count[idx], 1.0)
        elif plan.team_bonus_split == "salary":
            total_fixed = np.zeros((n_teams, 12))
            np.add.at(total_fixed, idx, fixed[member])
            share = np.zeros_like(monthly)
            with np.errstate(all="ignore"):
                denominator = total_fixed[idx]
                share[member] = np.where(denominator > 0, pool[idx] * fixed[member] / np.where(denominator > 0, denominator, 1.0), 0.0)
        else:
            share = pool_rep
        team_bonus = np.where(present, excel_round(share, 2), 0.0)

    gross = excel_round(fixed + paid + rep_bonus + team_bonus, 2)
    employer = excel_round(gross * (1 + plan.charge_rate), 2)
    arrays = {
        "presence": p, "base": x, "target": target, "cum_base": cum_base, "cum_target": cum_target,
        "attainment": attainment, "gate_ok": gate_ok, "grid_commission": grid, "grid_commission_at_target": at_target,
        "accelerator_extra": extra, "commission_after_gate": after_gate, "commission_due_cum": due_cum,
        "commission": monthly, "draw": draw, "draw_topup": topup, "draw_recovery": recovery, "commission_paid": paid,
        "draw_balance": balance, "bonus": rep_bonus, "team_attainment": team_attainment, "fixed": fixed,
        "team_pool": pool_rep, "team_bonus": team_bonus, "gross": gross, "employer_cost": employer,
    }
    return PayResult(int(year), list(reps) if reps is not None else list(range(n)), arrays)

''',
    ),
    'xlsales.core.pricing': (
        False,
        r'''"""Prix et marges: margins, mark-up and mark rates, multipliers, VAT, invoice chain.

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
''',
    ),
    'xlsales.core.recruitment': (
        False,
        r'''"""Recrutement: staffing needs, interview-grid scoring and ranking, recruitment schedule, onboarding.

These are the computations of the recruitment workbook (:mod:`xlsales.macros.recruitment`), done with
numpy / pandas on the same inputs, so that every formula of the workbook can be checked against them.

Rules encoded
-------------
* **Effectif nécessaire** (méthode de la charge de travail, manuels de BTS) : charge (h/an) =
  clients × (1 + croissance du portefeuille) × visites par client et par an × durée d'une visite
  (trajet compris) ; heures disponibles d'un commercial = jours travaillés × heures par jour × part
  du temps passée en clientèle ; effectif nécessaire (ETP) = charge / heures disponibles ; effectif
  cible = ETP arrondi à l'entier supérieur (ou l'effectif cible saisi) ; recrutements à prévoir =
  max(0 ; cible − (effectif actuel − départs prévus)).
* **Grille d'entretien** : score = Σ poids × note / Σ poids (:func:`xlsales.core.kpi.score`), ramené
  sur un barème (/20) : score / note maximale × barème. Une note manquante pour un critère de poids
  non nul laisse l'évaluation incomplète (pas de score). Un critère éliminatoire noté sous sa note
  minimale élimine le candidat, quel que soit son score.
* **Classement** des candidats évalués et non éliminés : par score ramené (arrondi à 6 décimales),
  à égalité par la note du critère de plus fort poids (le premier de la grille), puis par ordre de
  saisie. **Décision proposée** : éliminé ; à compléter ; non retenu sous le score minimal ; retenu
  dans la limite des postes à pourvoir ; sinon liste d'attente.
* **Étapes** : fin = début + durée (jours calendaires) − 1 ; une étape occupe les semaines
  (lundi–dimanche) qui recoupent [début ; fin].
* **Période d'essai** : elle se décompte de quantième à quantième, fin = EDATE(arrivée ; mois) − 1 jour
  (le dernier jour du mois quand ce quantième n'y existe pas).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._vector import excel_round
from .kpi import score
from .training import edate

__all__ = [
    "DECISION_ELIMINATED",
    "DECISION_INCOMPLETE",
    "DECISION_REJECTED",
    "DECISION_RETAINED",
    "DECISION_WAITING",
    "compare_candidates",
    "gantt_weeks",
    "headcount",
    "hours_per_rep",
    "onboarding_dates",
    "onboarding_follow_up",
    "rank_candidates",
    "rating_scale",
    "ratings_matrix",
    "skill_needs",
    "staffing_needs",
    "step_ends",
    "step_follow_up",
    "trial_end",
]

DECISION_RETAINED = "Retenu"
DECISION_WAITING = "Liste d'attente"
DECISION_REJECTED = "Non retenu"
DECISION_ELIMINATED = "Éliminé"
DECISION_INCOMPLETE = "À compléter"

SKILL_PRIORITY = "Prioritaire"
SKILL_REINFORCE = "À renforcer"
SKILL_COVERED = "Couverte"

STEP_DONE = "terminée"
STEP_LATE = "en retard"
STEP_RUNNING = "en cours"
STEP_FUTURE = "à venir"
STEP_UNPLANNED = "à planifier"

ACTION_DONE = "fait"
ACTION_LATE = "en retard"
ACTION_SOON = "cette semaine"
ACTION_FUTURE = "à venir"


def _floats(values) -> np.ndarray:
    return np.asarray(pd.to_numeric(pd.Series(list(np.ravel(values)), dtype=object), errors="coerce"),
                      dtype=float).reshape(np.shape(values))


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


# ------------------------------------------------------------------------------------------------
# staffing
# ------------------------------------------------------------------------------------------------

def hours_per_rep(days: float, hours_per_day: float, field_share: float) -> float:
    """Hours a rep can spend with customers in a year.

    Parameters
    ----------
    days : float
        Days worked a year.
    hours_per_day : float
        Hours worked a day.
    field_share : float
        Share of the time spent with customers (visits and travel), as a decimal.

    Returns
    -------
    float
        ``days × hours_per_day × field_share``.

    Notes
    -----
    .. math:: H = j \\times h \\times p

    Examples
    --------
    >>> hours_per_rep(215, 7, 0.6)
    903.0
    """
    return float(days) * float(hours_per_day) * float(field_share)


def staffing_needs(customers, growth, visits, visit_hours, hours_available: float, current, departures,
                   target=None) -> pd.DataFrame:
    """Workload method: headcount needed per group (region or team) and recruitments to plan.

    Parameters
    ----------
    customers, growth, visits, visit_hours : array_like
        Per group: customers to follow, expected growth of the portfolio (decimal), visits per
        customer and per year, hours per visit including travel. Missing values count as 0.
    hours_available : float
        Hours a rep spends with customers a year (:func:`hours_per_rep`).
    current, departures : array_like
        Current headcount and planned departures per group (missing = 0).
    target : array_like, optional
        Target headcount typed per group; NaN (or None) = the workload estimate.

    Returns
    -------
    DataFrame
        ``workload`` (h/an), ``fte`` (NaN when ``hours_available`` is 0), ``target``,
        ``after_departures``, ``to_recruit``.

    Notes
    -----
    .. math:: ETP = \\frac{C (1 + g) v d}{H}, \\quad cible = \\lceil ETP \\rceil, \\quad
              recrutements = \\max(0, cible - (actuel - départs))

    ETP is rounded to 6 decimals before the ceiling, so that float noise never adds a rep.

    Examples
    --------
    120 customers, +10 %, 6 visits of 2.5 h, 903 h a rep; 1 rep now, 0 departure:

    >>> staffing_needs([120], [0.1], [6], [2.5], 903.0, [1], [0])[["workload", "target", "to_recruit"]].iloc[0].tolist()
    [1980.0, 3.0, 2.0]
    """
    c, g, v, d = (np.nan_to_num(_floats(x)) for x in (customers, growth, visits, visit_hours))
    workload = c * (1 + g) * v * d
    h = float(hours_available)
    fte = workload / h if h else np.full_like(workload, np.nan)
    estimate = np.where(np.isnan(fte), 0.0, np.ceil(excel_round(np.nan_to_num(fte), 6)))
    typed = _floats(target) if target is not None else np.full_like(workload, np.nan)
    tgt = np.where(np.isnan(typed), estimate, typed)
    after = np.nan_to_num(_floats(current)) - np.nan_to_num(_floats(departures))
    return pd.DataFrame({"workload": workload, "fte": fte, "target": tgt, "after_departures": after,
                         "to_recruit": np.maximum(0.0, tgt - after)})


def headcount(groups, hire_dates, end_dates, as_of, names: Sequence[str] | None = None) -> pd.Series:
    """Reps present on ``as_of`` per group: hired on or before it (or hire date unknown), and not
    gone (no leaving date, or a leaving date after it).

    Parameters
    ----------
    groups : array_like of str
        Group (region or team) of each rep; None/NaN = no group (counted under "").
    hire_dates, end_dates : array_like of dates
        Missing values allowed.
    as_of : date
    names : sequence of str, optional
        Groups to report (default: those found, in order of appearance).

    Returns
    -------
    Series
        Headcount per group name.

    Examples
    --------
    >>> headcount(["Nord", "Nord", "Sud"], ["2020-01-01", "2026-06-01", None], [None, None, "2026-01-31"],
    ...           dt.date(2026, 3, 1)).tolist()
    [1, 0]
    """
    labels = ["" if g is None or (not isinstance(g, str) and pd.isna(g)) else str(g) for g in groups]
    ref = pd.Timestamp(as_of)
    hired = pd.to_datetime(pd.Series(list(hire_dates), dtype=object), errors="coerce")
    gone = pd.to_datetime(pd.Series(list(end_dates), dtype=object), errors="coerce")
    present = (hired.isna() | (hired <= ref)) & (gone.isna() | (gone > ref))
    names = list(names) if names is not None else list(dict.fromkeys(labels))
    counts = pd.Series(present.to_numpy(dtype=int), index=labels).groupby(level=0).sum()
    return pd.Series([int(counts.get(n, 0)) for n in names], index=names)


def skill_needs(required, team_level) -> pd.DataFrame:
    """Skills to look for: gap between the level the job requires and the team's mean level.

    Parameters
    ----------
    required, team_level : array_like
        Levels 0–4 per skill; missing values give no gap.

    Returns
    -------
    DataFrame
        ``gap`` = max(0, required − team level) (NaN when one is missing) and ``priority``:
        "Prioritaire" (gap ≥ 1), "À renforcer" (0 < gap < 1), "Couverte" (0), "" (missing).

    Examples
    --------
    >>> skill_needs([4, 3, 2, 3], [2.5, 2.4, 3, None]).to_dict("list")
    {'gap': [1.5, 0.6..., 0.0, nan], 'priority': ['Prioritaire', 'À renforcer', 'Couverte', '']}
    """
    r, t = _floats(required), _floats(team_level)
    gap = np.maximum(0.0, r - t)
    gap[np.isnan(r) | np.isnan(t)] = np.nan
    priority = np.where(np.isnan(gap), "", np.where(gap >= 1, SKILL_PRIORITY,
                                                    np.where(gap > 0, SKILL_REINFORCE, SKILL_COVERED)))
    return pd.DataFrame({"gap": gap, "priority": priority.astype(object)})


# ------------------------------------------------------------------------------------------------
# candidates
# ------------------------------------------------------------------------------------------------

def rating_scale(ratings) -> tuple[float, float]:
    """The rating scale of an interview grid: (1, 5) unless the ratings say otherwise.

    The low end is 0 when a rating is below 1; the high end is the first of 5, 10, 20 at least as
    large as the largest rating.

    Examples
    --------
    >>> rating_scale([1, 4, 5]), rating_scale([0, 7.5]), rating_scale([12, 18])
    ((1.0, 5.0), (0.0, 10.0), (1.0, 20.0))
    """
    r = _floats(ratings)
    r = r[~np.isnan(r)]
    low = 0.0 if r.size and r.min() < 1 else 1.0
    top = r.max() if r.size else 5.0
    high = next((float(s) for s in (5, 10, 20) if top <= s), float(math.ceil(top)))
    return low, high


def ratings_matrix(candidates: pd.DataFrame, criteria: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Long-form ratings (candidate, criterion, rating) → candidates and an (n, k) matrix.

    Several ratings of the same candidate on the same criterion (several interviewers) are
    averaged; a criterion not rated is NaN. Candidates keep their order of appearance.

    Examples
    --------
    >>> frame = pd.DataFrame({"candidate": ["A", "A", "B", "A"], "criterion": ["x", "y", "x", "x"],
    ...                       "rating": [4, 3, 5, 2]})
    >>> ratings_matrix(frame, ["x", "y"])
    (['A', 'B'], array([[ 3.,  3.], [ 5., nan]]))
    """
    names = list(dict.fromkeys(str(c) for c in candidates["candidate"]))
    out = np.full((len(names), len(criteria)), np.nan)
    if len(candidates):
        frame = pd.DataFrame({"candidate": candidates["candidate"].astype(str),
                              "criterion": candidates["criterion"].astype(str),
                              "rating": _floats(candidates["rating"].to_numpy(dtype=object))})
        means = frame.dropna(subset=["rating"]).groupby(["candidate", "criterion"], sort=False)["rating"].mean()
        row = {n: i for i, n in enumerate(names)}
        column = {c: j for j, c in enumerate(criteria)}
        for (cand, crit), value in means.items():
            if crit in column:
                out[row[cand], column[crit]] = value
    return names, out


def rank_candidates(keys, tie_break) -> np.ndarray:
    """Rank of each candidate that has a key (NaN: not ranked), best first.

    ``rank = 1 + #{key > mine} + #{key = mine and tie_break > mine} + #{earlier, key = mine and
    tie_break = mine}`` — what ``RANK`` plus two ``COUNTIFS`` compute in the workbook.

    Examples
    --------
    >>> rank_candidates([15.2, np.nan, 16.0, 15.2, 15.2], [4, 5, 3, 5, 4]).tolist()
    [3.0, nan, 1.0, 2.0, 4.0]
    """
    k, t = _floats(keys), np.nan_to_num(_floats(tie_break), nan=-np.inf)
    ranks = np.full(k.shape, np.nan)
    for i in np.flatnonzero(~np.isnan(k)):
        other = ~np.isnan(k)
        same = other & (k == k[i])
        ranks[i] = (1 + np.sum(other & (k > k[i])) + np.sum(same & (t > t[i]))
                    + np.sum(same[:i] & (t[:i] == t[i])))
    return ranks


def compare_candidates(ratings, weights, eliminatory=None, min_rating=None, criteria: Sequence[str] | None = None, *,
                       max_rating: float = 5, scale: float = 20, threshold: float = 12,
                       positions: int = 1) -> pd.DataFrame:
    """Weighted interview scores, eliminations, ranking and the decision suggested for each candidate.

    Parameters
    ----------
    ratings : array_like, shape (n, k)
        One row per candidate, one column per criterion; NaN = not rated.
    weights : array_like, shape (k,)
        Weights of the criteria (≥ 0); a criterion of weight 0 does not count.
    eliminatory : array_like of bool, shape (k,), optional
        Eliminatory criteria (default: none).
    min_rating : array_like, shape (k,), optional
        Minimum rating of each eliminatory criterion; NaN = no minimum.
    criteria : sequence of str, optional
        Names of the criteria, for the elimination reasons.
    max_rating, scale : float
        The score is also given out of ``scale``: ``score / max_rating × scale``.
    threshold : float
        Minimum score (out of ``scale``) to be retained.
    positions : int
        Number of positions to fill.

    Returns
    -------
    DataFrame
        One row per candidate: ``rated`` (ratings given), ``complete``, ``score``,
        ``score_scaled`` (NaN when incomplete), ``failed`` (eliminatory criteria below their
        minimum), ``reasons`` ("; "-joined names), ``eliminated``, ``top_rating`` (rating on the
        heaviest criterion), ``key`` (rounded scaled score of the ranked candidates), ``rank``
        and ``decision``.

    Notes
    -----
    .. math:: S = \\frac{\\sum_i w_i r_i}{\\sum_i w_i}, \\qquad S_{20} = \\frac{S}{r_{max}} \\times 20

    Examples
    --------
    >>> table = compare_candidates([[4, 5, 3], [5, 5, 2], [3, 3, 4]], [3, 2, 1], [False, False, True],
    ...                            [np.nan, np.nan, 3], ["Tech", "Com", "Mobilité"], threshold=12)
    >>> table[["score_scaled", "eliminated", "rank", "decision"]].values.tolist()
    [[16.66..., False, 1.0, 'Retenu'], [18.0, True, nan, 'Éliminé'], [12.66..., False, 2.0, "Liste d'attente"]]
    """
    r = np.atleast_2d(_floats(ratings)) if np.size(ratings) else np.zeros((0, len(weights)))
    w = np.nan_to_num(_floats(weights))
    k = w.size
    elim = np.zeros(k, bool) if eliminatory is None else np.asarray(eliminatory, dtype=bool)
    mins = np.full(k, np.nan) if min_rating is None else _floats(min_rating)
    names = list(criteria) if criteria is not None else [f"critère {j + 1}" for j in range(k)]
    rows = []
    heaviest = int(np.argmax(w)) if k else 0
    for i in range(r.shape[0]):
        row = r[i]
        rated = int(np.sum(~np.isnan(row)))
        complete = bool(np.all(~np.isnan(row[w > 0]))) and w.sum() > 0
        s = score(np.nan_to_num(row), w) if complete else np.nan
        scaled = s / max_rating * scale if complete else np.nan
        below = elim & ~np.isnan(row) & ~np.isnan(mins) & (np.nan_to_num(row) < np.nan_to_num(mins))
        failed = int(below.sum())
        reasons = "; ".join(n for n, b in zip(names, below) if b)
        eliminated = failed > 0
        top = row[heaviest] if k else np.nan
        key = excel_round(scaled, 6) if complete and not eliminated else np.nan
        rows.append({"rated": rated, "complete": complete, "score": s, "score_scaled": scaled, "failed": failed,
                     "reasons": reasons, "eliminated": eliminated, "top_rating": top, "key": key})
    table = pd.DataFrame(rows, columns=["rated", "complete", "score", "score_scaled", "failed", "reasons", "eliminated",
                                        "top_rating", "key"])
    table["rank"] = rank_candidates(table["key"].to_numpy(), table["top_rating"].to_numpy()) if len(table) else []
    decisions = []
    for rec in table.itertuples(index=False):
        if rec.eliminated:
            decisions.append(DECISION_ELIMINATED)
        elif not rec.complete:
            decisions.append(DECISION_INCOMPLETE)
        elif rec.score_scaled < threshold:
            decisions.append(DECISION_REJECTED)
        elif rec.rank <= positions:
            decisions.append(DECISION_RETAINED)
        else:
            decisions.append(DECISION_WAITING)
    table["decision"] = decisions
    return table


# ------------------------------------------------------------------------------------------------
# schedule
# ------------------------------------------------------------------------------------------------

def step_ends(starts, days) -> list[dt.date | None]:
    """End date of each step: start + days − 1 (None when the start or the duration is missing).

    Examples
    --------
    >>> step_ends([dt.date(2026, 1, 5), None], [7, 3])
    [datetime.date(2026, 1, 11), None]
    """
    out = []
    for s, d in zip(starts, _floats(list(days))):
        s = _date(s)
        out.append(None if s is None or np.isnan(d) else s + dt.timedelta(days=int(d) - 1))
    return out


def step_follow_up(starts, ends, statuses, reference: dt.date) -> list[str]:
    """Follow-up of each step on ``reference``: terminée (status « fait »), en retard (ended before
    and not done), en cours (started), à venir; à planifier without dates.

    Examples
    --------
    >>> step_follow_up([dt.date(2026, 1, 5)] * 3, [dt.date(2026, 1, 11)] * 3, ["fait", "à faire", "en cours"],
    ...                dt.date(2026, 1, 12))
    ['terminée', 'en retard', 'en retard']
    """
    out = []
    for s, e, status in zip(starts, ends, statuses):
        s, e = _date(s), _date(e)
        if s is None or e is None:
            out.append(STEP_UNPLANNED)
        elif str(status or "").strip().lower() == "fait":
            out.append(STEP_DONE)
        elif e < reference:
            out.append(STEP_LATE)
        elif s <= reference:
            out.append(STEP_RUNNING)
        else:
            out.append(STEP_FUTURE)
    return out


def gantt_weeks(starts, ends, first_monday: dt.date, weeks: int) -> np.ndarray:
    """(steps, weeks) grid of 1 where a step overlaps the week starting ``first_monday + 7k``.

    Examples
    --------
    >>> gantt_weeks([dt.date(2026, 1, 7)], [dt.date(2026, 1, 13)], dt.date(2026, 1, 5), 3).tolist()
    [[1, 1, 0]]
    """
    grid = np.zeros((len(starts), weeks), dtype=int)
    for i, (s, e) in enumerate(zip(starts, ends)):
        s, e = _date(s), _date(e)
        if s is None or e is None:
            continue
        for k in range(weeks):
            monday = first_monday + dt.timedelta(days=7 * k)
            grid[i, k] = int(s <= monday + dt.timedelta(days=6) and e >= monday)
    return grid


# ------------------------------------------------------------------------------------------------
# onboarding
# ------------------------------------------------------------------------------------------------

def trial_end(hire: dt.date | None, months) -> dt.date | None:
    """Last day of a trial period of ``months`` months starting on ``hire``.

    The period is counted from date to date (« de quantième à quantième ») and ends the day before
    the same day ``months`` months later; when that month has no such day (hired on the 31st),
    it ends on the last day of that month.

    Notes
    -----
    Excel: ``EDATE(h; m) − SI(JOUR(EDATE(h; m)) < JOUR(h); 0; 1)``.

    Examples
    --------
    >>> trial_end(dt.date(2026, 3, 2), 3), trial_end(dt.date(2026, 4, 1), 2)
    (datetime.date(2026, 6, 1), datetime.date(2026, 5, 31))
    >>> trial_end(dt.date(2026, 1, 31), 1), trial_end(dt.date(2026, 11, 30), 3)
    (datetime.date(2026, 2, 28), datetime.date(2027, 2, 28))
    """
    hire = _date(hire)
    if hire is None or months is None or pd.isna(months):
        return None
    same_day = edate(hire, int(months))
    return same_day if same_day.day < hire.day else same_day - dt.timedelta(days=1)


def onboarding_dates(hire: dt.date | None, offsets, units, trial_end_date: dt.date | None) -> list[dt.date | None]:
    """Dates of the onboarding actions: arrival + offset in days (unit « jours »), EDATE(arrival,
    offset) (unit « mois »), or end of the trial period + offset in days (unit « fin d'essai »).

    Examples
    --------
    >>> onboarding_dates(dt.date(2026, 3, 2), [-7, 1, -15], ["jours", "mois", "fin d'essai"], dt.date(2026, 6, 1))
    [datetime.date(2026, 2, 23), datetime.date(2026, 4, 2), datetime.date(2026, 5, 17)]
    """
    hire = _date(hire)
    out = []
    for offset, unit in zip(_floats(list(offsets)), units):
        unit = str(unit or "").strip().lower()
        if hire is None or np.isnan(offset):
            out.append(None)
        elif unit == "mois":
            out.append(edate(hire, int(offset)))
        elif unit == "fin d'essai":
            out.append(None if trial_end_date is None else trial_end_date + dt.timedelta(days=int(offset)))
        else:
            out.append(hire + dt.timedelta(days=int(offset)))
    return out


def onboarding_follow_up(dates, statuses, reference: dt.date, days_ahead: int = 7) -> list[str]:
    """fait (status « fait »), en retard (date passed), cette semaine (within ``days_ahead`` days),
    à venir; "" without a date.

    Examples
    --------
    >>> onboarding_follow_up([dt.date(2026, 3, 1), dt.date(2026, 3, 1), dt.date(2026, 3, 9), dt.date(2026, 4, 1)],
    ...                      ["fait", "", "", ""], dt.date(2026, 3, 2))
    ['fait', 'en retard', 'cette semaine', 'à venir']
    """
    out = []
    for d, status in zip(dates, statuses):
        d = _date(d)
        if d is None:
            out.append("")
        elif str(status or "").strip().lower() == "fait":
            out.append(ACTION_DONE)
        elif d < reference:
            out.append(ACTION_LATE)
        elif d <= reference + dt.timedelta(days=days_ahead):
            out.append(ACTION_SOON)
        else:
            out.append(ACTION_FUTURE)
    return out
''',
    ),
    'xlsales.core.stock': (
        False,
        r'''"""Stocks et budgets: Wilson economic order quantity, safety stock, reorder point, sales budget.

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
''',
    ),
    'xlsales.core.training': (
        False,
        r'''"""Plan de développement des compétences: skill gaps, training needs matched with a catalogue,
funding split (CPF / OPCO / entreprise), training calendar and professional-interview due dates.

These are the computations of the training-plan workbook (:mod:`xlsales.macros.training_plan`),
done with pandas / numpy on the same inputs, so that every formula of the workbook can be checked
against them. Dates follow Excel: ``EDATE`` clamps to the end of the month (31 Jan + 1 month =
28/29 Feb) and complete months are counted as ``DATEDIF(start, end, "m")`` does.

Rules encoded (parameters in :class:`TrainingParams`, all editable on the « Paramètres » sheet)
------------------------------------------------------------------------------------------------
* Gap (écart) = max(0, required level − current level), levels 0–4; a level above the
  requirement is no need. A missing level gives no gap (not assessed).
* Action proposed for a skill: the first **mandatory** action of the catalogue for that skill,
  else the first action for that skill (catalogue order).
* Funding of the pedagogical cost, per action:

  1. CPF, if the action is CPF-eligible, not mandatory (the employer funds the trainings it
     must provide), and the plan mobilises the CPF (employee's consent): the remaining CPF
     amount of the employee, ``cpf_cap`` a year, used in the order of the plan;
  2. OPCO, if the company has fewer than ``opco_headcount_limit`` (50) employees (the OPCO
     funds the plan of companies under 50, art. L6332-17): ``opco_share`` of what the CPF
     does not cover, capped at ``opco_hourly_cap`` € per hour if that cap is not 0;
  3. the company pays the rest. The time spent in training (working time, salary
     maintained) costs ``hours × hourly_cost`` to the company.

* Professional interviews (entretien professionnel, art. L6315-1 of the Code du travail):

  - régime 2014–2025: every 2 years (from hiring, then from the last interview), « état des
    lieux récapitulatif » at every 6 years of seniority; in companies of at least 50, a
    corrective CPF top-up of 3 000 € when the état des lieux shows the obligations were not met;
  - loi n° 2025-989 du 24 octobre 2025 (« entretien de parcours professionnel »): first
    within the year after hiring, then every 4 years, état des lieux every 8 years;
    mid-career interview (after the mid-career medical visit, held by default in the calendar
    year of the 45th birthday) and end-of-career interview (in the two years before the
    60th birthday).

  An état des lieux is due at each multiple of its period of seniority; it is taken as done
  when an interview took place on or after that anniversary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._vector import excel_round

__all__ = [
    "INTERNAL",
    "NO_ACTION",
    "PRIORITY_HIGH",
    "PRIORITY_MET",
    "PRIORITY_NORMAL",
    "STATUS_LATE",
    "STATUS_MISSING",
    "STATUS_OK",
    "STATUS_TO_PLAN",
    "TrainingParams",
    "budget_by_action",
    "budget_by_rep",
    "calendar_grid",
    "choose_actions",
    "corrective_top_up",
    "default_start_dates",
    "edate",
    "evaluate_needs",
    "funding_label",
    "funding_split",
    "gap_matrix",
    "gap_totals",
    "interview_schedule",
    "interview_status",
    "iso_week_mondays",
    "months_between",
    "select_needs",
    "skill_gaps",
    "training_needs",
    "training_weeks",
]

PRIORITY_HIGH = "Haute"
PRIORITY_NORMAL = "Normale"
PRIORITY_MET = "Couvert"
NO_ACTION = "(aucune action au catalogue)"
INTERNAL = "Interne (sans coût pédagogique)"
STATUS_LATE = "en retard"
STATUS_TO_PLAN = "à planifier"
STATUS_OK = "à jour"
STATUS_MISSING = "à compléter"


@dataclass(frozen=True)
class TrainingParams:
    """Parameters of the training plan (the « Paramètres » sheet), with their default values.

    Amounts in euros, durations in months unless stated. Defaults for OPCO and CPF amounts are
    examples to adapt to the company (OPCO criteria, employees' CPF balances).
    """

    #: a gap of at least this many levels makes the need a priority
    priority_gap: int = 2
    #: hours of training per week, to turn a duration in hours into weeks of the calendar
    hours_per_week: float = 7.0
    #: company headcount (salariés)
    headcount: int = 30
    #: the OPCO funds the plan of companies below this headcount
    opco_headcount_limit: int = 50
    #: share of the pedagogical cost (after CPF) funded by the OPCO
    opco_share: float = 0.5
    #: OPCO cap per hour of training, € (0 = no cap)
    opco_hourly_cap: float = 0.0
    #: mobilise the employees' CPF for CPF-eligible, non-mandatory actions
    use_cpf: bool = True
    #: CPF amount available per employee for the plan, €
    cpf_cap: float = 500.0
    #: loaded hourly cost of the time spent in training, €/h
    hourly_cost: float = 35.0
    #: an interview due within this many months is « à planifier »
    planning_horizon_months: int = 3
    # régime 2014–2025
    old_period_months: int = 24
    old_inventory_months: int = 72
    corrective_amount: float = 3000.0
    corrective_headcount: int = 50
    # loi du 24 octobre 2025
    law_2025_date: dt.date = dt.date(2025, 10, 26)
    new_first_months: int = 12
    new_period_months: int = 48
    new_inventory_months: int = 96
    mid_career_age: int = 45
    end_career_age: int = 60
    end_career_window_months: int = 24


# ------------------------------------------------------------------------------------------------
# dates as Excel computes them
# ------------------------------------------------------------------------------------------------

def _days(values) -> tuple[np.ndarray, bool]:
    """(datetime64[D] array, was_scalar) from dates, Timestamps, strings, None/NaT."""
    scalar = np.ndim(values) == 0 and not isinstance(values, (list, tuple))
    if scalar:
        values = [values]
    converted = pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")
    return converted.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]"), scalar


def _out(days: np.ndarray, scalar: bool):
    if scalar:
        value = days[0]
        return None if np.isnat(value) else value.astype(dt.date)
    return days


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (months - months.astype("datetime64[Y]")).astype(np.int64) + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def months_between(start, end):
    """Complete months from ``start`` to ``end``, as ``DATEDIF(start, end, "m")``.

    Parameters
    ----------
    start, end : date, Timestamp, str or array_like of them
        Missing values (None, NaT) give NaN.

    Returns
    -------
    float or ndarray
        ``(year_end − year_start) × 12 + month_end − month_start − (day_end < day_start)``;
        negative when ``end`` is before ``start``.

    Notes
    -----
    The workbook writes the same formula with YEAR, MONTH and DAY (DATEDIF is missing from
    Excel's function list and its edge cases differ between versions).

    Examples
    --------
    >>> months_between("2014-09-01", "2023-05-10")
    104.0
    >>> months_between("2024-01-31", "2024-02-29")
    0.0
    """
    a, scalar_a = _days(start)
    b, scalar_b = _days(end)
    a, b = np.broadcast_arrays(a, b)
    ya, ma, da = _ymd(a)
    yb, mb, db = _ymd(b)
    result = ((yb - ya) * 12 + mb - ma - (db < da)).astype(float)
    result[np.isnat(a) | np.isnat(b)] = np.nan
    return float(result[0]) if scalar_a and scalar_b else result


def edate(dates, months):
    """The date ``months`` months after ``dates``, as Excel's ``EDATE`` (end of month clamped).

    Parameters
    ----------
    dates : date, Timestamp, str or array_like of them
        Start dates; missing values give NaT (None for a scalar).
    months : int or array_like of int
        Months to add (negative to go back).

    Returns
    -------
    datetime.date or ndarray of datetime64[D]

    Examples
    --------
    >>> edate("2024-01-31", 1)
    datetime.date(2024, 2, 29)
    >>> edate("2014-09-01", 72)
    datetime.date(2020, 9, 1)
    """
    days, scalar = _days(dates)
    months = np.asarray(months, dtype=np.int64)
    if scalar and months.ndim == 0:
        days_b, months_b = days, months.reshape(1)
    else:
        days_b, months_b = np.broadcast_arrays(days, months)
    scalar = scalar and months.ndim == 0
    days, months = days_b, months_b
    missing = np.isnat(days)
    safe = np.where(missing, np.datetime64("2000-01-01", "D"), days)
    year, month, day = _ymd(safe)
    total = (year - 1970) * 12 + (month - 1) + months
    month_start = total.astype("datetime64[M]")
    length = ((month_start + 1).astype("datetime64[D]") - month_start.astype("datetime64[D]")).astype(np.int64)
    result = month_start.astype("datetime64[D]") + (np.minimum(day, length) - 1)
    result = np.where(missing, np.datetime64("NaT", "D"), result)
    return _out(result, scalar)


# ------------------------------------------------------------------------------------------------
# gaps
# ------------------------------------------------------------------------------------------------

def skill_gaps(skills: pd.DataFrame) -> pd.DataFrame:
    """Gap between the required and the current level of each (rep, skill).

    Parameters
    ----------
    skills : DataFrame
        Skills matrix in long form: ``rep``, ``skill``, ``current`` (0–4), ``required`` (0–4).

    Returns
    -------
    DataFrame
        The same rows with ``gap`` = max(0, required − current) (float; NaN when a level is
        missing).

    Notes
    -----
    Only the shortfall counts: a rep above the required level has no need (gap 0), and does not
    offset another skill's gap in the totals.

    Examples
    --------
    >>> df = pd.DataFrame({"rep": ["A", "A"], "skill": ["Négociation", "CRM"],
    ...                    "current": [1, 4], "required": [3, 2]})
    >>> skill_gaps(df)["gap"].tolist()
    [2.0, 0.0]
    """
    out = skills.loc[:, ["rep", "skill", "current", "required"]].copy()
    out["rep"] = out["rep"].astype(str)
    out["skill"] = out["skill"].astype(str)
    current = pd.to_numeric(out["current"], errors="coerce").astype(float)
    required = pd.to_numeric(out["required"], errors="coerce").astype(float)
    out["current"], out["required"] = current, required
    out["gap"] = np.maximum(0.0, required - current)  # NaN stays NaN
    return out.reset_index(drop=True)


def gap_matrix(skills: pd.DataFrame, reps: Sequence[str] | None = None,
               skill_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Rep × skill grid of gaps (the « Écarts » heat map).

    Parameters
    ----------
    skills : DataFrame
        Long skills matrix (see :func:`skill_gaps`).
    reps, skill_names : sequence of str, optional
        Row and column order (default: order of first appearance).

    Returns
    -------
    DataFrame
        Index = reps, columns = skills, values = gaps (NaN where not assessed).

    Examples
    --------
    >>> df = pd.DataFrame({"rep": ["A", "A", "B"], "skill": ["X", "Y", "X"],
    ...                    "current": [1, 2, 3], "required": [3, 2, 3]})
    >>> gap_matrix(df).to_dict()
    {'X': {'A': 2.0, 'B': 0.0}, 'Y': {'A': 0.0, 'B': nan}}
    """
    g = skill_gaps(skills)
    reps = list(reps) if reps is not None else list(dict.fromkeys(g["rep"]))
    skill_names = list(skill_names) if skill_names is not None else list(dict.fromkeys(g["skill"]))
    grid = g.drop_duplicates(["rep", "skill"], keep="last").pivot(index="rep", columns="skill", values="gap")
    return grid.reindex(index=reps, columns=skill_names).astype(float)


def gap_totals(matrix: pd.DataFrame, threshold: float = 2) -> dict:
    """Totals of a gap grid: per rep, per skill, overall, and the number of priority gaps.

    Parameters
    ----------
    matrix : DataFrame
        Output of :func:`gap_matrix`.
    threshold : float
        A gap ≥ ``threshold`` is a priority (default 2 levels).

    Returns
    -------
    dict
        ``rep_total``, ``rep_priorities``, ``skill_total``, ``skill_priorities`` (Series),
        ``total`` and ``priorities`` (floats / ints).

    Examples
    --------
    >>> m = pd.DataFrame({"X": [2.0, 0.0], "Y": [3.0, np.nan]}, index=["A", "B"])
    >>> t = gap_totals(m)
    >>> t["rep_total"].tolist(), t["rep_priorities"].tolist(), t["priorities"]
    ([5.0, 0.0], [2, 0], 2)
    """
    values = matrix.astype(float)
    is_priority = values >= threshold  # NaN compares False
    return {
        "rep_total": values.sum(axis=1, skipna=True),
        "rep_priorities": is_priority.sum(axis=1).astype(int),
        "skill_total": values.sum(axis=0, skipna=True),
        "skill_priorities": is_priority.sum(axis=0).astype(int),
        "total": float(np.nansum(values.to_numpy())),
        "priorities": int(is_priority.to_numpy().sum()),
    }


# ------------------------------------------------------------------------------------------------
# needs → actions, funding
# ------------------------------------------------------------------------------------------------

def _yes(values) -> np.ndarray:
    """True for True/"oui"/"yes"/"x"/1 (case-insensitive), False otherwise (as the sheet's ="oui")."""
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            out.append(bool(v))
        elif isinstance(v, (int, float, np.integer, np.floating)) and not pd.isna(v):
            out.append(v != 0)
        elif isinstance(v, str):
            out.append(v.strip().lower() in ("oui", "o", "yes", "y", "vrai", "true", "x", "1"))
        else:
            out.append(False)
    return np.array(out, dtype=bool)


def choose_actions(catalogue: pd.DataFrame, skill_names: Iterable[str]) -> dict[str, int]:
    """Catalogue row proposed for each skill: mandatory actions first, then catalogue order.

    Parameters
    ----------
    catalogue : DataFrame
        Training catalogue: ``action``, ``skill``, and ``mandatory`` (bool or oui/non).
    skill_names : iterable of str
        Skills to match.

    Returns
    -------
    dict
        skill → 1-based position of the chosen row in ``catalogue`` (0 when the catalogue has
        no action for the skill) — what ``MATCH`` returns in the workbook.

    Notes
    -----
    The first action whose skill matches and that is mandatory wins; without a mandatory one,
    the first action whose skill matches. Skill names are compared without case, as MATCH does.

    Examples
    --------
    >>> cat = pd.DataFrame({"action": ["A1", "A2", "A3"], "skill": ["Nego", "Nego", "CRM"],
    ...                     "mandatory": [False, True, False]})
    >>> choose_actions(cat, ["Nego", "CRM", "Anglais"])
    {'Nego': 2, 'CRM': 3, 'Anglais': 0}
    """
    skills_col = catalogue["skill"].astype(str).str.casefold().tolist()
    mandatory = _yes(catalogue["mandatory"]) if "mandatory" in catalogue else np.zeros(len(catalogue), bool)
    chosen = {}
    for skill in skill_names:
        key = str(skill).casefold()
        rows = [i for i, s in enumerate(skills_col) if s == key]
        first_mandatory = next((i for i in rows if mandatory[i]), None)
        pick = first_mandatory if first_mandatory is not None else (rows[0] if rows else None)
        chosen[skill] = 0 if pick is None else pick + 1
    return chosen


def select_needs(skills: pd.DataFrame, catalogue: pd.DataFrame, params: TrainingParams | None = None,
                 reps: Sequence[str] | None = None, skill_names: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """The (rep, skill) pairs with a gap > 0, in the order of the plan.

    Parameters
    ----------
    skills, catalogue : DataFrame
        See :func:`skill_gaps` and :func:`choose_actions`.
    params : TrainingParams, optional
    reps, skill_names : sequence of str, optional
        Order of the reps and of the skills (default: first appearance).

    Returns
    -------
    list of (rep, skill)

    Notes
    -----
    Order: by rep; within a rep, high priorities first (gap ≥ ``priority_gap`` or mandatory
    action), then larger gaps, then the skill order.

    Examples
    --------
    >>> df = pd.DataFrame({"rep": ["A", "A", "A"], "skill": ["X", "Y", "Z"],
    ...                    "current": [3, 1, 2], "required": [4, 3, 2]})
    >>> cat = pd.DataFrame({"action": ["a"], "skill": ["X"], "mandatory": [False]})
    >>> select_needs(df, cat)
    [('A', 'Y'), ('A', 'X')]
    """
    params = params or TrainingParams()
    g = skill_gaps(skills)
    reps = list(reps) if reps is not None else list(dict.fromkeys(g["rep"]))
    skill_names = list(skill_names) if skill_names is not None else list(dict.fromkeys(g["skill"]))
    g = g[g["gap"] > 0].drop_duplicates(["rep", "skill"], keep="last")
    chosen = choose_actions(catalogue, skill_names)
    mandatory = _yes(catalogue["mandatory"]) if "mandatory" in catalogue else np.zeros(len(catalogue), bool)
    rep_rank = {r: i for i, r in enumerate(reps)}
    skill_rank = {s: i for i, s in enumerate(skill_names)}

    def key(rec):
        row = chosen.get(rec.skill, 0)
        high = rec.gap >= params.priority_gap or (row > 0 and mandatory[row - 1])
        return (rep_rank.get(rec.rep, len(rep_rank)), 0 if high else 1, -rec.gap, skill_rank.get(rec.skill, len(skill_rank)))

    ordered = sorted(g.itertuples(index=False), key=key)
    return [(r.rep, r.skill) for r in ordered if r.rep in rep_rank and r.skill in skill_rank]


def funding_split(cost, hours, cpf_eligible, mandatory, reps, params: TrainingParams | None = None) -> pd.DataFrame:
    """Who pays each action: CPF, OPCO, company; plus the cost of the time spent in training.

    Parameters
    ----------
    cost : array_like
        Pedagogical cost HT of each action (0 for no action).
    hours : array_like
        Duration in hours.
    cpf_eligible, mandatory : array_like of bool (or oui/non)
    reps : array_like of str
        Employee of each row; the CPF amount ``cpf_cap`` is per employee, used row by row in
        this order.
    params : TrainingParams, optional

    Returns
    -------
    DataFrame
        ``cpf``, ``opco``, ``company`` (the three add up to ``cost``), ``time_cost``
        (hours × hourly cost, rounded to the cent) and ``total_cost`` (cost + time_cost).

    Notes
    -----
    .. math::

        CPF_i = \\min(cost_i,\\ cap - \\textstyle\\sum_{j<i,\\ rep_j = rep_i} CPF_j)
                \\text{ if CPF-eligible, not mandatory and the plan uses the CPF, else } 0

        OPCO_i = round(s \\cdot (cost_i - CPF_i), 2) \\text{ (capped at } c \\cdot h_i
                 \\text{ if } c > 0) \\text{ if headcount} < 50, \\text{ else } 0

        Company_i = round(cost_i - CPF_i - OPCO_i, 2)

    Examples
    --------
    >>> p = TrainingParams(opco_share=0.5, cpf_cap=500, hourly_cost=35)
    >>> funding_split([1290.0, 690.0], [14, 7], [True, True], [False, False], ["A", "A"], p).round(2).values.tolist()
    [[500.0, 395.0, 395.0, 490.0, 1780.0], [0.0, 345.0, 345.0, 245.0, 935.0]]
    """
    params = params or TrainingParams()
    cost = np.asarray(cost, dtype=float)
    hours = np.asarray(hours, dtype=float)
    eligible = _yes(cpf_eligible) & ~_yes(mandatory) & bool(params.use_cpf)
    reps = [str(r) for r in reps]
    used: dict[str, float] = {}
    cpf = np.zeros(len(cost))
    for i, (rep, c, ok) in enumerate(zip(reps, cost, eligible)):
        if ok:
            cpf[i] = max(0.0, min(c, params.cpf_cap - used.get(rep, 0.0)))
        used[rep] = used.get(rep, 0.0) + cpf[i]
    if params.headcount < params.opco_headcount_limit:
        opco = params.opco_share * (cost - cpf)
        if params.opco_hourly_cap > 0:
            opco = np.minimum(opco, params.opco_hourly_cap * hours)
        opco = excel_round(opco, 2) if len(cost) else opco
    else:
        opco = np.zeros(len(cost))
    company = excel_round(cost - cpf - opco, 2) if len(cost) else np.zeros(0)
    time_cost = excel_round(hours * params.hourly_cost, 2) if len(cost) else np.zeros(0)
    return pd.DataFrame({"cpf": cpf, "opco": np.asarray(opco, float), "company": np.asarray(company, float),
                         "time_cost": np.asarray(time_cost, float), "total_cost": cost + np.asarray(time_cost, float)})


def funding_label(cost: float, cpf: float, opco: float, company: float, has_action: bool = True) -> str:
    """Text of the « Financement » column: the payers with a share > 0, joined by " + ".

    Examples
    --------
    >>> funding_label(1290.0, 500.0, 395.0, 395.0)
    'CPF + OPCO + Entreprise'
    >>> funding_label(0.0, 0.0, 0.0, 0.0)
    'Interne (sans coût pédagogique)'
    """
    if not has_action:
        return ""
    if cost == 0:
        return INTERNAL
    parts = [name for name, amount in (("CPF", cpf), ("OPCO", opco), ("Entreprise", company)) if amount > 0]
    return " + ".join(parts)


def evaluate_needs(pairs: Sequence[tuple[str, str]], skills: pd.DataFrame, catalogue: pd.DataFrame,
                   params: TrainingParams | None = None) -> pd.DataFrame:
    """The « Besoins et actions » table for given (rep, skill) rows, on the current levels.

    Parameters
    ----------
    pairs : sequence of (rep, skill)
        Rows of the plan (see :func:`select_needs`); a row whose gap is now 0 keeps its place
        with no action and no cost.
    skills, catalogue : DataFrame
    params : TrainingParams, optional

    Returns
    -------
    DataFrame
        One row per pair: rep, skill, current, required, gap, priority, catalogue_row (1-based,
        0 = none), action, mode, provider, hours, cost, mandatory ("oui"/"non"/""),
        cpf_eligible, funding, cpf, opco, company, time_cost, total_cost.

    Notes
    -----
    Priority: "Haute" when the gap ≥ ``priority_gap`` or the action is mandatory, "Normale"
    for another gap > 0, "Couvert" for a gap of 0, "" when the level is not assessed.
    """
    params = params or TrainingParams()
    g = skill_gaps(skills).drop_duplicates(["rep", "skill"], keep="last").set_index(["rep", "skill"])
    skill_names = list(dict.fromkeys(s for _, s in pairs))
    chosen = choose_actions(catalogue, skill_names)
    cat = catalogue.reset_index(drop=True)
    mandatory_col = _yes(cat["mandatory"]) if "mandatory" in cat else np.zeros(len(cat), bool)
    cpf_col = _yes(cat["cpf"]) if "cpf" in cat else np.zeros(len(cat), bool)
    rows = []
    for rep, skill in pairs:
        rec = g.loc[(rep, skill)] if (rep, skill) in g.index else None
        current = float(rec["current"]) if rec is not None else np.nan
        required = float(rec["required"]) if rec is not None else np.nan
        gap = float(rec["gap"]) if rec is not None else np.nan
        has_gap = not np.isnan(gap) and gap > 0
        row = chosen.get(skill, 0) if has_gap else 0
        out = {"rep": rep, "skill": skill, "current": current, "required": required, "gap": gap, "catalogue_row": row}
        if row:
            c = cat.iloc[row - 1]
            out.update(action=str(c["action"]), mode=_text(c.get("mode")), provider=_text(c.get("provider")),
                       hours=_num(c.get("duration_hours")), cost=_num(c.get("cost")),
                       mandatory="oui" if mandatory_col[row - 1] else "non",
                       cpf_eligible="oui" if cpf_col[row - 1] else "non")
        else:
            out.update(action=NO_ACTION if has_gap else "", mode="", provider="", hours=0.0, cost=0.0,
                       mandatory="", cpf_eligible="")
        if np.isnan(gap):
            out["priority"] = ""
        elif gap <= 0:
            out["priority"] = PRIORITY_MET
        elif gap >= params.priority_gap or out["mandatory"] == "oui":
            out["priority"] = PRIORITY_HIGH
        else:
            out["priority"] = PRIORITY_NORMAL
        rows.append(out)
    columns = ["rep", "skill", "current", "required", "gap", "priority", "catalogue_row", "action", "mode", "provider",
               "hours", "cost", "mandatory", "cpf_eligible"]
    table = pd.DataFrame(rows, columns=columns)
    money = funding_split(table["cost"], table["hours"], table["cpf_eligible"], table["mandatory"], table["rep"], params)
    table = pd.concat([table, money], axis=1)
    table.insert(columns.index("cpf_eligible") + 1, "funding", [
        funding_label(r.cost, r.cpf, r.opco, r.company, r.catalogue_row > 0) for r in table.itertuples()])
    return table


def training_needs(skills: pd.DataFrame, catalogue: pd.DataFrame, params: TrainingParams | None = None,
                   reps: Sequence[str] | None = None, skill_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Needs with a gap > 0, the action proposed and its funding: ``evaluate_needs(select_needs(…))``.

    Examples
    --------
    >>> skills = pd.DataFrame({"rep": ["A", "A"], "skill": ["Nego", "CRM"], "current": [1, 1], "required": [3, 2]})
    >>> cat = pd.DataFrame({"action": ["Négocier", "CRM"], "skill": ["Nego", "CRM"], "duration_hours": [21, 7],
    ...                     "cost": [1890.0, 450.0], "provider": ["P", "E"], "mode": ["présentiel", "distanciel"],
    ...                     "mandatory": [False, False], "cpf": [True, False]})
    >>> t = training_needs(skills, cat, TrainingParams(headcount=60))
    >>> t[["skill", "priority", "action", "cpf", "opco", "company", "funding"]].values.tolist()
    [['Nego', 'Haute', 'Négocier', 500.0, 0.0, 1390.0, 'CPF + Entreprise'], ['CRM', 'Normale', 'CRM', 0.0, 0.0, 450.0, 'Entreprise']]
    """
    pairs = select_needs(skills, catalogue, params, reps, skill_names)
    return evaluate_needs(pairs, skills, catalogue, params)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else str(value)


def _num(value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if np.isnan(v) else v


# ------------------------------------------------------------------------------------------------
# calendar
# ------------------------------------------------------------------------------------------------

def training_weeks(hours, hours_per_week: float = 7.0):
    """Calendar weeks an action spans: ``ceil(hours / hours_per_week)`` (0 for no hours).

    Examples
    --------
    >>> training_weeks([14, 40, 0], 7).tolist()
    [2.0, 6.0, 0.0]
    """
    h = np.asarray(hours, dtype=float)
    with np.errstate(all="ignore"):
        weeks = np.where(h > 0, np.ceil(np.round(h / hours_per_week, 9)), 0.0)
    return float(weeks) if weeks.ndim == 0 else weeks


def default_start_dates(needs: pd.DataFrame, start: dt.date, hours_per_week: float = 7.0) -> list[dt.date]:
    """Start dates proposed when the workbook is built (then typed over by the manager).

    Parameters
    ----------
    needs : DataFrame
        Output of :func:`training_needs` (``rep`` and ``hours`` in plan order).
    start : date
        First day of the plan.
    hours_per_week : float

    Returns
    -------
    list of date

    Notes
    -----
    Each rep follows his or her actions one after the other, in the plan order (priorities
    first); the k-th rep (order of appearance) starts k weeks after ``start`` so that the team
    is not all away the same week.

    Examples
    --------
    >>> needs = pd.DataFrame({"rep": ["A", "A", "B"], "hours": [14, 7, 21]})
    >>> [d.isoformat() for d in default_start_dates(needs, dt.date(2026, 1, 5))]
    ['2026-01-05', '2026-01-19', '2026-01-12']
    """
    start = pd.Timestamp(start).date()
    order: dict[str, int] = {}
    cursor: dict[str, dt.date] = {}
    dates = []
    for rep, hours in zip(needs["rep"], needs["hours"]):
        if rep not in order:
            order[rep] = len(order)
            cursor[rep] = start + dt.timedelta(weeks=order[rep])
        dates.append(cursor[rep])
        cursor[rep] = cursor[rep] + dt.timedelta(weeks=int(training_weeks(hours, hours_per_week)))
    return dates


def iso_week_mondays(year: int) -> list[dt.date]:
    """Mondays of the ISO weeks of ``year`` (52 or 53), week 1 containing 4 January.

    Examples
    --------
    >>> w = iso_week_mondays(2026)
    >>> len(w), w[0].isoformat(), w[-1].isoformat()
    (53, '2025-12-29', '2026-12-28')
    """
    jan4 = dt.date(year, 1, 4)
    first = jan4 - dt.timedelta(days=jan4.weekday())
    count = dt.date(year, 12, 28).isocalendar()[1]
    return [first + dt.timedelta(weeks=k) for k in range(count)]


def calendar_grid(starts, hours, mondays: Sequence[dt.date], hours_per_week: float = 7.0) -> np.ndarray:
    """Gantt grid: 1 where an action runs during the week starting on each Monday.

    Parameters
    ----------
    starts : sequence of date (None = not scheduled)
    hours : array_like
    mondays : sequence of date
    hours_per_week : float

    Returns
    -------
    ndarray of int, shape (len(starts), len(mondays))

    Notes
    -----
    An action runs from ``start`` to ``end = start + 7 × weeks`` (excluded); it fills the week
    of Monday ``m`` when ``start < m + 7`` and ``end > m``.

    Examples
    --------
    >>> calendar_grid([dt.date(2026, 1, 7)], [14], [dt.date(2026, 1, 5), dt.date(2026, 1, 12),
    ...               dt.date(2026, 1, 19), dt.date(2026, 1, 26)]).tolist()
    [[1, 1, 1, 0]]
    """
    weeks = np.atleast_1d(training_weeks(hours, hours_per_week))
    grid = np.zeros((len(starts), len(mondays)), dtype=int)
    for i, (s, w) in enumerate(zip(starts, weeks)):
        if s is None or pd.isna(s):
            continue
        s = pd.Timestamp(s).date()
        end = s + dt.timedelta(days=7 * int(w))
        for j, m in enumerate(mondays):
            grid[i, j] = int(s < m + dt.timedelta(days=7) and end > m)
    return grid


# ------------------------------------------------------------------------------------------------
# budget
# ------------------------------------------------------------------------------------------------

_MONEY = ["hours", "cost", "cpf", "opco", "company", "time_cost", "total_cost"]


def _budget(needs: pd.DataFrame, by: str, keys: Sequence[str]) -> pd.DataFrame:
    with_action = needs[needs["catalogue_row"] > 0]
    grouped = needs.groupby(by)[_MONEY].sum()
    count = with_action.groupby(by).size()
    out = grouped.reindex(list(keys), fill_value=0.0)
    out.insert(0, "count", count.reindex(list(keys), fill_value=0).astype(int))
    out["company_total"] = out["company"] + out["time_cost"]
    return out


def budget_by_rep(needs: pd.DataFrame, reps: Sequence[str]) -> pd.DataFrame:
    """Budget per employee: actions, hours, cost, CPF / OPCO / company shares, time cost.

    Returns
    -------
    DataFrame
        Index = reps; ``count`` (actions), ``hours``, ``cost``, ``cpf``, ``opco``, ``company``,
        ``time_cost``, ``total_cost`` (cost + time) and ``company_total`` (company + time).
    """
    return _budget(needs, "rep", reps)


def budget_by_action(needs: pd.DataFrame, actions: Sequence[str]) -> pd.DataFrame:
    """Budget per training action (``count`` = participants); columns as :func:`budget_by_rep`."""
    return _budget(needs, "action", actions)


# ------------------------------------------------------------------------------------------------
# professional interviews
# ------------------------------------------------------------------------------------------------

def _inventory(hire: np.ndarray, last: np.ndarray, period: int) -> np.ndarray:
    """Next état des lieux: first multiple of ``period`` months of seniority after the last interview."""
    ref = np.where(np.isnat(last), hire, last)
    months = months_between(hire, ref)
    k = np.floor(np.maximum(0.0, np.nan_to_num(months)) / period) + 1
    return edate(hire, (k * period).astype(np.int64))


def interview_status(due, reference, horizon_months: int = 3):
    """« en retard » / « à planifier » / « à jour » for interview due dates.

    Parameters
    ----------
    due : date or array_like of dates
        Next due date (missing → « à compléter »).
    reference : date
        Today (the « Date de référence » parameter).
    horizon_months : int
        Due on or before ``EDATE(reference, horizon_months)`` → « à planifier ».

    Returns
    -------
    str or ndarray of str

    Examples
    --------
    >>> interview_status(["2026-01-10", "2026-03-01", "2027-01-01", None], "2026-02-01").tolist()
    ['en retard', 'à planifier', 'à jour', 'à compléter']
    """
    d, scalar = _days(due)
    ref = _days(reference)[0][0]
    limit = _days(edate(ref.astype(dt.date), horizon_months))[0][0]
    out = np.where(np.isnat(d), STATUS_MISSING,
                   np.where(d < ref, STATUS_LATE, np.where(d <= limit, STATUS_TO_PLAN, STATUS_OK)))
    return str(out[0]) if scalar else out


def interview_schedule(hire_date, last_interview=None, birth_date=None, *, reference_date,
                       regime: str = "2025", params: TrainingParams | None = None) -> pd.DataFrame:
    """Next professional interviews under the 2014–2025 regime or the law of 24 October 2025.

    Parameters
    ----------
    hire_date : array_like of dates
        Date d'embauche (missing → nothing computed, status « à compléter »).
    last_interview : array_like of dates, optional
        Date of the last professional interview (missing = none since hiring).
    birth_date : array_like of dates, optional
        For the mid-career and end-of-career interviews (2025 law only).
    reference_date : date
        Today; statuses and the « 2025 law applies » test use it.
    regime : {"2025", "2014"}
    params : TrainingParams, optional

    Returns
    -------
    DataFrame
        ``periodic``, ``inventory`` (état des lieux), for "2025" also ``mid_career`` and
        ``end_career`` (NaT when not due), ``next_due`` (earliest) and ``status``
        (see :func:`interview_status`). Dates are datetime64[D].

    Notes
    -----
    *Régime 2014–2025* (art. L6315-1 before the 2025 law): periodic = last + 24 months, or
    hire + 24 months without interview; état des lieux at every 72 months of seniority.

    *Loi n° 2025-989 du 24 octobre 2025*: periodic = last + 48 months, or hire + 12 months
    without interview (first one within the year after hiring); état des lieux every 96
    months; mid-career interview by 31 December of the year of the 45th birthday (the mid-career
    medical visit is held that year by default and the interview follows it within two months),
    pending when no interview since 1 January of that year; end-of-career interview by the 60th
    birthday, pending when no interview in the 24 months before. Both only when due on or after
    the law's date (``law_2025_date``) and after hiring.

    The état des lieux is due at ``hire + k × period`` for the first k ≥ 1 after the last
    interview: an interview on or after an anniversary is taken as having held it.

    Examples
    --------
    >>> s = interview_schedule(["2014-09-01"], ["2023-05-10"], ["1981-04-12"], reference_date="2026-02-01")
    >>> [str(s.loc[0, c])[:10] for c in ("periodic", "inventory", "mid_career", "end_career", "next_due", "status")]
    ['2027-05-10', '2030-09-01', '2026-12-31', '2041-04-12', '2026-12-31', 'à jour']
    >>> s = interview_schedule(["2014-09-01"], ["2023-05-10"], reference_date="2026-02-01", regime="2014")
    >>> [str(s.loc[0, c])[:10] for c in ("periodic", "inventory", "next_due", "status")]
    ['2025-05-10', '2026-09-01', '2025-05-10', 'en retard']
    """
    params = params or TrainingParams()
    hire, _ = _days(hire_date)
    n = hire.size
    last = _days(last_interview)[0] if last_interview is not None else np.full(n, np.datetime64("NaT", "D"))
    birth = _days(birth_date)[0] if birth_date is not None else np.full(n, np.datetime64("NaT", "D"))
    ref = _days(reference_date)[0][0]
    no_hire = np.isnat(hire)
    nat = np.datetime64("NaT", "D")
    if regime == "2014":
        first, period, inventory_period = params.old_period_months, params.old_period_months, params.old_inventory_months
    elif regime == "2025":
        first, period, inventory_period = params.new_first_months, params.new_period_months, params.new_inventory_months
    else:
        raise ValueError(f"régime inconnu : {regime!r} (2014 ou 2025)")
    periodic = np.where(np.isnat(last), edate(hire, first), edate(last, period))
    inventory = _inventory(hire, last, inventory_period)
    out = {"periodic": periodic, "inventory": inventory}
    candidates = [periodic, inventory]
    if regime == "2025":
        law = np.datetime64(params.law_2025_date, "D")
        year, _, _ = _ymd(np.where(np.isnat(birth), np.datetime64("2000-01-01", "D"), birth))
        mid_year = year + params.mid_career_age
        mid_due = np.array([np.datetime64(f"{y:04d}-12-31", "D") for y in mid_year], dtype="datetime64[D]")
        mid_start = np.array([np.datetime64(f"{y:04d}-01-01", "D") for y in mid_year], dtype="datetime64[D]")
        mid_pending = (~np.isnat(birth) & ~no_hire & (mid_due >= law) & (mid_due >= hire)
                       & (np.isnat(last) | (last < mid_start)))
        end_due = edate(birth, 12 * params.end_career_age)
        end_start = edate(birth, 12 * params.end_career_age - params.end_career_window_months)
        end_pending = (~np.isnat(birth) & ~no_hire & (end_due >= law) & (end_due >= hire)
                       & (np.isnat(last) | (last < end_start)))
        out["mid_career"] = np.where(mid_pending, mid_due, nat)
        out["end_career"] = np.where(end_pending, end_due, nat)
        candidates += [out["mid_career"], out["end_career"]]
    stacked = np.vstack(candidates)
    as_int = np.where(np.isnat(stacked), np.iinfo(np.int64).max, stacked.astype(np.int64))
    next_due = np.min(as_int, axis=0)
    next_due = np.where(no_hire, nat, next_due.astype("datetime64[D]"))
    out = {k: np.where(no_hire, nat, v) for k, v in out.items()}
    out["next_due"] = next_due
    out["status"] = interview_status(next_due, ref.astype(dt.date), params.planning_horizon_months)
    return pd.DataFrame(out)


def corrective_top_up(inventory_2014, reference_date, params: TrainingParams | None = None) -> np.ndarray:
    """Risk of the 3 000 € corrective CPF top-up (abondement correctif, régime 2014–2025).

    Parameters
    ----------
    inventory_2014 : array_like of dates
        État des lieux dates of the 2014 regime (``interview_schedule(..., regime="2014")``).
    reference_date : date
    params : TrainingParams, optional

    Returns
    -------
    ndarray of float
        ``corrective_amount`` when the company has at least ``corrective_headcount`` employees
        and the 6-year état des lieux is overdue (no interview since that anniversary), else 0;
        NaN without a date.

    Notes
    -----
    The law asks, at the 6-year état des lieux, that the employee had the interviews and at least
    one non-mandatory training; an overdue état des lieux is the warning sign the sheet shows.

    Examples
    --------
    >>> corrective_top_up(["2025-09-01", "2027-01-01"], "2026-02-01", TrainingParams(headcount=80)).tolist()
    [3000.0, 0.0]
    """
    params = params or TrainingParams()
    d, _ = _days(inventory_2014)
    ref = _days(reference_date)[0][0]
    big = params.headcount >= params.corrective_headcount
    out = np.where((d < ref) & big, params.corrective_amount, 0.0)
    return np.where(np.isnat(d), np.nan, out)
''',
    ),
    'xlsales.udfs': (
        True,
        r'''"""The Excel function catalogue as xlwings UDFs (classic xlwings and xlwings Lite).

Each function is importable under its Excel name (``MARGIN_RATE``) and in lower case
(``margin_rate``); calling it from Python gives what the cell shows. To use them in Excel with
classic xlwings, set ``UDF Modules`` to ``xlsales.udfs`` and click *Import Functions*; for
xlwings Lite, paste the generated ``lite/main.py`` and ``lite/requirements.txt``.
"""

from . import costs, customers, forecast, forecast_auto, journey, kpi, market, pay, pricing, stock
from ._excel import UDF_REGISTRY

globals().update(UDF_REGISTRY)
__all__ = sorted(UDF_REGISTRY)

# A submodule named like a function in lower case (forecast_auto) would hide that function's
# alias: drop the submodule from the namespace (it stays importable, in sys.modules).
for _alias in [n.lower() for n in UDF_REGISTRY if n.lower() in globals()]:
    del globals()[_alias]
globals().pop("_alias", None)


def __getattr__(name: str):
    # lower-case aliases are served here, not stored in the module, so that xlwings
    # (which scans module members) registers each function once.
    try:
        return UDF_REGISTRY[name.upper()]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
''',
    ),
    'xlsales.udfs._convert': (
        False,
        r'''"""Explicit conversion of what Excel hands to a UDF.

xlwings passes cells as they are: ``None`` for an empty cell, ``float``/``int``/``bool``,
``str`` (numbers typed as French text: "1 234,50", "12 %", "15,5 €"), ``datetime`` for
dates, and - because every argument is declared with ``ndim=2`` - ranges as lists of rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np

from ..core.errors import BadValueError, DivisionByZeroError, DomainError, NotAvailableError

__all__ = [
    "parse_number",
    "is_missing",
    "number",
    "optional_number",
    "matrix",
    "series",
    "text",
    "optional_text",
    "boolean",
    "excel_serial",
]

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

#: A cell showing an error reaches the UDF as its text (xlwings ``err_to_str``): the UDF shows
#: the same error, as Excel's own functions do (never a number computed from an error cell).
_CELL_ERRORS = {"#DIV/0!": DivisionByZeroError, "#N/A": NotAvailableError, "#NUM!": DomainError}
_OTHER_CELL_ERRORS = frozenset(
    "#VALUE! #NAME? #NULL! #REF! #SPILL! #CALC! #GETTING_DATA #FIELD! #BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)


def _raise_if_cell_error(value: str, name: str) -> None:
    key = value.strip().upper()
    if key in _CELL_ERRORS:
        raise _CELL_ERRORS[key]("la cellule contient une erreur", name)
    if key in _OTHER_CELL_ERRORS:
        raise BadValueError("la cellule contient une erreur", name)


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def excel_serial(value: dt.date | dt.datetime) -> float:
    """Excel serial number of a date (1900 date system, as Excel for Windows)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def parse_number(text: str) -> float | None:
    """Read a number typed the French way; ``None`` if the text is not a number.

    >>> parse_number("1 234,50"), parse_number("12 %"), parse_number("15,5 €"), parse_number("-3.5e2")
    (1234.5, 0.12, 15.5, -350.0)
    """
    s = _SPACES.sub("", text.strip())
    percent = s.endswith("%")
    s = s.rstrip("%").removesuffix("€").removeprefix("€")
    if not s or not _NUMBER.match(s):
        return None
    if "," in s and "." in s:
        return None
    value = float(s.replace(",", "."))
    return value / 100 if percent else value


def is_missing(value) -> bool:
    """True for an empty cell: ``None``, ``""``, ``[[None]]``."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value is None or (isinstance(value, str) and value.strip() == "")


def _scalar(value):
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def _cell_number(value, name: str, empty: float | None):
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if empty is None:
            raise BadValueError("cellule vide", name)
        return empty
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            raise BadValueError("nombre invalide", name)
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return excel_serial(value)
    if isinstance(value, str):
        _raise_if_cell_error(value, name)
        parsed = parse_number(value)
        if parsed is None:
            raise BadValueError(f"« {value[:20]} » n'est pas un nombre", name)
        return parsed
    raise BadValueError("un nombre est attendu", name)


_NUMBER_TYPES = (float, int, bool, type(None))


def _fast_matrix(value, empty: float | None) -> np.ndarray | None:
    """numpy's own conversion for ranges of numbers and empty cells (1 000 000 cells in ~0.1 s);
    None when a cell needs the careful path (text, dates, errors, ragged rows)."""
    try:
        cells = np.array(value)
    except ValueError:  # ragged rows
        return None
    if cells.ndim != 2 or cells.size == 0:
        return None
    if cells.dtype.kind in "fiub":
        arr = cells.astype(float)
        return arr if np.isfinite(arr).all() else None
    if cells.dtype.kind != "O":
        return None  # text
    kinds = np.frompyfunc(type, 1, 1)(cells)
    if not np.isin(kinds, _NUMBER_TYPES).all():
        return None  # text, dates… : cell by cell
    empty_cells = kinds == type(None)
    if empty_cells.any() and empty is None:
        return None
    arr = np.where(empty_cells, 0.0 if empty is None else empty, cells).astype(float)
    return arr if np.isfinite(arr).all() else None


def matrix(value, name: str, *, empty: float | None = 0.0) -> np.ndarray:
    """A 2-D float array from a cell or a range (an empty cell counts as ``empty``, like Excel's arithmetic)."""
    if not isinstance(value, (list, tuple)):
        value = [[value]]
    elif value and not isinstance(value[0], (list, tuple)):
        value = [list(value)]
    fast = _fast_matrix(value, empty)
    if fast is not None:
        return fast
    rows = [[_cell_number(c, name, empty) for c in row] for row in value]
    if not rows or not rows[0] or len({len(r) for r in rows}) != 1:
        raise BadValueError("plage vide ou irrégulière", name)
    return np.asarray(rows, dtype=float)


def number(value, name: str, *, empty: float | None = 0.0):
    """A required argument: a number (empty cell = ``empty``) or, for a range, a 2-D array."""
    value_s = _scalar(value)
    if isinstance(value_s, (list, tuple)):
        return matrix(value, name, empty=empty)
    return _cell_number(value_s, name, empty)


def optional_number(value, name: str, default):
    """An optional argument: empty cell -> ``default``; else like :func:`number`."""
    if is_missing(value):
        return default
    return number(value, name)


def series(value, name: str, *, optional: bool = False):
    """A data range as a 1-D array, read row by row; trailing empty cells are dropped.

    Empty cells inside the data are bad input (``#VALUE!``).
    """
    if optional and is_missing(value):
        return None
    if not isinstance(value, (list, tuple)):
        value = [[value]]
    elif value and not isinstance(value[0], (list, tuple)):
        value = [list(value)]
    flat = [c for row in value for c in row]
    while flat and (flat[-1] is None or (isinstance(flat[-1], str) and not flat[-1].strip())):
        flat.pop()
    return np.asarray([_cell_number(c, name, None) for c in flat], dtype=float)


def text(value, name: str) -> str:
    value = _scalar(value)
    if value is None:
        raise BadValueError("cellule vide", name)
    if isinstance(value, str):
        _raise_if_cell_error(value, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def optional_text(value, name: str, default: str | None) -> str | None:
    if is_missing(value):
        return default
    return text(value, name)


def boolean(value, name: str, default: bool) -> bool:
    value = _scalar(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        _raise_if_cell_error(value, name)
        key = value.strip().lower()
        if key in {"vrai", "true", "oui", "yes", "1"}:
            return True
        if key in {"faux", "false", "non", "no", "0"}:
            return False
    raise BadValueError("VRAI ou FAUX attendu", name)
''',
    ),
    'xlsales.udfs._excel': (
        False,
        r'''"""The Excel side of a UDF: declaration (xlwings decorators and French help), element-wise
calls over ranges, and conversion of results and errors to what a cell can show.

Only the options that classic xlwings (Windows, COM) and xlwings Lite / Server (Office.js)
both accept are used: ``func()`` with no option, ``arg(name, ndim=2, err_to_str=True, doc=...)``.
Every argument arrives as a list of rows (``ndim=2``), so a column in gives a column out; a cell
showing an error arrives as its text ("#N/A"), so that the UDF shows that error rather than
reading the cell as empty.
"""

from __future__ import annotations

import functools
import inspect
import math

import numpy as np
import xlwings as xw

from ..core.errors import NotAvailableError, SalesMathError

__all__ = ["excel_function", "elementwise", "to_excel", "UDF_REGISTRY"]

#: Every UDF declared with :func:`excel_function`, by Excel name (filled at import time).
UDF_REGISTRY: dict[str, "object"] = {}


def excel_function(description: str, **arg_docs: str):
    """Declare an Excel function.

    Parameters
    ----------
    description : str
        One line in French, then " — " and the English line (shown by the function wizard).
    **arg_docs : str
        One description per argument of the decorated function (all are required).

    The decorated body may raise :class:`~xlsales.core.errors.SalesMathError` (shown as its Excel
    error value) or any exception (shown as ``#VALUE!``): the cell never gets a traceback.
    """

    def decorate(body):
        names = list(inspect.signature(body).parameters)
        missing = [n for n in names if n not in arg_docs]
        extra = [n for n in arg_docs if n not in names]
        if missing or extra:
            raise TypeError(f"{body.__name__}: docs missing for {missing}, unknown {extra}")

        @functools.wraps(body)
        def udf(*args, **kwargs):
            try:
                return to_excel(body(*args, **kwargs))
            except SalesMathError as error:
                return error.excel
            except (ValueError, TypeError, ArithmeticError, IndexError, KeyError, OverflowError):
                return "#VALUE!"
            except Exception:  # never a traceback into a cell
                return "#VALUE!"

        udf.__doc__ = description
        udf.__xlsales_body__ = body
        udf.__xlsales_arg_docs__ = {name: arg_docs[name] for name in names}
        # xlwings reads the docstring when the first decorator runs: set it before.
        for name in reversed(names):
            udf = xw.arg(name, ndim=2, err_to_str=True, doc=arg_docs[name])(udf)
        udf = xw.func(udf)
        _vba_safe_arg_names(udf)
        UDF_REGISTRY[body.__name__] = udf
        return udf

    return decorate


#: VBA keywords (and names the wrapper calls) that cannot name a parameter of the VBA function
#: that classic xlwings writes for each UDF.
VBA_RESERVED = frozenset(
    """and as attribute boolean byref byte byval call case cbool cbyte ccur cdate cdbl cdec cint clng
    clnglng clngptr const csng cstr currency cvar cverr date decimal declare defbool defbyte defcur
    defdate defdbl defdec defint deflng deflnglng deflngptr defobj defsng defstr defvar dim do double
    each else elseif empty end endif enum eqv erase error event exit false for friend function get
    global gosub goto if imp implements in integer is let like long longlong longptr loop lset me mod
    new next not nothing null object on option optional or paramarray preserve private property public
    raiseevent redim rem resume return rset select set single static step stop string sub then to
    true type typeof until variant wend while with withevents xor""".split()
    # names the generated wrapper itself uses: a parameter must not hide them
    + ["array", "application", "err", "range", "thisworkbook", "activeworkbook", "xlpy"]
)


def _vba_safe_arg_names(udf) -> None:
    """Classic xlwings only: rename a parameter called like a VBA keyword (``new`` → ``new_``).

    Classic xlwings declares ``Function NAME(arg, ...)`` in VBA from the Python names; a keyword
    there breaks the whole imported module. Arguments are passed by position, so only the VBA
    text changes. The Office.js metadata has no ``sub`` key and is left alone.
    """
    info = getattr(udf, "__xlfunc__", None)
    if not isinstance(info, dict) or "sub" not in info:
        return
    for arg in info.get("args", ()):
        if arg.get("name", "").lower() in VBA_RESERVED:
            arg["name"] = arg["name"] + "_"


def elementwise(core_function, **arguments):
    """Call a broadcasting core function on converted arguments (numbers or 2-D arrays).

    Scalars give a scalar. With ranges, the result has the broadcast shape; a position the core
    marked invalid (``nan``) gets the Excel error the scalar call raises for that position.
    """
    values = {k: (np.asarray(v, dtype=float) if not np.isscalar(v) else v) for k, v in arguments.items()}
    if all(np.ndim(v) == 0 for v in values.values()):
        return core_function(**values)
    try:
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
    except ValueError:
        raise NotAvailableError("plages de tailles différentes") from None
    result = np.asarray(core_function(**values), dtype=float)
    bad = np.argwhere(~np.isfinite(result))
    if bad.size == 0:
        return result
    out = result.astype(object)
    broadcast = {k: np.broadcast_to(v, shape) for k, v in values.items()}
    for index in map(tuple, bad):
        try:
            core_function(**{k: float(v[index]) for k, v in broadcast.items()})
            out[index] = "#NUM!"
        except SalesMathError as error:
            out[index] = error.excel
    return out


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else "#NUM!"
    return value


def _float_grid(values: np.ndarray) -> list:
    """A 2-D float array as nested lists, non-finite values as "#NUM!" (fast path, no per-cell Python)."""
    rows = values.tolist()
    for r, c in np.argwhere(~np.isfinite(values)):
        rows[r][c] = "#NUM!"
    return rows


def to_excel(result):
    """Convert a core result to cell values: a scalar, or a 2-D list (1-D results become a column)."""
    if isinstance(result, (list, tuple)):
        result = np.asarray(result, dtype=object)
    if isinstance(result, np.ndarray):
        if result.ndim == 0:
            return _cell(result.item())
        if result.ndim == 1:
            result = result.reshape(-1, 1)
        if result.size == 1:
            return _cell(result.item())
        if result.ndim == 2 and result.dtype.kind == "f":
            return _float_grid(result)
        if result.ndim == 2 and result.dtype == object:
            # mostly numbers with a few error strings (elementwise): convert the numbers in bulk
            is_text = np.frompyfunc(lambda v: isinstance(v, str), 1, 1)(result).astype(bool)
            if is_text.any() and is_text.mean() < 0.5:
                numbers = np.where(is_text, np.nan, result)
                try:
                    rows = numbers.astype(float).tolist()
                except (TypeError, ValueError):
                    rows = None
                if rows is not None:
                    for r, c in np.argwhere(is_text):
                        rows[r][c] = result[r, c]
                    for r, c in np.argwhere(~is_text & ~np.isfinite(numbers.astype(float))):
                        rows[r][c] = "#NUM!"
                    return rows
        return [[_cell(v) for v in row] for row in result.tolist()]
    return _cell(result)
''',
    ),
    'xlsales.udfs.costs': (
        False,
        r'''"""Excel functions — 2. Coûts et rentabilité."""

from __future__ import annotations

import datetime as dt
import re

from ..core import costs as core
from ..core.errors import BadValueError
from ._convert import excel_serial, number, optional_number, series
from ._excel import elementwise, excel_function

_FIXED = "Charges fixes de l'année (nombre ou plage) — annual fixed costs"
_REVENUE = "Chiffre d'affaires HT de l'année (nombre ou plage) — annual revenue excl. VAT"
_VARIABLE = "Charges variables de l'année (nombre ou plage) — annual variable costs"
_DAYS = "Jours par an : 360 par défaut (mois de 30 jours), 365, ou jours d'ouverture — days per year, default 360"
_PERIODS = (
    "Facultatif : CA de chaque période égale (4 trimestres, 12 mois…), de somme égale au CA — "
    "optional revenue of each equal period, summing to revenue"
)

_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _date(value, name: str):
    """A start date: Excel serial, date/datetime, or a date typed as text (31/12/2026, 2026-12-31)."""
    cell = value
    while isinstance(cell, (list, tuple)) and len(cell) == 1:
        cell = cell[0]
    if isinstance(cell, str):
        french, iso = _FRENCH_DATE.match(cell), _ISO_DATE.match(cell)
        try:
            if french:
                day, month, year = map(int, french.groups())
                return excel_serial(dt.date(year, month, day))
            if iso:
                year, month, day = map(int, iso.groups())
                return excel_serial(dt.date(year, month, day))
        except ValueError:
            raise BadValueError(f"« {cell} » n'est pas une date", name) from None
    return number(value, name, empty=None)


@excel_function(
    "Marge sur coût variable : CA − charges variables. — Contribution margin: revenue minus variable costs.",
    revenue="Chiffre d'affaires HT (ou prix unitaire) — revenue (or unit price)",
    variable_costs="Charges variables (ou coût variable unitaire) — variable costs (or unit variable cost)",
)
def CONTRIBUTION_MARGIN(revenue, variable_costs):
    return elementwise(
        core.contribution_margin,
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
    )


@excel_function(
    "Seuil de rentabilité en valeur : CF / taux de MCV. — Breakeven revenue: fixed costs over the contribution margin ratio.",
    fixed_costs=_FIXED,
    revenue=_REVENUE,
    variable_costs=_VARIABLE,
)
def BREAKEVEN(fixed_costs, revenue, variable_costs):
    return elementwise(
        core.breakeven,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
    )


@excel_function(
    "Seuil de rentabilité en quantité : CF / marge unitaire sur coût variable. — Breakeven quantity.",
    fixed_costs="Charges fixes — fixed costs",
    unit_price="Prix de vente unitaire HT — unit selling price",
    unit_variable_cost="Coût variable unitaire — unit variable cost",
)
def BREAKEVEN_QTY(fixed_costs, unit_price, unit_variable_cost):
    return elementwise(
        core.breakeven_qty,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        unit_price=number(unit_price, "unit_price"),
        unit_variable_cost=number(unit_variable_cost, "unit_variable_cost"),
    )


@excel_function(
    "Point mort en jours depuis le début de l'année (SR / CA × 360, ou par cumul des CA de période). "
    "— Breakeven point in days from the start of the year.",
    fixed_costs=_FIXED,
    revenue=_REVENUE,
    variable_costs=_VARIABLE,
    days_per_year=_DAYS,
    period_revenues=_PERIODS,
)
def BREAKEVEN_DAYS(fixed_costs, revenue, variable_costs, days_per_year=None, period_revenues=None):
    periods = series(period_revenues, "period_revenues", optional=True)

    def compute(fixed_costs, revenue, variable_costs, days_per_year):
        return core.breakeven_days(fixed_costs, revenue, variable_costs, days_per_year, periods)

    return elementwise(
        compute,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
        days_per_year=optional_number(days_per_year, "days_per_year", 360.0),
    )


@excel_function(
    "Date du point mort (date Excel : mettre la cellule au format date) ; 360 jours = mois de 30 jours. "
    "— Breakeven date (an Excel date serial).",
    fixed_costs=_FIXED,
    revenue=_REVENUE,
    variable_costs=_VARIABLE,
    start_date="Premier jour de l'année (date) — first day of the year",
    days_per_year=_DAYS,
    period_revenues=_PERIODS,
)
def BREAKEVEN_DATE(fixed_costs, revenue, variable_costs, start_date, days_per_year=None, period_revenues=None):
    periods = series(period_revenues, "period_revenues", optional=True)

    def compute(fixed_costs, revenue, variable_costs, start_date, days_per_year):
        return core.breakeven_date(fixed_costs, revenue, variable_costs, start_date, days_per_year, periods)

    return elementwise(
        compute,
        fixed_costs=number(fixed_costs, "fixed_costs"),
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
        start_date=_date(start_date, "start_date"),
        days_per_year=optional_number(days_per_year, "days_per_year", 360.0),
    )


@excel_function(
    "Marge de sécurité : CA − seuil de rentabilité. — Safety margin: revenue minus breakeven.",
    revenue="Chiffre d'affaires HT — revenue",
    breakeven="Seuil de rentabilité — breakeven revenue",
)
def SAFETY_MARGIN(revenue, breakeven):
    return elementwise(
        core.safety_margin, revenue=number(revenue, "revenue"), breakeven=number(breakeven, "breakeven")
    )


@excel_function(
    "Indice de sécurité : (CA − SR) / CA, baisse de CA supportable sans perte. — Safety index.",
    revenue="Chiffre d'affaires HT — revenue",
    breakeven="Seuil de rentabilité — breakeven revenue",
)
def SAFETY_INDEX(revenue, breakeven):
    return elementwise(
        core.safety_index, revenue=number(revenue, "revenue"), breakeven=number(breakeven, "breakeven")
    )


@excel_function(
    "Levier opérationnel : MCV / résultat (= 1 / indice de sécurité). — Operating leverage.",
    revenue="Chiffre d'affaires HT — revenue",
    variable_costs="Charges variables — variable costs",
    fixed_costs="Charges fixes — fixed costs",
)
def OPERATING_LEVERAGE(revenue, variable_costs, fixed_costs):
    return elementwise(
        core.operating_leverage,
        revenue=number(revenue, "revenue"),
        variable_costs=number(variable_costs, "variable_costs"),
        fixed_costs=number(fixed_costs, "fixed_costs"),
    )


@excel_function(
    "Retour sur investissement : (gain − coût) / coût ; gain = marge supplémentaire. — Return on investment.",
    gain="Gain de l'action (marge supplémentaire générée, pas le CA) — extra margin generated",
    cost="Coût de l'action — cost of the action",
)
def ROI(gain, cost):
    return elementwise(core.roi, gain=number(gain, "gain"), cost=number(cost, "cost"))
''',
    ),
    'xlsales.udfs.customers': (
        False,
        r'''"""Excel functions — 4. Clients et portefeuille."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from ..core import customers as core
from ..core.errors import BadValueError
from ._convert import excel_serial, is_missing, number, optional_number, series
from ._excel import elementwise, excel_function

_FRENCH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _rows(value) -> list[list]:
    """A cell or a range as a list of rows."""
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if value and not isinstance(value[0], (list, tuple)):
        return [list(value)]
    return [list(row) for row in value]


def _is_range(value) -> bool:
    return sum(len(row) for row in _rows(value)) > 1


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _flat(value) -> list:
    """Cells read row by row, trailing empty cells dropped."""
    cells = [c for row in _rows(value) for c in row]
    while cells and _empty(cells[-1]):
        cells.pop()
    return cells


def _date_cell(cell, name: str) -> float:
    """A date cell as an Excel serial: number, date/datetime, or text 31/12/2026 or 2026-12-31."""
    if isinstance(cell, str):
        french, iso = _FRENCH_DATE.match(cell), _ISO_DATE.match(cell)
        try:
            if french:
                day, month, year = map(int, french.groups())
                return excel_serial(dt.date(year, month, day))
            if iso:
                year, month, day = map(int, iso.groups())
                return excel_serial(dt.date(year, month, day))
        except ValueError:
            raise BadValueError(f"« {cell} » n'est pas une date", name) from None
    return number(cell, name, empty=None)


@excel_function(
    "Valeur vie client : Σ marge × rétention^t / (1 + taux)^t − coût d'acquisition (horizon infini si "
    "une seule marge et pas de durée). — Customer lifetime value.",
    margin="Marge par période (un nombre) ou une marge par période (plage) — margin per period",
    retention_rate="Taux de rétention (0 à 1) — retention rate",
    discount_rate="Taux d'actualisation par période — discount rate",
    years="Facultatif : nombre de périodes (défaut : longueur de la plage de marges, sinon infini) — optional number of periods",
    acquisition_cost="Facultatif : coût d'acquisition déduit (0 par défaut) — optional acquisition cost",
    first_period="Facultatif : exposant de la 1re marge, 1 (fin de période, défaut) ou 0 (immédiate) — first period",
)
def CUSTOMER_VALUE(margin, retention_rate, discount_rate, years=None, acquisition_cost=None, first_period=None):
    n = optional_number(years, "years", None)
    first = optional_number(first_period, "first_period", 1.0)
    arguments = dict(
        retention_rate=number(retention_rate, "retention_rate", empty=None),
        discount_rate=number(discount_rate, "discount_rate"),
        acquisition_cost=optional_number(acquisition_cost, "acquisition_cost", 0.0),
    )
    if _is_range(margin):
        margins = series(margin, "margin")

        def compute(retention_rate, discount_rate, acquisition_cost):
            return core.customer_value(margins, retention_rate, discount_rate, n, acquisition_cost, first)

        return elementwise(compute, **arguments)

    def compute_one(margin, retention_rate, discount_rate, acquisition_cost):
        return core.customer_value(margin, retention_rate, discount_rate, n, acquisition_cost, first)

    return elementwise(compute_one, margin=number(margin, "margin", empty=None), **arguments)


@excel_function(
    "Coût d'acquisition client : dépenses d'acquisition / nouveaux clients. — Customer acquisition cost.",
    spend="Dépenses d'acquisition (nombre ou plage) — acquisition spending",
    new_customers="Nombre de nouveaux clients — new customers",
)
def ACQUISITION_COST(spend, new_customers):
    return elementwise(
        core.acquisition_cost, spend=number(spend, "spend"), new_customers=number(new_customers, "new_customers")
    )


@excel_function(
    "Taux d'attrition : clients perdus / clients en début de période. — Churn rate.",
    lost_customers="Clients perdus sur la période (nombre ou plage) — customers lost",
    customers_at_start="Clients en début de période — customers at the start",
)
def CHURN_RATE(lost_customers, customers_at_start):
    return elementwise(
        core.churn_rate,
        lost_customers=number(lost_customers, "lost_customers"),
        customers_at_start=number(customers_at_start, "customers_at_start"),
    )


@excel_function(
    "Durée de vie moyenne d'un client : 1 / taux d'attrition (en périodes). — Customer lifetime.",
    churn_rate="Taux d'attrition par période (0 à 1) — churn rate",
)
def CUSTOMER_LIFETIME(churn_rate):
    return elementwise(core.customer_lifetime, churn_rate=number(churn_rate, "churn_rate"))


@excel_function(
    "Classe ABC (Pareto) de chaque valeur, alignée sur la plage : A jusqu'à 80 % du total cumulé, B jusqu'à "
    "95 %, C au-delà. — ABC (Pareto) class of each value.",
    values="Valeurs à classer (CA par client ou par produit), en ligne ou en colonne — values",
    a_share="Part cumulée de la classe A (0,8 par défaut) — cumulative share of class A, default 0.8",
    b_share="Part cumulée des classes A + B (0,95 par défaut) — cumulative share of A and B, default 0.95",
)
def ABC_CLASS(values, a_share=None, b_share=None):
    rows = _rows(values)
    if len({len(row) for row in rows}) != 1:
        raise BadValueError("plage irrégulière", "values")
    cells = [c for row in rows for c in row]
    present = [i for i, c in enumerate(cells) if not _empty(c)]
    numbers = [number(cells[i], "values", empty=None) for i in present]
    classes = core.abc_class(
        numbers, optional_number(a_share, "a_share", 0.8), optional_number(b_share, "b_share", 0.95)
    )
    out = [""] * len(cells)
    for i, c in zip(present, classes):
        out[i] = c
    width = len(rows[0])
    return np.asarray(out, dtype=object).reshape(len(rows), width)


@excel_function(
    "Segmentation RFM : un tableau avec en-tête — client, récence (jours), fréquence, montant, notes R, F, M "
    "(1 à bins, par quantiles), code RFM et segment. — RFM segmentation table.",
    customer_ids="Client de chaque transaction — customer of each transaction",
    dates="Date de chaque transaction — transaction dates",
    amounts="Montant de chaque transaction — transaction amounts",
    as_of="Facultatif : date de référence (défaut : dernière date + 1 jour) — optional reference date",
    bins="Facultatif : nombre de niveaux de note, 2 à 9 (5 par défaut) — optional number of score levels",
)
def RFM(customer_ids, dates, amounts, as_of=None, bins=None):
    ids = _flat(customer_ids)
    days = [_date_cell(c, "dates") for c in _flat(dates)]
    reference = None if is_missing(as_of) else _date_cell(as_of, "as_of")
    rows = core.rfm(
        ids,
        days,
        series(amounts, "amounts"),
        reference,
        optional_number(bins, "bins", 5.0),
    )
    return [list(row) for row in rows]
''',
    ),
    'xlsales.udfs.forecast': (
        False,
        r'''"""Excel functions — 6. Prévision.

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
''',
    ),
    'xlsales.udfs.forecast_auto': (
        False,
        r'''"""Excel functions — 10. Beyond the manuals: automatic forecast by back-testing.

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
''',
    ),
    'xlsales.udfs.journey': (
        False,
        r'''"""Excel functions — 9. Parcours client et tournées."""

from __future__ import annotations

import numpy as np

from ..core import journey as core
from ._convert import boolean, number, optional_number, series
from ._excel import elementwise, excel_function

_LAT = "Latitude en degrés décimaux, de -90 à 90 (nombre ou plage) — latitude in decimal degrees"
_LON = "Longitude en degrés décimaux, est positif (nombre ou plage) — longitude in decimal degrees"


@excel_function(
    "Entonnoir de conversion : effectif, conversion étape, conversion globale, déperdition par étape "
    "(tableau avec en-tête). — Conversion funnel table.",
    stage_counts="Effectifs de chaque étape, du haut vers le bas de l'entonnoir (ex. visites, RDV, devis, "
    "commandes) — counts per stage, top to bottom",
)
def FUNNEL(stage_counts):
    table = core.funnel(series(stage_counts, "stage_counts"))
    body = [[value if np.isfinite(value) else "#DIV/0!" for value in row] for row in table.tolist()]
    return [list(core.FUNNEL_HEADER), *body]


@excel_function(
    "Distance à vol d'oiseau en km entre deux points (formule de haversine, R = 6 371 km). — "
    "Great-circle distance in km.",
    lat1="Latitude du point de départ — latitude of the first point",
    lon1="Longitude du point de départ — longitude of the first point",
    lat2="Latitude du point d'arrivée — latitude of the second point",
    lon2="Longitude du point d'arrivée — longitude of the second point",
)
def DISTANCE_KM(lat1, lon1, lat2, lon2):
    return elementwise(
        core.distance_km,
        lat1=number(lat1, "lat1"),
        lon1=number(lon1, "lon1"),
        lat2=number(lat2, "lat2"),
        lon2=number(lon2, "lon2"),
    )


@excel_function(
    "Tournée la plus courte : ordre de visite des points (numéros de ligne), puis le total en km sur la "
    "dernière ligne. — Shortest visiting order, then total km.",
    latitudes=_LAT.replace("(nombre ou plage)", "(plage)"),
    longitudes=_LON.replace("(nombre ou plage)", "(plage)"),
    start_index="Numéro (1 = premier) du point de départ, 1 par défaut — 1-based index of the start, default 1",
    return_to_start="VRAI (par défaut) : retour au point de départ ; FAUX : parcours ouvert — "
    "TRUE (default) for a round trip, FALSE for an open route",
)
def TOUR(latitudes, longitudes, start_index=None, return_to_start=None):
    result = core.tour(
        series(latitudes, "latitudes"),
        series(longitudes, "longitudes"),
        optional_number(start_index, "start_index", 1),
        boolean(return_to_start, "return_to_start", True),
    )
    return [[int(k)] for k in result.order] + [[result.length]]
''',
    ),
    'xlsales.udfs.kpi': (
        False,
        r'''"""Excel functions — 3. Indicateurs commerciaux (tableaux de bord)."""

from __future__ import annotations

import numpy as np

from ..core import kpi as core
from ._convert import matrix, number, optional_number, series
from ._excel import elementwise, excel_function

_ACTUAL = "Valeur réalisée (nombre ou plage) — actual value"
_PLANNED = "Valeur prévue, objectif ou budget (nombre ou plage) — planned value"


def _ratio(core_function, num: str, numerator, den: str, denominator):
    """The body shared by the ratio functions: both arguments element-wise."""
    return elementwise(core_function, **{num: number(numerator, num), den: number(denominator, den)})


@excel_function(
    "Taux de couverture de la cible : cibles atteintes / effectif de la cible. — Target coverage rate.",
    customers_reached="Cibles contactées ou visitées (nombre ou plage) — targets reached",
    target_size="Effectif total de la cible — size of the target",
)
def COVERAGE_RATE(customers_reached, target_size):
    return _ratio(core.coverage_rate, "customers_reached", customers_reached, "target_size", target_size)


@excel_function(
    "Taux de contact (joignabilité) : contacts utiles / tentatives. — Contact rate.",
    contacts="Contacts utiles obtenus (nombre ou plage) — contacts reached",
    attempts="Tentatives : appels, relances… — attempts",
)
def CONTACT_RATE(contacts, attempts):
    return _ratio(core.contact_rate, "contacts", contacts, "attempts", attempts)


@excel_function(
    "Taux de transformation : commandes / opportunités (visites, RDV, devis…). — Conversion rate.",
    orders="Commandes ou ventes conclues (nombre ou plage) — orders",
    opportunities="Opportunités : visites, rendez-vous, devis, visiteurs… — opportunities",
)
def CONVERSION_RATE(orders, opportunities):
    return _ratio(core.conversion_rate, "orders", orders, "opportunities", opportunities)


@excel_function(
    "Taux de retour : retours (réponses) / envois. — Return (response) rate.",
    returned="Réponses reçues ou produits retournés (nombre ou plage) — answers or returns",
    sent="Envois ou produits vendus — items sent or sold",
)
def RETURN_RATE(returned, sent):
    return _ratio(core.return_rate, "returned", returned, "sent", sent)


@excel_function(
    "Taux d'impayés : montant des impayés / montant facturé (TTC). — Unpaid rate.",
    unpaid_amount="Montant des impayés (nombre ou plage) — unpaid amount",
    invoiced_amount="Montant facturé sur la période, TTC — amount invoiced",
)
def UNPAID_RATE(unpaid_amount, invoiced_amount):
    return _ratio(core.unpaid_rate, "unpaid_amount", unpaid_amount, "invoiced_amount", invoiced_amount)


@excel_function(
    "Panier moyen : CA / nombre de transactions (tickets, commandes). — Average basket per transaction.",
    revenue="Chiffre d'affaires HT (nombre ou plage) — revenue",
    transactions="Nombre de transactions (tickets, commandes), pas de clients — number of transactions",
)
def AVERAGE_BASKET(revenue, transactions):
    return _ratio(core.average_basket, "revenue", revenue, "transactions", transactions)


@excel_function(
    "Score d'une grille pondérée : Σ poids × note / Σ poids, éventuellement ramené sur une autre échelle. "
    "— Weighted scoring grid.",
    ratings="Notes de la grille (une ligne ou colonne), ou un tableau d'une grille par ligne — ratings",
    weights="Poids (coefficients) des critères, autant que de notes — weights",
    max_rating="Facultatif : note maximale de la grille (ex. 5) — optional top rating",
    scale="Facultatif : échelle d'affichage (ex. 20 ou 100), avec max_rating — optional display scale",
)
def SCORE(ratings, weights, max_rating=None, scale=None):
    r = matrix(ratings, "ratings", empty=None)
    w = series(weights, "weights")
    result = core.score(
        r, w, optional_number(max_rating, "max_rating", None), optional_number(scale, "scale", None)
    )
    if np.ndim(result) == 1 and r.shape[0] == w.size and r.shape[1] != w.size:
        return [list(result)]  # one grid per column: one score per column, as a row
    return result


@excel_function(
    "Écart absolu : réel − prévu. — Variance: actual minus planned.",
    actual=_ACTUAL,
    planned=_PLANNED,
)
def VARIANCE(actual, planned):
    return elementwise(core.variance, actual=number(actual, "actual"), planned=number(planned, "planned"))


@excel_function(
    "Écart relatif : (réel − prévu) / prévu. — Variance rate.",
    actual=_ACTUAL,
    planned=_PLANNED,
)
def VARIANCE_RATE(actual, planned):
    return elementwise(core.variance_rate, actual=number(actual, "actual"), planned=number(planned, "planned"))


@excel_function(
    "Indice simple : valeur / valeur de base × base (100 par défaut). — Index number, base 100.",
    value="Valeur à la date étudiée (nombre ou plage) — value",
    base_value="Valeur à la date de base — base value",
    base="Indice de la date de base (100 par défaut) — base, default 100",
)
def INDEX_BASE(value, base_value, base=None):
    return elementwise(
        core.index_base,
        value=number(value, "value"),
        base_value=number(base_value, "base_value"),
        base=optional_number(base, "base", 100.0),
    )


@excel_function(
    "Taux d'évolution : (valeur d'arrivée − valeur de départ) / valeur de départ. — Growth rate.",
    new="Valeur d'arrivée (nombre ou plage) — new value",
    old="Valeur de départ — old value",
)
def GROWTH_RATE(new, old):
    return elementwise(core.growth_rate, new=number(new, "new"), old=number(old, "old"))


@excel_function(
    "TCAM : (arrivée / départ)^(1 / n) − 1, n = nombre d'intervalles. — Compound annual growth rate.",
    end_value="Valeur d'arrivée (nombre ou plage) — end value",
    start_value="Valeur de départ — start value",
    periods="Nombre d'intervalles (2013 → 2018 : 5) — number of periods",
)
def CAGR(end_value, start_value, periods):
    return elementwise(
        core.cagr,
        end_value=number(end_value, "end_value"),
        start_value=number(start_value, "start_value"),
        periods=number(periods, "periods", empty=None),
    )


@excel_function(
    "Écart sur CA et sa décomposition : total, écart sur prix, écart sur quantités (volume et composition "
    "avec plusieurs produits), 2 colonnes. — Revenue variance: price, quantity, volume and mix effects.",
    actual_qty="Quantités réelles (une par produit) — actual quantities",
    actual_price="Prix unitaires réels — actual unit prices",
    planned_qty="Quantités prévues — planned quantities",
    planned_price="Prix unitaires prévus — planned unit prices",
)
def REVENUE_VARIANCE(actual_qty, actual_price, planned_qty, planned_price):
    rows = core.revenue_variance(
        series(actual_qty, "actual_qty"),
        series(actual_price, "actual_price"),
        series(planned_qty, "planned_qty"),
        series(planned_price, "planned_price"),
    )
    return [[label, amount] for label, amount in rows]


@excel_function(
    "Taux de réalisation de l'objectif : réel / objectif. — Attainment: actual over target.",
    actual=_ACTUAL,
    target="Objectif (nombre ou plage) — target",
)
def ATTAINMENT(actual, target):
    return elementwise(core.attainment, actual=number(actual, "actual"), target=number(target, "target"))
''',
    ),
    'xlsales.udfs.market': (
        False,
        r'''"""Excel functions — 5. Marché et concentration."""

from __future__ import annotations

from ..core import market as core
from ._convert import number, series
from ._excel import elementwise, excel_function


@excel_function(
    "Part de marché : ventes de l'entreprise / ventes du marché. — Market share.",
    sales="Ventes de l'entreprise, en valeur ou en volume (nombre ou plage) — company sales",
    market_sales="Ventes du marché, mesurées de la même façon — market sales",
)
def MARKET_SHARE(sales, market_sales):
    return elementwise(core.market_share, sales=number(sales, "sales"), market_sales=number(market_sales, "market_sales"))


@excel_function(
    "Part de marché relative : ventes de l'entreprise / ventes du principal concurrent (le n° 2 si "
    "l'entreprise est leader). — Relative market share.",
    own_sales="Ventes (ou part de marché) de l'entreprise — own sales",
    competitor_sales_range="Ventes (ou parts) des concurrents ; peut contenir la ligne de l'entreprise — competitors' sales",
)
def RELATIVE_MARKET_SHARE(own_sales, competitor_sales_range):
    competitors = series(competitor_sales_range, "competitor_sales_range")
    return elementwise(
        lambda own_sales: core.relative_market_share(own_sales, competitors),
        own_sales=number(own_sales, "own_sales", empty=None),
    )


@excel_function(
    "Indice de Gini par la courbe de Lorenz (méthode des trapèzes), données brutes ou groupées. "
    "— Gini index (Lorenz curve, trapezoids).",
    values="Valeurs (CA par client) ou centres de classe — values or class centres",
    weights="Facultatif : effectifs des classes (données groupées) — optional class counts",
)
def GINI(values, weights=None):
    return core.gini(series(values, "values"), series(weights, "weights", optional=True))


@excel_function(
    "Médiale : valeur qui partage la masse totale en deux (interpolation dans sa classe). — Médiale (mass median).",
    class_lower_bounds="Bornes inférieures des classes, croissantes — class lower bounds",
    class_upper_bounds="Bornes supérieures des classes — class upper bounds",
    counts="Effectifs des classes — class counts",
)
def MEDIALE(class_lower_bounds, class_upper_bounds, counts):
    return core.mediale(
        series(class_lower_bounds, "class_lower_bounds"),
        series(class_upper_bounds, "class_upper_bounds"),
        series(counts, "counts"),
    )


@excel_function(
    "Indice de Herfindahl-Hirschman : Σ parts² × 10 000 (parts en décimales ; points de % acceptés si leur "
    "somme dépasse 1). — Herfindahl-Hirschman index.",
    shares="Parts de marché des entreprises — market shares",
)
def HHI(shares):
    return core.hhi(series(shares, "shares"))


@excel_function(
    "Densité de clientèle : clients / clients potentiels de la zone. — Customer density.",
    customers="Nombre de clients de la zone (nombre ou plage) — customers",
    potential="Clients potentiels de la zone (ou km², milliers d'habitants) — potential customers",
)
def CUSTOMER_DENSITY(customers, potential):
    return elementwise(core.customer_density, customers=number(customers, "customers"), potential=number(potential, "potential"))
''',
    ),
    'xlsales.udfs.pay': (
        False,
        r'''"""Excel functions — 8. Rémunération."""

from __future__ import annotations

from ..core import pay as core
from ._convert import number, optional_number, optional_text, series
from ._excel import elementwise, excel_function


@excel_function(
    "Commission selon une grille : progressive (par tranches) ou flat (taux du palier atteint sur tout le montant). "
    "— Commission from a tiered grid.",
    amount="Montant commissionné : CA HT, marge… (nombre ou plage) — amount (number or range)",
    thresholds="Bornes inférieures des tranches, croissantes (souvent 0 en premier) — lower bounds of the tiers",
    rates="Taux de chaque tranche — rate of each tier",
    mode='"progressive" (par tranches, défaut) ou "flat" (par paliers) — "progressive" (default) or "flat"',
)
def COMMISSION(amount, thresholds, rates, mode=None):
    grid = series(thresholds, "thresholds"), series(rates, "rates")
    how = optional_text(mode, "mode", "progressive")

    def compute(amount):
        return core.commission(amount, *grid, mode=how)

    return elementwise(compute, amount=number(amount, "amount"))


@excel_function(
    "Prime sur objectif : step (montant du palier atteint) ou linear (interpolée, plafonnée). "
    "— Bonus from attainment thresholds.",
    attainment="Taux de réalisation (réel / objectif) ou montant (nombre ou plage) — attainment (number or range)",
    thresholds="Seuils croissants — ascending thresholds",
    amounts="Prime à chaque seuil — bonus at each threshold",
    mode='"step" (paliers, défaut) ou "linear" (interpolation) — "step" (default) or "linear"',
)
def BONUS(attainment, thresholds, amounts, mode=None):
    grid = series(thresholds, "thresholds"), series(amounts, "amounts")
    how = optional_text(mode, "mode", "step")

    def compute(attainment):
        return core.bonus(attainment, *grid, mode=how)

    return elementwise(compute, attainment=number(attainment, "attainment"))


@excel_function(
    "Coût employeur : salaire brut × (1 + taux de charges patronales). — Employer cost of a gross pay.",
    gross_pay="Salaire brut (nombre ou plage) — gross pay",
    charge_rate="Taux de charges patronales (42 % par défaut) — employer charge rate, default 42 %",
)
def EMPLOYER_COST(gross_pay, charge_rate=None):
    return elementwise(
        core.employer_cost,
        gross_pay=number(gross_pay, "gross_pay"),
        charge_rate=optional_number(charge_rate, "charge_rate", 0.42),
    )
''',
    ),
    'xlsales.udfs.pricing': (
        False,
        r'''"""Excel functions — 1. Prix et marges."""

from __future__ import annotations

from ..core import pricing as core
from ._convert import number, optional_number, series, is_missing
from ._excel import elementwise, excel_function

_PRICE = "Prix de vente HT (nombre ou plage) — selling price excl. VAT"
_COST = "Coût d'achat HT (nombre ou plage) — purchase cost excl. VAT"


@excel_function(
    "Marge unitaire : prix de vente HT − coût. — Unit margin: price minus cost.",
    price=_PRICE,
    cost=_COST,
)
def MARGIN(price, cost):
    return elementwise(core.margin, price=number(price, "price"), cost=number(cost, "cost"))


@excel_function(
    "Taux de marge = (PV − coût) / coût, sur le coût d'achat. — Markup rate, on cost.",
    price=_PRICE,
    cost=_COST,
)
def MARGIN_RATE(price, cost):
    return elementwise(core.margin_rate, price=number(price, "price"), cost=number(cost, "cost"))


@excel_function(
    "Taux de marque = (PV − coût) / PV HT, sur le prix de vente. — Margin rate, on selling price.",
    price=_PRICE,
    cost=_COST,
)
def MARK_RATE(price, cost):
    return elementwise(core.mark_rate, price=number(price, "price"), cost=number(cost, "cost"))


@excel_function(
    "Coefficient multiplicateur = PV HT × (1 + TVA) / coût (HT si TVA = 0). — Price multiplier on cost.",
    price_ht=_PRICE,
    cost=_COST,
    vat_rate="Taux de TVA pour un coefficient TTC (0 par défaut : coefficient HT) — VAT rate, default 0",
)
def MULTIPLIER(price_ht, cost, vat_rate=None):
    return elementwise(
        core.multiplier,
        price_ht=number(price_ht, "price_ht"),
        cost=number(cost, "cost"),
        vat_rate=optional_number(vat_rate, "vat_rate", 0.0),
    )


@excel_function(
    "Prix de vente HT = coût × (1 + taux de marge). — Price from a markup rate on cost.",
    cost=_COST,
    margin_rate="Taux de marge sur coût (0,25 ou 25 %) — markup rate on cost",
)
def PRICE_FROM_MARGIN_RATE(cost, margin_rate):
    return elementwise(
        core.price_from_margin_rate,
        cost=number(cost, "cost"),
        margin_rate=number(margin_rate, "margin_rate"),
    )


@excel_function(
    "Prix de vente HT = coût / (1 − taux de marque). — Price from a margin rate on price.",
    cost=_COST,
    mark_rate="Taux de marque sur prix de vente, inférieur à 1 — margin rate on price, below 1",
)
def PRICE_FROM_MARK_RATE(cost, mark_rate):
    return elementwise(
        core.price_from_mark_rate,
        cost=number(cost, "cost"),
        mark_rate=number(mark_rate, "mark_rate"),
    )


@excel_function(
    "Prix TTC = prix HT × (1 + taux de TVA). — Price including VAT.",
    price_ht="Prix hors taxes — price excl. VAT",
    vat_rate="Taux de TVA (20 % par défaut) — VAT rate, default 20 %",
)
def PRICE_TTC(price_ht, vat_rate=None):
    return elementwise(
        core.price_ttc,
        price_ht=number(price_ht, "price_ht"),
        vat_rate=optional_number(vat_rate, "vat_rate", 0.2),
    )


@excel_function(
    "Prix HT = prix TTC / (1 + taux de TVA). — Price excluding VAT.",
    price_ttc="Prix toutes taxes comprises — price incl. VAT",
    vat_rate="Taux de TVA (20 % par défaut) — VAT rate, default 20 %",
)
def PRICE_HT(price_ttc, vat_rate=None):
    return elementwise(
        core.price_ht,
        price_ttc=number(price_ttc, "price_ttc"),
        vat_rate=optional_number(vat_rate, "vat_rate", 0.2),
    )


@excel_function(
    "Prix net après réductions commerciales en cascade : brut × Π(1 − réduction). — Net price after cascading discounts.",
    gross="Prix ou montant brut HT — gross price",
    discounts_range="Taux de réduction successifs (rabais, remise, ristourne) — successive discount rates",
)
def NET_PRICE(gross, discounts_range):
    discounts = [] if is_missing(discounts_range) else series(discounts_range, "discounts_range")
    return elementwise(
        lambda gross: core.net_price(gross, discounts),
        gross=number(gross, "gross"),
    )


@excel_function(
    "Facture : brut, réductions, net commercial, port, escompte, net financier, TVA, net à payer (2 colonnes). — Invoice chain.",
    gross="Montant brut HT — gross amount",
    commercial_discounts_range="Taux de réduction commerciale en cascade (facultatif) — commercial discount rates",
    shipping="Frais de port HT (0 par défaut) — shipping excl. VAT",
    cash_discount="Taux d'escompte sur net commercial + port (0 par défaut) — cash discount rate",
    vat_rate="Taux de TVA (20 % par défaut) — VAT rate",
)
def INVOICE(gross, commercial_discounts_range=None, shipping=None, cash_discount=None, vat_rate=None):
    discounts = (
        [] if is_missing(commercial_discounts_range) else series(commercial_discounts_range, "commercial_discounts_range")
    )
    rows = core.invoice(
        number(gross, "gross", empty=None),
        discounts,
        optional_number(shipping, "shipping", 0.0),
        optional_number(cash_discount, "cash_discount", 0.0),
        optional_number(vat_rate, "vat_rate", 0.2),
    )
    return [[label, amount] for label, amount in rows]
''',
    ),
    'xlsales.udfs.stock': (
        False,
        r'''"""Excel functions — 7. Stocks et budgets."""

from __future__ import annotations

from ..core import stock as core
from ._convert import number, optional_number, series
from ._excel import elementwise, excel_function


@excel_function(
    "Quantité économique de commande (Wilson) : √(2 × D × coût de passation / (coût unitaire × taux de possession)). "
    "— Economic order quantity (Wilson).",
    annual_demand="Demande annuelle en unités — annual demand in units",
    order_cost="Coût de passation d'une commande — cost of placing one order",
    unit_cost="Coût d'achat unitaire — unit purchase cost",
    holding_rate="Taux de possession annuel (8 % ou 0,08) — annual holding rate",
)
def EOQ(annual_demand, order_cost, unit_cost, holding_rate):
    return elementwise(
        core.eoq,
        annual_demand=number(annual_demand, "annual_demand"),
        order_cost=number(order_cost, "order_cost"),
        unit_cost=number(unit_cost, "unit_cost"),
        holding_rate=number(holding_rate, "holding_rate"),
    )


@excel_function(
    "Stock de sécurité : conso max × délai max − conso moyenne × délai moyen. — Safety stock.",
    max_usage="Consommation maximale par unité de temps — maximum usage per time unit",
    max_lead_time="Délai de livraison maximal (même unité de temps) — maximum lead time",
    avg_usage="Consommation moyenne par unité de temps — average usage per time unit",
    avg_lead_time="Délai de livraison moyen — average lead time",
)
def SAFETY_STOCK(max_usage, max_lead_time, avg_usage, avg_lead_time):
    return elementwise(
        core.safety_stock,
        max_usage=number(max_usage, "max_usage"),
        max_lead_time=number(max_lead_time, "max_lead_time"),
        avg_usage=number(avg_usage, "avg_usage"),
        avg_lead_time=number(avg_lead_time, "avg_lead_time"),
    )


@excel_function(
    "Stock d'alerte (point de commande) : conso moyenne × délai + stock de sécurité. — Reorder point.",
    avg_usage="Consommation moyenne par unité de temps — average usage per time unit",
    lead_time="Délai de livraison (même unité de temps) — lead time",
    safety_stock="Stock de sécurité (0 par défaut) — safety stock, default 0",
)
def REORDER_POINT(avg_usage, lead_time, safety_stock=None):
    return elementwise(
        core.reorder_point,
        avg_usage=number(avg_usage, "avg_usage"),
        lead_time=number(lead_time, "lead_time"),
        safety_stock=optional_number(safety_stock, "safety_stock", 0.0),
    )


def _shape(value) -> tuple[int, int]:
    if not isinstance(value, (list, tuple)):
        return 1, 1
    if value and not isinstance(value[0], (list, tuple)):
        return 1, len(value)
    return len(value), (len(value[0]) if value else 0)


@excel_function(
    "Budget des ventes : total annuel réparti au prorata des coefficients (une valeur par coefficient). "
    "— Sales budget: yearly total split by seasonal coefficients.",
    annual_total="Objectif annuel (quantité ou CA HT) — yearly total",
    coefficients="Coefficients saisonniers ou parts, un par période (ligne ou colonne) — one coefficient per period",
)
def SALES_BUDGET(annual_total, coefficients):
    values = series(coefficients, "coefficients")
    result = core.sales_budget(number(annual_total, "annual_total", empty=None), values)
    rows, cols = _shape(coefficients)
    if rows * cols == result.size:
        return result.reshape(rows, cols)
    return result.reshape(1, -1) if rows == 1 else result.reshape(-1, 1)
''',
    ),
}


class _XlsalesBundle:
    """Meta-path finder and loader serving the embedded sources as the ``xlsales`` package."""

    _xlsales_bundle = True

    def __init__(self, sources):
        self.sources = sources

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.sources:
            return None
        is_package = self.sources[fullname][0]
        origin = "<xlsales-lite>/" + fullname.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=origin, is_package=is_package)
        spec.has_location = True
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        source = self.sources[module.__name__][1]
        filename = module.__spec__.origin
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec", dont_inherit=True), module.__dict__)

    def get_source(self, fullname):
        return self.sources[fullname][1]

    def is_package(self, fullname):
        return self.sources[fullname][0]


def _install_xlsales():
    # xlwings Lite runs main.py again after each edit: drop what a previous run loaded.
    sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "_xlsales_bundle", False)]
    for name in [m for m in sys.modules if m == "xlsales" or m.startswith("xlsales.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, _XlsalesBundle(_SOURCES))


_install_xlsales()

from xlsales.udfs import (  # noqa: E402  (the Excel functions, as members of main)
    ABC_CLASS,
    ACQUISITION_COST,
    ATTAINMENT,
    AVERAGE_BASKET,
    BONUS,
    BREAKEVEN,
    BREAKEVEN_DATE,
    BREAKEVEN_DAYS,
    BREAKEVEN_QTY,
    CAGR,
    CHURN_RATE,
    COMMISSION,
    CONTACT_RATE,
    CONTRIBUTION_MARGIN,
    CONVERSION_RATE,
    COVERAGE_RATE,
    CUSTOMER_DENSITY,
    CUSTOMER_LIFETIME,
    CUSTOMER_VALUE,
    DESEASONALIZE,
    DISTANCE_KM,
    EMPLOYER_COST,
    EOQ,
    ETS_FORECAST,
    FORECAST_AUTO,
    FORECAST_AUTO_REPORT,
    FUNNEL,
    GINI,
    GROWTH_RATE,
    HHI,
    INDEX_BASE,
    INVOICE,
    LINEAR_TREND,
    MARGIN,
    MARGIN_RATE,
    MARKET_SHARE,
    MARK_RATE,
    MEDIALE,
    MOVING_AVERAGE,
    MULTIPLIER,
    NET_PRICE,
    OPERATING_LEVERAGE,
    PRICE_FROM_MARGIN_RATE,
    PRICE_FROM_MARK_RATE,
    PRICE_HT,
    PRICE_TTC,
    RELATIVE_MARKET_SHARE,
    REORDER_POINT,
    RETURN_RATE,
    REVENUE_VARIANCE,
    RFM,
    ROI,
    SAFETY_INDEX,
    SAFETY_MARGIN,
    SAFETY_STOCK,
    SALES_BUDGET,
    SCORE,
    SEASONAL_COEFFICIENTS,
    SEASONAL_FORECAST,
    TOUR,
    TREND_FORECAST,
    UNPAID_RATE,
    VARIANCE,
    VARIANCE_RATE,
)
